"""Every address the handbook publishes, in one place: the public link contract.

Pages are Markdown files at a path; the engine serves each at a directory URL (`a/b.md` at
`a/b/`). Entries live at `<kind>/<id>/` for good; `go/<id>/` is the short form, and former ids
redirect. Every producer (pages, redirects, inventories, the feed, `kb links check`) asks here.
URLs are relative to the site root; links inside pages are made relative to the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .validate import ValidEntry

SHORT_LINK_FOLDER = "go"
INVENTORY_FILE = "inventory.json"
SPHINX_INVENTORY_FILE = "objects.inv"
FEED_FILE = "feed.xml"
FILES = {"inventory": INVENTORY_FILE, "objects_inv": SPHINX_INVENTORY_FILE, "feed": FEED_FILE}  # by name, for templates
# The named pages (Markdown paths) that are not entries, tags or a path's trainer pages.
PAGES = {
    "home": "index.md",
    "tags": "tags.md",
    "whats_new": "whats-new.md",
    "glossary": "glossary.md",
    "cards": "cards.md",
    "matrix": "matrix.md",
    "objections": "objections.md",
    "side_by_side": "side-by-side.md",  # the definitions side by side
    "trust": "trust.md",  # how far to trust each source
    "self_assessment": "self-assessment.md",
    "search": "search.md",  # /search/?q=words opens with the results shown (the theme reads ?q=)
}
# A learning path's trainer pages, by name: the folder each is published in, at /<folder>/<path id>/.
PATH_PAGES = {
    "handout": "handouts",  # the learner edition
    "facilitator": "facilitator",  # the facilitator's guide
    "present": "present",  # the presenter view
    "self_check": "self-check",
}


def entry_page(entry: ValidEntry) -> str:
    """The Markdown path of an entry page; its URL is /<kind>/<id>/."""
    return f"{entry.kind}/{entry.id}.md"


def kind_index_page(kind: str) -> str:
    """The Markdown path of a kind's A-Z page; its URL is /<kind>/ (the id 'index' is reserved for it)."""
    return f"{kind}/index.md"


def tag_page(tag: str) -> str:
    """The Markdown path of a tag's page; its URL is /tags/<tag>/ (tags are checked like ids, so never 'index')."""
    return f"tags/{tag}.md"


def handout_page(path: ValidEntry) -> str:
    """The Markdown path of a learning path's printable handout; its URL is /handouts/<id>/."""
    return path_page(path, "handout")


def path_page(path: ValidEntry, name: str) -> str:
    """The Markdown path of one of a learning path's trainer pages (PATH_PAGES); its URL is /<folder>/<id>/."""
    return f"{PATH_PAGES[name]}/{path.id}.md"


def entry_url(entry: ValidEntry) -> str:
    """The permanent URL of an entry, relative to the site root: <kind>/<id>/."""
    return f"{entry.kind}/{entry.id}/"


def short_url(entry_id: str) -> str:
    """The short link of an id, relative to the site root: go/<id>/."""
    return f"{SHORT_LINK_FOLDER}/{entry_id}/"


def page_url(page_path: str) -> str:
    """The URL of a generated Markdown page relative to the site root (directory URLs)."""
    stem = page_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def absolute_url(url: str, site_url: str | None) -> str:
    """Join a site-relative URL to the site's address, or make it site-absolute when none is set."""
    return (site_url.rstrip("/") if site_url else "") + "/" + url


def relative_path(path: str, start_dir: str) -> str:
    """posixpath.relpath for the site's own relative paths, without its getcwd() per call (a third of render time)."""
    target, start = path.split("/"), start_dir.split("/") if start_dir else []
    common = 0
    while common < min(len(target) - 1, len(start)) and target[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])
