"""Crawl a built site over HTTP as a reader's browser would (served by kbtest.serve_folder, imported here as serve).

Pages are read with lexbor (selectolax), the HTML5 parser browsers follow: it finds the same links and
ids as BeautifulSoup in the built sites, twenty times faster, and the crawl reads every page of the
shipped handbook.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from kbtest import serve_folder as serve  # noqa: F401  (the name test modules import from here)
from selectolax.lexbor import LexborHTMLParser
from sitecrawl import links, page_url


def _get(url: str) -> tuple[int, str, bytes, str]:
    """Fetch a URL: status, content type, body and the URL after redirects (an HTTP error is a status)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read(), response.url
    except urllib.error.HTTPError as error:
        return error.code, "", b"", url


def _redirect_target(html: LexborHTMLParser) -> str | None:
    """The address a redirect page sends the reader to (<meta http-equiv="refresh">), if it is one."""
    for meta in html.css("meta[http-equiv]"):
        if (meta.attributes.get("http-equiv") or "").lower() != "refresh":
            continue
        match = re.search(r"url=(\S+)", meta.attributes.get("content") or "", re.IGNORECASE)
        if match:
            return match.group(1).strip("'\"")
    return None


def _references(page_url_: str, html: LexborHTMLParser) -> list[tuple[str, str]]:
    """Every (attribute value, absolute URL) a page refers to, a redirect's target included."""
    values = [*links(html), _redirect_target(html)]
    return [(value, urljoin(page_url_, value)) for value in values if value]


def page_urls(site: Path, base_url: str) -> list[str]:
    """The served URL of every HTML page of a built site."""
    return [urljoin(base_url, page_url(site, html).lstrip("/")) for html in sorted(site.rglob("*.html"))]


def crawl(base_url: str, pages_too: list[str] = ()) -> tuple[list[str], set[str]]:
    """Fetch the home page and the given pages, and every same-origin address they refer to.

    Return the broken references ('page: href (why)') and the URL paths that a link on a page other
    than a redirect leads to (the home page included).
    """
    origin = urlsplit(base_url).netloc
    anchors: dict[str, set[str]] = {}  # page URL -> the ids on it
    statuses: dict[str, int] = {}
    wanted: list[tuple[str, str, str]] = []  # (page, href, absolute URL)
    linked = {urlsplit(base_url).path}
    queue = deque([base_url, *pages_too])
    while queue:
        url = queue.popleft()
        if url in statuses:
            continue
        status, content_type, body, final_url = _get(url)
        statuses[url] = status
        if status != 200 or content_type != "text/html":
            continue
        page = LexborHTMLParser(body)
        anchors[url] = {node.attributes.get("id") for node in page.css("[id]")}
        is_redirect = _redirect_target(page) is not None
        for value, target in _references(final_url, page):
            if urlsplit(target).netloc != origin:
                continue  # off-site links are checked by other tests, never fetched
            wanted.append((url, value, target))
            queue.append(urldefrag(target).url)
            if not is_redirect:
                linked.add(urlsplit(target).path)
    broken = []
    for page, value, target in wanted:
        address, fragment = urldefrag(target)
        where = f"{urlsplit(page).path}: {value}"
        if statuses[address] != 200:
            broken.append(f"{where} (HTTP {statuses[address]})")
        elif fragment and address in anchors and unquote(fragment) not in anchors[address]:
            broken.append(f"{where} (no such anchor)")
    return sorted(set(broken)), linked


def unreached_pages(site: Path, linked: set[str]) -> list[str]:
    """Built HTML pages that no link leads to, other than 404.html and redirect pages (addresses to link to)."""
    pages = [html for html in site.rglob("*.html") if html.name != "404.html"]
    every = {page_url(site, html) for html in pages if _redirect_target(LexborHTMLParser(html.read_bytes())) is None}
    return sorted(every - linked)
