"""Trainer material for the render stage: positions in learning paths, permalinks, QR codes, the practice matrix."""

from __future__ import annotations

import html
from dataclasses import dataclass

import segno

from .fields import MarkdownText
from .introspect import iter_marked
from .links import KnowledgeBase
from .validate import ValidEntry

# A handout prints each step's key content; a longer entry prints its summary and address instead,
# so a handout's size is bounded per step however long the entries (and however many paths print them).
HANDOUT_INLINE_CHARS = 6000


@dataclass(frozen=True)
class PathStop:
    """Where an entry sits in one learning path: its step number and its neighbours."""

    path: ValidEntry
    number: int
    total: int
    previous: ValidEntry | None  # None: the first step, whose previous page is the path itself
    next: ValidEntry | None  # None: the last step, whose next page is the path itself


@dataclass(frozen=True)
class MatrixRow:
    """One behaviour in the practice matrix and the case notes that demonstrate it."""

    behaviour: ValidEntry
    cases: frozenset[str]
    demonstrated_by: tuple[ValidEntry, ...]  # the same case notes, in column order


def path_stops(kb: KnowledgeBase, entry_id: str) -> list[PathStop]:
    """Every step of every learning path that covers an entry, paths A to Z."""
    stops = []
    for path in sorted(kb.incoming(entry_id, "learning-paths"), key=lambda p: p.model.title.casefold()):
        steps = [kb.entries[step.entry] for step in path.model.steps]
        for index, step in enumerate(steps):
            if step.id == entry_id:
                previous = steps[index - 1] if index > 0 else None
                following = steps[index + 1] if index + 1 < len(steps) else None
                stops.append(PathStop(path, index + 1, len(steps), previous, following))
    return stops


def qr_svg(url: str) -> str:
    """An inline SVG QR code for an absolute URL (svg and path only, so the page sanitiser keeps it)."""
    code = segno.make(url, micro=False, error="m")
    svg = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="kb-qr-code", lineclass=None, dark="#000")
    label = html.escape(f"QR code linking to {url}", quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def fits_handout(entry: ValidEntry) -> bool:
    """Whether an entry's prose is short enough to print in full on a handout."""
    return sum(len(text) for _, text, _ in iter_marked(entry.model, MarkdownText)) <= HANDOUT_INLINE_CHARS


def practice_matrix(kb: KnowledgeBase) -> tuple[list[ValidEntry], list[MatrixRow]]:
    """Case notes (columns, by company) and behaviours (rows, A to Z) with the cases that demonstrate each."""
    cases = sorted(kb.by_kind("case-notes"), key=lambda c: (c.model.company.casefold(), c.id))
    column = {case.id: number for number, case in enumerate(cases)}
    rows = []
    for behaviour in kb.by_kind("behaviours"):
        demonstrated_by = tuple(sorted(kb.incoming(behaviour.id, "case-notes"), key=lambda case: column[case.id]))
        rows.append(MatrixRow(behaviour, frozenset(case.id for case in demonstrated_by), demonstrated_by))
    return cases, rows
