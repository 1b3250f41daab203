"""Serve a built site on 127.0.0.1, and crawl it over HTTP as a reader's browser would."""

from __future__ import annotations

import functools
import re
import http.server
import threading
import urllib.error
import urllib.request
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup
from sitecrawl import LINK_ATTRIBUTES, page_url, parse


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


def _redirect_target(html: BeautifulSoup) -> str | None:
    """The address a redirect page sends the reader to (<meta http-equiv="refresh">), if it is one."""
    for meta in html.find_all("meta", attrs={"http-equiv": re.compile("^refresh$", re.IGNORECASE)}):
        match = re.search(r"url=(\S+)", meta.get("content", ""), re.IGNORECASE)
        if match:
            return match.group(1).strip("'\"")
    return None


def _references(page_url_: str, html: BeautifulSoup) -> list[tuple[str, str]]:
    """Every (attribute value, absolute URL) a page refers to, a redirect's target included."""
    values = [element.get(attribute) for tag, attribute in LINK_ATTRIBUTES for element in html.find_all(tag)]
    values.append(_redirect_target(html))
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
    pages: dict[str, BeautifulSoup] = {}
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
        pages[url] = BeautifulSoup(body.decode("utf-8"), "html.parser")
        is_redirect = _redirect_target(pages[url]) is not None
        for value, target in _references(final_url, pages[url]):
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
        elif fragment and address in pages and not pages[address].find(id=unquote(fragment)):
            broken.append(f"{where} (no such anchor)")
    return sorted(set(broken)), linked


def unreached_pages(site: Path, linked: set[str]) -> list[str]:
    """Built HTML pages that no link leads to, other than 404.html and redirect pages (addresses to link to)."""
    every = {page_url(site, html) for html in site.rglob("*.html") if html.name != "404.html" and _redirect_target(parse(html)) is None}
    return sorted(every - linked)
