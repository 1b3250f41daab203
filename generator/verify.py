"""Check a built site for anything that could run code or load from another host: defence in depth.

The sanitiser (sanitize.py) cleans each page body before the theme wraps it; this reads what
was actually published, every file, after the build, whatever engine or plugin produced it.
It reports scripts the theme did not ship, event handlers, script URLs, loads from other hosts,
embedding elements, forms and styles in a page body, and pages whose Content-Security-Policy
(csp.py) does not match their inline scripts. It also reports markup in what Material's
scripts insert as HTML: with content.tooltips, a `title` attribute (links, abbreviations, the
header) and the text of a truncated `.md-ellipsis` label (which becomes a title) go through
innerHTML; so do the titles, texts and tags of search_index.json.

This module walks the site, sends each file to the check of its type and knows what those checks
ask of the site (the theme's inline scripts, the files a script may load). HTML pages are parsed as
a browser parses them, by lexbor (pagecheck.py); XML and SVG documents, feeds and the search index's
fragments by Python's streaming html.parser (markupcheck.py). Both apply the rules of verifyrules.py.
"""

from __future__ import annotations

import gzip
import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import csp
from .markupcheck import json_problems, xml_problems
from .pagecheck import page_problems
from .verifyrules import css_problems, leaves_site, plain_url, show, source_map_problems

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
XML_SUFFIXES = {".xml", ".svg", ".rss", ".atom", ".xsl", ".xslt"}
CODE_SUFFIXES = {".js", ".mjs", ".map"}
# Binary or data files no browser renders as a page: objects.inv is zlib-compressed Sphinx data, images, fonts.
SKIPPED_SUFFIXES = {
    ".inv",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".ico",
    ".woff",
    ".woff2",
    ".ttf",
    ".eot",
    ".pdf",
    ".txt",
}

_TEMPLATE_HOLE = re.compile(r"\{\{.*?\}\}", re.S)
_TEMPLATE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.I | re.S)

MAX_REPORTED = 20  # problems listed when a built site fails verification; the rest are counted


def site_path(site_url: str | None) -> str:
    """The URL path a site is published at ('/' without an address): where root-relative URLs, 404.html's, start."""
    return urlsplit(site_url).path if site_url else "/"


def unsafe_site_report(problems: list[str]) -> str:
    """The message that stops a build: how many problems, the first MAX_REPORTED of them, and how many more."""
    more = [f"and {len(problems) - MAX_REPORTED} more"] if len(problems) > MAX_REPORTED else []
    return f"the built site has {len(problems)} unsafe part(s):\n" + "\n".join(problems[:MAX_REPORTED] + more)


def verify_site(
    site_dir: Path,
    theme_dirs: Iterable[str | Path] = (),
    *,
    base_path: str = "/",
    changed_since: float | None = None,
    preview: bool = False,
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
    for rel, path in sorted(
        _published_files(site_dir, changed_since), key=lambda file: file[0].split("/")
    ):  # as paths sort
        with open(path, "rb") as file:
            problems += site.verify_bytes(rel, file.read())
    return problems


class Site:
    """What every file's check needs to know of the site: its folder, the theme's scripts and its URL path."""

    def __init__(
        self, folder: Path, theme_dirs: Iterable[str | Path] = (), *, base_path: str = "/", preview: bool = False
    ):
        self.folder, self.theme, self.preview = folder, theme_script_patterns(theme_dirs), preview
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self._inline_scripts: dict[
            str, tuple[bool, str]
        ] = {}  # pages repeat the theme's few inline scripts: each is matched once
        self._script_urls: dict[str, str | None] = {}  # a script's src as a path in the site, None when it is not one
        self._files: dict[str, bool] = {}

    def inline_script(self, text: str) -> tuple[bool, str]:
        """Whether an inline script is one the theme templates can emit (any if the theme is unknown), and its hash."""
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
            return f"<script src={show(src)}> is not a URL inside the site"
        target = posixpath.normpath(url[len(self.base_path) :] if url.startswith("/") else posixpath.join(folder, url))
        if target not in self._files:
            self._files[target] = (
                not (target.startswith(("../", "/")) or target in ("..", ".")) and (self.folder / target).is_file()
            )
        return None if self._files[target] else f"<script src={show(src)}> is not a file of the site"

    def verify_file(self, path: Path) -> list[str]:
        """The problems of one published file."""
        return self.verify_bytes(path.relative_to(self.folder).as_posix(), path.read_bytes())

    def verify_bytes(self, rel: str, data: bytes) -> list[str]:
        """The problems of a file's content published at rel, by what its name says (a .gz file by what it holds)."""
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
        return page_problems(site, rel, data)
    text = data.decode("utf-8", errors="replace")
    if suffix in XML_SUFFIXES:
        return xml_problems(rel, text)
    if suffix == ".json":
        return json_problems(rel, text)
    if suffix == ".css":
        return [f"{rel}: {p}" for p in css_problems(text)] + source_map_problems(rel, text)
    if suffix in CODE_SUFFIXES:
        return source_map_problems(rel, text)
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
