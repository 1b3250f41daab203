"""Near-duplicate names (generator/similar.py), unit by unit: how names are folded, what counts as close,
and which entry is warned. test_contributor.py runs the same warnings through kb check."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbtest import project_skeleton

from generator.pipeline import check
from generator.similar import near_duplicates, normalise

ONE_EDIT_AWAY = ["Customer survey reslts", "Customer survey resalts", "Customer suvrey results"]  # less, other, swapped


@pytest.fixture
def project(tmp_path) -> Path:
    """An empty project: sources are added by the tests."""
    root = project_skeleton(tmp_path / "p")
    (root / "content" / "sources").mkdir(parents=True)
    return root


def add_source(project: Path, entry_id: str, title: str, added: str, extra: str = "") -> None:
    """A source entry: the kind with the fewest required fields."""
    text = f"title: {title}\nsummary: A source.\npublisher: Test Weekly\nadded: {added}\n{extra}"
    (project / "content" / "sources" / f"{entry_id}.yaml").write_text(text)


def hints(project: Path) -> list[str]:
    """The near-duplicate warnings of the project's content, as kb check prints them."""
    kb, _ = check(project, review_hints=False)
    return [str(warning) for warning in near_duplicates(kb)]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Service Focus", "service-focus"),
        ("The reply to a customer", "reply customer"),
        ("Replies", "reply"),
        ("Answers", "answer"),
        ("Café", "cafe"),
        ("Naïve answers", "naive answer"),
    ],
)
def test_names_are_folded_across_case_punctuation_small_words_plurals_and_accents(one, other):
    assert normalise(one) == normalise(other)


@pytest.mark.parametrize(("one", "other"), [("class", "clas"), ("service", "services x"), ("a the", "")])
def test_folding_keeps_what_tells_names_apart(one, other):
    assert normalise(one) != normalise(other)  # "ss" is no plural; a name of small words only keeps them


@pytest.mark.parametrize("newer_title", ONE_EDIT_AWAY)
def test_a_title_one_edit_from_an_older_title_warns_the_newer_entry_once(project, newer_title):
    # The newer entry is first by path: the warning follows the dates, not the file order.
    add_source(project, "b-results", "Customer survey results", "2026-01-01")
    add_source(project, "a-results", newer_title, "2026-02-01", "aliases: [customer-survey-resul]\n")
    assert hints(project) == [  # one warning for the pair, at the title the author wrote, though the alias is close too
        f"content/sources/a-results.yaml:1:8: warning: title '{newer_title}' is very close to the title "
        "'Customer survey results' of content/sources/b-results.yaml: if both are about the same idea, "
        "improve that entry instead; otherwise make the names distinct"
    ]


def test_short_names_may_differ_by_one_letter_but_not_be_equal(project):
    add_source(project, "be-calm", "Be calm", "2026-01-01")
    add_source(project, "be-clam", "Be clam", "2026-01-02")
    assert hints(project) == []
    add_source(project, "the-calm", "The Be-Calm", "2026-01-03")
    assert [hint.split(": warning: ")[0] for hint in hints(project)] == ["content/sources/the-calm.yaml:1:8"]


def test_a_name_an_entry_shares_with_another_is_left_to_the_link_stages_error(project):
    add_source(project, "customer-survey-results", "Customer survey results", "2026-01-01")
    add_source(project, "survey-outcomes", "Survey outcomes", "2026-01-02", "aliases: [customer-survey-results]\n")
    kb, problems = check(project, review_hints=False)
    assert any(problem.severity == "error" and "customer-survey-results" in problem.message for problem in problems)
    assert near_duplicates(kb) == []


def test_an_identical_title_is_called_identical_and_a_close_one_close(project):
    add_source(project, "survey-results", "Customer survey results", "2026-01-01")
    add_source(project, "survey-results-again", "Customer  Survey results", "2026-01-02")  # case and spacing only
    add_source(project, "survey-result", "Customer survey result", "2026-01-03")
    found = {hint.split(":")[0]: hint.split(": warning: ")[1] for hint in hints(project)}
    assert found["content/sources/survey-results-again.yaml"].startswith(
        "title 'Customer  Survey results' is identical to the title of content/sources/survey-results.yaml: "
    )
    assert found["content/sources/survey-result.yaml"].startswith(
        "title 'Customer survey result' is very close to the title 'Customer "
    )
