"""Trainer material for the render stage: positions in learning paths, permalinks, QR codes, the practice matrix."""

from __future__ import annotations

import html
from dataclasses import dataclass

import segno

from .fields import MarkdownText
from .introspect import iter_marked
from .links import KnowledgeBase
from .schema import Objection, Step
from .validate import ValidEntry

# A handout prints each step's key content; a longer entry prints its summary and address instead,
# so a handout's size is bounded per step however long the entries (and however many paths print them).
HANDOUT_INLINE_CHARS = 6000
# The facilitator's guide prints clock times from this start; facilitator.js lets the trainer change it on screen.
DEFAULT_START_MINUTES = 9 * 60


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


@dataclass(frozen=True)
class TimedStep:
    """A step of a learning path placed on the session's clock: minutes after the start, and its time warning."""

    number: int
    step: Step
    entry: ValidEntry
    start: int  # minutes after the session starts
    end: int
    warning: int  # minutes before the end to warn the room; 0 for a step too short to warn in


def timed_steps(kb: KnowledgeBase, path: ValidEntry) -> list[TimedStep]:
    """Each step of a path with its start and end on the session's clock, and when to give a time warning."""
    timed, elapsed = [], 0
    for number, step in enumerate(path.model.steps, 1):
        warning = min(5, step.minutes // 5)  # one minute in five, so a 10-minute step warns at 8, a 3-minute never
        timed.append(TimedStep(number, step, kb.entries[step.entry], elapsed, elapsed + step.minutes, warning))
        elapsed += step.minutes
    return timed


def clock(minutes_after_start: int, start: int = DEFAULT_START_MINUTES) -> str:
    """The time of day, HH:MM on a 24-hour clock, some minutes after a session's start."""
    hours, minutes = divmod((start + minutes_after_start) % (24 * 60), 60)
    return f"{hours:02d}:{minutes:02d}"


def path_objections(kb: KnowledgeBase, path: ValidEntry) -> list[tuple[ValidEntry, Objection]]:
    """The objections the path's step entries answer, in step order: what the facilitator may hear in the session.

    As a handout's steps, an entry's objections are printed only when their answers fit HANDOUT_INLINE_CHARS
    (the objection guide, linked from the page, holds them all): a facilitator's guide then costs at most its
    steps times that, where a few lines of a path naming long entries would otherwise print megabytes, per path.
    """
    steps = [kb.entries[step.entry] for step in path.model.steps]
    return [(entry, objection) for entry in steps if objections_fit(entry) for objection in entry.model.objections]


def objections_fit(entry: ValidEntry) -> bool:
    """Whether an entry has objections whose answers are short enough to print in full on a path's page."""
    objections = getattr(entry.model, "objections", ())
    return bool(objections) and sum(len(o.answer) for o in objections) <= HANDOUT_INLINE_CHARS


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
