"""The built site in headless Chromium: search, cross-links, a phone screen, the colour scheme,
requests that stay on 127.0.0.1, and axe-core's accessibility rules.

Each test runs on the fixture site and on the shipped handbook built by each engine (axe on the
shipped builds only: same templates, real content), served on 127.0.0.1. Entries are picked from the
knowledge base each site was built from, never hard-coded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, ROOT, launched_chromium
from searchrun import MATERIAL, ZENSICAL, Theme, results_for
from siteserver import serve

from generator.kinds import kind_names, titles
from generator.links import RELATION_HEADINGS, KnowledgeBase
from generator.pageviews import SHOWN_INLINE
from generator.pipeline import check
from generator.proseparser import WIKI_LINK
from generator.validate import ValidEntry

try:  # imported here so that a missing package skips (or, in CI, fails) the tests instead of their collection
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:
    sync_playwright = None

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000  # generous: the machine is shared
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
TOP_RESULTS = 5
SERIOUS = {"serious", "critical"}
# The shipped handbook twice: built by MkDocs + Material (the default engine) and by Zensical (its successor).
SITES = {
    "fixture": ("fixture_site", FIXTURES / "basic"),
    "shipped": ("shipped_build", ROOT),
    "zensical": ("zensical_shipped", ROOT),
}
SETTLED = "document.getAnimations().every(animation => animation.playState !== 'running')"


def _nav_pages() -> dict[str, str]:
    """The pages of the site's navigation in mkdocs.yml, title -> site path ('' for home)."""
    lines = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1].splitlines()
    pages = {}
    for line in lines:
        match = re.fullmatch(r"  - (.+?): (\S+)\.md", line)
        if not match:
            break
        path = re.sub(r"(^|/)index$", "", match.group(2))
        pages[match.group(1)] = f"{path}/" if path else ""
    return pages


NAV_PAGES = _nav_pages()
KIND_INDEXES = {f"{kind}/" for kind in kind_names()}
# If mkdocs.yml's nav changes shape, _nav_pages stops early and the audits below would quietly skip pages.
assert NAV_PAGES.get("Home") == "" and KIND_INDEXES <= set(NAV_PAGES.values()) and len(NAV_PAGES) >= 10, NAV_PAGES
# Audited: every nav page except the kind indexes (one template: the largest stands for all), a printable
# handout, and an entry page of each kind (a kind name stands for it).
AUDITED_PAGES = (
    *(title for title, path in NAV_PAGES.items() if path not in KIND_INDEXES),
    "kind index",
    "handout",
    *kind_names(),
)
# Under Zensical the theme differs, not the templates: its header and nav on the home page, a kind index and
# an entry of each kind, and the pages with their own layout (cards, matrix, handout).
ZENSICAL_AUDITED = ("Home", "Behaviour cards", "Practice matrix", "kind index", "handout", *kind_names())
assert set(ZENSICAL_AUDITED) <= set(AUDITED_PAGES), ZENSICAL_AUDITED


@dataclass(frozen=True)
class ServedSite:
    """A built site served on 127.0.0.1, with the knowledge base it was built from."""

    name: str
    folder: Path
    base_url: str
    kb: KnowledgeBase

    def url(self, path: str = "") -> str:
        """The absolute URL of a site path."""
        return self.base_url + path

    @property
    def theme(self) -> Theme:
        """Where the site's search box and results are (each engine's theme has its own)."""
        return ZENSICAL if self.name == "zensical" else MATERIAL

    @property
    def search_index(self) -> Path:
        """The search index the site's search fetches (MkDocs and Zensical name it differently)."""
        mkdocs_index = self.folder / "search" / "search_index.json"
        return mkdocs_index if mkdocs_index.exists() else self.folder / "search.json"

    def indexed_pages(self) -> list[dict]:
        """The search index's pages and sections, each with its location, title and text."""
        index = json.loads(self.search_index.read_text(encoding="utf-8"))
        return index.get("docs") or index["items"]

    def entry_url(self, entry: ValidEntry) -> str:
        """The permalink of an entry."""
        return self.url(f"{entry.kind}/{entry.id}/")

    def first_of_kind(self, kind: str) -> ValidEntry:
        """The first entry of a kind, A to Z; every site under test has each kind."""
        entries = self.kb.by_kind(kind)
        assert entries, f"the {self.name} site has no {kind}"
        return entries[0]


@dataclass
class Browsing:
    """Opens pages in fresh browser contexts and records every request they make."""

    browser: Browser
    site: ServedSite
    requested: list[str] = field(default_factory=list)
    contexts: list = field(default_factory=list)

    def open(self, path: str = "", **context_options) -> Page:
        """Open a site path in a new context (own storage, own viewport and colour scheme)."""
        context = self.browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", lambda request: self.requested.append(request.url))  # pages and workers alike
        context.route(_is_offsite, lambda route: route.abort())  # recorded above, but never sent
        self.contexts.append(context)
        page = context.new_page()
        page.goto(self.site.url(path))
        return page

    def offsite(self) -> list[str]:
        """Requests the pages made to anywhere but 127.0.0.1."""
        return [url for url in self.requested if _is_offsite(url)]


def _is_offsite(url: str) -> bool:
    """Whether a request would leave 127.0.0.1 (inline data: and blob: URLs stay in the page)."""
    parts = urlsplit(url)
    return parts.scheme not in ("data", "blob") and parts.hostname != "127.0.0.1"


@pytest.fixture(scope="module")  # not session: other modules start their own sync Playwright, one at a time
def chromium() -> Browser:
    """One headless Debian Chromium for this module; skipped when missing (a failure under KB_REQUIRE_BROWSER=1)."""
    if sync_playwright is None:
        pytest.skip("playwright or axe-playwright-python is not installed: run make test")
    expect.set_options(timeout=TIMEOUT_MS)
    with launched_chromium() as browser:
        yield browser


@pytest.fixture(scope="module", params=list(SITES))
def served(request) -> ServedSite:
    """The fixture site, then the shipped handbook, each served on a free port of 127.0.0.1."""
    fixture_name, root = SITES[request.param]
    built = request.getfixturevalue(fixture_name)
    folder = built[0] if isinstance(built, tuple) else built
    kb, _ = check(root)
    with serve(folder) as base_url:
        yield ServedSite(request.param, folder, base_url, kb)


@pytest.fixture
def browse(chromium, served) -> Browsing:
    """A browsing session on the served site; whatever the test does, no request may leave 127.0.0.1."""
    browsing = Browsing(chromium, served)
    yield browsing
    for context in browsing.contexts:
        context.close()
    assert browsing.offsite() == [], "the site made a request off 127.0.0.1"


# Search ------------------------------------------------------------------------------------------


def search(page: Page, site: ServedSite, query: str) -> list[str]:
    """Search as a reader does ('/' opens the box) and return the result pages' URLs, best first."""
    return [site.url(path) for path in results_for(page, site.theme, query, site.base_url)]


def _plain_query(text: str) -> str:
    """Text without the characters lunr reads as query syntax (field:, +, -, ~, ^, *)."""
    return " ".join(re.findall(r"\w+", text))


def _definition_with_other_names(kb: KnowledgeBase) -> ValidEntry:
    """The first definition that has also-known-as names."""
    named = [e for e in kb.by_kind("definitions") if e.model.also_known_as]
    assert named, "no definition has also_known_as names"
    return named[0]


def _body_words(markdown: str) -> set[str]:
    """Words of five letters or more in Markdown prose, leaving out link targets and [[id]] links."""
    text = WIKI_LINK.sub(" ", markdown)
    text = re.sub(r"\]\([^)]*\)|<[a-z]+:[^>]*>|https?://\S+", " ", text)
    return set(re.findall(r"[^\W\d_]{5,}", text))


def _entry_with_a_body_only_word(site: ServedSite) -> tuple[ValidEntry, str]:
    """An entry (the also-known-as definition if it can) and a word found only in its body, per the search index."""
    docs = site.indexed_pages()
    preferred = _definition_with_other_names(site.kb)
    entries = [preferred] + sorted((e for e in site.kb.entries.values() if e is not preferred), key=lambda e: e.id)
    for entry in entries:
        location = f"{entry.kind}/{entry.id}/"
        elsewhere = " ".join(
            re.sub(r"<[^>]+>", " ", d["title"] + " " + d["text"])
            for d in docs
            if not d["location"].startswith(location)
        ).casefold()
        own_fields = " ".join(
            [entry.model.title, entry.model.summary, *getattr(entry.model, "also_known_as", [])]
        ).casefold()
        words = sorted(_body_words(entry.model.body or ""), key=lambda w: (-len(w), w))
        for word in words:
            if word.casefold() not in elsewhere and word.casefold() not in own_fields:
                return entry, word
    raise AssertionError("no entry has a word in its body that no other page contains")


def _search_case(site: ServedSite, how: str) -> tuple[ValidEntry, str]:
    """The entry to find and the query that should find it."""
    if how == "body word":
        return _entry_with_a_body_only_word(site)
    entry = _definition_with_other_names(site.kb)
    return entry, _plain_query(entry.model.title if how == "title" else entry.model.also_known_as[0])


@pytest.mark.parametrize("how", ["title", "also known as", "body word"])
def test_search_finds_the_entry_and_opens_it(browse, served, how):
    entry, query = _search_case(served, how)
    page = browse.open()
    results = search(page, served, query)
    assert served.entry_url(entry) in results[:TOP_RESULTS], f"{query!r} -> {results}"
    page.locator(f"{served.theme.results}[href^='{served.entry_url(entry)}']").first.click()
    page.wait_for_url(served.entry_url(entry) + "**")
    expect(page.locator("article h1")).to_contain_text(entry.model.title)


# Cross-links -------------------------------------------------------------------------------------


def _section_link(page: Page, heading: str, target: ValidEntry):
    """The link to an entry in the list under an h2 of the page."""
    return page.locator(
        f"xpath=//article//h2[normalize-space(text())='{heading}']/following-sibling::ul[1]"
        f"//a[contains(@href, '/{target.kind}/{target.id}/')]"
    )


def _follow(page: Page, link, site: ServedSite, target: ValidEntry) -> None:
    """Click a link and check that the target entry's page opened."""
    link.click()
    page.wait_for_url(site.entry_url(target))
    expect(page.locator("article h1")).to_contain_text(target.model.title)


def test_relation_link_and_its_backlink_land_on_each_other(browse, served):
    kb = served.kb
    relation = next(
        (r for r in sorted(kb.relations, key=lambda r: (r.source, r.target)) if r.key not in SHOWN_INLINE), None
    )
    assert relation is not None, "no entry declares a relation shown as a list"
    source, target = kb.entries[relation.source], kb.entries[relation.target]
    page = browse.open(f"{source.kind}/{source.id}/")
    _follow(page, _section_link(page, RELATION_HEADINGS[relation.key], target).first, served, target)
    _follow(page, _section_link(page, RELATION_HEADINGS[relation.inverse], source).first, served, source)


def _prose_link(kb: KnowledgeBase) -> tuple[ValidEntry, ValidEntry, str]:
    """An entry whose body links another with [[id]] or [[id|text]], the target, and the link's text."""
    for entry in sorted(kb.entries.values(), key=lambda e: (e.kind == "paths", e.id)):
        for match in WIKI_LINK.finditer(entry.model.body or ""):
            target = kb.entries.get(match.group(1).strip())
            text = (match.group(2) or "").strip() or (target.model.title if target else "")
            if target and target is not entry and re.fullmatch(r"[\w\s,.'’-]+", text):
                return entry, target, text
    raise AssertionError("no entry's body links another with [[id]]")


def test_a_wiki_link_in_prose_lands_on_its_entry(browse, served):
    source, target, text = _prose_link(served.kb)
    page = browse.open(f"{source.kind}/{source.id}/")
    link = page.locator(f"article a[href*='/{target.kind}/{target.id}/']", has_text=text).first
    expect(link).to_have_text(text)
    _follow(page, link, served, target)


# Phone screen, colour scheme, requests -----------------------------------------------------------


def test_on_a_phone_the_nav_is_reachable_and_no_page_scrolls_sideways(browse, served):
    page = browse.open("", **PHONE)
    nav_link = page.locator(".md-nav--primary").get_by_role("link", name=titles()["behaviours"], exact=True)
    expect(nav_link).not_to_be_in_viewport()  # the drawer starts closed
    page.locator("label.md-header__button[for='__drawer']").click()
    expect(nav_link).to_be_in_viewport()
    nav_link.click()
    page.wait_for_url(served.url("behaviours/"))
    paths = [*NAV_PAGES.values(), *(f"{kind}/{served.first_of_kind(kind).id}/" for kind in kind_names())]
    too_wide = []
    for path in paths:
        page.goto(served.url(path))
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide.append(f"/{path}: {overflow}px wider than the screen")
    assert too_wide == []


def _background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_dark_light_toggle_switches_the_scheme_and_remembers_it(browse, served):
    page = browse.open("", color_scheme="light")
    body = page.locator("body")
    toggle = page.locator("form[data-md-component='palette'] label:visible")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = _background(page)
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert _background(page) != light
    page.goto(served.url("tags/"))
    expect(body).to_have_attribute("data-md-color-scheme", "slate")  # the choice outlives the page
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


def test_no_request_leaves_127_0_0_1(browse, served):
    page = browse.open()
    search(page, served, _plain_query(served.first_of_kind("definitions").model.title))  # starts the worker
    for path in [
        "tags/",
        *(f"{kind}/" for kind in kind_names()),
        *(f"{k}/{served.first_of_kind(k).id}/" for k in kind_names()),
    ]:
        page.goto(served.url(path))
    index_url = served.url(served.search_index.relative_to(served.folder).as_posix())
    assert index_url in browse.requested, "the recorder missed the search worker"
    assert browse.offsite() == []


# Accessibility -----------------------------------------------------------------------------------


def _handout_path(site: ServedSite) -> str:
    """The first printable handout of the site."""
    handouts = sorted(site.folder.glob("handouts/*/index.html"))
    assert handouts, f"the {site.name} site has no handout"
    return f"handouts/{handouts[0].parent.name}/"


def _audited_path(site: ServedSite, which: str) -> str:
    """The site path of an audited page: a nav page, the largest kind index, a handout, or an entry of a kind."""
    if which in NAV_PAGES:
        return NAV_PAGES[which]
    if which == "kind index":
        return f"{max(kind_names(), key=lambda kind: len(site.kb.by_kind(kind)))}/"
    if which == "handout":
        return _handout_path(site)
    return f"{which}/{site.first_of_kind(which).id}/"


@pytest.mark.parametrize(  # the real content, under both engines
    ("served", "which"),
    [*(("shipped", which) for which in AUDITED_PAGES), *(("zensical", which) for which in ZENSICAL_AUDITED)],
    indirect=["served"],
)
def test_axe_finds_no_serious_or_critical_violation_in_either_scheme(browse, served, which):
    serious = []
    for scheme in ("light", "dark"):  # the reader's system preference: no hover tooltip fades in mid-audit
        page = browse.open(_audited_path(served, which), color_scheme=scheme)
        expect(page.locator("body")).to_have_attribute(
            "data-md-color-scheme", "default" if scheme == "light" else "slate"
        )
        page.wait_for_function(SETTLED)  # axe measures colours: not halfway through a transition
        violations = Axe().run(page).response["violations"]
        serious += [
            f"{scheme}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in violations
            if v["impact"] in SERIOUS
        ]
    assert serious == []
