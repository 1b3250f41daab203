"""Editorial rules for the shipped content under content/.

These tests check the knowledge itself, not the generator: the content must load
without problems, cover every kind in enough depth, cite its sources, be fully
linked, keep summaries short, time its learning paths exactly, and never copy
the seed articles it was written from (no run of 12 words in common).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator.pipeline import check

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
FINGERPRINTS = ROOT / "tests" / "seed_fingerprints.txt"

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


def fingerprint(run: tuple[str, ...]) -> str:
    """A short hash of a word run: the repository keeps these, not the articles' text."""
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def _fingerprints_from_seeds() -> dict[str, str]:
    found: dict[str, str] = {}
    for file in sorted(SEEDS.glob("*.txt")):
        for run in sorted(runs(words(file.read_text(encoding="utf-8")))):
            found.setdefault(fingerprint(run), file.name)
    return found


def _fingerprint_file_text(found: dict[str, str]) -> str:
    return "".join(f"{digest} {name}\n" for digest, name in sorted(found.items()))


@pytest.fixture(scope="module")
def seed_runs() -> dict[str, str]:
    """Fingerprints of every 12-word run of the seed articles, from tests/seed_fingerprints.txt."""
    lines = FINGERPRINTS.read_text(encoding="utf-8").splitlines()
    found = dict(line.split(" ", 1) for line in lines)
    # A truncated file or a changed fingerprint() would match nothing and pass every entry silently.
    assert len(found) > 3000 and all(len(digest) == len(fingerprint(("x",) * RUN)) for digest in found)
    return found


def test_seed_fingerprints_match_the_articles():
    """With shared/seeds beside the repository (as in CI), the committed fingerprints must be current."""
    if not SEEDS.is_dir():
        pytest.skip(f"no seed articles at {SEEDS}; the committed fingerprints are used")
    expected = _fingerprint_file_text(_fingerprints_from_seeds())
    if os.environ.get("KB_UPDATE_GOLDEN") == "1":
        FINGERPRINTS.write_text(expected, encoding="utf-8")
    assert len(expected.splitlines()) > 3000
    assert FINGERPRINTS.read_text(encoding="utf-8") == expected, (
        "run with KB_UPDATE_GOLDEN=1 to refresh tests/seed_fingerprints.txt"
    )


def test_words_test_helper():
    assert words("It’s a Customer-Focused, “one brand” view!") == [
        "its",
        "a",
        "customer",
        "focused",
        "one",
        "brand",
        "view",
    ]


def test_no_text_copied_from_seed_articles(kb, seed_runs):
    copied = []
    for entry in _entries(kb):
        for field, text in strings_of(entry.model):
            for run in sorted(runs(words(text))):
                if fingerprint(run) in seed_runs:
                    copied.append(f"{entry.raw.path} {field}: '{' '.join(run)}' (in {seed_runs[fingerprint(run)]})")
                    break
    assert not copied, f"{RUN}-word runs copied from a seed article; paraphrase them:\n" + "\n".join(copied)
