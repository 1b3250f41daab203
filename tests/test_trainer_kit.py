"""The trainer's kit of every shipped learning path, on the shipped handbook built by `kb build`: questions by
step on the path page, the learner and facilitator editions, the presenter view and the self-check, in
Chromium; and the smaller fixes (one listing per related entry, the tags cloud, the cards' headings).

Every expectation is read from the knowledge base the site was built from, never hard-coded.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, launched_chromium
from kbtest import serve_folder
from sitecrawl import parse

from generator.links import RELATION_HEADINGS
from generator.pipeline import check
from generator.training import clock, path_objections, timed_steps

SERIOUS = {"serious", "critical"}
LETTERS = "ABCDEF"


@pytest.fixture(scope="module")
def kb():
    knowledge, problems = check(ROOT)
    assert [p for p in problems if p.severity == "error"] == []
    return knowledge


@pytest.fixture(scope="module")
def site(shipped_build):
    return shipped_build[0]


def paths(kb):
    """Every shipped learning path: each test covers them all."""
    found = kb.by_kind("paths")
    assert len(found) >= 2
    return found


def article(site, url: str):
    return parse(site / url / "index.html").select_one("article.md-content__inner")


def _words(text: str) -> str:
    return " ".join(text.replace("¶", "").split())


# --- the path page, the learner edition, the facilitator's guide (built HTML) -----------------------


def test_each_step_shows_its_own_questions_and_the_closing_questions_close_the_page(site, kb):
    for path in paths(kb):
        body = article(site, f"paths/{path.id}")
        headings = body.select("h3")
        steps = path.model.steps
        assert len(headings) == len(steps)
        for heading, step in zip(headings, steps):
            asked = []
            for sibling in heading.find_next_siblings():
                if sibling.name in ("h2", "h3"):
                    break
                label = sibling.find_previous_sibling("p")
                if sibling.name == "ul" and label is not None and label.text == "Questions for this step":
                    asked = [_words(li.text) for li in sibling.find_all("li")]
            assert asked == step.questions, (path.id, heading.text)
        closing = body.find(id="closing-questions")
        assert [_words(li.text) for li in closing.find_next("ol").find_all("li")] == path.model.discussion_questions
        assert closing.find_next("h2") is None or closing.find_next("h2").text.strip("¶ ") != "Discussion questions"


def _trainer_notes(body) -> list[str]:
    """The text of each trainer-notes box (no spaces), without the addresses a printed page adds after its links."""
    for address in body.select(".kb-url"):
        address.decompose()
    return ["".join(box.text.split()) for box in body.select(".admonition") if "Trainer notes" in box.text]


def test_the_learner_edition_leaves_out_the_trainer_notes_the_facilitator_edition_has(site, kb):
    for path in paths(kb):
        handout, guide = article(site, f"handouts/{path.id}"), article(site, f"facilitator/{path.id}")
        with_notes = [step for step in path.model.steps if step.notes]
        assert _trainer_notes(handout) == []
        assert "Learner edition" in handout.text and "Facilitator edition" in guide.text
        assert len(_trainer_notes(guide)) == len(with_notes) == len(_trainer_notes(article(site, f"paths/{path.id}")))
        assert _trainer_notes(guide) == _trainer_notes(article(site, f"paths/{path.id}"))
        for step in path.model.steps:  # both editions keep each step's activity and questions
            for question in step.questions:
                assert question in _words(handout.text) and question in _words(guide.text)
        assert handout.select(".kb-write")  # space to write


def test_the_facilitators_guide_runs_on_the_clock_with_materials_cues_and_objections(site, kb):
    for path in paths(kb):
        guide = article(site, f"facilitator/{path.id}")
        rows = guide.find(id="running-order").find_next("table").select("tbody tr")
        timed = timed_steps(kb, path)
        assert len(rows) == len(timed)
        for row, step in zip(rows, timed):
            cells = [_words(td.text) for td in row.find_all("td")]
            assert cells[1] == f"{clock(step.start)}–{clock(step.end)}"  # running clock times from the start
            assert cells[3] == str(step.step.minutes)
            cue = clock(step.end - step.warning) if step.warning else clock(step.end)
            assert cue in cells[4]
        assert _words(guide.select_one(".kb-clock-start").text) == clock(0)
        text = _words(guide.text)
        for item in path.model.materials:
            assert item in text
        objections = path_objections(kb, path)
        assert objections, path.id  # each shipped path meets at least one objection
        for entry, objection in objections:
            assert objection.objection in text and entry.model.title in text
            for citation in objection.sources:
                assert kb.entries[citation.source].model.title in text  # each answer is sourced


def test_the_objection_guide_lists_every_objection_with_its_sources(site, kb):
    guide = article(site, "objections")
    text = _words(guide.text)
    answering = [entry for entry in kb.entries.values() if getattr(entry.model, "objections", None)]
    assert len(answering) >= 5
    for entry in answering:
        for objection in entry.model.objections:
            assert objection.objection in text
            assert all(kb.entries[c.source].model.title in text for c in objection.sources)


def test_a_page_lists_each_related_entry_once(site, kb):
    for entry in kb.entries.values():
        body = article(site, f"{entry.kind}/{entry.id}")
        lists = [h.find_next_sibling() for h in body.select("h2") if _words(h.text) in RELATION_HEADINGS.values()]
        listed = [a["href"] for ul in lists if ul.name == "ul" for a in ul.select(":scope > li > a:first-child")]
        assert len(listed) == len(set(listed)), entry.id


def test_tags_index_is_a_compact_cloud_and_cards_never_skip_a_heading_level(site, kb):
    tags = article(site, "tags")
    assert tags.select("h2") == []  # no heading per tag
    for tag in kb.tags():
        assert tags.find(id=tag) is not None  # old /tags/#<tag> links still land on it
    levels = [int(h.name[1]) for h in article(site, "cards").select("h1, h2, h3, h4")]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


# --- in Chromium -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def served(site):
    with serve_folder(site) as url:
        yield url


@pytest.fixture
def tab(browser):
    """A page in a fresh context that records every request and console error; none may leave 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    requested, errors = [], []
    context.on("request", lambda request: requested.append(request.url))
    context.route(lambda url: urlsplit(url).hostname != "127.0.0.1", lambda route: route.abort())
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert [url for url in requested if urlsplit(url).scheme not in ("data", "blob") and "127.0.0.1" not in url] == []
    assert errors == []  # no script error, nothing the Content-Security-Policy refused


def _visible_slide(page):
    slides = page.locator(".kb-slide:visible")
    assert slides.count() == 1
    return slides.first


def _swipe(page, dx: int) -> None:
    """A one-finger horizontal swipe, as a touch screen reports it."""
    page.evaluate(
        """dx => {
            const touch = x => new Touch({identifier: 1, target: document.body, clientX: x, clientY: 300});
            document.dispatchEvent(new TouchEvent("touchstart", {changedTouches: [touch(600)], bubbles: true}));
            document.dispatchEvent(new TouchEvent("touchend", {changedTouches: [touch(600 + dx)], bubbles: true}));
        }""",
        dx,
    )


@pytest.mark.browser
def test_the_presenter_view_moves_by_arrow_keys_space_and_swipe_with_a_step_timer(tab, served, kb):
    from axe_playwright_python.sync_playwright import Axe

    for path in paths(kb):
        tab.goto(served + f"present/{path.id}/")
        steps = path.model.steps
        assert _words(_visible_slide(tab).locator("h1").inner_text()) == path.model.title
        tab.keyboard.press("ArrowRight")
        for number, step in enumerate(steps, 1):
            slide = _visible_slide(tab)
            assert _words(slide.locator("h2").inner_text()) == kb.entries[step.entry].model.title
            assert all(question in _words(slide.inner_text()) for question in step.questions)
            assert re.fullmatch(rf"\d\d:\d\d of {step.minutes:02d}:00", tab.locator(".kb-present-timer").inner_text())
            assert tab.url.endswith(f"#slide-{number + 1}")
            tab.keyboard.press(" " if number % 2 else "ArrowRight")  # space and the arrow both move on
        assert "Closing" in _visible_slide(tab).inner_text()
        tab.keyboard.press("ArrowLeft")
        assert _words(_visible_slide(tab).locator("h2").inner_text()) == kb.entries[steps[-1].entry].model.title
        tab.keyboard.press("Home")
        _swipe(tab, -200)  # swipe left: the next slide
        assert _words(_visible_slide(tab).locator("h2").inner_text()) == kb.entries[steps[0].entry].model.title
        _swipe(tab, 200)
        assert _visible_slide(tab).locator("h1").count() == 1
        assert float(_visible_slide(tab).evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) >= 24  # large
        violations = Axe().run(tab).response["violations"]
        assert [v["id"] for v in violations if v["impact"] in SERIOUS] == []


@pytest.mark.browser
def test_the_self_check_answers_in_the_browser_and_keeps_progress_there(tab, served, kb):
    from axe_playwright_python.sync_playwright import Axe

    for path in paths(kb):
        checks = path.model.self_check
        if not checks:
            continue
        tab.goto(served + f"self-check/{path.id}/")
        status = tab.locator(".kb-self-check-status")
        assert status.inner_text() == f"0 of {len(checks)} answered, 0 right"
        questions = tab.locator(".kb-check")
        right = LETTERS[checks[0].choices.index(checks[0].answer)]
        questions.nth(0).get_by_role("button", name=re.compile(f"^{right}\\b")).click()
        wrong = next(LETTERS[i] for i, c in enumerate(checks[1].choices) if c != checks[1].answer)
        questions.nth(1).get_by_role("button", name=re.compile(f"^{wrong}\\b")).click()
        assert questions.nth(0).locator(".kb-check-result").inner_text() == "Right."
        answer = LETTERS[checks[1].choices.index(checks[1].answer)]
        assert questions.nth(1).locator(".kb-check-result").inner_text() == f"Not quite: the answer is {answer}."
        assert questions.nth(1).locator("details").evaluate("d => d.open")  # the explanation shows
        assert kb.entries[checks[1].entry].model.title in questions.nth(1).locator("details").inner_text()
        assert status.inner_text() == f"2 of {len(checks)} answered, 1 right"
        violations = Axe().run(tab).response["violations"]
        assert [v["id"] for v in violations if v["impact"] in SERIOUS] == []
        tab.reload()  # kept in this browser only
        assert status.inner_text() == f"2 of {len(checks)} answered, 1 right"
        assert "kb-self-check:" + path.id in tab.evaluate("Object.keys(localStorage)")
        tab.get_by_role("button", name="Start again").click()
        assert status.inner_text() == f"0 of {len(checks)} answered, 0 right"


@pytest.mark.browser
def test_the_facilitators_start_time_moves_every_clock_time(tab, served, kb):
    for path in paths(kb):
        timed = timed_steps(kb, path)
        tab.goto(served + f"facilitator/{path.id}/")
        tab.locator(".kb-clock-control input").fill("13:30")
        first = tab.locator("article table").first.locator("tbody tr").first.locator("td").nth(1)
        assert _words(first.inner_text()) == f"{clock(0, 13 * 60 + 30)}–{clock(timed[0].end, 13 * 60 + 30)}"
        tab.goto(served + f"facilitator/{path.id}/?start=08:15")
        last = tab.locator("article table").first.locator("tbody tr").last.locator("td").nth(1)
        assert _words(last.inner_text()).endswith(clock(timed[-1].end, 8 * 60 + 15))


@pytest.mark.browser
def test_every_trainer_page_of_every_path_loads_only_from_the_site(tab, served, kb):
    for path in paths(kb):
        for folder in ("paths", "handouts", "facilitator", "present", "self-check"):
            tab.goto(served + f"{folder}/{path.id}/")
            tab.wait_for_load_state("networkidle")
    tab.goto(served + "objections/")
