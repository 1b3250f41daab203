"""Read a built site: its HTML pages parsed, and every internal link and anchor checked."""

from __future__ import annotations

import posixpath
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

LINK_ATTRIBUTES = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"))


@cache
def parse(path: Path) -> BeautifulSoup:
    """Parse one HTML file (cached: pages are read by several checks)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


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
        for tag, attribute in LINK_ATTRIBUTES:
            for element in parse(html).find_all(tag):
                value = element.get(attribute)
                if not value or urlsplit(value).scheme or value.startswith("//"):
                    continue
                parts = urlsplit(value)
                path = posixpath.normpath(posixpath.join(posixpath.dirname(base) if not base.endswith("/") else base, parts.path)) if parts.path else base
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
        elif fragment and target.suffix == ".html" and not parse(target).find(id=unquote(fragment)):
            broken.append(f"{html.relative_to(site)}: {value} (no such anchor)")
    return broken
