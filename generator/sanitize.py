"""The HTML allowlist of generated pages: what our templates and Markdown extensions emit, nothing more.

Python-Markdown passes raw HTML and attr_list attributes through untouched, so every page
body is cleaned with nh3 before the theme wraps it (ARCHITECTURE.md, layer 5). Anything not
listed here is dropped: script, iframe, object, forms, style attributes, on* handlers,
javascript: and data: URLs. Text that the theme inserts as HTML outside the body (page
titles, descriptions) is escaped with `escape_html`.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

from .fields import SAFE_SCHEMES

TEXT = {
    "p",
    "br",
    "hr",
    "blockquote",
    "div",
    "span",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "del",
    "ins",
    "mark",
    "small",
    "sub",
    "sup",
    "q",
    "cite",
    "dfn",
    "var",
    "wbr",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LISTS = {"ul", "ol", "li", "dl", "dt", "dd"}
TABLES = {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"}
CODE = {"pre", "code", "kbd", "samp"}
WIDGETS = {
    "a",
    "abbr",
    "img",
    "figure",
    "figcaption",
    "details",
    "summary",
    "input",
    "label",
}  # links, tooltips, tabs, details
QR_SVG = {"svg", "g", "path", "rect"}  # the inline QR codes of printable handouts
TAGS = TEXT | HEADINGS | LISTS | TABLES | CODE | WIDGETS | QR_SVG
# Dropped with everything inside them: their content is code or another document, never text.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "iframe",
    "object",
    "embed",
    "noscript",
    "textarea",
    "select",
    "xmp",
    "noembed",
    "noframes",
}

SVG_ATTRIBUTES = {"viewBox", "width", "height", "d", "fill", "stroke", "transform", "xmlns", "x", "y"}
ATTRIBUTES = {
    "*": {"class", "id", "role", "aria-label", "aria-hidden"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "col": {"span"},
    "ol": {"start"},
    "details": {"open"},
    "label": {"for"},
    "input": {"name", "checked"},
    "div": {"data-tabs"},  # pymdownx.tabbed; Material's tab script reads it
    **{tag: SVG_ATTRIBUTES for tag in QR_SVG},
}
# The only input the extensions make is a tab's radio button; any other type would be a form field.
ATTRIBUTE_VALUES = {"input": {"type": {"radio"}}}
URL_SCHEMES = set(SAFE_SCHEMES)
# Material's own elements have ids like __search or __config; a page that reuses one breaks the
# theme's scripts. Only the ids the extensions generate may start with two underscores.
_EXTENSION_IDS = re.compile(r"^__(tabbed_\d+(_\d+)?|codelineno-[\w-]+)$")
_ID_ATTRIBUTES = {"id", "for", "name"}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop ids that would collide with the theme's own, and images that load from another host."""
    if attribute in _ID_ATTRIBUTES and value.startswith("__") and not _EXTENSION_IDS.match(value):
        return None
    if tag == "img" and attribute == "src" and (urlsplit(value).scheme or value.startswith("//")):
        return None  # the site works on a closed network: it loads nothing from elsewhere
    return value


def _relative_url(url: str) -> str | None:
    """Keep relative links, but not protocol-relative ones (//host/...), which leave the site."""
    return None if url.startswith(("//", "\\\\", "/\\", "\\/")) else url


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ATTRIBUTES,
    attribute_filter=_keep_attribute,
    tag_attribute_values=ATTRIBUTE_VALUES,
    url_schemes=URL_SCHEMES,
    url_relative=_relative_url,
    link_rel=None,  # leave links as the Markdown made them; nothing may open a new window anyway
    strip_comments=True,
)


def sanitize_html(body: str) -> str:
    """Return a page body with everything outside the allowlist removed."""
    return _CLEANER.clean(body)


def escape_html(text: str) -> str:
    """Escape plain text that a theme inserts into HTML unescaped (titles, meta descriptions)."""
    return html.escape(text, quote=True)
