"""The rules verify.py checks every published file by: what runs code, loads from another host or leaves the site.

Shared by the check of pages (pagecheck.py) and of XML documents and fragments (markupcheck.py):
the elements that embed or run something, the attributes holding URLs, when a URL is a script URL
or points at another host, what a stylesheet loads, where a <meta> refresh or a <link> goes, and
how an offending value is shown in a one-line problem.
"""

from __future__ import annotations

import functools
import json
import re

# Elements that run code, embed another document or re-target every link of the page.
ACTIVE_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
    "fencedframe",
    "foreignobject",
}
# A page body (Material's .md-content) holds text and the extensions' widgets: no forms, styles or head elements.
BODY_FORBIDDEN = {"form", "button", "textarea", "select", "style", "link", "meta", "title"}
SCRIPT_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "poster",
    "data",
    "cite",
    "background",
    "ping",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "codebase",
    "archive",
    "manifest",
    "icon",
    "to",
    "from",
    "by",
    "values",
}  # to/from/by/values: SVG animation can set an href
LOAD_ATTRIBUTES = {
    "src",
    "srcset",
    "poster",
    "data",
    "background",
    "ping",
    "lowsrc",
    "dynsrc",
    "codebase",
    "archive",
    "manifest",
    "action",
    "formaction",
}
# The attributes any rule concerns: the rest (class, id, aria-*…) need no check, an on… handler aside.
WATCHED_ATTRIBUTES = SCRIPT_URL_ATTRIBUTES | {"style", "title"}
NAVIGATION_ELEMENTS = {"a", "area"}  # their href is a link the reader follows, not a load
# <link rel> values that load nothing: a canonical or alternate address may be absolute.
NON_LOADING_RELS = {
    "canonical",
    "alternate",
    "prev",
    "next",
    "author",
    "license",
    "help",
    "bookmark",
    "me",
    "external",
    "nofollow",
    "noopener",
    "noreferrer",
    "tag",
}

_SCRIPT_URL = re.compile(r"(javascript|vbscript|data):", re.I)
_OTHER_HOST = re.compile(r"([a-z][a-z0-9+.-]*:|[/\\][/\\])", re.I)  # a scheme, //host, \\host, /\host or \/host
_NOT_URL_TEXT = re.compile(r"[\x00-\x20]")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_LOADS = re.compile(
    r"""(?:url|src|image|image-set|-webkit-image-set|cross-fade)\(\s*(['"]?)(.*?)\1\s*[),]|@import\s*(['"])(.*?)\3""",
    re.I | re.S,
)
_CSS_STRINGS_IN_SETS = re.compile(r"""image-set\(([^)]*)\)""", re.I)
_CSS_STRING = re.compile(r"""(['"])(.*?)\1""", re.S)
_SOURCE_MAP = re.compile(r"[#@]\s*sourceMappingURL\s*=\s*(\S+)")
# What starts markup in HTML text: '<' and a letter, '/', '!' or '?'. Any other '<' ("a < b", "<3") stays text.
MARKUP_START = re.compile(r"<[a-z/!?]", re.I)
SCRIPT_END_OR_ESCAPE = re.compile(r"</script|<!--", re.I)
_REFRESH_URL = re.compile(r"\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(.*)", re.I | re.S)  # "5; url=x", "0,x", "0;URL='x'"
MAX_SHOWN = 60  # characters of an offending value shown in a problem


# --- URLs -----------------------------------------------------------------------------------------


def plain_url(value: str) -> str:
    """A URL as browsers read its scheme: without any ASCII whitespace or control characters."""
    return _NOT_URL_TEXT.sub("", value)


def is_script_url(value: str) -> bool:
    """Whether a URL runs code or embeds a document inline: javascript:, vbscript: or data:."""
    return bool(_SCRIPT_URL.match(plain_url(value)))


def leaves_site(value: str) -> bool:
    """Whether a URL points at another host: it has a scheme or starts with two slashes either way."""
    return bool(_OTHER_HOST.match(plain_url(value)))


def _srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset (or SVG animation values) list; splitting at any ',' or ';' errs towards checking more."""
    return [part.strip().split(" ")[0] for part in re.split(r"[,;]", value) if part.strip()]


def show(value: str) -> str:
    """An offending value shortened and with control characters visible, for a one-line report."""
    shown = json.dumps(value, ensure_ascii=False)[1:-1]
    return shown if len(shown) <= MAX_SHOWN else shown[:MAX_SHOWN] + "…"


# --- CSS ------------------------------------------------------------------------------------------


def css_problems(css: str) -> list[str]:
    """Loads from another host (or script URLs) in a stylesheet, after undoing CSS escapes and comments."""
    text = _CSS_COMMENT.sub("", _CSS_ESCAPE.sub(_css_unescape, css))
    urls = [m.group(2) if m.group(4) is None else m.group(4) for m in _CSS_LOADS.finditer(text)]
    for image_set in _CSS_STRINGS_IN_SETS.finditer(
        text
    ):  # image-set("a.png" 1x, "//b/c.png" 2x): bare strings load too
        urls += [string for _, string in _CSS_STRING.findall(image_set.group(1))]
    problems = []
    for url in urls:
        if leaves_site(url) and not plain_url(url).lower().startswith("data:"):
            problems.append(f"stylesheet loads {show(url)} from another host")
        elif is_script_url(url) and not plain_url(url).lower().startswith("data:"):
            problems.append(f"stylesheet uses the script URL {show(url)}")
    return problems


def _css_unescape(match: re.Match) -> str:
    """One CSS escape undone (\\2f or \\/), so an escaped // or url( cannot hide from the check."""
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    return match.group(2)


@functools.lru_cache(maxsize=65_536)  # pages repeat their theme's URLs
def url_problems(tag: str, name: str, value: str) -> tuple[str, ...]:
    """One URL-valued attribute: never a script URL; a load never from another host."""
    problems = []
    for url in _srcset_urls(value) if name in ("srcset", "values", "ping", "archive") else [value]:
        if is_script_url(url):
            problems.append(f"<{tag} {name}={show(url)}> script URL")
        elif leaves_site(url) and _is_load(tag, name):
            problems.append(f"<{tag} {name}={show(url)}> loads from another host")
    return tuple(problems)


def _is_load(tag: str, name: str) -> bool:
    """Whether an attribute makes the browser fetch (or submit to) its URL rather than offer a link."""
    if name in LOAD_ATTRIBUTES:
        return True
    if name in ("href", "xlink:href"):  # an SVG <image>, <use> or <feImage> loads its href; <link> is checked by rel
        return tag not in NAVIGATION_ELEMENTS and tag != "link"
    return False


def refresh_problem(http_equiv: str, content: str) -> str | None:
    """A <meta http-equiv=refresh> that sends the reader off the site."""
    if http_equiv.strip().lower() != "refresh":
        return None
    target = _REFRESH_URL.match(content).group(1).strip().strip("'\"")
    return (
        f"<meta http-equiv=refresh> to {show(target)}, off the site"
        if leaves_site(target) or is_script_url(target)
        else None
    )


@functools.lru_cache(maxsize=4096)  # every page has the theme's few <link>s
def link_problem(href: str, rel: str) -> str | None:
    """A <link> that loads from another host: any rel but those that load nothing (canonical, alternate…)."""
    if not href or not leaves_site(href):
        return None
    rels = set(rel.lower().split())
    return (
        f"<link rel={show(rel)}> loads {show(href)} from another host"
        if not rels or not rels <= NON_LOADING_RELS
        else None
    )


def source_map_problems(rel: str, text: str) -> list[str]:
    """A source map that developer tools would fetch from another host."""
    return [
        f"{rel}: source map from another host: {show(url)}"
        for url in _SOURCE_MAP.findall(text[-4096:])
        if leaves_site(url)
    ]
