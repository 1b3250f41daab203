"""The link stage: the id index, typed relations in both directions, [[id]] links, aliases."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .errors import Diagnostic, SourceLocation, did_you_mean
from .fields import MarkdownText, RefTo, fold_name
from .introspect import iter_marked
from .kinds import kind_names, singular
from .validate import ValidEntry, dotted_path

# Each relation has a stable key for each end; pages head its lists with these words. Code and templates
# name relations by key only, so a heading can be reworded without touching them.
RELATION_HEADINGS = {
    "sources": "Sources",
    "cited-by": "Cited by",
    "related": "Related",
    "distinguished-from": "Distinguished from",
    "shows": "Shows",
    "examples": "Examples",
    "demonstrates": "Demonstrates",
    "case-notes": "Case notes",
    "steps": "Steps",
    "learning-paths": "Learning paths",
    "mentions": "Mentions",
    "mentioned-in": "Mentioned in",
    "checks": "Self-check",
    "checked-in": "Self-check questions in",
}
# A did-you-mean compares an id with every id: only the first hundred broken references of a run get
# one, so thousands of near-miss references cost a bounded number of comparisons, not ids x references.
MAX_HINTS = 100
MAX_PROBLEMS = 5  # broken [[links]] reported per field


@dataclass(frozen=True)
class Relation:
    """One typed edge: source entry -> target entry, with its key at each end."""

    source: str
    target: str
    key: str
    inverse: str


@dataclass
class KnowledgeBase:
    """Every entry by id, with its relations resolved both ways."""

    entries: dict[str, ValidEntry]
    relations: list[Relation] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # former id -> live id

    def __post_init__(self) -> None:
        self._outgoing: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._incoming: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._by_kind: dict[str, list[ValidEntry]] = {}
        for rel in self.relations:
            _add_once(self._outgoing[rel.source][rel.key], rel.target)
            _add_once(self._incoming[rel.target][rel.inverse], rel.source)

    def by_kind(self, kind: str) -> list[ValidEntry]:
        """Entries of one kind, A to Z by title (a fresh list: callers may change it)."""
        if kind not in self._by_kind:  # sorted once: a render asks ~20 times, and entries never change after linking
            self._by_kind[kind] = sorted(
                (e for e in self.entries.values() if e.kind == kind), key=lambda e: (e.model.title.casefold(), e.id)
            )
        return list(self._by_kind[kind])

    def outgoing(self, entry_id: str, key: str) -> list[ValidEntry]:
        """Targets of one relation (by key) declared on an entry."""
        return [self.entries[t] for t in self._outgoing[entry_id].get(key, [])]

    def incoming(self, entry_id: str, inverse: str) -> list[ValidEntry]:
        """Entries whose relation points at this one, by the relation's inverse key."""
        return [self.entries[s] for s in self._incoming[entry_id].get(inverse, [])]

    def outgoing_keys(self, entry_id: str) -> list[str]:
        """Labels of the relations an entry declares, in declaration order."""
        return list(self._outgoing[entry_id])

    def incoming_keys(self, entry_id: str) -> list[str]:
        """Inverse keys of the relations pointing at an entry, in first-seen order."""
        return list(self._incoming[entry_id])

    def relation_map(self, entry_id: str) -> tuple:
        """Every relation at an entry, both ways, as comparable data: (key, ids) pairs out, then in."""
        return (
            tuple((key, tuple(ids)) for key, ids in self._outgoing[entry_id].items()),
            tuple((key, tuple(ids)) for key, ids in self._incoming[entry_id].items()),
        )

    def related(self, entry_id: str) -> list[ValidEntry]:
        """Related entries declared on either side, each once."""
        ids: list[str] = []
        for other in self._outgoing[entry_id].get("related", []) + self._incoming[entry_id].get("related", []):
            _add_once(ids, other)
        return [self.entries[i] for i in ids]

    def tags(self) -> dict[str, list[ValidEntry]]:
        """Every tag with its entries, tags A to Z."""
        found: dict[str, list[ValidEntry]] = defaultdict(list)
        for kind in kind_names():
            for entry in self.by_kind(kind):
                for tag in entry.model.tags:
                    found[tag].append(entry)
        return dict(sorted(found.items()))


def link_entries(entries: list[ValidEntry]) -> tuple[KnowledgeBase, list[Diagnostic]]:
    """Index entries by id, resolve every relation and [[id]] link, and derive the inverses."""
    diagnostics: list[Diagnostic] = []
    index = _index_ids(entries, diagnostics)
    aliases = _index_aliases(index, diagnostics)
    relations: list[Relation] = []
    hints = _Hints(MAX_HINTS)
    _check_glossary_names(index, diagnostics)
    for entry in index.values():
        relations.extend(_declared_relations(entry, index, aliases, diagnostics, hints))
        relations.extend(_prose_mentions(entry, index, aliases, diagnostics, hints))
    return KnowledgeBase(index, relations, aliases), diagnostics


def _index_ids(entries: list[ValidEntry], diagnostics: list[Diagnostic]) -> dict[str, ValidEntry]:
    """Map ids to entries, reporting an id used by two files."""
    index: dict[str, ValidEntry] = {}
    for entry in entries:
        first = index.get(entry.id)
        if first is None:
            index[entry.id] = entry
            continue
        for here, there in ((entry, first), (first, entry)):
            diagnostics.append(
                Diagnostic(
                    SourceLocation(here.raw.path),
                    f"id '{entry.id}' is also used by {there.raw.path}: ids are unique across all kinds, rename one",
                )
            )
    return index


def _index_aliases(index: dict[str, ValidEntry], diagnostics: list[Diagnostic]) -> dict[str, str]:
    """Map former ids to live ids, reporting aliases that collide."""
    aliases: dict[str, str] = {}
    for entry in index.values():
        for position, alias in enumerate(entry.model.aliases):
            where = entry.raw.locate(("aliases", position))
            if not isinstance(alias, str):  # a bad alias, kept as None in a partial model: reported already
                continue
            if alias in index:
                diagnostics.append(
                    Diagnostic(
                        where, f"alias '{alias}' is the id of a live entry ({index[alias].raw.path}): remove the alias"
                    )
                )
            elif alias in aliases:
                diagnostics.append(
                    Diagnostic(
                        where,
                        f"alias '{alias}' is already an alias of '{aliases[alias]}': "
                        "an old id can redirect to one entry only",
                    )
                )
            else:
                aliases[alias] = entry.id
    return aliases


def _check_glossary_names(index: dict[str, ValidEntry], diagnostics: list[Diagnostic]) -> None:
    """A term or other name belongs to one definition: a second one would take over its links and inventory entry."""
    owners: dict[str, tuple[ValidEntry, tuple]] = {}
    for entry in sorted(index.values(), key=lambda e: e.raw.path):
        if entry.kind != "definitions":
            continue
        model = entry.model  # a partial model may lack either field: its schema error is reported already
        names = [
            (("term",), getattr(model, "term", None)),
            *((("also_known_as", i), n) for i, n in enumerate(getattr(model, "also_known_as", []))),
        ]
        for path, name in names:
            if not isinstance(name, str):
                continue
            first = owners.setdefault(fold_name(name), (entry, path))
            if first[0] is not entry:
                where = first[0].raw.locate(first[1])
                diagnostics.append(
                    Diagnostic(
                        entry.raw.locate(path),
                        f"'{name}' is already a name of the definition in {where}: "
                        "a name belongs to one definition; merge them or choose another name",
                    )
                )


def _declared_relations(entry: ValidEntry, index, aliases, diagnostics, hints: _Hints) -> list[Relation]:
    """Check each relation field of an entry and turn it into edges."""
    found = []
    first_at: dict[tuple, tuple] = {}  # (field, target) -> where it was first listed
    for path, target, ref in iter_marked(entry.model, RefTo):
        where = entry.raw.locate(path)
        problem = _target_problem(entry, target, ref.targets, index, aliases, hints=hints)
        earlier = first_at.setdefault((path[0], target), path)
        if ref.unique and earlier != path:  # a path repeating a step would also print its content twice
            problem = f"'{target}' is already listed at {dotted_path(earlier)}: list each entry once"
        if problem:
            diagnostics.append(Diagnostic(where, f"'{dotted_path(path)}': {problem}"))
        else:
            found.append(Relation(entry.id, target, ref.key, ref.inverse))
    return found


def _prose_mentions(entry: ValidEntry, index, aliases, diagnostics, hints: _Hints) -> list[Relation]:
    """Check each [[id]] link in the entry's Markdown and record it as a mention."""
    found = []
    for path, prose, _ in iter_marked(entry.model, MarkdownText):
        reported = 0
        for link in getattr(prose, "links", ()):
            problem = _target_problem(entry, link.target, (), index, aliases, self_ok=True, hints=hints)
            if problem and reported < MAX_PROBLEMS:
                reported += 1
                diagnostics.append(
                    Diagnostic(entry.raw.find_in(path, f"[[{link.target}"), f"link [[{link.target}]]: {problem}")
                )
            elif not problem and link.target != entry.id:
                found.append(Relation(entry.id, link.target, "mentions", "mentioned-in"))
    return found


class _Hints:
    """How many did-you-mean searches a run has left."""

    def __init__(self, left: int) -> None:
        self.left = left

    def take(self) -> bool:
        """Use one search, if any is left."""
        self.left -= 1
        return self.left >= 0


def _target_problem(
    entry: ValidEntry, target: str, kinds: tuple[str, ...], index, aliases, *, hints: _Hints, self_ok: bool = False
) -> str | None:
    """Say what is wrong with a reference, with a suggestion while hints last; None when it resolves."""
    if target in aliases:
        return f"'{target}' was renamed to '{aliases[target]}': use the new id"
    if target not in index:
        hint = (hints.take() and did_you_mean(target, index)) or " Fix the id, or add the entry with 'kb new'."
        return f"no entry with id '{target}'.{hint}"
    if target == entry.id and not self_ok:
        return "an entry cannot relate to itself: remove it"
    if kinds and index[target].kind not in kinds:
        wanted = " or ".join(singular(k) for k in kinds)
        return f"'{target}' is a {singular(index[target].kind)}, but this field names a {wanted}"
    return None


def _add_once(items: list[str], item: str) -> None:
    """Append an item unless it is already there, keeping order."""
    if item not in items:
        items.append(item)
