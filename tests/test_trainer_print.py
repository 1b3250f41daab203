"""The shipped paths' printed editions, as Chromium prints them to A4 and pypdf reads them back: no sheet near
empty, a step's questions with the step, the closing questions on a shared sheet, the edition and date on
each, and the self-check as an answer sheet with its answers on the last sheet."""

from __future__ import annotations

import io

import pytest
from conftest import ROOT, launched_chromium
from kbtest import serve_folder

from generator.pipeline import check

pytestmark = pytest.mark.browser

# A sheet whose last line of text is less than this far down the page is near empty (the sheets held
# one agenda row or one question: 5 to 17% of the height).
MIN_FILL = 0.3


@pytest.fixture(scope="module")
def kb():
    knowledge, _ = check(ROOT)
    return knowledge


@pytest.fixture(scope="module")
def printed(shipped_build):
    """Print a page of the shipped site to PDF: a function of its site path, giving a pypdf reader."""
    from pypdf import PdfReader

    with serve_folder(shipped_build[0]) as base, launched_chromium() as browser:

        def print_page(url: str):
            tab = browser.new_page()
            try:
                tab.goto(base + url)
                return PdfReader(io.BytesIO(tab.pdf(prefer_css_page_size=True, print_background=True)))
            finally:
                tab.close()

        yield print_page


def fill(sheet) -> float:
    """How far down a printed sheet its text reaches, from 0 (blank) to 1."""
    lowest = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            lowest.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])  # the text's y on the page, in points from the bottom

    sheet.extract_text(visitor_text=visit)
    height = float(sheet.mediabox.height)
    return (height - min(lowest)) / height if lowest else 0.0


def sheets(reader) -> list[str]:
    return [" ".join(sheet.extract_text().split()) for sheet in reader.pages]


def sheet_of(texts: list[str], text: str) -> int:
    return next(number for number, sheet in enumerate(texts) if text in sheet)


@pytest.mark.parametrize("edition", ["handouts", "facilitator"])
def test_every_path_prints_without_a_near_empty_sheet(printed, kb, edition):
    for path in kb.by_kind("paths"):
        reader = printed(f"{edition}/{path.id}/")
        fills = [round(fill(sheet), 2) for sheet in reader.pages]
        assert min(fills) >= MIN_FILL, (path.id, fills)
        texts = sheets(reader)
        label = "Learner edition" if edition == "handouts" else "Facilitator edition"
        assert f"{label} · version of {(path.model.last_reviewed or path.model.added).isoformat()}" in texts[0]
        for number, step in enumerate(path.model.steps, 1):
            heading = sheet_of(texts, f"Step {number}:")
            for question in step.questions:  # with the step: on its sheet, or the next when the step runs on
                assert sheet_of(texts[heading:], question) <= 1, (path.id, number, question)
        closing = sheet_of(texts, "Closing discussion")
        assert texts[closing].index("Closing discussion") > 0  # the closing questions share their sheet
        if edition == "handouts":
            assert not any("Trainer notes" in text for text in texts)


def test_the_self_check_prints_as_an_answer_sheet_with_the_answers_last(printed, kb):
    for path in kb.by_kind("paths"):
        if not path.model.self_check:
            continue
        texts = sheets(printed(f"self-check/{path.id}/"))
        answers = sheet_of(texts, "Answers")
        assert answers == len(texts) - 1  # the answers close the answer sheet, on a sheet of their own
        for check_ in path.model.self_check:
            asked = sheet_of(texts, check_.question[:60])
            assert asked < answers and all(
                choice[:40] in " ".join(texts[asked : asked + 2]) for choice in check_.choices
            )
            assert check_.answer[:40] in texts[answers]
        assert "☐" in texts[0]  # a box to tick per choice
