"""End-to-end builds with the real MkDocs + Material, their HTML parsed and asserted on."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import session_build
from kbtest import (
    EDIT_URI,
    ROOT,
    assert_preview_follows_an_entry_edit,
    free_port,
    make_project,
    run_kb,
    start_kb_serve,
    wait_for,
)
from selectolax.lexbor import LexborHTMLParser
from sitecrawl import broken_links, parse

from generator.pipeline import check

ENTRY_KINDS = ("definitions", "behaviours", "examples", "case-notes", "sources", "paths")


def test_backlink_is_on_the_target_page(fixture_site):
    page = parse(fixture_site / "behaviours" / "answer-quickly" / "index.html")
    heading = page.find(id="examples")
    assert heading is not None and heading.name == "h2"
    links = [a["href"] for a in heading.find_next("ul").find_all("a")]
    assert links == ["../../examples/quick-reply/"]


def test_every_entry_has_its_permalink_and_is_kept_out_of_the_nav(fixture_site):
    kb, _ = check(ROOT / "tests" / "fixtures" / "basic")
    for entry in kb.entries.values():
        assert (fixture_site / entry.kind / entry.id / "index.html").is_file(), entry.id
    nav = parse(fixture_site / "index.html").select(".md-nav--primary a.md-nav__link")
    nav_targets = {a.get("href") for a in nav}
    assert "definitions/" in nav_targets
    assert not any(href and href.count("/") > 1 for href in nav_targets if not href.startswith("#")), nav_targets


@session_build
def build_with_a_warning(tmp_path_factory) -> subprocess.CompletedProcess:
    """kb build of the fixture with a page MkDocs warns about (a link to no page)."""
    project = make_project(tmp_path_factory.mktemp("warning") / "p")
    (project / "site_templates" / "assets" / "stray.md").write_text(
        "[gone](missing.md)\n"
    )  # MkDocs warns: unknown link target
    return run_kb("build", cwd=project)


def test_kb_build_is_strict_so_any_mkdocs_warning_fails_it(build_with_a_warning):
    result = build_with_a_warning
    assert result.returncode == 1, result.stdout + result.stderr
    assert "missing.md" in result.stdout + result.stderr


def test_each_tag_has_a_page_listing_its_entries_and_entry_pages_link_to_it(fixture_site):
    kb, _ = check(ROOT / "tests" / "fixtures" / "basic")
    tags = kb.tags()
    assert {tag: [e.id for e in entries] for tag, entries in tags.items()} == {
        "basics": ["service-culture", "service-focus"],
        "culture": ["service-culture"],
        "speed": ["answer-quickly"],
    }
    index = parse(fixture_site / "tags" / "index.html")
    for tag, entries in tags.items():
        assert index.find(id=tag) is not None  # old /tags/#<tag> links still land on the tag
        page = parse(fixture_site / "tags" / tag / "index.html")
        listed = [a["href"] for a in page.select("article li a")]
        assert listed == [f"../../{entry.kind}/{entry.id}/" for entry in entries]
        for entry in entries:
            links = parse(fixture_site / entry.kind / entry.id / "index.html").select("article a")
            assert f"../../tags/{tag}/" in {a["href"] for a in links}
    assert {p.parent.name for p in (fixture_site / "tags").glob("*/index.html")} == set(tags)


def test_every_internal_link_and_anchor_resolves(fixture_site):
    assert broken_links(fixture_site) == []


def test_search_index_contains_every_entry(fixture_site):
    index = json.loads((fixture_site / "search" / "search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    kb, _ = check(ROOT / "tests" / "fixtures" / "basic")
    for entry in kb.entries.values():
        assert f"{entry.kind}/{entry.id}/" in locations, entry.id
    titles = {doc["title"] for doc in index["docs"]}
    assert "Service focus" in titles


def test_edit_button_opens_the_yaml_source(fixture_site):
    page = parse(fixture_site / "definitions" / "service-focus" / "index.html")  # built with KB_EDIT_URI set
    edit = page.select_one("a.md-content__button[href]")
    assert edit is not None
    assert edit["href"] == EDIT_URI + "content/definitions/service-focus.yaml"


def test_without_an_edit_address_no_page_has_an_edit_button(shipped_build):
    site, _ = shipped_build  # built without KB_EDIT_URI: mkdocs.yml names no placeholder forge
    pages = sorted(site.rglob("*.html"))
    assert pages and all('rel="edit"' not in page.read_text(encoding="utf-8") for page in pages)


def test_shipped_site_builds_strict_with_zero_warnings(shipped_build):
    site, result = shipped_build
    output = result.stdout + result.stderr
    assert "WARNING" not in output, output
    kb, problems = check(ROOT)
    assert problems == []
    for entry in kb.entries.values():
        assert (site / entry.kind / entry.id / "index.html").is_file(), entry.id
    # Its links and anchors: test_crawl.py follows every one over HTTP.


def _allowed_external_links() -> set[str]:
    """Plain links the site may carry off-site: the sources' own addresses (no edit button without KB_EDIT_URI)."""
    kb, _ = check(ROOT)
    return {e.model.url for e in kb.entries.values() if e.kind == "sources" and e.model.url}


def test_shipped_site_loads_nothing_from_another_host(shipped_build):
    site, _ = shipped_build
    allowed = _allowed_external_links()
    problems = []
    for html in site.rglob("*.html"):
        page = LexborHTMLParser(html.read_bytes())  # the HTML5 parser browsers follow; 8x faster than BeautifulSoup
        for element in page.css("*"):
            for attribute in ("src", "href", "srcset", "data", "poster", "action"):
                value = element.attributes.get(attribute)
                if not value or not re.match(r"^(https?:)?//", value):
                    continue
                plain_link = element.tag == "a" and attribute == "href"
                if not plain_link or not any(value == a or (a.endswith("/") and value.startswith(a)) for a in allowed):
                    problems.append(f"{html.relative_to(site)}: <{element.tag} {attribute}={value}>")
        for style in page.css("style"):
            problems += [
                f"{html.relative_to(site)}: {u}"
                for u in re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", style.text())
            ]
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        problems += [
            f"{css.relative_to(site)}: {u}"
            for u in re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])(?:https?:)?//[^)'\"]*", text)
        ]
    assert problems == []


def test_serve_live_reloads_an_edited_yaml_file_template_and_theme_override(tmp_path):
    project = make_project(tmp_path / "p")
    port = free_port()
    server = start_kb_serve(project, port)
    try:
        url = assert_preview_follows_an_entry_edit(project, port)
        template = project / "site_templates" / "_macros.md.j2"  # the shared macro file: every page using it changes
        edited = template.read_text().replace('"Why it matters"', '"Why this matters"')
        assert edited != template.read_text()
        template.write_text(edited)
        assert wait_for(url, "Why this matters", 30), "the edited template did not show up without a restart"
        override = (
            project / "site_templates" / "overrides" / "partials" / "search.html"
        )  # the page's Markdown stays the same
        override.write_text(
            override.read_text().replace(
                'role="dialog" aria-label="{{ lang.t(\'search\') }}"',
                'role="dialog" aria-label="Search the handbook"',
                1,
            )
        )
        assert wait_for(url, 'aria-label="Search the handbook"', 30), (
            "an edited theme override did not rebuild the unchanged pages"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
