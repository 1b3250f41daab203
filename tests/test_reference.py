"""The reference pages compare entries from their own fields: definitions, trust in sources, self-assessment."""

from __future__ import annotations

import pytest
from kbtest import make_project

from generator.pipeline import build_pages


def _append(path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The basic fixture with comparison fields: an author's view, a commenter's view, a source's stake, statements."""
    project = make_project(tmp_path_factory.mktemp("reference") / "project")
    content = project / "content"
    definition = content / "definitions" / "service-focus.yaml"
    text = definition.read_text(encoding="utf-8")
    text = text.replace(
        "    view: The author treats it as a habit.\n",
        "    scope: every reply\n    emphasis: habit\n    test: Count the replies sent the same day.\n"
        "    view: The author treats it as a habit.\n"
        "  - source: field-notes\n    locator: a reader's letter\n    by: A reader\n    scope: the letters page\n"
        "    view: The reader treats it as luck.\n",
    )
    definition.write_text(text, encoding="utf-8")
    _append(content / "sources" / "field-notes.yaml", "genre: test article\ninterest: sells reply software\n")
    _append(content / "behaviours" / "answer-quickly.yaml", "self_assessment:\n  - We reply the same day.\n")
    _, built = build_pages(project)
    return {page.path: page.markdown for page in built}


def test_definitions_side_by_side_give_each_view_its_own_author_and_interest(pages):
    compare = pages["side-by-side.md"]
    rows = [line for line in compare.splitlines() if line.startswith("| ") and "field-notes.md" in line]
    author_row, reader_row = rows
    assert "| every reply | habit | Count the replies sent the same day. | sells reply software |" in author_row
    # A commenter's view is the commenter's: the source author's stake is not theirs.
    assert reader_row.startswith("| A reader, in [Field notes on service](sources/field-notes.md)")
    assert reader_row.endswith("| not stated |")
    assert "The reader treats it as luck." in compare


def test_trust_page_lists_each_source_with_its_date_kind_and_stake(pages):
    row = next(line for line in pages["trust.md"].splitlines() if "field-notes.md" in line)
    assert row == (
        "| [Field notes on service](sources/field-notes.md) | Ada Example | 2020-01-31 | test article | — "
        "| sells reply software |"
    )


def test_self_assessment_scores_each_statement_under_the_behaviour_it_tests(pages):
    page = pages["self-assessment.md"]
    heading = page.index("## [Answer quickly](behaviours/answer-quickly.md)")
    assert page.index("| We reply the same day. | ☐ | ☐ | ☐ | ☐ | ☐ |") > heading
