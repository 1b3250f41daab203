"""What each page shows, prepared in Python from the linked base: templates only lay it out.

An entry page's view holds every entry the page shows (its relation lists, the entries its fields name,
its places in learning paths), and templates see no other entry. So two equal views render the same
page, and the preview's render cache keeps entry pages by their view (memo.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .links import KnowledgeBase
from .schema import Objection
from .training import PathStop, TimedStep, path_objections, path_stops, timed_steps
from .validate import ValidEntry

# Relations an entry template shows in its own way (citations, steps, distinctions, [[id]] links in the
# text, related last), so the generic lists skip them.
SHOWN_INLINE = {"sources", "steps", "distinguished-from", "mentions", "related", "checks"}
SECTION_ORDER = [
    "shows",
    "demonstrates",
    "examples",
    "case-notes",
    "distinguished-from",
    "learning-paths",
    "checked-in",
    "cited-by",
    "mentioned-in",
    "related",
]


@dataclass(frozen=True)
class EntryView:
    """An entry page's data: the entry, its relation lists, its path positions and the entries its fields name."""

    entry: ValidEntry
    sections: tuple[tuple[str, tuple[ValidEntry, ...]], ...]  # (relation key, entries), in page order
    stops: tuple[PathStop, ...]
    named: dict[str, ValidEntry]  # by id: cited sources, distinguished terms, steps, [[id]] targets, itself


def entry_view(kb: KnowledgeBase, entry: ValidEntry) -> EntryView:
    """What an entry's page shows."""
    return EntryView(entry, relation_sections(kb, entry), tuple(path_stops(kb, entry.id)), named_entries(kb, entry))


def named_entries(kb: KnowledgeBase, *entries: ValidEntry) -> dict[str, ValidEntry]:
    """The entries these entries name in their fields ([[id]] links and relation fields), and themselves, by id."""
    named = {entry.id: entry for entry in entries}
    for entry in entries:
        for key in kb.outgoing_keys(entry.id):
            named.update((other.id, other) for other in kb.outgoing(entry.id, key))
    return named


def handout_entries(kb: KnowledgeBase, path: ValidEntry) -> dict[str, ValidEntry]:
    """A learning path's handout prints each step's entry with its citations and links: every entry they name."""
    steps = [kb.entries[step.entry] for step in path.model.steps]
    return named_entries(kb, path, *steps)


@dataclass(frozen=True)
class PathView:
    """What a path's trainer pages show: its steps on the clock, the objections they answer, every entry named."""

    steps: tuple[TimedStep, ...]
    objections: tuple[tuple[ValidEntry, Objection], ...]  # (the entry answering it, the objection)
    named: dict[str, ValidEntry]


def path_view(kb: KnowledgeBase, path: ValidEntry) -> PathView:
    """The data of a path's handout, facilitator's guide, presenter view and self-check."""
    return PathView(tuple(timed_steps(kb, path)), tuple(path_objections(kb, path)), handout_entries(kb, path))


def objection_entries(kb: KnowledgeBase) -> list[ValidEntry]:
    """The entries that answer objections, A to Z: the objection guide's sections."""
    return sorted((e for e in kb.entries.values() if getattr(e.model, "objections", ())), key=_by_title)


def _by_title(entry: ValidEntry) -> tuple[str, str]:
    """A to Z by title, then id."""
    return entry.model.title.casefold(), entry.id


def relation_sections(kb: KnowledgeBase, entry: ValidEntry) -> tuple[tuple[str, tuple[ValidEntry, ...]], ...]:
    """An entry page's relation lists: declared, derived, then related; each entry once, in its first list."""
    keys = kb.outgoing_keys(entry.id)
    sections = [(key, tuple(kb.outgoing(entry.id, key))) for key in keys if key not in SHOWN_INLINE]
    sections += [(key, tuple(kb.incoming(entry.id, key))) for key in kb.incoming_keys(entry.id) if key != "related"]
    sections.append(("related", tuple(kb.related(entry.id))))
    listed: set[str] = set()
    unique = []
    for key, items in sorted(sections, key=_section_rank):
        items = tuple(item for item in items if item.id not in listed)
        listed.update(item.id for item in items)
        if items:  # a list whose entries all appear above is left out
            unique.append((key, items))
    return tuple(unique)


def _section_rank(section: tuple[str, tuple]) -> int:
    """Where a relation list goes on the page: SECTION_ORDER, anything else last."""
    return SECTION_ORDER.index(section[0]) if section[0] in SECTION_ORDER else len(SECTION_ORDER)


def a_to_z(entries: list[ValidEntry]) -> list[tuple[str, list[ValidEntry]]]:
    """Group entries sorted by title under their initial letter ('#' for anything else)."""
    groups: dict[str, list[ValidEntry]] = {}
    for entry in entries:
        initial = entry.model.title[:1].upper()
        groups.setdefault(initial if initial.isalpha() else "#", []).append(entry)
    return list(groups.items())
