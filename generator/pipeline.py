"""The one composition of the stages, called by the CLI and the MkDocs integration alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .addresses import FEED_FILE, INVENTORY_FILE, SPHINX_INVENTORY_FILE
from .collector import rare_collections
from .errors import Diagnostic, raise_if_errors
from .headings import entry_anchors
from .inventory import SiteFile, inventory_data, inventory_json, redirect_files, sphinx_inventory
from .links import KnowledgeBase, link_entries
from .loader import LoadCache, load_content
from .memo import Memo
from .settings import DEFAULT_PROJECT
from .similar import near_duplicates
from .tagvocab import read_vocabulary, tags_outside
from .validate import ValidateCache, validate_entries
from .whatsnew import atom_feed, recent_changes

if TYPE_CHECKING:  # render is imported where pages are made: kb check never renders, and Jinja and segno cost it 0.05 s
    from .render import Page, RenderCache


@dataclass
class StageCache:
    """What a live preview keeps between rebuilds, per stage (memo.py): unchanged files are not parsed or validated
    again, unchanged entry pages not rendered."""

    loaded: LoadCache = field(default_factory=Memo)
    validated: ValidateCache = field(default_factory=Memo)
    rendered: RenderCache | None = None  # made by the first render


def check(
    root: Path, cache: StageCache | None = None, *, review_hints: bool = True, content_dir: str = "content"
) -> tuple[KnowledgeBase, list[Diagnostic]]:
    """Load, validate and link the content under root; return the linked base and every problem (warnings too).

    review_hints=False leaves out the near-duplicate warnings: they guide kb check and pull requests,
    never stop a build, and cost a build a tenth of its pipeline time at 5,000 entries.
    """
    with rare_collections(pause=True):
        raw_entries, load_problems = load_content(root, cache.loaded if cache else None, content_dir)
        entries, schema_problems = validate_entries(raw_entries, cache.validated if cache else None)
        kb, link_problems = link_entries(entries)
        hints = near_duplicates(kb) if review_hints else []
        vocabulary, vocabulary_problems = read_vocabulary(root, content_dir)
        hints += vocabulary_problems + tags_outside(kb, vocabulary)
    return kb, sorted(load_problems + schema_problems + link_problems + hints)


def build_pages(
    root: Path,
    templates: Path | None = None,
    site_url: str | None = None,
    cache: StageCache | None = None,
    *,
    content_dir: str = "content",
    project: str = DEFAULT_PROJECT,
) -> tuple[KnowledgeBase, list[Page]]:
    """Check the content and render every page; return the linked base and its pages, or raise KbError on any error."""
    from .render import RenderCache, render_pages

    kb, diagnostics = check(root, cache, review_hints=False, content_dir=content_dir)
    raise_if_errors(diagnostics)
    if cache is not None and cache.rendered is None:
        cache.rendered = RenderCache()
    with rare_collections():
        rendered = cache.rendered if cache else None
        pages = render_pages(kb, templates or root / "site_templates", site_url, rendered, project=project)
    return kb, pages


def site_files(
    kb: KnowledgeBase, pages: list[Page], *, project: str = DEFAULT_PROJECT, site_url: str | None = None
) -> list[SiteFile]:
    """The files beside the pages: redirects and short links, inventory.json, objects.inv and the Atom feed."""
    named_pages = [page.path for page in pages if page.entry_id is None]
    inventory = inventory_data(kb, named_pages, project=project, site_url=site_url, anchors=entry_anchors(pages))
    return [
        *redirect_files(kb, site_url),
        SiteFile(INVENTORY_FILE, inventory_json(inventory)),
        SiteFile(SPHINX_INVENTORY_FILE, sphinx_inventory(kb, project=project)),
        SiteFile(FEED_FILE, atom_feed(recent_changes(kb), project=project, site_url=site_url)),
    ]
