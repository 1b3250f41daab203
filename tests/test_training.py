"""Trainer pages, tried on a built site: learning paths with previous/next, printable handouts with
QR codes, the glossary and its tooltips, the behaviour card deck and the practice matrix."""

from __future__ import annotations

import html
import io
import json
import math
import posixpath
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import segno
from conftest import launched_chromium, session_build
from kbtest import FIXTURES, ROOT, make_project, run_kb, serve_folder
from sitecrawl import parse

from generator.pipeline import build_pages, check
from generator.render import MATRIX_MAX_COLUMNS

SITE_URL = "https://handbook.example.org/kb/"
CONTENT = FIXTURES / "training"
# What the issue-5 sanitiser keeps of inline SVG.
SVG_ELEMENTS = {"svg", "g", "path", "rect"}
SVG_ATTRIBUTES = {
    "viewbox",
    "width",
    "height",
    "class",
    "d",
    "fill",
    "stroke",
    "transform",
    "xmlns",
    "role",
    "aria-label",
    "aria-hidden",
}


@session_build
def training_site(tmp_path_factory) -> Path:
    """The training fixture built with the real MkDocs + Material, published at SITE_URL."""
    project = make_project(tmp_path_factory.mktemp("training"), CONTENT / "content")
    result = run_kb("build", cwd=project, env={"KB_SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def site(training_site) -> Path:
    """The training site (the name these tests use)."""
    return training_site


@pytest.fixture(scope="module")
def kb():
    knowledge, problems = check(CONTENT)
    assert problems == []
    return knowledge


def page(site: Path, url: str):
    """Parse the built page at a site-relative directory URL like 'paths/onboarding/'."""
    return parse(site / url / "index.html")


def resolve(from_url: str, href: str) -> str:
    """The site-relative URL (no query) a relative link on a page leads to."""
    target = posixpath.normpath(posixpath.join(from_url, urlsplit(href).path))
    return "" if target == "." else target + "/"


def article(soup):
    return soup.select_one("article.md-content__inner")


def qr_modules(svg) -> set[tuple[int, int]]:
    """Read back the dark modules drawn by a segno SVG path (lines of 'h' runs, border 2)."""
    x = y = 0.0
    dark = set()
    for command, a, b in re.findall(r"([Mmh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", svg.find("path")["d"]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark |= {(int(x) + i - 2, int(y - 0.5) - 2) for i in range(int(float(a)))}
            x += float(a)
    return dark


def assert_qr_encodes(svg, url: str) -> None:
    """The SVG is a QR code of exactly this URL, labelled for screen readers."""
    expected = segno.make(url, micro=False, error="m")
    assert qr_modules(svg) == {
        (col, row) for row, line in enumerate(expected.matrix) for col, dark in enumerate(line) if dark
    }
    assert svg["role"] == "img" and url in svg["aria-label"]


# --- learning paths ----------------------------------------------------------------------------


def test_path_page_links_each_step_within_the_path_and_prints_a_handout(site, kb):
    soup = page(site, "paths/onboarding")
    steps = [s.entry for s in kb.entries["onboarding"].model.steps]
    agenda = article(soup).find(id="agenda").find_next("table")
    rows = agenda.select("tbody tr")
    assert [resolve("paths/onboarding/", r.find("a")["href"]) for r in rows] == [
        f"{kb.entries[s].kind}/{s}/" for s in steps
    ]
    assert all(r.find("a")["href"].endswith("?path=onboarding") for r in rows)
    assert [r.find_all("td")[3].text for r in rows] == ["10", "25", "30", "40"]  # running total
    assert "Total time: 40 minutes" in article(soup).text
    for label, folder in [
        ("Learner handout", "handouts"),
        ("Facilitator's guide", "facilitator"),
        ("Present", "present"),
        ("Self-check", "self-check"),
    ]:
        link = article(soup).find("a", string=label)
        assert resolve("paths/onboarding/", link["href"]) == f"{folder}/onboarding/"


def _step_nav(soup, path_id: str):
    block = article(soup).select_one(f"p.kb-path-nav.kb-path-nav--{path_id}")
    assert block is not None
    links = block.find_all("a")
    return links[1], links[2]  # the path's own link comes first


def test_following_next_from_the_path_walks_every_step_and_returns(site, kb):
    steps = [f"{kb.entries[s.entry].kind}/{s.entry}/" for s in kb.entries["onboarding"].model.steps]
    start = article(page(site, "paths/onboarding")).find("a", string="Start with step 1")
    url, visited = resolve("paths/onboarding/", start["href"]), []
    while url != "paths/onboarding/" and len(visited) < 10:
        visited.append(url)
        _, following = _step_nav(page(site, url), "onboarding")
        assert following["href"].endswith("?path=onboarding") or following.text == "back to the path"
        url = resolve(url, following["href"])
    assert visited == steps
    previous_urls = [resolve(url, _step_nav(page(site, url), "onboarding")[0]["href"]) for url in steps]
    assert previous_urls == ["paths/onboarding/", *steps[:-1]]


def test_an_entry_in_two_paths_shows_its_place_in_each(site):
    blocks = article(page(site, "behaviours/listen-first")).select("p.kb-path-nav")
    assert [" ".join(b.text.split()) for b in blocks] == [
        "Onboarding, step 2 of 4. Previous: Customer focus · Next: Acme listens and follows up",
        "Refresher, step 2 of 2. Previous: Own the problem · Next: back to the path",
    ]


# --- handout -----------------------------------------------------------------------------------


def test_handout_is_print_ready(site, kb):
    soup = page(site, "handouts/onboarding")
    path = kb.entries["onboarding"].model
    assert soup.select_one(".md-sidebar--primary").has_attr("hidden") and soup.select_one(
        ".md-sidebar--secondary"
    ).has_attr("hidden")
    steps = article(soup).select("h2.kb-handout-step")
    assert [h.text.strip("¶ ") for h in steps[:-1]] == [
        f"Step {n}: {kb.entries[s.entry].model.title} ({s.minutes} min)" for n, s in enumerate(path.steps, 1)
    ]
    text = " ".join(article(soup).text.split())
    for step in path.steps:
        target = kb.entries[step.entry]
        assert f"Online: {SITE_URL}{target.kind}/{target.id}/" in text
    assert "Listened to every caller before suggesting a fix." in text  # the case note's content, inline
    assert f"Listen first ({SITE_URL}behaviours/listen-first/)" in text  # links in prose carry their address
    assert "Learner edition · version of 2026-11-23" in text
    assert (
        "Ask for an example of a touch point from their own work." not in text
    )  # no trainer notes: the learner edition
    assert_qr_encodes(article(soup).select_one(".kb-qr svg"), f"{SITE_URL}paths/onboarding/")


def test_handout_is_not_in_the_nav_and_search_finds_it_by_its_title_alone(site, kb):
    nav = {a.get("href") for a in page(site, "").select(".md-nav--primary a.md-nav__link")}
    assert not any("handouts" in (href or "") for href in nav)
    assert {"glossary/", "cards/", "matrix/"} <= nav
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    handouts = {doc["location"]: doc for doc in docs if doc["location"].startswith("handouts/")}
    paths = kb.by_kind("paths")
    assert set(handouts) == {f"handouts/{path.id}/" for path in paths}  # one document each: no sections
    for path in paths:  # a teacher typing "handout" finds it; its steps' text belongs to the entries' own pages
        doc = handouts[f"handouts/{path.id}/"]
        assert path.model.title in doc["title"] and doc["text"] == path.model.summary


def test_without_a_site_url_the_handout_prints_the_permalink_and_no_qr_code():
    _, pages = build_pages(CONTENT, ROOT / "site_templates", site_url=None)
    handout = next(p.markdown for p in pages if p.path == "handouts/onboarding.md")
    assert "<svg" not in handout  # a site-absolute address is no use on paper: say how to find the page
    assert "This path online: search the handbook for “Onboarding” (the page /<wbr>paths/<wbr>onboarding/" in handout
    assert "Online: search the handbook for “Listen first” (/behaviours/listen-first/)" in handout


# --- glossary and tooltips ---------------------------------------------------------------------


def test_glossary_lists_every_definition_with_its_other_names(site, kb):
    soup = article(page(site, "glossary"))
    terms = soup.select("dl dt a")
    definitions = kb.by_kind("definitions")
    assert [a.text for a in terms] == [d.model.term for d in definitions]
    for link, definition in zip(terms, definitions):
        assert resolve("glossary/", link["href"]) == f"definitions/{definition.id}/"
        described = link.find_parent("dt").find_next_sibling("dd").text
        assert definition.model.summary in described
        assert all(name in described for name in definition.model.also_known_as)


def _tooltips(soup, kb) -> list:
    """Page body links with a definition's summary as tooltip (HTML-escaped: the theme shows it with innerHTML)."""
    summaries = {html.escape(d.model.summary) for d in kb.by_kind("definitions")}
    return [a for a in article(soup).find_all("a", title=True) if a["title"] in summaries]


def test_first_mention_of_a_term_on_a_behaviour_page_shows_its_summary(site, kb):
    soup = page(site, "behaviours/listen-first")
    tips = [(a.text, resolve("behaviours/listen-first/", a["href"]), a["title"]) for a in _tooltips(soup, kb)]
    assert tips == [
        ("CUSTOMER FOCUS", "definitions/customer-focus/", html.escape(kb.entries["customer-focus"].model.summary)),
        ("touch point", "definitions/touch-point/", html.escape(kb.entries["touch-point"].model.summary)),
    ]


def test_also_known_as_names_link_on_case_note_pages(site, kb):
    tips = _tooltips(page(site, "case-notes/acme"), kb)
    assert [(a.text, a["title"]) for a in tips] == [
        ("customer orientation", html.escape(kb.entries["customer-focus"].model.summary))
    ]


def test_tooltips_never_in_code_headings_or_own_page_and_once_per_page(site, kb):
    linked = 0
    for entry in kb.entries.values():
        soup = page(site, f"{entry.kind}/{entry.id}")
        tips = _tooltips(soup, kb)
        linked += len(tips)
        targets = [resolve(f"{entry.kind}/{entry.id}/", a["href"]) for a in tips]
        assert len(targets) == len(set(targets)), entry.id
        assert f"{entry.kind}/{entry.id}/" not in targets, entry.id
        assert not any(a.find_parent(["h1", "h2", "h3", "h4", "h5", "h6"]) for a in tips), entry.id
        # A link made inside code would show there as literal Markdown, not as an <a>.
        assert not any(
            re.search(r"\]\([^)]*definitions/", code.get_text()) for code in article(soup).find_all(["code", "pre"])
        ), entry.id
    assert linked > 0


# --- card deck and matrix ----------------------------------------------------------------------


def test_card_deck_has_one_card_per_behaviour(site, kb):
    cards = article(page(site, "cards")).select("div.kb-card")
    behaviours = kb.by_kind("behaviours")
    assert len(cards) == len(behaviours)
    for card, behaviour in zip(cards, behaviours):
        title = card.find("h2").find("a")  # h1, then h2: no heading level skipped
        assert title.text == behaviour.model.title
        assert resolve("cards/", title["href"]) == f"behaviours/{behaviour.id}/"
        assert behaviour.model.summary in card.text
        assert card.select_one(".kb-card-question").text == f"Ask: {behaviour.model.discussion_questions[0]}"
        assert card.find("li") is not None  # what it looks like in practice
        assert_qr_encodes(card.select_one(".kb-qr svg"), f"{SITE_URL}behaviours/{behaviour.id}/")


def test_practice_matrix_marks_each_case_and_totals_rows_and_columns(site, kb):
    soup = article(page(site, "matrix"))
    table = soup.select_one(".kb-matrix table")
    cases = [c for c in kb.by_kind("case-notes")]
    cases.sort(key=lambda c: c.model.company.casefold())
    header = [th.text.strip() for th in table.select("thead th")]
    assert header == ["Behaviour", *[c.model.company for c in cases], "Cases"]
    rows = table.select("tbody tr")
    behaviours = kb.by_kind("behaviours")
    assert len(rows) == len(behaviours) + 1
    for row, behaviour in zip(rows, behaviours):
        cells = row.find_all("td")
        assert cells[0].text == behaviour.model.title
        expected = [behaviour.id in c.model.demonstrates for c in cases]
        marks = [cell.find("a") for cell in cells[1:-1]]
        assert [m is not None for m in marks] == expected, behaviour.id
        for mark, case in zip(marks, cases):
            if mark is not None:
                assert resolve("matrix/", mark["href"]) == f"case-notes/{case.id}/"
        assert cells[-1].text == (str(sum(expected)) if any(expected) else "none")
    totals = [td.text for td in rows[-1].find_all("td")]
    assert totals[1:-1] == [str(len(c.model.demonstrates)) for c in cases]
    assert totals[-1] == str(sum(len(c.model.demonstrates) for c in cases))
    lacking = soup.find(id="behaviours-without-a-real-world-case").find_next("ul")
    assert [a.text for a in lacking.find_all("a")] == ["Own the problem"]


def _add_case_notes(project: Path, count: int) -> None:
    """Case notes enough to outgrow the grid, each of listen-first, follow-up or both (own-the-problem has none)."""
    for number in range(count):
        shown = [["listen-first"], ["follow-up"], ["follow-up", "listen-first"]][number % 3]
        (project / "content" / "case-notes" / f"case-{number:02d}.yaml").write_text(
            f"title: Case {number:02d}\nsummary: A case.\ncompany: Company {number:02d}\nperiod: as described in 2021\n"
            f"what_they_did: [Listened.]\ndemonstrates: [{', '.join(shown)}]\nadded: 2026-11-23\n"
        )


@session_build
def many_cases_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The training fixture with more case notes than the matrix grid shows, built: the project and the result."""
    project = make_project(tmp_path_factory.mktemp("many-cases") / "p", CONTENT / "content")
    _add_case_notes(project, MATRIX_MAX_COLUMNS)
    return project, run_kb("build", cwd=project)


def test_practice_matrix_lists_cases_per_behaviour_when_too_many_for_a_grid(many_cases_build):
    project, result = many_cases_build
    knowledge, problems = check(project)
    assert problems == []
    cases = sorted(knowledge.by_kind("case-notes"), key=lambda c: (c.model.company.casefold(), c.id))
    assert len(cases) > MATRIX_MAX_COLUMNS
    assert result.returncode == 0, result.stdout + result.stderr
    table = article(page(project / "site", "matrix")).select_one(".kb-matrix-list table")
    assert [th.text for th in table.select("thead th")] == ["Behaviour", "Demonstrated by", "Cases"]
    rows = table.select("tbody tr")
    behaviours = knowledge.by_kind("behaviours")
    assert len(rows) == len(behaviours)
    for row, behaviour in zip(rows, behaviours):
        name, demonstrated_by, count = row.find_all("td")
        assert name.text == behaviour.model.title
        expected = [c for c in cases if behaviour.id in c.model.demonstrates]
        assert [resolve("matrix/", a["href"]) for a in demonstrated_by.find_all("a")] == [
            f"case-notes/{c.id}/" for c in expected
        ]
        assert count.text == (str(len(expected)) if expected else "none")


def test_qr_codes_use_only_the_svg_the_sanitiser_keeps(site):
    svgs = [svg for html in site.rglob("*.html") for svg in parse(html).select("article svg.kb-qr-code")]
    assert len(svgs) >= 3 + 2  # three cards and two handouts
    for svg in svgs:
        elements = {svg.name} | {child.name for child in svg.find_all(True)}
        assert elements <= SVG_ELEMENTS
        for element in [svg, *svg.find_all(True)]:
            assert {name.lower() for name in element.attrs} <= SVG_ATTRIBUTES


# --- in the browser: print to PDF, previous/next, tooltips ---------------------------------------


@pytest.fixture(scope="module")
def served(site):
    """Serve the built site over HTTP (Material's scripts need it) for the browser tests."""
    with serve_folder(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as chromium:
        yield chromium


def print_pdf(browser, url: str):
    """Print a page as Chromium does (A4 from the page's CSS) and read the PDF back."""
    from pypdf import PdfReader

    tab = browser.new_page()
    try:
        tab.goto(url)
        return PdfReader(io.BytesIO(tab.pdf(prefer_css_page_size=True, print_background=True)))
    finally:
        tab.close()


def _text(reader) -> str:
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def _sheet_of(reader, text: str) -> int:
    """The index of the first printed sheet that holds a text (whitespace as on the page)."""
    sheets = [" ".join(page.extract_text().split()) for page in reader.pages]
    return next(i for i, sheet in enumerate(sheets) if text in sheet)


@pytest.mark.browser
def test_handout_prints_each_steps_questions_with_the_step_and_addresses(browser, served, kb):
    reader = print_pdf(browser, served + "handouts/onboarding/")
    path = kb.entries["onboarding"].model
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4
    text = _text(reader)
    for number, step in enumerate(path.steps, 1):
        assert kb.entries[step.entry].model.title in text
        for question in step.questions:  # on the step's sheet or the next: never apart from the step
            assert (
                _sheet_of(reader, f"Step {number}:")
                <= _sheet_of(reader, question)
                <= _sheet_of(reader, f"Step {number}:") + 1
            )
    last_question = path.steps[-1].questions[-1]
    assert _sheet_of(reader, path.discussion_questions[0]) == _sheet_of(reader, last_question)  # never alone
    assert f"{SITE_URL}paths/onboarding/" in text and "Learner edition" in text
    assert "survey guide" not in text  # the trainer's notes are not in what participants receive
    assert "Behaviour cards" not in text and "Search" not in text  # no navigation, no search box


@pytest.mark.browser
def test_facilitator_guide_prints_the_trainer_notes_with_their_addresses(browser, served, kb):
    text = _text(print_pdf(browser, served + "facilitator/onboarding/"))
    assert "Facilitator edition" in text
    assert "survey guide (https://example.org/survey-guide)" in text  # web links print their address
    assert "Ask for an example of a touch point from their own work." in text


@pytest.mark.browser
def test_card_deck_prints_four_cards_to_an_a4_sheet(browser, served, kb):
    reader = print_pdf(browser, served + "cards/")
    behaviours = kb.by_kind("behaviours")
    assert len(reader.pages) == math.ceil(len(behaviours) / 4)
    text = _text(reader)
    assert all(b.model.title in text and b.model.discussion_questions[0] in text for b in behaviours)


@pytest.mark.browser
def test_practice_matrix_prints_every_row_and_column(browser, served, kb):
    reader = print_pdf(browser, served + "matrix/")
    assert len(reader.pages) == 1
    text = _text(reader)
    assert all(b.model.title in text for b in kb.by_kind("behaviours"))
    assert all(c.model.company in text for c in kb.by_kind("case-notes"))


@pytest.mark.browser
def test_previous_and_next_appear_at_the_top_when_reached_from_a_path(browser, served, kb):
    tab = browser.new_page()
    try:
        tab.goto(served + "paths/onboarding/")
        with tab.expect_navigation():
            tab.get_by_role("link", name="Start with step 1").click()
        visited = []
        while "/paths/onboarding/" not in tab.url and len(visited) < 10:
            here = tab.locator("nav.kb-path-nav-current")
            assert here.count() == 1, tab.url
            assert here.evaluate("n => n.previousElementSibling.tagName") == "H1"  # right under the title
            assert "Onboarding, step" in here.inner_text()
            visited.append(tab.locator("article h1").inner_text().rstrip("¶").strip())
            with tab.expect_navigation():
                here.get_by_role("link").last.click()
        assert visited == [kb.entries[s.entry].model.title for s in kb.entries["onboarding"].model.steps]
        tab.goto(served + "behaviours/listen-first/")
        assert tab.locator("nav.kb-path-nav-current").count() == 0  # not reached from a path
    finally:
        tab.close()


@pytest.mark.browser
def test_defined_term_shows_its_summary_as_a_tooltip(browser, served, kb):
    tab = browser.new_page()
    try:
        tab.goto(served + "case-notes/acme/")
        tab.locator("article a", has_text="customer orientation").hover()
        tooltip = tab.locator(".md-tooltip2--active")
        tooltip.wait_for(timeout=5000)
        assert tooltip.inner_text().strip() == kb.entries["customer-focus"].model.summary
    finally:
        tab.close()
