"""Check a built site for anything that could run code or load from another host: defence in depth.

The sanitiser (sanitize.py) cleans each page body before the theme wraps it; this reads what
was actually published, every file, after the build, whatever engine or plugin produced it.
It reports scripts the theme did not ship, event handlers, script URLs, loads from other hosts,
embedding elements, forms and styles in a page body, and pages whose Content-Security-Policy
(csp.py) does not match their inline scripts. It also reports markup in what Material's
scripts insert as HTML: with content.tooltips, a `title` attribute (links, abbreviations, the
header) and the text of a truncated `.md-ellipsis` label (which becomes a title) go through
innerHTML; so do the titles, texts and tags of search_index.json.

HTML pages are parsed as a browser parses them, by lexbor (pagecheck.py): the elements and
attributes checked are the ones a browser builds. XML and SVG documents, feeds and the search
index's fragments go through Python's streaming html.parser (linear in the bytes read); where
that parser and a browser disagree (comments like <!-->, CDATA sections, `</script foo>`, markup
in a <style> inside <svg>), the disagreement itself is reported, so nothing a browser would see
hides in text the parser skipped.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import posixpath
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from . import csp

# Elements that run code, embed another document or re-target every link of the page.
ACTIVE_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "fencedframe", "foreignobject"}
# A page body (Material's .md-content) holds text and the extensions' widgets: no forms, styles or head elements.
BODY_FORBIDDEN = {"form", "button", "textarea", "select", "style", "link", "meta", "title"}
SCRIPT_URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "cite", "background",
    "ping", "longdesc", "lowsrc", "dynsrc", "codebase", "archive", "manifest", "icon", "to", "from", "by", "values",
}  # to/from/by/values: SVG animation can set an href
LOAD_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "ping", "lowsrc", "dynsrc", "codebase", "archive", "manifest", "action", "formaction"}
# Elements checked outside a page body too (in a body, every element is).
WATCHED_ELEMENTS = ACTIVE_ELEMENTS | {"meta", "link"}
WATCHED_ATTRIBUTES = SCRIPT_URL_ATTRIBUTES | {"style", "title"}
NAVIGATION_ELEMENTS = {"a", "area"}  # their href is a link the reader follows, not a load
# <link rel> values that load nothing: a canonical or alternate address may be absolute.
NON_LOADING_RELS = {"canonical", "alternate", "prev", "next", "author", "license", "help", "bookmark", "me", "external", "nofollow", "noopener", "noreferrer", "tag"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
XML_SUFFIXES = {".xml", ".svg", ".rss", ".atom", ".xsl", ".xslt"}
CODE_SUFFIXES = {".js", ".mjs", ".map"}
# Binary or data files no browser renders as a page: objects.inv is zlib-compressed Sphinx data, images, fonts.
SKIPPED_SUFFIXES = {".inv", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".eot", ".pdf", ".txt"}
# Material's search renders these fields of search_index.json as HTML (titles, text and tags of the results).
SEARCH_HTML_FIELDS = ("title", "text", "tags")
# Feed elements whose text a reader renders as HTML (RSS description, Atom type="html").
FEED_HTML_ELEMENTS = {"description", "content:encoded"}

_SCRIPT_URL = re.compile(r"(javascript|vbscript|data):", re.I)
_OTHER_HOST = re.compile(r"([a-z][a-z0-9+.-]*:|[/\\][/\\])", re.I)  # a scheme, //host, \\host, /\host or \/host
_NOT_URL_TEXT = re.compile(r"[\x00-\x20]")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_LOADS = re.compile(r"""(?:url|src|image|image-set|-webkit-image-set|cross-fade)\(\s*(['"]?)(.*?)\1\s*[),]|@import\s*(['"])(.*?)\3""", re.I | re.S)
_CSS_STRINGS_IN_SETS = re.compile(r"""image-set\(([^)]*)\)""", re.I)
_CSS_STRING = re.compile(r"""(['"])(.*?)\1""", re.S)
_SOURCE_MAP = re.compile(r"[#@]\s*sourceMappingURL\s*=\s*(\S+)")
# What starts markup in HTML text: '<' and a letter, '/', '!' or '?'. Any other '<' ("a < b", "<3") stays text.
_MARKUP_START = re.compile(r"<[a-z/!?]", re.I)
_SCRIPT_END_OR_ESCAPE = re.compile(r"</script|<!--", re.I)
_RAW_TEXT_END = re.compile(r"</(script|style)[\t\n\f\r />]", re.I)  # what ends a script or style in a browser
# Tags without attributes of elements no rule concerns: text of which only these are markup is harmless.
_PLAIN_TAG = re.compile(r"</?(?:p|li|ul|ol|code|pre|em|strong|b|i|s|u|br|hr|h[1-6]|table|thead|tbody|tr|th|td|blockquote|dl|dt|dd|kbd|mark|sub|sup|del|ins|small|span|div)>")
_TEMPLATE_HOLE = re.compile(r"\{\{.*?\}\}", re.S)
_TEMPLATE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.I | re.S)
_REFRESH_URL = re.compile(r"\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(.*)", re.I | re.S)  # "5; url=x", "0,x", "0;URL='x'"
MAX_SHOWN = 60  # characters of an offending value shown in a problem


def verify_site(
    site_dir: Path, theme_dirs: Iterable[str | Path] = (), *, base_path: str = "/", changed_since: float | None = None, preview: bool = False
) -> list[str]:
    """Every problem of a built site, one line each: '<relative file>: <what>', with ' (line N)' outside HTML pages.

    theme_dirs: the theme's template folders. When given, an inline script must be one the
    templates can emit; without them, any inline script outside the page body is accepted.
    base_path: the URL path the site is published at, which root-relative script URLs start with.
    changed_since: a time.time(); only files modified since then are read (a preview rebuild).
    preview: pages carry the preview's policy (csp.py), which lets the live reload's script run.
    """
    site = Site(site_dir, theme_dirs, base_path=base_path, preview=preview)
    problems = []
    for rel, path in sorted(_published_files(site_dir, changed_since), key=lambda file: file[0].split("/")):  # as paths sort
        with open(path, "rb") as file:
            problems += site.verify_bytes(rel, file.read())
    return problems


class Site:
    """What every file's check needs to know of the site: its folder, the theme's scripts and its URL path."""

    def __init__(self, folder: Path, theme_dirs: Iterable[str | Path] = (), *, base_path: str = "/", preview: bool = False):
        self.folder, self.theme, self.preview = folder, theme_script_patterns(theme_dirs), preview
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self._inline_scripts: dict[str, tuple[bool, str]] = {}  # pages repeat the theme's few inline scripts: each is matched once
        self._script_urls: dict[str, str | None] = {}  # a script's src as a path in the site, None when it is not one
        self._files: dict[str, bool] = {}

    def inline_script(self, text: str) -> tuple[bool, str]:
        """Whether an inline script is one the theme's templates can emit (any, when the theme is not known), and its hash."""
        if text not in self._inline_scripts:
            theirs = self.theme is None or any(pattern.fullmatch(text) for pattern in self.theme)
            self._inline_scripts[text] = (theirs, csp.script_hash(text))
        return self._inline_scripts[text]

    def script_file_problem(self, folder: str, src: str) -> str | None:
        """What is wrong with an external script of a page in a folder of the site: it must be a file of this site.

        MkDocs' 404.html names them from the site root (base_path).
        """
        if src not in self._script_urls:
            url = unquote(plain_url(src).split("#")[0].split("?")[0]).replace("\\", "/")  # as a browser resolves it
            inside = not leaves_site(src) and url and (not url.startswith("/") or url.startswith(self.base_path))
            self._script_urls[src] = url if inside else None
        url = self._script_urls[src]
        if url is None:
            return f"<script src={_show(src)}> is not a URL inside the site"
        target = posixpath.normpath(url[len(self.base_path) :] if url.startswith("/") else posixpath.join(folder, url))
        if target not in self._files:
            self._files[target] = not (target.startswith(("../", "/")) or target in ("..", ".")) and (self.folder / target).is_file()
        return None if self._files[target] else f"<script src={_show(src)}> is not a file of the site"

    def verify_file(self, path: Path) -> list[str]:
        """The problems of one published file."""
        return self.verify_bytes(path.relative_to(self.folder).as_posix(), path.read_bytes())

    def verify_bytes(self, rel: str, data: bytes) -> list[str]:
        """The problems of a file's content published at rel, by what its name says it is (a .gz file by what it holds)."""
        name = rel.rpartition("/")[2]  # the suffixes as PurePosixPath(rel).suffixes, lower-cased
        suffixes = [] if name.endswith(".") else ["." + s.lower() for s in name.lstrip(".").split(".")[1:]]
        if suffixes[-1:] == [".gz"]:
            return _verify_text(self, rel, suffixes[-2] if len(suffixes) > 1 else "", gzip.decompress(data))
        return _verify_text(self, rel, suffixes[-1] if suffixes else "", data)


def _verify_text(site: Site, rel: str, suffix: str, data: bytes) -> list[str]:
    """Dispatch on the file type: pages, XML, JSON, CSS and scripts; anything else is not rendered."""
    if suffix in SKIPPED_SUFFIXES:
        return []
    if suffix in HTML_SUFFIXES:
        # Imported here, not above: pagecheck builds on this module's rules.
        from .pagecheck import page_problems

        return page_problems(site, rel, data)
    text = data.decode("utf-8", errors="replace")
    if suffix in XML_SUFFIXES:
        return _check_markup(rel, text)
    if suffix == ".json":
        return _check_json(rel, text)
    if suffix == ".css":
        return [f"{rel}: {p}" for p in css_problems(text)] + _source_map_problems(rel, text)
    if suffix in CODE_SUFFIXES:
        return _source_map_problems(rel, text)
    return []


def _published_files(site_dir: Path, changed_since: float | None) -> Iterable[tuple[str, str]]:
    """Every file under the site folder as (its path in the site, its path), or those modified since a time.

    A symlink counts as its target, as served. Plain strings: pathlib's objects cost more than reading most files.
    """
    root = os.fspath(site_dir)
    for folder, _, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        for name in names:
            path = os.path.join(folder, name)
            if changed_since is None or os.stat(path).st_mtime >= changed_since:
                yield prefix + name, path


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
    """The URLs of a srcset (or SVG animation values) list; splitting at every comma or semicolon errs towards checking more."""
    return [part.strip().split(" ")[0] for part in re.split(r"[,;]", value) if part.strip()]


def _show(value: str) -> str:
    """An offending value shortened and with control characters visible, for a one-line report."""
    shown = json.dumps(value, ensure_ascii=False)[1:-1]
    return shown if len(shown) <= MAX_SHOWN else shown[:MAX_SHOWN] + "…"


# --- CSS ------------------------------------------------------------------------------------------


def css_problems(css: str) -> list[str]:
    """Loads from another host (or script URLs) in a stylesheet, after undoing CSS escapes and comments."""
    text = _CSS_COMMENT.sub("", _CSS_ESCAPE.sub(_css_unescape, css))
    urls = [m.group(2) if m.group(4) is None else m.group(4) for m in _CSS_LOADS.finditer(text)]
    for image_set in _CSS_STRINGS_IN_SETS.finditer(text):  # image-set("a.png" 1x, "//b/c.png" 2x): bare strings load too
        urls += [string for _, string in _CSS_STRING.findall(image_set.group(1))]
    problems = []
    for url in urls:
        if leaves_site(url) and not plain_url(url).lower().startswith("data:"):
            problems.append(f"stylesheet loads {_show(url)} from another host")
        elif is_script_url(url) and not plain_url(url).lower().startswith("data:"):
            problems.append(f"stylesheet uses the script URL {_show(url)}")
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
            problems.append(f"<{tag} {name}={_show(url)}> script URL")
        elif leaves_site(url) and _is_load(tag, name):
            problems.append(f"<{tag} {name}={_show(url)}> loads from another host")
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
    return f"<meta http-equiv=refresh> to {_show(target)}, off the site" if leaves_site(target) or is_script_url(target) else None


@functools.lru_cache(maxsize=4096)  # every page has the theme's few <link>s
def link_problem(href: str, rel: str) -> str | None:
    """A <link> that loads from another host: any rel but those that load nothing (canonical, alternate…)."""
    if not href or not leaves_site(href):
        return None
    rels = set(rel.lower().split())
    return f"<link rel={_show(rel)}> loads {_show(href)} from another host" if not rels or not rels <= NON_LOADING_RELS else None


def _source_map_problems(rel: str, text: str) -> list[str]:
    """A source map that developer tools would fetch from another host."""
    return [f"{rel}: source map from another host: {_show(url)}" for url in _SOURCE_MAP.findall(text[-4096:]) if leaves_site(url)]


# --- theme scripts --------------------------------------------------------------------------------


def theme_script_patterns(theme_dirs: Iterable[str | Path]) -> list[re.Pattern] | None:
    """The inline scripts the theme's templates can emit, as patterns; None when no theme folder is given.

    A template expression ({{ base_url }}) sits inside a JavaScript string, so it may stand for
    text without quotes, backslashes, angle brackets or line breaks. A script with any other
    template logic ({% if %}) is not allowed: it could become anything.
    """
    folders = [Path(folder) for folder in theme_dirs]
    if not folders:
        return None
    patterns = {}
    for template in (path for folder in folders for path in _templates(folder)):
        for attributes, body in _TEMPLATE_SCRIPT.findall(template.read_text(encoding="utf-8", errors="replace")):
            if "{%" in body or "{#" in body or re.search(r"\b(src|type)\s*=", attributes or "", re.I):
                continue
            literal = [re.escape(part) for part in _TEMPLATE_HOLE.split(body)]
            patterns[body] = re.compile(r"[^\"'`\\<>\r\n]*".join(literal))
    return list(patterns.values())


def _templates(folder: Path) -> Iterable[Path]:
    """The HTML templates of a theme folder, skipping its hidden folders (Material's thousands of .icons)."""
    for parent, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        yield from (Path(parent, name) for name in names if name.endswith(".html"))


# --- markup: XML and SVG documents, feeds and the search index's fragments ---------------------------


def _check_markup(rel: str, text: str) -> list[str]:
    """Parse an XML or SVG document and report its problems (HTML pages: pagecheck.py)."""
    checker = _MarkupChecker()
    checker.feed(text)
    checker.close()
    return [f"{rel}: {problem}" for problem in checker.finish()]


@functools.lru_cache(maxsize=100_000)  # a preview rebuild rewrites the whole search index, of which one entry changed
def fragment_problems(markup: str) -> tuple[str, ...]:
    """Problems of HTML that a script inserts into a page (search results, feed entries): all of it is body."""
    if len(_PLAIN_TAG.findall(markup)) == markup.count("<"):
        return ()  # every '<' opens or closes a bare text element (nearly every search entry): nothing to report
    checker = _MarkupChecker(body=True)
    checker.feed(markup)
    checker.close()
    return tuple(checker.finish())


def _check_json(rel: str, text: str) -> list[str]:
    """JSON must parse; the search index's titles, text and tags must be harmless HTML (Material renders them)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [f"{rel}: not valid JSON ({exc})"]
    docs = data.get("docs") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        return []
    problems = []
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        for field in SEARCH_HTML_FIELDS:
            values = doc.get(field)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str) and "<" in value:  # without a tag, HTML is text
                    problems += [f"{rel}: search result {doc.get('location', '?')!s:.60} {field}: {p}" for p in fragment_problems(value)]
    return problems


class _MarkupChecker(HTMLParser):
    """Walks one document's tags as they stream past and collects its problems.

    A document runs no scripts; a fragment (body=True) is contributor content, inserted into a page as HTML.
    """

    def __init__(self, *, body: bool = False):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.body = body
        self.ellipsis: str | None = None  # tag of the open .md-ellipsis element, whose text Material turns into a title
        self.ellipsis_depth = 0
        self.raw: tuple[str, dict[str, str]] | None = None  # the open <script> or <style> and its attributes
        self.raw_text: list[str] = []
        self.feed_html: str | None = None  # the open feed element whose text is HTML
        self.position = 0  # offset of the token being handled, in rawdata

    # problems

    def updatepos(self, i: int, j: int) -> int:
        """Remember where the parser is; the line is counted only for a problem (html.parser counts every token's lines)."""
        self.position = j
        return j

    def report(self, what: str) -> None:
        """Record a problem at the line of the token being handled."""
        line = self.rawdata.count("\n", 0, self.position) + 1
        self.problems.append(f"{what} (line {line})")

    # tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Check an element and its attributes, then follow the regions it opens."""
        attributes: dict[str, str] = {}
        for name, value in attrs:
            attributes.setdefault(name, value or "")  # a browser keeps the first of two same-named attributes
        if tag in WATCHED_ELEMENTS or self.body:
            self._check_element(tag, attributes)
        if attrs:
            self._check_attributes(tag, attrs)
        if tag in ("script", "style"):
            self.raw, self.raw_text = (tag, attributes), []
        self._track_regions(tag, attributes)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A tag written <x/>: in HTML the slash is ignored, so the element opens as usual."""
        # In HTML the slash of <div/> or <script/> is ignored: the element opens, and a script's text follows.
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.set_cdata_mode(tag)

    def handle_endtag(self, tag: str) -> None:
        """Check a finished script or style; close the regions the tag ends."""
        if self.raw is not None and tag == self.raw[0]:
            if not _RAW_TEXT_END.match(self.rawdata, self.position):  # html.parser also ends a script at `</ script>`
                self.report(f"<{tag}> ended by a tag that browsers read as its text")
            self._check_raw_element(*self.raw, "".join(self.raw_text))
            self.raw = None
        if self.ellipsis == tag:
            self.ellipsis_depth -= 1
            if self.ellipsis_depth == 0:
                self.ellipsis = None
        if tag == self.feed_html:
            self.feed_html = None

    def handle_data(self, data: str) -> None:
        """Collect a script's or style's text; check text that Material or a feed reader turns into HTML."""
        if self.raw is not None:
            self.raw_text.append(data)
            return
        if self.ellipsis is not None and _MARKUP_START.search(data):
            self.report(f"text {_show(data.strip())} in .md-ellipsis: Material copies it into a tooltip as HTML")
        if self.feed_html is not None and "<" in data:
            for problem in fragment_problems(data):
                self.report(f"<{self.feed_html}> holds HTML with {problem}")

    def handle_comment(self, data: str) -> None:
        """Report a comment a browser would end before html.parser does."""
        # Browsers end <!--> and <!---> at once, and a comment at --!>: what follows is markup to them, not to html.parser.
        if data.startswith((">", "->")) or "--!>" in data:
            self.report(f"comment {_show(data)} that browsers end earlier than html.parser does")

    def unknown_decl(self, data: str) -> None:
        """Report a CDATA section, which an HTML browser reads differently."""
        # <![CDATA[ is a comment to an HTML browser, ending at the first '>': html.parser reads on to ]]>.
        self.report(f"<![{_show(data)}]]> section that browsers parse differently")

    def handle_pi(self, data: str) -> None:
        """Report an XML stylesheet instruction that loads from another host."""
        href = re.search(r"""href\s*=\s*(['"])(.*?)\1""", data, re.S)
        if data.lower().startswith("xml-stylesheet") and href and (leaves_site(href.group(2)) or is_script_url(href.group(2))):
            self.report(f"<?{_show(data)}?> loads a stylesheet from another host")

    # the checks

    def _check_element(self, tag: str, attributes: dict[str, str]) -> None:
        """Elements that embed, run or redirect; forms and styles in a body; meta refresh off the site."""
        if tag in ACTIVE_ELEMENTS:
            self.report(f"<{tag}> element")
        if self.body and tag in BODY_FORBIDDEN:
            self.report(f"<{tag}> in the page body")
        if tag == "meta":
            problem = refresh_problem(attributes.get("http-equiv", ""), attributes.get("content", ""))
        else:  # an Atom <link> loads nothing
            problem = link_problem(attributes.get("href", ""), attributes.get("rel", "")) if tag == "link" and self.body else None
        if problem:
            self.report(problem)

    def _check_attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Event handlers, script URLs, loads from other hosts, styles in the body, markup in titles (every copy of each)."""
        for name, value in attrs:
            if name not in WATCHED_ATTRIBUTES and not name.startswith("on"):
                continue  # most attributes (class, id, aria-*) need no check: keep the common case cheap
            value = value or ""
            if name.startswith("on"):
                self.report(f"<{tag} {name}=…> event handler")
            elif name in SCRIPT_URL_ATTRIBUTES:
                for problem in url_problems(tag, name, value):
                    self.report(problem)
            if name == "style":
                if self.body:
                    self.report(f"<{tag} style=…> in the page body")
                for problem in css_problems(value):
                    self.report(f"<{tag} style=…>: {problem}")
            if name == "title" and _MARKUP_START.search(value):
                self.report(f"<{tag} title={_show(value)}>: Material's tooltips render a title as HTML")

    def _check_raw_element(self, tag: str, attributes: dict[str, str], text: str) -> None:
        """A whole <script> or <style> element, once its text is known."""
        if tag == "style":
            if _MARKUP_START.search(text):  # a browser may read it as elements where html.parser reads text
                self.report("markup inside <style>: a browser may parse it as elements (as inside <svg>)")
            for problem in css_problems(text):
                self.report(f"<style>: {problem}")
            return
        if _SCRIPT_END_OR_ESCAPE.search(text):
            self.report("<script> whose text holds '</script' or '<!--': browsers end it elsewhere")
        if self.body:
            self.report("<script> in the page body")
        elif attributes.get("type", "").strip().lower() not in csp.DATA_SCRIPT_TYPES:
            shown = f"<script src={_show(attributes['src'])}>" if "src" in attributes else "inline <script>"
            self.report(f"{shown} in a document that runs no scripts")

    def _track_regions(self, tag: str, attributes: dict[str, str]) -> None:
        """Follow .md-ellipsis texts and feed elements that hold HTML."""
        if self.ellipsis == tag:
            self.ellipsis_depth += 1
        elif self.ellipsis is None and "md-ellipsis" in attributes.get("class", "").split():
            self.ellipsis, self.ellipsis_depth = tag, 1
        if (tag in FEED_HTML_ELEMENTS or attributes.get("type", "").lower() in ("html", "text/html")) and tag not in ("link", "a"):
            self.feed_html = tag

    def finish(self) -> list[str]:
        """The problems, with an unfinished script or style."""
        if self.raw is not None:
            self._check_raw_element(*self.raw, "".join(self.raw_text))
        return self.problems
