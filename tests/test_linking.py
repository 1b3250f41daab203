"""Linking teams: a renamed entry, built under a sub-path, served over HTTP and read by real clients.

One session build serves every test here: the basic fixture with 'answer-quickly' renamed to
'reply-quickly' (the file moved, the old id kept as an alias), built with
KB_SITE_URL=http://127.0.0.1:PORT/handbook/ and served from /handbook/ by a real HTTP server. The
unit tests of the pieces (inventories, feed, link checking) are in test_site_files.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import launched_chromium, session_build
from kbtest import NEW_ID, OLD_ID, call_kb, free_port, make_project, rename_entry, run_kb, serve_folder
from sitecrawl import broken_links, links, parse, read_page

from generator.pipeline import check

OLD, NEW = OLD_ID, NEW_ID


def _status(url: str) -> int:
    """The HTTP status of a GET (redirects are not followed by the server: they are pages)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@session_build
def renamed_build(tmp_path_factory) -> tuple[Path, Path, int]:
    """The renamed fixture built for http://127.0.0.1:PORT/handbook/ (a port free now): project, site and port."""
    root = tmp_path_factory.mktemp("linking")
    project = make_project(root / "project")
    rename_entry(project)
    port = free_port()
    site = root / "served" / "handbook"
    address = f"http://127.0.0.1:{port}/handbook/"
    result = run_kb("build", "--site-dir", str(site), cwd=project, env={"KB_SITE_URL": address})
    assert result.returncode == 0, result.stdout + result.stderr
    return project, site, port


@pytest.fixture(scope="session")
def handbook(renamed_build):
    """The renamed build served from /handbook/ on its port; yields (project, site, base URL)."""
    project, site, port = renamed_build
    with serve_folder(site.parent, port) as server_url:
        yield project, site, server_url + "handbook/"


class _Refresh(HTMLParser):
    """Collect a page's meta refresh target, canonical link, anchors and scripts."""

    def __init__(self):
        super().__init__()
        self.refresh = self.canonical = None
        self.links, self.scripts = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.refresh = attributes["content"].split("url=", 1)[1]
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes["href"]
        elif tag == "a":
            self.links.append(attributes.get("href"))
        elif tag == "script":
            self.scripts.append(attributes.get("src"))


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("old_url", [f"behaviours/{OLD}/", f"go/{OLD}/", f"go/{NEW}/", f"definitions/{OLD}/"])
def test_old_and_short_urls_redirect_to_the_renamed_page(handbook, old_url):
    _, _, base = handbook
    page = _Refresh()
    page.feed(_fetch(base + old_url))
    new_url = base + f"behaviours/{NEW}/"
    assert page.refresh is not None and not page.refresh.startswith(("/", "http")), (
        "redirects must be relative to work under any sub-path"
    )
    assert urljoin(base + old_url, page.refresh) == new_url
    assert page.canonical == new_url
    assert [urljoin(base + old_url, href) for href in page.links] == [new_url]  # a visible link for when refresh is off
    assert [urljoin(base + old_url, src) for src in page.scripts] == [base + "javascripts/redirect.js"]  # the #anchor
    assert "<h1" in _fetch(new_url) and "Reply quickly" in _fetch(new_url)


def test_sub_path_site_has_no_broken_links_over_http(handbook):
    _, site, base = handbook
    # Every relative link and anchor on disk, redirect pages included. 404.html links site-absolute
    # (/handbook/...) by design, as it is served at any depth: it is checked over HTTP below.
    assert [problem for problem in broken_links(site) if not problem.startswith("404.html:")] == []
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
    checked: dict[str, int] = {}
    problems = []
    for html in sorted(site.rglob("*.html")):
        page_address = base + html.relative_to(site).as_posix().removesuffix("index.html")
        for value in links(read_page(html)):
            target = urljoin(page_address, value).split("#")[0]
            if not target.startswith(origin):
                continue
            if not target.startswith(base):
                problems.append(f"{html.relative_to(site)}: {value} leaves the /handbook/ sub-path")
            elif checked.setdefault(target, _status(target)) != 200:
                problems.append(f"{html.relative_to(site)}: {value} -> HTTP {checked[target]}")
    assert len(checked) > 20
    assert problems == []


def test_inventory_json_lists_every_entry_with_its_former_ids(handbook):
    project, _, base = handbook
    inventory = json.loads(_fetch(base + "inventory.json"))
    assert inventory["schema_version"] == 1 and inventory["base_url"] == base
    entries = {item["id"]: item for item in inventory["entries"]}
    content_ids = {p.stem for p in (project / "content").rglob("*.yaml")}
    assert set(entries) == content_ids
    renamed = entries[NEW]
    assert renamed["aliases"] == [OLD] and renamed["kind"] == "behaviours" and renamed["title"] == "Reply quickly"
    assert (renamed["added"], renamed["last_reviewed"]) == ("2026-11-23", "2026-12-01")
    assert entries["service-focus"]["tags"] == ["basics"]
    for item in entries.values():
        assert _status(base + item["url"]) == 200 and _status(base + item["short_url"]) == 200
    assert {"", "tags/", "whats-new/", "definitions/"} <= set(inventory["pages"])


def test_sphinx_intersphinx_resolves_an_entry_and_a_renamed_id(handbook, tmp_path):
    _, _, base = handbook
    source = tmp_path / "docs"
    source.mkdir()
    (source / "conf.py").write_text(
        "project = 'Onboarding'\n"
        "extensions = ['sphinx.ext.intersphinx']\n"
        f"intersphinx_mapping = {{'kb': ({base!r}, None)}}\n"  # fetches {base}objects.inv over HTTP
        "intersphinx_timeout = 10\n"
    )
    (source / "index.rst").write_text(
        "Onboarding\n==========\n\n"
        f"New: :ref:`kb:{NEW}`. Old: :ref:`kb:{OLD}`. Term: :external+kb:term:`service focus`.\n"
        "Page: :doc:`kb:definitions/service-culture`.\n"
    )
    out = tmp_path / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q", "-E", str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "NO_PROXY": "127.0.0.1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    links = {a.get_text(): a["href"] for a in parse(out / "index.html").select("a.reference.external")}
    assert links == {
        "Reply quickly": base + f"behaviours/{NEW}/",
        "service focus": base + "definitions/service-focus/",  # a term reads as written
        "Service culture": base + "definitions/service-culture/",
    }
    old_link = parse(out / "index.html").find_all("a", href=base + f"behaviours/{NEW}/")
    assert len(old_link) == 2, "the renamed id must resolve to the new page, like the new id"


LINKED_DOCS = {
    "onboarding.md": (
        "Read [the old page]({base}behaviours/answer-quickly/) first,\n"
        "then the short link <{base}go/answer-quickly/>.\n"
        "Typo: {base}behaviours/reply-quickli/.\n"
        "Fine: {base}definitions/service-focus/#how-it-differs and {base}go/reply-quickly/\n"
        "Wrong kind: [x]({base}behaviours/service-focus/)\n"
    ),
    "wiki.html": '<p><a href="{base}tags/">tags</a> <a href="{base}nope/">nope</a> <a href="https://example.org/go/x/">other</a></p>\n',
    "guide.rst": "See `Reply <{base}go/reply-quickly/>`_.\n\n.. _old: {base}definitions/answer-quickly/\n",
}


def _column(name: str, base: str, path: str) -> int:
    """The 1-based column of a link in one of the sample documents (it depends on the port)."""
    return LINKED_DOCS[name].format(base=base).index(base + path) + 1


def _expected_report(base: str) -> list[str]:
    return [
        f"docs/guide.rst:3:10: warning: {base}definitions/answer-quickly/: "
        "'answer-quickly' was renamed to 'reply-quickly' (the old link redirects): "
        f"link to {base}behaviours/reply-quickly/ instead",
        f"docs/onboarding.md:1:21: warning: {base}behaviours/answer-quickly/: "
        "'answer-quickly' was renamed to 'reply-quickly' (the old link redirects): "
        f"link to {base}behaviours/reply-quickly/ instead",
        f"docs/onboarding.md:2:22: warning: {base}go/answer-quickly/: "
        "'answer-quickly' was renamed to 'reply-quickly' (the old link redirects): "
        f"link to {base}go/reply-quickly/ instead",
        f"docs/onboarding.md:3:7: error: broken link {base}behaviours/reply-quickli/: "
        "no entry with id 'reply-quickli'. Did you mean 'reply-quickly'?",
        f"docs/onboarding.md:5:17: error: broken link {base}behaviours/service-focus/: "
        f"'service-focus' is a definition, not a behaviour: link to {base}definitions/service-focus/",
        f"docs/wiki.html:1:{_column('wiki.html', base, 'nope/')}: error: broken link {base}nope/: "
        f"there is no page 'nope/' in the handbook. Link an entry as {base}<kind>/<id>/ or {base}go/<id>/.",
    ]


@pytest.fixture
def linked_docs(handbook, tmp_path) -> Path:
    """Another team's documents linking into the handbook, some links stale."""
    _, _, base = handbook
    (tmp_path / "docs").mkdir()
    for name, text in LINKED_DOCS.items():
        (tmp_path / "docs" / name).write_text(text.format(base=base))
    return tmp_path


@pytest.mark.parametrize("source", ["site folder", "downloaded inventory.json", "content with --base-url"])
def test_links_check_flags_renamed_and_broken_links(handbook, linked_docs, source):
    project, site, base = handbook
    if source == "site folder":
        options = ["--inventory", str(site)]
    elif source == "downloaded inventory.json":
        (linked_docs / "inventory.json").write_text(_fetch(base + "inventory.json"))
        options = ["--inventory", "inventory.json"]
    else:
        options = ["--root", str(project), "--base-url", base.rstrip("/")]
    result = call_kb("links", "check", "docs", *options, cwd=linked_docs)
    assert result.returncode == 1, result.stdout + result.stderr
    assert sorted(result.stdout.splitlines()) == _expected_report(base)
    assert "checked 10 handbook link(s) in 3 file(s): 3 broken, 3 to a renamed entry" in result.stderr


def test_links_check_passes_with_only_renamed_links_and_knows_go_links_without_a_base(handbook, tmp_path):
    _, site, base = handbook
    (tmp_path / "notes.md").write_text(f"Old: {base}go/{OLD}/\nNew: {base}go/{NEW}/\n")
    downloaded = tmp_path / "inventory.json"
    downloaded.write_text(json.dumps({**json.loads((site / "inventory.json").read_text()), "base_url": None}))
    result = call_kb("links", "check", "notes.md", "--inventory", str(downloaded), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        f"notes.md:1:6: warning: {base}go/{OLD}/: '{OLD}' was renamed to '{NEW}' (the old link redirects): "
        f"link to {base}go/{NEW}/ instead\n"
    )
    (tmp_path / "notes.md").write_text(f"Gone: {base}go/no-such-entry/\n")
    result = call_kb("links", "check", "notes.md", "--inventory", str(downloaded), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(
        f"notes.md:1:7: error: broken link {base}go/no-such-entry/: no entry with id 'no-such-entry'."
    )


def test_links_check_reports_an_unreadable_inventory(tmp_path):
    (tmp_path / "notes.md").write_text("nothing\n")
    (tmp_path / "inventory.json").write_text('{"schema_version": 99}')
    result = call_kb("links", "check", "notes.md", "--inventory", "inventory.json", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "inventory.json:1:1: error: not a handbook inventory of schema version 1 (found 99)"
    )
    assert "Traceback" not in result.stderr


def test_whats_new_page_and_atom_feed_list_the_latest_changes_first(handbook):
    import feedparser

    _, site, base = handbook
    feed = feedparser.parse(_fetch(base + "feed.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Customer-focus handbook: what's new"
    assert [(e.title, e.link) for e in feed.entries[:2]] == [
        ("Reviewed: Reply quickly", base + f"behaviours/{NEW}/"),
        ("Added: Example Corp answers fast", base + "case-notes/example-corp/"),
    ]
    assert feed.entries[0].updated == "2026-12-01T00:00:00Z"
    assert len({e.id for e in feed.entries}) == len(feed.entries) == 8  # 7 additions and 1 later review
    for entry in feed.entries:
        assert _status(entry.link) == 200
    page = parse(site / "whats-new" / "index.html")
    first = page.select_one("article h2 + ul li")
    assert first.get_text().startswith("Reviewed: Reply quickly") and first.a["href"] == f"../behaviours/{NEW}/"
    assert page.select_one("article a[href='../feed.xml']") is not None
    nav = {a.get("href") for a in parse(site / "index.html").select(".md-nav--primary a.md-nav__link")}
    assert "whats-new/" in nav


def test_markdown_only_build_writes_redirects_and_inventories(handbook, tmp_path):
    project, _, _ = handbook
    out = tmp_path / "md"
    result = call_kb(
        "build", "--markdown-only", str(out), cwd=project, env={"KB_SITE_URL": "https://docs.example.org/h/"}
    )
    assert result.returncode == 0, result.stderr
    assert (out / "whats-new.md").is_file() and (out / "feed.xml").is_file() and (out / "objects.inv").is_file()
    assert json.loads((out / "inventory.json").read_text())["base_url"] == "https://docs.example.org/h/"
    redirect = (out / "go" / OLD / "index.html").read_text()
    assert f'href="https://docs.example.org/h/behaviours/{NEW}/"' in redirect
    assert (
        "```text\nhttps://docs.example.org/h/behaviours/reply-quickly/\n```"
        in (out / "behaviours" / f"{NEW}.md").read_text()
    )


@pytest.mark.browser
def test_browser_lands_on_the_new_page_and_copies_its_permanent_link(handbook):
    _, _, base = handbook
    new_url = base + f"behaviours/{NEW}/"
    with launched_chromium() as browser:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        for old in (f"behaviours/{OLD}/", f"go/{OLD}/"):
            page.goto(base + old)
            page.wait_for_url(new_url, timeout=10_000)
            assert page.locator("h1").first.inner_text().startswith("Reply quickly")
        block = page.locator("pre", has_text=new_url)
        block.hover()
        block.locator("button.md-code__button[data-md-type='copy']").click()
        assert page.evaluate("navigator.clipboard.readText()").strip() == new_url


def _heading_ids(page_file: Path) -> list[str]:
    """The ids of a built page's article headings, in page order."""
    return [h["id"] for h in parse(page_file).select("article h1[id], article h2[id], article h3[id], article h4[id]")]


def test_inventory_lists_the_anchors_each_entry_page_really_has(handbook):
    _, site, _ = handbook
    inventory = json.loads((site / "inventory.json").read_text(encoding="utf-8"))
    for item in inventory["entries"]:
        assert item["anchors"] == _heading_ids(site / item["url"] / "index.html"), item["id"]
    assert max(len(item["anchors"]) for item in inventory["entries"]) > 2  # sections, not only the title


def test_links_check_matches_any_scheme_and_host_case_checks_anchors_and_says_what_it_skipped(handbook, tmp_path):
    project, site, _ = handbook
    anchors = json.loads((site / "inventory.json").read_text())["entries"]
    section = next(item for item in anchors if item["id"] == NEW)["anchors"][-1]
    base = "https://docs.example.org/handbook/"
    (tmp_path / "notes.md").write_text(
        f"Plain http: http://docs.example.org/handbook/behaviours/{NEW}x/\n"
        f"Host case: https://Docs.Example.ORG/handbook/go/{NEW}/#{section}x\n"
        f"Fine: {base}behaviours/{NEW}/#{section} and {base.upper()[:8]}{base[8:]}go/{NEW}/\n"
        "Elsewhere: https://example.org/handbook/go/x/\n"
    )
    result = call_kb("links", "check", "notes.md", "--root", str(project), "--base-url", base, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    report = result.stdout.splitlines()
    assert report[0].startswith(
        f"notes.md:1:13: error: broken link http://docs.example.org/handbook/behaviours/{NEW}x/"
    )
    assert report[1].startswith(
        f"notes.md:2:12: error: broken anchor https://Docs.Example.ORG/handbook/go/{NEW}/#{section}x: "
        f"the page of '{NEW}' has no section '#{section}x'. Did you mean '{section}'?"
    )
    assert len(report) == 2
    assert result.stderr.splitlines()[-1] == (
        "checked 4 handbook link(s) in 1 file(s): 2 broken, 0 to a renamed entry; "
        f"skipped 1 other link(s), not under {base}"
    )


def test_links_check_warns_first_when_it_knows_only_short_links(handbook, tmp_path):
    _, site, base = handbook
    downloaded = tmp_path / "inventory.json"
    downloaded.write_text(json.dumps({**json.loads((site / "inventory.json").read_text()), "base_url": None}))
    (tmp_path / "notes.md").write_text(f"{base}go/{NEW}/ and {base}behaviours/{NEW}/\n")
    result = call_kb("links", "check", "notes.md", "--inventory", str(downloaded), cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[0].startswith("kb links check: warning: no base URL known, so only .../go/<id>/ links are recognised")
    assert lines[-1].endswith("; skipped 1 other link(s), not /go/<id>/ links")


def _meta(page, key: str) -> str | None:
    """A link-preview tag's content (Open Graph by property, Twitter by name)."""
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag is not None else None


def test_every_page_carries_link_previews_with_its_address(handbook):
    project, site, base = handbook
    kb, _ = check(project)
    for entry in kb.entries.values():
        page = parse(site / entry.kind / entry.id / "index.html")
        assert _meta(page, "og:title") == _meta(page, "twitter:title") == entry.model.title
        assert _meta(page, "og:description") == _meta(page, "twitter:description") == entry.model.summary
        assert _meta(page, "og:url") == page.find("link", rel="canonical")["href"] == base + f"{entry.kind}/{entry.id}/"
        assert (_meta(page, "og:type"), _meta(page, "twitter:card")) == ("website", "summary")
    home = parse(site / "index.html")
    assert home.title.get_text() == _meta(home, "og:title") == "Customer-focus handbook"  # not the name twice
    assert _meta(home, "og:url") == base
    pages = [p for p in site.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert all(_meta(parse(p), "og:title") for p in pages)


@pytest.mark.browser
def test_redirects_keep_the_anchor_the_link_asked_for(handbook):
    _, site, base = handbook
    section = json.loads((site / "inventory.json").read_text())["entries"]
    anchor = next(item for item in section if item["id"] == NEW)["anchors"][-1]
    with launched_chromium() as browser:
        page = browser.new_page()
        for old in (f"go/{OLD}/", f"behaviours/{OLD}/", f"go/{NEW}/"):
            page.goto(f"{base}{old}#{anchor}")
            page.wait_for_url(f"{base}behaviours/{NEW}/#{anchor}", timeout=10_000)
        context = browser.new_context(java_script_enabled=False)  # without script: the link and refresh, no anchor
        plain = context.new_page()
        plain.goto(f"{base}go/{OLD}/#{anchor}")
        plain.wait_for_url(f"{base}behaviours/{NEW}/", timeout=10_000)
        context.close()
