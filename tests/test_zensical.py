"""The second engine: `kb build --engine zensical` publishes the same pages at the same addresses, as safely.

Built for real with Zensical (the pinned version), its HTML parsed, its links crawled; the hostile
corpus too. Compared with the MkDocs + Material build of the same content (conftest's session builds).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import launched_chromium, session_build
from htmlsafety import body_problems, unsafe_parts
from kbtest import (
    FIXTURES,
    ROOT,
    assert_preview_follows_an_entry_edit,
    free_port,
    make_project,
    run_kb,
    serve_folder,
    start_kb_serve,
    tree_state,
)
from sitecrawl import broken_links, parse
from test_hostile import PAYLOAD_ENTRIES
from test_training import print_pdf

from generator.pipeline import check
from generator.render import Page
from generator.zensical_engine import engine_markdown, zensical_toml


def _zensical_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`kb build --engine zensical` of a project into site, as a user runs it."""
    return run_kb("build", "--engine", "zensical", "--site-dir", str(site), cwd=project)


@session_build  # built in conftest's builder thread while other tests run
def zensical_hostile(tmp_path_factory) -> Path:
    """The hostile corpus built with Zensical."""
    project = make_project(tmp_path_factory.mktemp("zensical-hostile") / "p", FIXTURES / "hostile" / "content")
    result = _zensical_build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _pages(site: Path) -> set[str]:
    """Every HTML page of a site by its path."""
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


def test_every_page_mkdocs_publishes_zensical_publishes_at_the_same_address(zensical_shipped, shipped_build):
    mkdocs_site = shipped_build[0]
    assert _pages(zensical_shipped) == _pages(mkdocs_site)
    inventory = json.loads((zensical_shipped / "inventory.json").read_text(encoding="utf-8"))
    for entry in inventory["entries"]:
        assert (zensical_shipped / entry["url"] / "index.html").is_file(), entry["url"]


def test_redirects_inventories_and_feed_are_the_same_bytes_under_both_engines(zensical_shipped, shipped_build):
    mkdocs_site = shipped_build[0]
    for name in (
        "inventory.json",
        "objects.inv",
        "feed.xml",
        *sorted(p.relative_to(mkdocs_site).as_posix() for p in (mkdocs_site / "go").rglob("*.html")),
    ):
        assert (zensical_shipped / name).read_bytes() == (mkdocs_site / name).read_bytes(), name


def test_no_internal_link_or_anchor_is_broken_under_zensical(zensical_shipped):
    assert broken_links(zensical_shipped) == []


def test_entry_pages_show_the_same_article_under_both_engines(zensical_shipped, shipped_build):
    mkdocs_site = shipped_build[0]
    kb, _ = check(ROOT)
    for entry in kb.entries.values():
        page = f"{entry.kind}/{entry.id}/index.html"
        texts = [
            parse(site / page).find("article").get_text(" ", strip=True) for site in (zensical_shipped, mkdocs_site)
        ]
        assert texts[0] == texts[1], page


def test_every_page_carries_its_policy_and_no_edit_link_without_an_edit_address(zensical_shipped):
    for page in sorted(zensical_shipped.rglob("*.html")):
        assert 'http-equiv="Content-Security-Policy"' in page.read_text(encoding="utf-8"), page
    # Built without KB_EDIT_URI: no edit button (test_contributor_tools.py checks it with one).
    edit = parse(zensical_shipped / "behaviours" / "act-with-urgency" / "index.html").find("a", rel="edit")
    assert edit is None


def test_no_page_of_the_hostile_corpus_can_run_or_load_anything_under_zensical(zensical_hostile):
    pages = sorted(zensical_hostile.rglob("*.html"))
    checked = set()
    for page_file in pages:
        page = parse(page_file)
        assert unsafe_parts(page, allow_scripts=True) == [], page_file
        article = page.find("article")
        if article is not None and page_file.name != "404.html":  # the theme's own page
            skip = article.find("a", id="__skip", recursive=False)  # Zensical's skip-link target opens the body
            if skip is not None:
                skip.decompose()
            assert body_problems(article) == [], page_file
            checked.add(page_file.parent.name)
    assert set(PAYLOAD_ENTRIES) <= checked


def test_hostile_titles_and_summaries_are_text_in_title_meta_and_search_under_zensical(zensical_hostile):
    kb, _ = check(FIXTURES / "hostile")
    index = json.loads((zensical_hostile / "search.json").read_text(encoding="utf-8"))
    for entry_id in PAYLOAD_ENTRIES:
        entry = kb.entries[entry_id]
        page = parse(zensical_hostile / entry.kind / entry_id / "index.html")
        assert page.title.get_text().startswith(entry.model.title)  # Zensical inserts it raw: kb escaped it
        assert page.find("meta", attrs={"name": "description"})["content"] == entry.model.summary
        assert page.select('[data-md-component="header-topic"]')[0].get_text(strip=True) == entry.model.title
        assert page.find("h1").get_text().rstrip("¶") == entry.model.title
        # Zensical's tooltips insert a link's title as HTML too: whatever its text, it holds no markup.
        for link in page.find("article").find_all("a", title=True):
            assert unsafe_parts(BeautifulSoup(link["title"], "html.parser")) == [], entry_id
            assert not re.search(r"<[A-Za-z/!?]", link["title"]), (entry_id, link["title"][:80])
    for item in index["items"]:
        assert unsafe_parts(BeautifulSoup(item["title"] + item["text"], "html.parser")) == [], item["location"]


def test_front_matter_is_html_escaped_for_zensical_and_gains_the_edit_link():
    page = Page(
        "x/y.md",
        '---\ntitle: "A \\u003cb\\u003e \\u0026 \\u0022q\\u0022"\ndescription: "ok"\n---\n\n# A\n',
        "y",
        "content/x/y.yaml",
    )
    written = engine_markdown(page, "https://forge.example/edit/main/")
    head = written.split("\n---\n")[0]
    assert json.loads(head.split("\n")[1][len("title: ") :]) == "A &lt;b&gt; &amp; &quot;q&quot;"
    assert json.loads(head.split("\n")[3][len("edit_url: ") :]) == "https://forge.example/edit/main/content/x/y.yaml"
    assert written.endswith("\n---\n\n# A\n")


def test_the_zensical_config_lists_every_extension_and_no_mkdocs_only_key():
    import tomllib

    config = {
        "site_name": "H",
        "plugins": ["search", "kb"],
        "watch": ["content"],
        "theme": {"name": "material", "custom_dir": "x", "font": False},
        "markdown_extensions": ["abbr", {"toc": {"permalink": True}}],
        "nav": [{"Home": "index.md"}],
    }
    project = tomllib.loads(zensical_toml(config, config["nav"]))["project"]
    assert project["markdown_extensions"] == {"abbr": {}, "toc": {"permalink": True}}
    assert "plugins" not in project and "watch" not in project
    assert project["theme"] == {"font": False, "variant": "classic", "custom_dir": "overrides"}
    assert project["extra"]["generator"] is False and project["nav"] == [{"Home": "index.md"}]


def test_a_published_file_that_could_run_script_fails_the_zensical_build_and_publishes_nothing(tmp_path):
    project = make_project(tmp_path / "p")
    (project / "site_templates" / "assets" / "evil.html").write_text("<p>x</p><script>alert(1)</script>")
    result = _zensical_build(project, project / "site")
    assert result.returncode == 1
    assert "evil.html" in result.stderr and "unsafe part" in result.stderr
    assert not (project / "site").exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site.")) == []


def test_a_content_error_fails_the_zensical_build_with_its_location_and_keeps_the_site(tmp_path):
    project = make_project(tmp_path / "p")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("<p>the site as it was</p>", encoding="utf-8")
    before = tree_state(project / "site")
    entry = project / "content" / "behaviours" / "answer-quickly.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    result = _zensical_build(project, project / "site")
    assert result.returncode == 1
    assert "content/behaviours/answer-quickly.yaml:" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tree_state(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site.")) == []  # no build folder left


def test_mkdocs_yml_handed_to_zensical_directly_fails_and_says_how_to_build(tmp_path):
    project = make_project(tmp_path / "p")
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "make site ENGINE=zensical" in result.stderr


def test_zensical_preview_shows_an_edited_entry_without_a_restart(tmp_path):
    project = make_project(tmp_path / "p")
    port = free_port()
    server = start_kb_serve(project, port, "--engine", "zensical")
    try:
        assert_preview_follows_an_entry_edit(project, port)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.browser
def test_in_chromium_a_cross_link_a_tooltip_and_the_dark_toggle_work_under_zensical(zensical_shipped):
    with launched_chromium() as browser, serve_folder(zensical_shipped) as base_url:
        context = browser.new_context(color_scheme="light")
        offsite = []
        context.on(
            "request",
            lambda request: (
                offsite.append(request.url)
                if not request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                else None
            ),
        )
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base_url + "behaviours/act-with-urgency/")
        link = page.locator("article a[href*='../../examples/']").first
        target = link.get_attribute("href")
        link.click()
        page.wait_for_url("**/examples/**")
        assert page.url.rstrip("/").endswith(target.strip("./").rstrip("/"))
        page.goto(base_url + "behaviours/act-with-urgency/")
        tooltip_link = page.locator("article a[title]").first
        tooltip_link.hover()
        page.locator(".md-tooltip2--active, .md-tooltip--active").first.wait_for(timeout=5000)
        body = page.locator("body")
        assert body.get_attribute("data-md-color-scheme") == "default"
        page.locator("form[data-md-component='palette'] label:visible").click()
        assert body.get_attribute("data-md-color-scheme") == "slate"
        assert errors == [] and offsite == []
        context.close()


# The pages trainers hand out: each path's two printed editions, the card deck and the practice matrix.
PRINTED_SECTIONS = ("handouts", "facilitator", "cards", "matrix")


def _printed_pages(site: Path) -> list[str]:
    """The site paths of every page trainers print, as the MkDocs build publishes them."""
    pages = (path.parent.relative_to(site).as_posix() for path in site.rglob("index.html"))
    return sorted(f"{page}/" for page in pages if page.split("/")[0] in PRINTED_SECTIONS)


@pytest.mark.browser
def test_trainer_pages_print_the_same_number_of_a4_sheets_under_both_engines(zensical_shipped, shipped_build):
    printed = _printed_pages(shipped_build[0])
    assert any(page.startswith("handouts/") for page in printed) and "cards/" in printed
    sheets = {}
    with launched_chromium() as browser:
        for engine, site in (("mkdocs", shipped_build[0]), ("zensical", zensical_shipped)):
            with serve_folder(site) as base_url:
                sheets[engine] = {page: len(print_pdf(browser, base_url + page).pages) for page in printed}
    assert sheets["zensical"] == sheets["mkdocs"]
