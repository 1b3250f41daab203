"""What the trainer's reference pages show, prepared from the entries' own fields.

Three pages compare across entries, so no single entry page can show them: the definitions side by
side (each author's view of a term with its scope, emphasis and test, beside the source's date and
interest), how far to trust each source, and the team self-assessment (each behaviour's statements).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .addresses import PAGES
from .pageviews import named_entries

if TYPE_CHECKING:
    from .links import KnowledgeBase
    from .render import Page
    from .schema import Perspective
    from .validate import ValidEntry


@dataclass(frozen=True)
class Compared:
    """One author's definition of a term: the perspective and the source it comes from."""

    source: ValidEntry
    perspective: Perspective


def definitions_side_by_side(kb: KnowledgeBase) -> list[tuple[ValidEntry, list[Compared]]]:
    """Each definition with the perspectives that say how they compare (scope, emphasis or test), in field order."""
    compared = []
    for definition in kb.by_kind("definitions"):
        rows = [
            Compared(kb.entries[p.source], p) for p in definition.model.perspectives if p.scope or p.emphasis or p.test
        ]
        if rows:
            compared.append((definition, rows))
    return compared


def sources_by_date(kb: KnowledgeBase) -> list[ValidEntry]:
    """The sources, dated ones oldest first, then the undated ones by title: the order a reader weighs them in."""
    sources = kb.by_kind("sources")
    dated = sorted((s for s in sources if s.model.published), key=lambda s: (s.model.published, s.id))
    return dated + [s for s in sources if not s.model.published]


def self_assessment(kb: KnowledgeBase) -> list[ValidEntry]:
    """The behaviours a team can score itself on: those with self-assessment statements."""
    return [behaviour for behaviour in kb.by_kind("behaviours") if behaviour.model.self_assessment]


def reference_pages(kb: KnowledgeBase, render: Callable[..., Page]) -> list[Page]:
    """The three pages, each rendered by render(template, page path, **context)."""
    compared = definitions_side_by_side(kb)
    named = named_entries(kb, *(definition for definition, _ in compared))
    return [
        render("side-by-side.md.j2", PAGES["side_by_side"], compared=compared, named=named),
        render("trust.md.j2", PAGES["trust"], sources=sources_by_date(kb)),
        render("self-assessment.md.j2", PAGES["self_assessment"], behaviours=self_assessment(kb)),
    ]
