"""Serve a built site on 127.0.0.1, and crawl it over HTTP as a reader's browser would."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup
from sitecrawl import LINK_ATTRIBUTES, page_url


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request to stderr."""

    def log_message(self, format, *args) -> None:  # noqa: A002 - the name is the base class's
        pass


@contextmanager
def serve(site: Path):
    """Serve a folder on a free port of 127.0.0.1 in a thread; yield its base URL ('http://127.0.0.1:N/')."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _get(url: str) -> tuple[int, str, bytes, str]:
    """Fetch a URL: status, content type, body and the URL after redirects (an HTTP error is a status)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read(), response.url
    except urllib.error.HTTPError as error:
        return error.code, "", b"", url


def _references(page_url_: str, html: BeautifulSoup) -> list[tuple[str, str]]:
    """Every (attribute value, absolute URL) a page refers to."""
    found = []
    for tag, attribute in LINK_ATTRIBUTES:
        for element in html.find_all(tag):
            value = element.get(attribute)
            if value:
                found.append((value, urljoin(page_url_, value)))
    return found


def crawl(base_url: str) -> tuple[list[str], set[str]]:
    """Follow every same-origin link from the home page; return (broken links, URL paths of pages reached)."""
    origin = urlsplit(base_url).netloc
    pages: dict[str, BeautifulSoup | None] = {}
    statuses: dict[str, int] = {}
    wanted: list[tuple[str, str, str]] = []  # (page, href, absolute URL)
    queue = deque([base_url])
    while queue:
        url = queue.popleft()
        if url in statuses:
            continue
        status, content_type, body, final_url = _get(url)
        statuses[url] = status
        if status != 200 or content_type != "text/html":
            continue
        pages[url] = BeautifulSoup(body.decode("utf-8"), "html.parser")
        for value, target in _references(final_url, pages[url]):
            if urlsplit(target).netloc != origin:
                continue  # off-site links are checked by other tests, never fetched
            wanted.append((url, value, target))
            queue.append(urldefrag(target).url)
    broken = []
    for page, value, target in wanted:
        address, fragment = urldefrag(target)
        where = f"{urlsplit(page).path}: {value}"
        if statuses[address] != 200:
            broken.append(f"{where} (HTTP {statuses[address]})")
        elif fragment and pages.get(address) is not None and not pages[address].find(id=unquote(fragment)):
            broken.append(f"{where} (no such anchor)")
    return sorted(set(broken)), {urlsplit(url).path for url in pages}


def unreached_pages(site: Path, reached: set[str]) -> list[str]:
    """Built HTML pages (other than 404.html) that no link leads to."""
    every = {page_url(site, html) for html in site.rglob("*.html") if html.name != "404.html"}
    return sorted(every - reached)
