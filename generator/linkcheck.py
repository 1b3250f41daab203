"""`kb links check`: find links into the handbook in other teams' files and check them against the inventory.

Works on text (the CLI reads the files): any http(s) URL under the handbook's base URL is
checked, whatever the file's format (Markdown, HTML, reStructuredText all spell URLs out).
Without a known base URL, only links in the short /go/<id>/ form are recognised.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .addresses import FEED_FILE, INVENTORY_FILE, SHORT_LINK_FOLDER, SPHINX_INVENTORY_FILE
from .errors import Diagnostic, KbError, SourceLocation, did_you_mean
from .headings import entry_anchors
from .inventory import INVENTORY_SCHEMA_VERSION, inventory_data
from .kinds import REGISTRY, singular
from .settings import read_settings

URL = re.compile(r"(?i:https?)://[^\s<>\"'`()\[\]{}|\\^]+")
TRAILING_PUNCTUATION = ".,;:!?*_~"
GO_FORM = re.compile(rf"^((?i:https?)://[^/]+(?:/[^?#]*?)?/){SHORT_LINK_FOLDER}/[a-z0-9-]+/?(?:[?#].*)?$")
DEFAULT_PORTS = {"http": 80, "https": 443}
NO_BASE_URL = (
    "no base URL known, so only .../go/<id>/ links are recognised: pass --base-url https://<the handbook's address>/ "
    "(an inventory.json or a site built with KB_SITE_URL set carries its own)"
)
SCANNED_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".rst", ".txt")


@dataclass(frozen=True)
class Handbook:
    """What the checker knows of the handbook: where it lives, its entries, former ids and other files."""

    base_urls: tuple[str, ...]
    entries: dict[str, str]  # id -> kind
    aliases: dict[str, str]  # former id -> live id
    files: frozenset[str]  # other pages and files, relative to the base: "", "tags/", "feed.xml"
    anchors: dict[str, frozenset[str]]  # id -> the ids of its page's headings (absent: not listed, not checked)


def handbook_from_inventory(
    data: object, source: str, base_urls: list[str], site_files: set[str] | None = None
) -> Handbook:
    """Read an inventory.json (already parsed); site_files lists a local build's files when there is one."""
    if (
        not isinstance(data, dict)
        or data.get("schema_version") != INVENTORY_SCHEMA_VERSION
        or not isinstance(data.get("entries"), list)
    ):
        found = data.get("schema_version") if isinstance(data, dict) else None
        raise KbError(
            [
                Diagnostic(
                    SourceLocation(source),
                    f"not a handbook inventory of schema version {INVENTORY_SCHEMA_VERSION} (found {found!r}): "
                    "download inventory.json from the handbook again, "
                    "or point --inventory at a site built by 'kb build'",
                )
            ]
        )
    try:
        entries = {item["id"]: item["kind"] for item in data["entries"]}
        anchors = {item["id"]: frozenset(item["anchors"]) for item in data["entries"] if "anchors" in item}
        aliases = {old: item["id"] for item in data["entries"] for old in item.get("aliases", [])}
        files = (
            set(data.get("pages", []))
            | {INVENTORY_FILE, SPHINX_INVENTORY_FILE, FEED_FILE, "sitemap.xml"}
            | (site_files or set())
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise KbError(
            [
                Diagnostic(
                    SourceLocation(source),
                    f"inventory entries are malformed ({type(exc).__name__}: {exc}): "
                    "download inventory.json from the handbook again",
                )
            ]
        ) from None
    bases = [*base_urls, *([data["base_url"]] if data.get("base_url") else [])]
    return Handbook(tuple(dict.fromkeys(_with_slash(b) for b in bases)), entries, aliases, frozenset(files), anchors)


def site_file_keys(relative_paths: list[str]) -> set[str]:
    """URL keys of a built site's files: 'a/b/index.html' is also reachable as 'a/b/'."""
    keys = set(relative_paths)
    keys |= {
        path.removesuffix("index.html")
        for path in relative_paths
        if path == "index.html" or path.endswith("/index.html")
    }
    return keys


@dataclass
class Findings:
    """What checking files found: handbook links checked, other links skipped, and the problems."""

    checked: int = 0
    skipped: int = 0
    problems: list[Diagnostic] = field(default_factory=list)


def check_text(path: str, text: str, handbook: Handbook, findings: Findings) -> None:
    """Check every handbook link in one file's text, adding to what was found so far."""
    for line_number, line in enumerate(text.splitlines(), start=1):
        for match in URL.finditer(line):
            url = match.group(0).rstrip(TRAILING_PUNCTUATION)
            under = _base_of(url, handbook.base_urls)
            if under is None:
                findings.skipped += 1
                continue
            findings.checked += 1
            problem = _check_link(url, *under, handbook)
            if problem:
                severity, message = problem
                findings.problems.append(
                    Diagnostic(SourceLocation(path, line_number, match.start() + 1), message, severity)
                )


def link_summary(findings: Findings, files: int, handbook: Handbook) -> str:
    """One line: how many links were checked in how many files, what was wrong, and why others were skipped."""
    broken = sum(p.severity == "error" for p in findings.problems)
    renamed = len(findings.problems) - broken
    line = (
        f"checked {findings.checked} handbook link(s) in {files} file(s): {broken} broken, {renamed} to a renamed entry"
    )
    if findings.skipped:
        why = f"not under {' or '.join(handbook.base_urls)}" if handbook.base_urls else "not /go/<id>/ links"
        line += f"; skipped {findings.skipped} other link(s), {why}"
    return line


def _base_of(url: str, base_urls: tuple[str, ...]) -> tuple[str, str] | None:
    """The handbook base a URL is under and the rest of the URL; with no known base, a /go/<id>/ link's base.

    http and https, and the host's letter case, do not matter: they reach the same handbook.
    """
    for base in base_urls:
        rest = _under(url, base)
        if rest is not None:
            return base, rest
    if not base_urls:
        match = GO_FORM.match(url)
        return (match.group(1), url[len(match.group(1)) :]) if match else None
    return None


def _under(url: str, base: str) -> str | None:
    """The part of url after base (path, query, fragment), or None when url is not under base."""
    link, home = urlsplit(url), urlsplit(base)
    if _origin(link) != _origin(home):
        return None
    if link.path.startswith(home.path):
        rest = link.path[len(home.path) :]
    elif link.path == home.path.rstrip("/"):
        rest = ""
    else:
        return None
    return rest + (f"?{link.query}" if link.query else "") + (f"#{link.fragment}" if link.fragment else "")


def _origin(parts) -> tuple[str, int | None] | None:
    """A URL's host (any letter case) and port, its scheme's default port as none: http and https alike."""
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: not the handbook's
        return None
    return parts.hostname or "", None if port == DEFAULT_PORTS.get(parts.scheme.lower()) else port


def _check_link(url: str, base: str, rest: str, handbook: Handbook) -> tuple[str, str] | None:
    """Classify one link: None when it works, else (severity, message) with the link to use instead."""
    parts = urlsplit(rest)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if segments and segments[-1] == "index.html":
        segments.pop()
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if len(segments) == 2 and (segments[0] == SHORT_LINK_FOLDER or segments[0] in REGISTRY):
        return _check_entry_link(url, base, segments[0], segments[1], fragment, handbook)
    key = "/".join(segments) + ("/" if segments and "." not in segments[-1] else "")
    if key in handbook.files:
        return None
    hint = did_you_mean(key, handbook.files) or f" Link an entry as {base}<kind>/<id>/ or {base}go/<id>/."
    return "error", f"broken link {url}: there is no page '{key}' in the handbook.{hint}"


def _check_entry_link(
    url: str, base: str, folder: str, entry_id: str, fragment: str, handbook: Handbook
) -> tuple[str, str] | None:
    """Check a /<kind>/<id>/ or /go/<id>/ link: live, renamed (it redirects), in the wrong kind, or unknown;
    and its #anchor, when the inventory lists the page's headings."""
    live = handbook.aliases.get(entry_id, entry_id)
    kind = handbook.entries.get(live)
    if kind is None:
        hint = (
            did_you_mean(entry_id, [*handbook.entries, *handbook.aliases])
            or " Search the handbook for the entry's new name."
        )
        return "error", f"broken link {url}: no entry with id '{entry_id}'.{hint}"
    anchors = handbook.anchors.get(live)
    if fragment and anchors is not None and unquote(fragment[1:]) not in anchors:
        hint = did_you_mean(unquote(fragment[1:]), anchors) or f" Its sections: {', '.join(sorted(anchors)) or 'none'}."
        return "error", f"broken anchor {url}: the page of '{live}' has no section '{fragment}'.{hint}"
    if live != entry_id:
        target = f"{SHORT_LINK_FOLDER}/{live}/" if folder == SHORT_LINK_FOLDER else f"{kind}/{live}/"
        return (
            "warning",
            f"{url}: '{entry_id}' was renamed to '{live}' (the old link redirects): "
            f"link to {base}{target}{fragment} instead",
        )
    if folder not in (SHORT_LINK_FOLDER, kind):
        return (
            "error",
            f"broken link {url}: '{entry_id}' is {_a(singular(kind))}, not {_a(singular(folder))}: "
            f"link to {base}{kind}/{entry_id}/{fragment}",
        )
    return None


def _with_slash(url: str) -> str:
    """A base URL always ends in '/', so 'https://x/handbook' never matches 'https://x/handbook2'."""
    return url if url.endswith("/") else url + "/"


def _a(noun: str) -> str:
    """'a definition', 'an example'."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def load_handbook(root: Path, inventory: Path | None, base_urls: list[str]) -> Handbook:
    """The inventory of a built site folder, of a downloaded inventory.json, or of the content under root."""
    if inventory is None:
        from .pipeline import build_pages  # here: checking against a built site needs no pipeline

        settings = read_settings(root)
        kb, pages = build_pages(root, settings.templates, content_dir=settings.content_dir, project=settings.project)
        named_pages = [p.path for p in pages if p.entry_id is None]
        data = inventory_data(kb, named_pages, project=settings.project, site_url=None, anchors=entry_anchors(pages))
        return handbook_from_inventory(data, settings.content_dir, base_urls)
    site_dir = inventory if inventory.is_dir() else None
    inventory_file = inventory / INVENTORY_FILE if site_dir else inventory
    try:
        data = json.loads(inventory_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        message = f"cannot read the inventory ({exc}): pass a built site folder or a downloaded {INVENTORY_FILE}"
        raise KbError.at(str(inventory_file), message) from None
    files = (
        site_file_keys([p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()])
        if site_dir
        else None
    )
    return handbook_from_inventory(data, str(inventory_file), base_urls, files)


def files_to_scan(paths: list[Path]) -> list[Path]:
    """The named files, and the Markdown, HTML, reStructuredText and text files under named folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SCANNED_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise KbError.at(str(path), "no such file or folder")
    return files
