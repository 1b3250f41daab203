"""Find what could run or load in a parsed HTML page: the checks behind the hostile-corpus tests."""

from __future__ import annotations

import posixpath
import re

from bs4 import BeautifulSoup, Tag

# Elements that run code, embed another document or redirect every link of the page.
ACTIVE_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
    "foreignobject",
}
# Form controls: the theme's search box has them, a page body never needs them (tabs use bare radio inputs).
FORM_ELEMENTS = {"form", "button", "textarea", "select"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "xlink:href",
    "srcset",
    "cite",
    "ping",
}
_SCRIPT_URL = re.compile(r"^(javascript|vbscript|data):", re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def _plain(value) -> str:
    """An attribute value as browsers compare it: joined, without whitespace or control characters."""
    text = " ".join(value) if isinstance(value, list) else str(value)
    return re.sub(r"[\x00-\x20]", "", text)


def _leaves_site(refresh: str) -> bool:
    """Whether a meta refresh goes somewhere other than a relative page of the site (redirect stubs do that)."""
    found = re.search(r"url\s*=\s*['\"]?(.*)", refresh, re.I | re.S)
    target = _plain(found.group(1)) if found else ""
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:|//|\\\\)", target, re.I))


def unsafe_parts(root: Tag, *, allow_scripts: bool = False) -> list[str]:
    """Everything in a tree that could execute or load code: elements, handlers, script URLs, styles."""
    problems = []
    for element in root.find_all(True):
        name = element.name.lower()
        if name in ACTIVE_ELEMENTS and not (allow_scripts and name == "script"):
            problems.append(f"<{name}> element")
        if (
            name == "meta"
            and element.get("http-equiv", "").lower() == "refresh"
            and _leaves_site(element.get("content", ""))
        ):
            problems.append(f"<meta http-equiv=refresh content={element.get('content')}>")
        for attribute, value in element.attrs.items():
            if attribute.lower().startswith("on"):
                problems.append(f"<{name} {attribute}=…> event handler")
            elif attribute.lower() in URL_ATTRIBUTES and _SCRIPT_URL.match(_plain(value)):
                problems.append(f"<{name} {attribute}={_plain(value)[:40]}>")
    return problems


def body_problems(article: Tag) -> list[str]:
    """Unsafe parts of a page body, plus the styles and theme ids a body must never carry."""
    problems = unsafe_parts(article)
    for element in article.find_all(True):
        if element.name in FORM_ELEMENTS | {"style", "link", "meta"}:
            problems.append(f"<{element.name}> in the body")
        if element.has_attr("style"):
            problems.append(f"<{element.name} style=…>")
        if str(element.get("id", "")).startswith("__") and not str(element["id"]).startswith("__tabbed_"):
            problems.append(f"<{element.name} id={element['id']}> takes a theme id")
    return problems


def script_signature(page: BeautifulSoup) -> list[str]:
    """The page's executable scripts, made comparable across pages at different depths."""
    signature = []
    for script in page.find_all("script"):
        if script.get("type", "").lower() not in _JS_TYPES:
            continue  # data blocks such as Material's __config JSON do not run
        if script.get("src"):
            signature.append("src:" + posixpath.basename(script["src"]))
        else:
            signature.append(re.sub(r'new URL\("[./]*",location\)', "new URL(BASE,location)", script.get_text()))
    return signature
