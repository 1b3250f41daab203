"""Editorial rules for the shipped content under content/.

These tests check the knowledge itself, not the generator: the content must load
without problems, cover every kind in enough depth, cite its sources, be fully
linked, keep summaries short, time its learning paths exactly, and never copy
the seed articles it was written from (no run of 7 words in common once US and UK
spellings are folded together; a short quotation in quotation marks is allowed).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from copycheck import (
    MAX_QUOTE_WORDS,
    RUN,
    SEEDS,
    fingerprint,
    fingerprint_file_text,
    fingerprints_from_seeds,
    strings_of,
    text_runs,
    unquoted,
    words,
)

from generator.pipeline import build_pages, check
from generator.tagvocab import read_vocabulary

ROOT = Path(__file__).resolve().parents[1]
FINGERPRINTS = ROOT / "tests" / "seed_fingerprints.txt"

MIN_COUNTS = {
    "sources": 5,
    "definitions": 10,
    "behaviours": 15,
    "case-notes": 7,  # the seeds name no more companies than these; Carroll's five one-line mentions are one note
    "examples": 10,
    "paths": 2,
}
PATH_MINUTES = {"customer-focus-first-week": 60, "customer-focus-team-workshop": 105}
MIN_WRITING_MINUTES = 10  # the step where learners write their own behaviours: time to draft and test three
EXAMPLE_LABEL = "This example is invented to illustrate a behaviour"
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


def test_behaviours_say_who_they_are_for(kb):
    silent = [e.raw.path for e in _entries(kb, "behaviours") if e.model.audience is None]
    assert not silent, "behaviours need 'audience: anyone' or 'audience: team lead or manager':\n" + "\n".join(silent)


def test_examples_end_with_two_or_three_debrief_questions(kb):
    bad = [
        f"{e.raw.path}: {len(e.model.debrief_questions)} debrief questions"
        for e in _entries(kb, "examples")
        if not 2 <= len(e.model.debrief_questions) <= 3
    ]
    assert not bad, "examples need 2-3 debrief questions:\n" + "\n".join(bad)


@pytest.fixture(scope="module")
def pages():
    return build_pages(ROOT)[1]


def test_every_behaviour_page_says_who_it_is_for(pages):
    behaviours = [page for page in pages if page.source_path and "/behaviours/" in page.source_path]
    silent = [page.path for page in behaviours if "**Who it is for:**" not in page.markdown]
    assert behaviours and not silent, f"behaviour pages that do not say who they are for: {silent}"


def test_every_example_page_says_it_is_an_invented_illustration(pages):
    examples = [page for page in pages if page.source_path and "/examples/" in page.source_path]
    unlabelled = [page.path for page in examples if EXAMPLE_LABEL not in page.markdown]
    assert examples and not unlabelled, f"example pages without the invented-illustration label: {unlabelled}"


def test_tags_come_from_the_vocabulary_and_each_listed_tag_is_used_twice(kb):
    vocabulary, problems = read_vocabulary(ROOT)
    assert vocabulary and not problems, "content/tags.txt must list the tags, one 'tag: what it covers' a line"
    used = Counter(tag for e in _entries(kb) for tag in e.model.tags)
    outside = sorted(set(used) - set(vocabulary))
    rare = sorted(tag for tag in vocabulary if used[tag] < 2)
    kinds = sorted(
        tag
        for tag in vocabulary
        if tag in {e.kind for e in _entries(kb)} or tag.rstrip("s") + "s" in {e.kind for e in _entries(kb)}
    )
    assert not outside, f"tags outside content/tags.txt: {outside}"
    assert not rare, f"tags in content/tags.txt used by fewer than two entries (drop them or use them): {rare}"
    assert not kinds, f"tags that repeat a kind of entry: {kinds}"


def test_the_writing_step_of_the_first_week_has_time_to_write(kb):
    path = kb.entries["customer-focus-first-week"]
    last = path.model.steps[-1]
    assert last.entry == "define-customer-focus-in-behaviours" and last.minutes >= MIN_WRITING_MINUTES


@pytest.mark.parametrize("path_id,total", sorted(PATH_MINUTES.items()))
def test_path_minutes(kb, path_id, total):
    assert path_id in kb.entries, f"learning path '{path_id}' is missing"
    path = kb.entries[path_id]
    assert path.kind == "paths", f"'{path_id}' is a {path.kind}, not a learning path"
    minutes = [step.minutes for step in path.model.steps]
    assert sum(minutes) == total, f"{path.raw.path}: step minutes {minutes} sum to {sum(minutes)}, expected {total}"


# --- the no-copying rule -------------------------------------------------------


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
    expected = fingerprint_file_text(fingerprints_from_seeds())
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


def test_spelling_and_quotation_helpers():
    assert words("Organisation behaviour centre focussed") == words("organization behavior center focused")
    assert unquoted('She said "no silos allowed" twice') == ["She said ", " twice"]
    long_quote = '"' + "word " * (MAX_QUOTE_WORDS + 1) + '"'
    assert unquoted(long_quote) == [long_quote]


# A source's title is the work's own name, which the entry must give exactly.
_NAMES = {("sources", "title")}


def test_no_text_copied_from_seed_articles(kb, seed_runs):
    copied = []
    for entry in _entries(kb):
        for field, text in strings_of(entry.model):
            if (entry.kind, field) in _NAMES:
                continue
            for run in sorted(text_runs(text)):
                if fingerprint(run) in seed_runs:
                    copied.append(f"{entry.raw.path} {field}: '{' '.join(run)}' (in {seed_runs[fingerprint(run)]})")
                    break
    assert not copied, f"{RUN}-word runs copied from a seed article; paraphrase them:\n" + "\n".join(copied)
