"""The one composition of the stages, called by the CLI and the MkDocs integration alike."""

from __future__ import annotations

from pathlib import Path

from .errors import Diagnostic, raise_if_errors
from .links import KnowledgeBase, link_entries
from .loader import load_content
from .render import Page, render_pages
from .schema import validate_entries


def check(root: Path) -> tuple[KnowledgeBase, list[Diagnostic]]:
    """Load, validate and link the content under root; return the base and every problem."""
    raw_entries, load_problems = load_content(root)
    entries, schema_problems = validate_entries(raw_entries)
    kb, link_problems = link_entries(entries)
    return kb, sorted(load_problems + schema_problems + link_problems)


def build_pages(root: Path, templates: Path | None = None) -> tuple[KnowledgeBase, list[Page], list[Diagnostic]]:
    """Check the content and render every page; raise KbError when any error was found."""
    kb, diagnostics = check(root)
    raise_if_errors(diagnostics)
    return kb, render_pages(kb, templates or root / "site_templates"), diagnostics
