"""Linear cost, stated and tested: what N bytes of adversarial content cost `kb check` and the build.

The generators live in bench/adversarial.py (`python bench/adversarial.py` prints the same table for
`make bench`). For each, at N = 20 kB and 4N = 80 kB (far below the 256 KiB file cap; bracket runs
stay under prose.MAX_BRACKETS per field unless the generator is about the cap):

- per byte: CPU seconds and peak traced memory of check() and build_pages() per MB of input, the
  fixed cost of a tiny base taken off, stay within 3x what was measured when the budget was set
  (REFERENCE, below), and within the ceilings stated here for every generator;
- linearity: CPU time at 4N is at most 6x the time at N (4x is linear);
- memory does not pile up across fields and files (each field's parse is freed as it ends);
- the real `kb build` (MkDocs + Material) of the costliest generator finishes within its budget.

Run with `pytest tests/test_budget.py -s` to see the table of seconds and MB per MB of input.
"""

from __future__ import annotations

import functools
import math
import sys
import time

import pytest

from conftest import ROOT, run_kb
from generator.pipeline import check

sys.path.insert(0, str(ROOT / "bench"))
import adversarial  # noqa: E402
from adversarial import BY_NAME, GENERATORS, Measurement, format_report, measure, report  # noqa: E402

N = 20_000
LARGE = 4 * N
LINEAR_RATIO = 6.0  # time at 4N over time at N; 4 is linear, a square would be 16
SLACK_S = 0.05  # timer and allocator noise on a loaded 2-core machine

# Measured on the reference machine (2 shared cores), the worst of N and 4N: check s/MB, build s/MB,
# check peak MB/MB, build peak MB/MB. A budget is 3x its reference, at least FLOOR. A refused base
# (errors) never renders: its build figures are those of the check that refuses it.
REFERENCE = {
    "backticks": (0.40, 0.61, 11.2, 58.7),
    "stars": (5.46, 5.61, 477, 466),
    "underscores": (2.73, 2.95, 9.1, 7.8),
    "star-run": (5.31, 5.86, 476, 464),
    "nested-emphasis": (4.54, 4.67, 451, 439),
    "braces": (1.86, 2.12, 8.5, 10.8),
    "entities": (0.83, 1.25, 8.5, 7.3),
    "backslashes": (0.54, 0.68, 81.8, 70.1),
    "pipes": (2.14, 2.42, 122, 112),
    "code-lines": (3.21, 3.56, 213, 204),
    "short-lines": (0.78, 0.83, 80.4, 68.8),
    "dashes": (9.64, 9.97, 821, 810),
    "quotes": (1.01, 1.16, 48.3, 37.3),
    "deep-nesting": (1.85, 1.86, 164, 153),
    "wiki-runs": (12.32, 12.90, 4.9, 15.1),
    "bracket-dense": (18.46, 20.85, 6.6, 18.4),
    "angles": (1.39, 1.80, 3.9, 11.9),
    "bracket-flood": (0.06, 0.04, 2.2, 2.2),
    "angle-flood": (0.05, 0.04, 2.2, 2.2),
    "markup-flood": (5.55, 4.48, 481, 481),
    "near-miss-links": (4.83, 4.23, 53.8, 20.7),
    "mentions": (0.65, 1.83, 57.5, 107.9),
    "path-fanout": (0.34, 1.50, 26.9, 73.2),
    "path-repeat": (0.13, 0.13, 4.7, 4.7),
    "long-titles": (0.29, 0.53, 20.0, 47.6),
    "tags-aliases": (0.88, 1.91, 48.0, 145.4),
    "questions": (0.12, 0.31, 4.9, 59.2),
    "glossary": (0.50, 1.70, 51.2, 81.8),
    "small-behaviours-qr": (0.85, 31.31, 78.5, 181.8),
}
FLOOR = (1.5, 1.5, 60.0, 60.0)
MARGIN = 3.0
# What holds for every generator, the worst case the team quotes: 100 s of CPU and 2.5 GB of peak
# traced memory per MB of input (100 µs and 2,500 bytes per byte). The highest references: time, the
# densest bracket fields (quadratic in a field's '[' count, which MAX_BRACKETS bounds) and, when
# publishing with a site URL, a QR code per behaviour card (~12 ms each); memory, the parser's tokens
# of lists nested MAX_DEPTH deep on every line (~800 bytes per character of the largest field).
CEILING = (100.0, 100.0, 2500.0, 2500.0)
# The real build of the costliest generator for MkDocs (tags-aliases: a tag page per tag, a redirect
# page per alias) at N: ~4 s on the reference machine.
MKDOCS_BUDGET_S = 30.0
MKDOCS_WORST = "tags-aliases"


def budget(name: str) -> tuple[float, ...]:
    return tuple(min(ceiling, max(floor, MARGIN * reference)) for reference, floor, ceiling in zip(REFERENCE[name], FLOOR, CEILING))


@functools.cache
def measured(name: str, n: int, traced: bool) -> Measurement:
    return measure(BY_NAME[name], n, traced=traced)


_TABLE: list[Measurement] = []


@pytest.fixture(scope="module", autouse=True)
def print_table():
    """After the module: the table of seconds and MB per MB of input (shown with pytest -s)."""
    yield
    if _TABLE:
        print("\n\nCPU seconds and peak traced MB per MB of input (fixed cost of a tiny base taken off; peak at N only)")
        print(format_report(report(sorted(_TABLE, key=lambda m: (GENERATORS.index(BY_NAME[m.generator]), m.input_bytes)))))


def test_every_generator_has_a_reference():
    assert set(REFERENCE) == set(BY_NAME)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_cost_per_byte_is_within_budget(name):
    generator = BY_NAME[name]
    found = measured(name, N, True)
    _TABLE.append(found)
    assert found.input_bytes >= 0.9 * N
    assert found.valid == generator.valid, f"{name}: {found.errors} errors from kb check (expected {'none' if generator.valid else 'some'})"
    figures = (found.check_s_per_mb, found.build_s_per_mb, found.check_mb_per_mb, found.build_mb_per_mb)
    labels = ("check s/MB", "build s/MB", "check MB/MB", "build MB/MB")
    over = [f"{label} {value:.2f} > {limit:.2f}" for label, value, limit in zip(labels, figures, budget(name)) if value > limit]
    assert not over, f"{name} at {found.input_bytes} bytes: {', '.join(over)}"


@pytest.mark.parametrize("name", list(BY_NAME))
def test_time_grows_linearly(name):
    small = measured(name, N, True)
    large = measured(name, LARGE, False)
    _TABLE.append(large)
    for stage in ("check_s", "build_s"):
        at_n, at_4n = getattr(small, stage), getattr(large, stage)
        assert at_4n <= LINEAR_RATIO * at_n + SLACK_S, (
            f"{name} {stage}: {at_n:.3f} s at {small.input_bytes} bytes, {at_4n:.3f} s at {large.input_bytes} bytes"
        )


def test_peak_memory_does_not_pile_up_across_files(tmp_path):
    # Each field's syntax tree has parent links (cycles), and the pipeline pauses the cycle collector while
    # it validates: unless the tree is unlinked, every field's tree stays until kb check ends.
    text = adversarial._nested_lines(["- "])(N // 2)
    peaks = []
    for count in (1, 4):
        files = dict(adversarial._entry("behaviours", f"nested-{k}", {"body": text}) for k in range(count))
        root = adversarial.write_project(tmp_path / f"files-{count}", files)
        peaks.append(adversarial._peak(lambda: check(root)))  # noqa: B023 - called at once
    assert peaks[1] <= 1.6 * peaks[0], f"peak {peaks[0] / 1e6:.1f} MB for one file, {peaks[1] / 1e6:.1f} MB for four"


def test_mkdocs_build_of_the_costliest_generator_is_within_budget(tmp_path):
    root, size = adversarial.generate(BY_NAME[MKDOCS_WORST], N, tmp_path / MKDOCS_WORST)
    started = time.perf_counter()
    result = run_kb("build", cwd=root, timeout=MKDOCS_BUDGET_S * 4)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sum(1 for _ in (root / "site").rglob("index.html"))
    print(f"\nkb build of {MKDOCS_WORST} ({size} bytes, {pages} pages): {seconds:.1f} s wall, {seconds / (size / 1e6):.0f} s per MB")
    assert pages > 1000  # every tag page and redirect was written
    assert seconds <= MKDOCS_BUDGET_S


def test_worst_case_report_covers_every_figure():
    found = adversarial.worst_case_report(sizes=(2_000,), generators=[BY_NAME["stars"], BY_NAME["bracket-flood"]])
    assert [row["generator"] for row in found["rows"]] == ["stars", "bracket-flood"]
    assert set(found["worst"]) == set(adversarial.FIGURES)
    assert all(not math.isnan(value) for value, _ in found["worst"].values())
    assert "(refused: errors)" in format_report(found)
