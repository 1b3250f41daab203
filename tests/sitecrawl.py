"""Read a built site: its HTML pages parsed, and every internal link and anchor checked.

`parse` gives BeautifulSoup, for tests that look into a page; the link checks read pages with lexbor
(selectolax), the HTML5 parser browsers follow, which finds the same links and ids twenty times faster.
"""

from __future__ import annotations

import posixpath
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from selectolax.lexbor import LexborHTMLParser

LINK_ATTRIBUTES = (
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
)


@cache
def parse(path: Path) -> BeautifulSoup:
    """Parse one HTML file (cached: pages are read by several checks)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def read_page(path: Path) -> LexborHTMLParser:
    """One HTML file as lexbor reads it (cached: pages are read by several checks)."""
    return LexborHTMLParser(path.read_bytes())


def links(page: LexborHTMLParser) -> list[str]:
    """Every address a page refers to in LINK_ATTRIBUTES, in that order."""
    values = (element.attributes.get(attribute) for tag, attribute in LINK_ATTRIBUTES for element in page.css(tag))
    return [value for value in values if value]


@cache
def anchors(path: Path) -> frozenset[str]:
    """The ids of the elements of one HTML file: what a #fragment can point at."""
    return frozenset(node.attributes.get("id") for node in read_page(path).css("[id]"))


def page_url(site: Path, html: Path) -> str:
    """The site-absolute URL path of a built HTML file."""
    rel = html.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def target_file(site: Path, url_path: str) -> Path | None:
    """The file a site-absolute URL path serves, or None."""
    candidate = site / unquote(url_path).lstrip("/")
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def internal_references(site: Path):
    """Yield (page, attribute value, resolved URL path, fragment) for every local reference."""
    for html in sorted(site.rglob("*.html")):
        base = page_url(site, html)
        for value in links(read_page(html)):
            if urlsplit(value).scheme or value.startswith("//"):
                continue
            parts = urlsplit(value)
            path = (
                posixpath.normpath(
                    posixpath.join(posixpath.dirname(base) if not base.endswith("/") else base, parts.path)
                )
                if parts.path
                else base
            )
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
            yield html, value, path, parts.fragment


def broken_links(site: Path) -> list[str]:
    """Every internal link whose page or anchor does not exist, as 'page: href'."""
    broken = []
    for html, value, path, fragment in internal_references(site):
        target = target_file(site, path)
        if target is None:
            broken.append(f"{html.relative_to(site)}: {value} (no such file)")
        elif fragment and target.suffix == ".html" and unquote(fragment) not in anchors(target):
            broken.append(f"{html.relative_to(site)}: {value} (no such anchor)")
    return broken
