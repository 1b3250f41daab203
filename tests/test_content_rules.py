"""Editorial rules for the shipped content under content/.

These tests check the knowledge itself, not the generator: the content must load
without problems, cover every kind in enough depth, cite its sources, be fully
linked, keep summaries short, time its learning paths exactly, and never copy
the seed articles it was written from (no run of 12 words in common).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator.pipeline import check

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

MIN_COUNTS = {
    "sources": 5,
    "definitions": 10,
    "behaviours": 15,
    "case-notes": 10,
    "examples": 10,
    "paths": 2,
}
PATH_MINUTES = {"customer-focus-first-week": 60, "customer-focus-team-workshop": 90}
RUN = 12  # words in a row that may not be shared with a seed article
MAX_SUMMARY_WORDS = 30


@pytest.fixture(scope="module")
def checked():
    return check(ROOT)


@pytest.fixture(scope="module")
def kb(checked):
    return checked[0]


def _entries(kb, kind=None):
    return [e for e in kb.entries.values() if kind is None or e.kind == kind]


def test_content_has_no_problems(checked):
    _, problems = checked
    assert not problems, "content problems:\n" + "\n".join(str(p) for p in problems)


def test_counts_per_kind(kb):
    counts = Counter(e.kind for e in kb.entries.values())
    short = {kind: f"{counts[kind]} < {minimum}" for kind, minimum in MIN_COUNTS.items() if counts[kind] < minimum}
    assert not short, f"too few entries per kind: {short}"


def test_every_entry_cites_a_source(kb):
    uncited = [e.raw.path for e in _entries(kb) if e.kind != "sources" and not e.model.sources]
    assert not uncited, f"entries citing no source: {uncited}"


def test_every_source_is_cited(kb):
    cited = {c.source for e in _entries(kb) for c in e.model.sources}
    unused = [e.raw.path for e in _entries(kb, "sources") if e.id not in cited]
    assert not unused, f"sources no entry cites: {unused}"


def test_no_orphans(kb):
    linked_to = {r.target for r in kb.relations if r.source != r.target}
    orphans = [e.raw.path for e in _entries(kb) if e.id not in linked_to]
    assert not orphans, f"entries no other entry links to (add a relation or a [[id]] link): {orphans}"


def _sentence_ends(text: str) -> int:
    return len(re.findall(r"[.!?](?=\s|$)", text.strip()))


def test_summaries_are_one_short_sentence(kb):
    bad = []
    for entry in _entries(kb):
        summary = entry.model.summary
        words = len(summary.split())
        if words >= MAX_SUMMARY_WORDS:
            bad.append(f"{entry.raw.path}: summary has {words} words (keep it under {MAX_SUMMARY_WORDS})")
        if _sentence_ends(summary) != 1 or not re.search(r"[.!?]$", summary.strip()):
            bad.append(f"{entry.raw.path}: summary must be exactly one sentence ending in . ? or !")
    assert not bad, "\n".join(bad)


def test_behaviours_have_two_or_three_questions(kb):
    bad = [
        f"{e.raw.path}: {len(e.model.discussion_questions)} discussion questions"
        for e in _entries(kb, "behaviours")
        if not 2 <= len(e.model.discussion_questions) <= 3
    ]
    assert not bad, "behaviours need 2-3 discussion questions:\n" + "\n".join(bad)


@pytest.mark.parametrize("path_id,total", sorted(PATH_MINUTES.items()))
def test_path_minutes(kb, path_id, total):
    assert path_id in kb.entries, f"learning path '{path_id}' is missing"
    path = kb.entries[path_id]
    assert path.kind == "paths", f"'{path_id}' is a {path.kind}, not a learning path"
    minutes = [step.minutes for step in path.model.steps]
    assert sum(minutes) == total, f"{path.raw.path}: step minutes {minutes} sum to {sum(minutes)}, expected {total}"


# --- the no-copying rule -------------------------------------------------------

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc]")
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words with punctuation stripped ("It's" -> "its")."""
    return _WORD.findall(_APOSTROPHES.sub("", text.lower()))


def runs(tokens: list[str], size: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def strings_of(value, path: str = ""):
    """Yield (field path, text) for every string held in a model, however nested."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings_of(getattr(value, name, None), f"{path}.{name}" if path else name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from strings_of(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


@pytest.fixture(scope="module")
def seed_runs():
    if not SEEDS.is_dir():
        pytest.fail(f"seed articles not found at {SEEDS}: the shared/seeds folder must sit beside the repository")
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.fail(f"no seed articles (*.txt) in {SEEDS}")
    found: dict[tuple[str, ...], str] = {}
    for file in files:
        for run in runs(words(file.read_text(encoding="utf-8"))):
            found.setdefault(run, file.name)
    return found


def test_words_test_helper():
    assert words("It’s a Customer-Focused, “one brand” view!") == ["its", "a", "customer", "focused", "one", "brand", "view"]


def test_no_text_copied_from_seed_articles(kb, seed_runs):
    copied = []
    for entry in _entries(kb):
        for field, text in strings_of(entry.model):
            for run in runs(words(text)):
                if run in seed_runs:
                    copied.append(f"{entry.raw.path} {field}: '{' '.join(run)}' (in {seed_runs[run]})")
                    break
    assert not copied, f"{RUN}-word runs copied from a seed article; paraphrase them:\n" + "\n".join(copied)
