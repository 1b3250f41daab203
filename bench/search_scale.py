"""Search at scale, for `make bench`: the search index's size per entry and the time to the first results.

For a site the benchmark built: what a page loads for search (search/search_index.json) and the whole
index (search/full_index.json on a large site, fetched once a reader searches; generator/searchindex.py),
each in KB per entry; and the seconds from typing a query into a freshly loaded entry page of headless
Chromium until its first result shows (tests/searchrun.py), the median of a few fresh pages.

`python bench/search_scale.py SITE ENTRIES` measures one built site.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from kbtest import serve_folder  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from searchrun import time_to_first_result  # noqa: E402

from generator.searchindex import FULL_INDEX  # noqa: E402

TARGETS = {"search_index_kb_per_entry": 1.5, "first_result_s": 1.0}
QUERY = "apology escalate"  # words of bench/synth.py's vocabulary: found at every size
PAGES = 3  # fresh pages timed per size


def search_figures(site: Path, entries: int, pages: int = PAGES) -> dict:
    """The index's size per entry (loaded with a page; whole) and the median time to the first results."""
    folder = site / "search"
    loaded = (folder / "search_index.json").stat().st_size
    whole = (folder / FULL_INDEX).stat().st_size if (folder / FULL_INDEX).is_file() else loaded
    entry_page = next(path for path in sorted((site / "behaviours").iterdir()) if path.is_dir())
    with serve_folder(site) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            url = f"{base_url}behaviours/{entry_page.name}/"
            times = [time_to_first_result(browser, url, QUERY) for _ in range(pages)]
        finally:
            browser.close()
    return {
        "search_loaded_kb_per_entry": round(loaded / 1024 / entries, 2),
        "search_index_kb_per_entry": round(whole / 1024 / entries, 2),
        "first_result_s": round(statistics.median(times), 2),
        "first_result_runs_s": [round(t, 2) for t in times],
    }


def search_targets(rows: list[dict]) -> list[dict]:
    """The search targets at the largest size: the whole index's KB per entry and the time to first results."""
    largest = max(rows, key=lambda r: r["entries"])
    return [
        {
            "target": f"search index at {largest['entries']:,} entries ≤ {TARGETS['search_index_kb_per_entry']} KB"
            " per entry (whole; loaded with a page)",
            "value": f"{largest['search_index_kb_per_entry']} KB; {largest['search_loaded_kb_per_entry']} KB",
            "met": largest["search_index_kb_per_entry"] <= TARGETS["search_index_kb_per_entry"],
        },
        {
            "target": f"first search results at {largest['entries']:,} entries ≤ {TARGETS['first_result_s']} s"
            " after typing into a fresh page",
            "value": f"{largest['first_result_s']:.2f} s",
            "met": largest["first_result_s"] <= TARGETS["first_result_s"],
        },
    ]


def format_rows(rows: list[dict]) -> list[str]:
    """The figures as a Markdown table."""
    lines = [
        "| entries | search index (whole) | loaded with a page | first results (runs) |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['entries']:,} | {r['search_index_kb_per_entry']} KB/entry | {r['search_loaded_kb_per_entry']}"
            f" KB/entry | {r['first_result_s']:.2f} s ({', '.join(map(str, r['first_result_runs_s']))}) |"
        )
    return lines


if __name__ == "__main__":
    figures = search_figures(Path(sys.argv[1]), int(sys.argv[2]))
    print("\n".join(format_rows([{"entries": int(sys.argv[2]), **figures}])))
