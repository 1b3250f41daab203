"""The one composition of the stages, called by the CLI and the MkDocs integration alike."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Diagnostic, raise_if_errors
from .addresses import FEED_FILE, INVENTORY_FILE, SPHINX_INVENTORY_FILE
from .inventory import (
    DEFAULT_PROJECT,
    SiteFile,
    inventory_data,
    inventory_json,
    redirect_files,
    sphinx_inventory,
)
from .links import KnowledgeBase, link_entries
from .loader import LoadCache, load_content
from .validate import ValidateCache, validate_entries
from .similar import near_duplicates
from .whatsnew import atom_feed, recent_changes

if TYPE_CHECKING:  # render is imported where pages are made: kb check never renders, and Jinja and segno cost it 0.05 s
    from .render import Page, RenderCache


@dataclass
class StageCache:
    """What a live preview keeps between rebuilds: unchanged files are not parsed or validated again, unchanged entry pages not rendered."""

    loaded: LoadCache = field(default_factory=dict)
    validated: ValidateCache = field(default_factory=dict)
    rendered: RenderCache | None = None  # made by the first render


def check(root: Path, cache: StageCache | None = None, *, review_hints: bool = True) -> tuple[KnowledgeBase, list[Diagnostic]]:
    """Load, validate and link the content under root; return the base and every problem (warnings too).

    review_hints=False leaves out the near-duplicate warnings: they guide kb check and pull requests,
    never stop a build, and cost a build a tenth of its pipeline time at 5,000 entries.
    """
    with rare_collections(pause=True):
        raw_entries, load_problems = load_content(root, cache.loaded if cache else None)
        entries, schema_problems = validate_entries(raw_entries, cache.validated if cache else None)
        kb, link_problems = link_entries(entries)
        hints = near_duplicates(kb) if review_hints else []
    return kb, sorted(load_problems + schema_problems + link_problems + hints)


def build_pages(
    root: Path, templates: Path | None = None, site_url: str | None = None, cache: StageCache | None = None
) -> tuple[KnowledgeBase, list[Page]]:
    """Check the content and render every page; raise KbError when any error was found."""
    from .render import RenderCache, render_pages

    kb, diagnostics = check(root, cache, review_hints=False)
    raise_if_errors(diagnostics)
    if cache is not None and cache.rendered is None:
        cache.rendered = RenderCache()
    with rare_collections():
        pages = render_pages(kb, templates or root / "site_templates", site_url, cache.rendered if cache else None)
    return kb, pages


@contextmanager
def rare_collections(*, pause: bool = False) -> Iterator[None]:
    """Run the cyclic garbage collector a hundred times less often (with pause, not at all) while stages run.

    The stages allocate millions of small objects that live until the stage ends; with the default
    threshold the collector runs every 700 allocations and rescans the growing heap, a quarter of
    kb check's time at 5,000 entries (mypy raises its threshold for the same reason). Loading,
    validating and linking make no reference cycles, so they pause it; Jinja rendering does, so
    it still collects, rarely.
    """
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    if pause:
        gc.disable()
    else:
        gc.set_threshold(70_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()


def site_files(kb: KnowledgeBase, pages: list[Page], *, project: str = DEFAULT_PROJECT, site_url: str | None = None) -> list[SiteFile]:
    """The files beside the pages: redirects and short links, inventory.json, objects.inv and the Atom feed."""
    inventory = inventory_data(kb, [page.path for page in pages if page.entry_id is None], project=project, site_url=site_url)
    return [
        *redirect_files(kb, site_url),
        SiteFile(INVENTORY_FILE, inventory_json(inventory)),
        SiteFile(SPHINX_INVENTORY_FILE, sphinx_inventory(kb, project=project)),
        SiteFile(FEED_FILE, atom_feed(recent_changes(kb), project=project, site_url=site_url)),
    ]
