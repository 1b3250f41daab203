"""Files other tools read: redirects from former ids and short links, inventory.json and objects.inv.

Pure functions from a KnowledgeBase to the bytes of files that are not Markdown pages;
the MkDocs integration or the CLI writes them. Every link is relative to the file it is
in, so the site works under any sub-path; absolute URLs appear only when site_url is known.
"""

from __future__ import annotations

import html
import json
import zlib
from dataclasses import dataclass

from . import csp
from .addresses import absolute_url, entry_url, page_url, relative_path, short_url
from .kinds import kind_names
from .links import KnowledgeBase
from .validate import ValidEntry

INVENTORY_SCHEMA_VERSION = 1
REDIRECT_SCRIPT = "javascripts/redirect.js"  # in the site's assets (site_templates/assets/)


@dataclass(frozen=True)
class SiteFile:
    """A generated file that is not a Markdown page: its path in the site and its bytes."""

    path: str
    content: bytes


def redirect_files(kb: KnowledgeBase, site_url: str | None) -> list[SiteFile]:
    """Redirect pages: /go/<id>/ for every id and former id, /<kind>/<former id>/ for every alias.

    A former id redirects from every kind's folder: an alias does not record its old kind,
    and an entry that moved kind (a definition rewritten as a behaviour) keeps its old links.
    """
    files = [_redirect(short_url(entry.id), entry, site_url) for entry in kb.entries.values()]
    for old, new in sorted(kb.aliases.items()):
        entry = kb.entries[new]
        files.extend(_redirect(f"{kind}/{old}/", entry, site_url) for kind in kind_names())
        files.append(_redirect(short_url(old), entry, site_url))
    return files


def _redirect(from_url: str, entry: ValidEntry, site_url: str | None) -> SiteFile:
    """A static page at from_url that sends browsers and crawlers to the entry's permanent URL, #anchor kept.

    Its script (REDIRECT_SCRIPT) adds the anchor the page was opened with; without script, a refresh and the
    visible link go to the same page, at its top.
    """
    target = relative_path(entry_url(entry).rstrip("/"), from_url.rstrip("/")) + "/"
    script = relative_path(REDIRECT_SCRIPT, from_url.rstrip("/"))
    canonical = absolute_url(entry_url(entry), site_url) if site_url else target
    title = html.escape(entry.model.title)
    text = (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n'
        f"{csp.meta_tag(csp.policy([]))}\n"  # first in <head>: scripts from the site's files only
        '<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{html.escape(canonical)}">\n'
        f'<noscript><meta http-equiv="refresh" content="0; url={html.escape(target)}"></noscript>\n'
        "</head>\n<body>\n"
        f'<p>This page is now at <a id="kb-redirect" href="{html.escape(target)}">{title}</a>.</p>\n'
        f'<script src="{html.escape(script)}"></script>\n'
        "</body>\n</html>\n"
    )
    return SiteFile(f"{from_url}index.html", text.encode("utf-8"))


def inventory_data(
    kb: KnowledgeBase,
    page_paths: list[str],
    *,
    project: str,
    site_url: str | None,
    anchors: dict[str, list[str]] | None = None,
) -> dict:
    """The inventory other tools read: every entry with its URL, former ids, dates and anchors (headings.py, by
    entry id), and the other pages (page_paths)."""
    entries = sorted(kb.entries.values(), key=lambda e: (e.kind, e.id))
    return {
        "schema_version": INVENTORY_SCHEMA_VERSION,
        "project": project,
        "base_url": site_url,
        "entries": [_inventory_entry(entry, anchors) for entry in entries],
        "pages": sorted(page_url(path) for path in page_paths),
    }


def _inventory_entry(entry: ValidEntry, anchors: dict[str, list[str]] | None) -> dict:
    """One entry of inventory.json; URLs are relative to the inventory's own address."""
    model = entry.model
    item = {
        "id": entry.id,
        "kind": entry.kind,
        "title": model.title,
        "summary": model.summary,
        "url": entry_url(entry),
        "short_url": short_url(entry.id),
        "aliases": list(model.aliases),
        "tags": list(model.tags),
        "added": model.added.isoformat(),
        "last_reviewed": model.last_reviewed.isoformat() if model.last_reviewed else None,
    }
    if anchors is not None:  # the ids of the page's headings: what a link may add as #anchor
        item["anchors"] = anchors.get(entry.id, [])
    return item


def inventory_json(data: dict) -> bytes:
    """Serialise the inventory with stable formatting, so unchanged content gives identical bytes."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def sphinx_inventory(kb: KnowledgeBase, *, project: str) -> bytes:
    """objects.inv in Sphinx's v2 format: ids and former ids as labels, pages as docs, terms as terms."""
    lines = []
    for entry in sorted(kb.entries.values(), key=lambda e: (e.kind, e.id)):
        url, title = entry_url(entry), entry.model.title
        lines.append(_sphinx_object(entry.id, "label", url, title))
        lines.append(_sphinx_object(f"{entry.kind}/{entry.id}", "doc", url, title))
        if entry.kind == "definitions":
            lines.append(_sphinx_object(entry.model.term.lower(), "term", url, "-"))  # a term reads as written
    for old, new in sorted(kb.aliases.items()):
        entry = kb.entries[new]
        # Former ids resolve straight to the new page (no redirect hop); -1 hides them from search.
        lines.append(_sphinx_object(old, "label", entry_url(entry), entry.model.title, priority="-1"))
    header = (
        f"# Sphinx inventory version 2\n# Project: {project}\n"
        "# Version: \n# The remainder of this file is compressed using zlib.\n"
    )
    return header.encode("utf-8") + zlib.compress("".join(lines).encode("utf-8"), 9)


def _sphinx_object(name: str, role: str, url: str, title: str, priority: str = "1") -> str:
    """One std domain line as Sphinx shortens it: '$' ends a URI that ends in the name, '-' is a title equal to it."""
    name, title = (
        " ".join(name.split()),
        " ".join(title.split()),
    )  # one line, single spaces: Sphinx splits the line on whitespace
    if url.endswith(name):
        url = url[: -len(name)] + "$"
    return f"{name} std:{role} {priority} {url} {'-' if title == name else title}\n"
