"""The one composition of the stages, called by the CLI and the MkDocs integration alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, raise_if_errors
from .inventory import (
    DEFAULT_PROJECT,
    INVENTORY_FILE,
    SPHINX_INVENTORY_FILE,
    SiteFile,
    inventory_data,
    inventory_json,
    redirect_files,
    sphinx_inventory,
)
from .links import KnowledgeBase, link_entries
from .loader import LoadCache, load_content
from .render import Page, render_pages
from .schema import ValidateCache, validate_entries
from .similar import near_duplicates
from .whatsnew import FEED_FILE, atom_feed, recent_changes


@dataclass
class StageCache:
    """What a live preview keeps between rebuilds: files whose bytes did not change are not parsed or validated again."""

    loaded: LoadCache = field(default_factory=dict)
    validated: ValidateCache = field(default_factory=dict)


def check(root: Path, cache: StageCache | None = None) -> tuple[KnowledgeBase, list[Diagnostic]]:
    """Load, validate and link the content under root; return the base and every problem (warnings too)."""
    raw_entries, load_problems = load_content(root, cache.loaded if cache else None)
    entries, schema_problems = validate_entries(raw_entries, cache.validated if cache else None)
    kb, link_problems = link_entries(entries)
    return kb, sorted(load_problems + schema_problems + link_problems + near_duplicates(kb))


def build_pages(
    root: Path, templates: Path | None = None, site_url: str | None = None, cache: StageCache | None = None
) -> tuple[KnowledgeBase, list[Page], list[Diagnostic]]:
    """Check the content and render every page; raise KbError when any error was found."""
    kb, diagnostics = check(root, cache)
    raise_if_errors(diagnostics)
    return kb, render_pages(kb, templates or root / "site_templates", site_url), diagnostics


def site_files(kb: KnowledgeBase, pages: list[Page], *, project: str = DEFAULT_PROJECT, site_url: str | None = None) -> list[SiteFile]:
    """The files beside the pages: redirects and short links, inventory.json, objects.inv and the Atom feed."""
    inventory = inventory_data(kb, [page.path for page in pages], project=project, site_url=site_url)
    return [
        *redirect_files(kb, site_url),
        SiteFile(INVENTORY_FILE, inventory_json(inventory)),
        SiteFile(SPHINX_INVENTORY_FILE, sphinx_inventory(kb, project=project)),
        SiteFile(FEED_FILE, atom_feed(recent_changes(kb), project=project, site_url=site_url)),
    ]
