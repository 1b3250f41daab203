"""The search relevance benchmark, shared by tests/test_search.py and bench/run.py: queries typed into the site's
real search box in Chromium, and the figures they give (hits in the top 3, mean reciprocal rank).

The queries are in tests/search_queries.yml; each names the page it must find. The search box is the
theme's own: '/' focuses it; Material lists results as `.md-search-result__item`, Zensical as the options of
its dialog's list box. The URL of each result's link is its page.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

QUERIES_FILE = Path(__file__).with_name("search_queries.yml")
TOP = 3
LATE_MS = 1000
NO_RESULTS = re.compile(r"^\s*No\b")  # how both themes' status line starts when nothing matches


@dataclass(frozen=True)
class Theme:
    """Where a theme's search box and results are: Material's markup, or Zensical's dialog (in a shadow root)."""

    box: str  # the search input, after '/' opened it
    results: str  # each result's link, best first
    status: str  # the line that says how many results, or that there are none


MATERIAL = Theme(".md-search__input", ".md-search-result__item > a", ".md-search-result__meta")
ZENSICAL = Theme("input[role=combobox]", "[role=listbox] a[role=option]", "[role=status]")


@dataclass(frozen=True)
class Query:
    """A query as a reader types it, and the site paths ('kind/id/') any of which it must find."""

    text: str
    find: tuple[str, ...]
    typo: bool = False


@dataclass
class Report:
    """What a run of the queries found: each query's rank of its page (None when missing from the results)."""

    ranks: dict[Query, int | None] = field(default_factory=dict)
    results: dict[Query, list[str]] = field(default_factory=dict)

    def top(self, typo: bool) -> tuple[int, int]:
        """How many queries (of the typo kind or not) found their page in the top 3, and out of how many."""
        chosen = [rank for query, rank in self.ranks.items() if query.typo == typo]
        return sum(1 for rank in chosen if rank is not None and rank <= TOP), len(chosen)

    def mrr(self, typo: bool = False) -> float:
        """Mean reciprocal rank of the queries of the kind (a page not found counts 0)."""
        chosen = [rank for query, rank in self.ranks.items() if query.typo == typo]
        return statistics.fmean(1 / rank if rank else 0.0 for rank in chosen) if chosen else 0.0

    def misses(self, typo: bool) -> list[str]:
        """The queries of the kind whose page is not in the top 3, with what they found instead."""
        return [
            f"{q.text!r} -> {self.results[q][:TOP]} (rank {rank})"
            for q, rank in self.ranks.items()
            if q.typo == typo and (rank is None or rank > TOP)
        ]

    def summary(self) -> str:
        """One line of figures."""
        (hit, total), (typo_hit, typos) = self.top(False), self.top(True)
        return f"top-3 {hit}/{total}, MRR {self.mrr():.3f}; one-typo top-3 {typo_hit}/{typos}, MRR {self.mrr(True):.3f}"


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    """The benchmark's queries."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Query(str(row["q"]), _paths(row["find"]), bool(row.get("typo"))) for row in rows]


def with_live_ids(queries: list[Query], aliases: dict[str, str]) -> list[Query]:
    """The queries with each page named by a former id (an entry's alias) named by its live id, as links resolve."""

    def live(path: str) -> str:
        kind, _, entry = path.strip("/").partition("/")
        return f"{kind}/{aliases[entry]}/" if entry in aliases else path

    return [Query(q.text, tuple(dict.fromkeys(map(live, q.find))), q.typo) for q in queries]


def _paths(find: str | list[str]) -> tuple[str, ...]:
    """Site paths ('kind/id/') from the file's ids and page paths."""
    return tuple(f"{item.strip('/')}/" for item in ([find] if isinstance(find, str) else find))


def site_path(url: str, base_url: str) -> str:
    """The path of a result's URL below the site's base, without query or fragment: 'behaviours/act-with-urgency/'."""
    path = urlsplit(url).path
    base = urlsplit(base_url).path
    return path[len(base) :] if path.startswith(base) else path


def open_search(page, theme: Theme) -> None:
    """Focus the search box as a reader does, with '/'."""
    page.keyboard.press("/")
    page.locator(theme.box).wait_for(state="visible")


def results_for(page, theme: Theme, query: str, base_url: str) -> list[str]:
    """Type a query into the search box of a freshly opened page; the site paths of the results, best first."""
    open_search(page, theme)
    box, results = page.locator(theme.box), page.locator(theme.results)
    box.fill(query)
    box.press("End")  # Material searches on keyup: one search, for the whole query
    results.or_(page.locator(theme.status).filter(has_text=NO_RESULTS)).first.wait_for()
    if not results.count():  # none yet: a search typed before the index was ready may still be answered
        page.wait_for_timeout(LATE_MS)
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    return [site_path(href, base_url) for href in hrefs]


def run_queries(browser, base_url: str, queries: list[Query], theme: Theme = MATERIAL) -> Report:
    """Type every query into one page's search box; the rank of each query's page."""
    context = browser.new_context()
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        report = Report()
        for query in queries:
            page.goto(base_url)  # a fresh page each time: no results left from the query before
            found = results_for(page, theme, query.text, base_url)
            report.results[query] = found
            report.ranks[query] = next((n for n, path in enumerate(found, 1) if path in query.find), None)
        return report
    finally:
        context.close()


def time_to_first_result(browser, url: str, query: str, theme: Theme = MATERIAL) -> float:
    """Seconds from typing a query into a freshly loaded page (its load event) until its first result shows."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        open_search(page, theme)
        started = time.perf_counter()
        page.locator(theme.box).fill(query)
        page.locator(theme.box).press("End")
        page.locator(theme.results).first.wait_for(timeout=120_000)
        return time.perf_counter() - started
    finally:
        context.close()
