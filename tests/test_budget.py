"""A quick guard against super-linear cost: adversarial content (bench/adversarial.py) at small sizes.

Speed and memory are measured by the benchmark, not here: `make bench` (or `python bench/adversarial.py`)
holds every generator's CPU seconds and peak memory per MB of input at 20 kB and 80 kB to its budget,
flags time that grows faster than the input, and times the real `kb build` of the costliest generator.
What stays in the fast suite takes a few seconds and fails on a regression that changes how cost grows:

- every generator still runs: at a small size, `kb check` refuses exactly the bases made to be refused,
  and the others render their pages;
- a flood of '[' or '<' over the per-field cap is refused on a count, before any parse: refusing four
  times the bytes costs about the same (without the cap it costs four times as much, and the bench's
  per-byte budget fails);
- the searches that were quadratic before they were bounded (did-you-mean over many ids, near-duplicate
  names) grow about linearly: four times the input costs at most GROWTH_RATIO times four the CPU time;
- memory does not pile up across fields and files (each field's parse is freed as it ends).
"""

from __future__ import annotations

import sys

import pytest
from kbtest import ROOT

from generator.errors import KbError
from generator.pipeline import build_pages, check

sys.path.insert(0, str(ROOT / "bench"))
import adversarial  # noqa: E402
from adversarial import BY_NAME, GENERATORS  # noqa: E402

SMALL = 3_000  # bytes: every generator writes its pattern a few times; the floods are over their caps
FLOODS = ["bracket-flood", "angle-flood"]  # refused by prose.MAX_BRACKETS, whatever their size
SEARCHES = ["near-miss-links", "long-titles"]  # did-you-mean over many ids; near-duplicate names
FLOOD_SLACK_S = 0.01
GROWTH_SLACK_S = 0.02
# Four times the input may cost up to ten times the CPU time here, not the bench's six: two measurements of a
# tenth of a second on a shared machine can be a third apart. A square still shows: sixteen times.
GROWTH_RATIO = 2.5


def _check_cpu(tmp_path, name: str, n: int, repeat: int = 3) -> tuple[float, int]:
    """CPU seconds of kb check's stages on the generator's n-byte base (the best of a few runs), and its bytes."""
    root, size = adversarial.generate(BY_NAME[name], n, tmp_path / f"{name}-{n}")
    return adversarial._cpu(lambda: check(root), repeat, cold=False), size  # a collection of the test run's heap: noise


def test_the_bench_holds_every_generator_to_a_budget():
    assert set(adversarial.REFERENCE) == set(BY_NAME)


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda generator: generator.name)
def test_every_generator_is_refused_or_rendered(generator, tmp_path):
    root, size = adversarial.generate(generator, SMALL, tmp_path / generator.name)
    assert size >= SMALL // 2  # paragraphs and entries come whole: some generators stop short of n
    try:
        kb, pages = build_pages(root, site_url=generator.site_url)  # check() first: a refused base raises
    except KbError as refused:
        assert not generator.valid, f"{generator.name}: {refused}"
        assert any(problem.severity == "error" for problem in refused.diagnostics)
        return
    assert generator.valid, f"{generator.name} is made to be refused, and kb check passed it"
    entry_pages = {page.entry_id for page in pages if page.entry_id}
    assert entry_pages == set(kb.entries) and len(kb.entries) > len(adversarial.base_files())


@pytest.mark.parametrize("name", FLOODS)
def test_a_flood_over_the_bracket_cap_is_refused_before_it_is_parsed(name, tmp_path):
    small_s, _ = _check_cpu(tmp_path, name, SMALL)
    large_s, _ = _check_cpu(tmp_path, name, 4 * SMALL)
    assert large_s <= 2 * small_s + FLOOD_SLACK_S, f"{name}: {small_s:.4f} s at {SMALL} bytes, {large_s:.4f} s at 4x"


@pytest.mark.parametrize("name", SEARCHES)
def test_searches_once_quadratic_grow_linearly(name, tmp_path):
    small_s, small_bytes = _check_cpu(tmp_path, name, 3 * SMALL, repeat=2)  # near-miss-links: 10 kB, its smallest
    large_s, large_bytes = _check_cpu(tmp_path, name, 12 * SMALL, repeat=2)  # but one (per byte it varies below)
    grew = adversarial.grew_too_fast(small_s, large_s, large_bytes / small_bytes, GROWTH_SLACK_S, GROWTH_RATIO)
    assert not grew, f"{name}: {small_s:.4f} s at {small_bytes} bytes, {large_s:.4f} s at {large_bytes} bytes"


def test_peak_memory_does_not_pile_up_across_files(tmp_path):
    # Each field's syntax tree has parent links (cycles), and the pipeline pauses the cycle collector while
    # it validates: unless the tree is unlinked, every field's tree stays until kb check ends.
    text = adversarial._nested_lines(["- "])(1_000)  # a tree left behind is 2 MB per file: one file's peak is 1 MB
    peaks = []
    for count in (1, 4):
        files = dict(adversarial._entry("behaviours", f"nested-{k}", {"body": text}) for k in range(count))
        root = adversarial.write_project(tmp_path / f"files-{count}", files)
        peaks.append(adversarial._peak(lambda: check(root)))  # noqa: B023 - called at once
    assert peaks[1] <= 1.6 * peaks[0], f"peak {peaks[0] / 1e6:.1f} MB for one file, {peaks[1] / 1e6:.1f} MB for four"


def _row(name: str, size: int, seconds: float, per_mb: float) -> dict:
    figures = dict.fromkeys(adversarial.FIGURES, per_mb)
    return {"generator": name, "valid": True, "input_bytes": size, "check_s": seconds, "build_s": seconds, **figures}


def test_the_bench_flags_a_figure_over_budget_and_time_growing_faster_than_the_input():
    within = [_row("stars", 20_000, 0.10, 1.0), _row("stars", 80_000, 0.40, 1.0)]
    assert adversarial.over_budget(within) == []
    over = [_row("stars", 20_000, 0.10, 1.0), _row("stars", 80_000, 1.60, 1.0), _row("dashes", 20_000, 0.1, 5000.0)]
    flags = adversarial.over_budget(over)
    assert [flag.split(":")[0] for flag in flags] == [
        "dashes at 20000 bytes",
        "dashes at 20000 bytes",
        "dashes at 20000 bytes",
        "dashes at 20000 bytes",
        "stars check_s",
        "stars build_s",
    ]
    assert "check_mb_per_mb 5000.00 > 2463.00" in flags[2]


def test_the_bench_report_shows_every_figure_the_worst_and_its_flags():
    measured = [
        adversarial.Measurement("stars", 20_000, 0, 0.02, 4.0, 0.03, 5.0),
        adversarial.Measurement("stars", 80_000, 0, 0.50, 16.0, 0.12, 20.0),
        adversarial.Measurement("bracket-flood", 20_000, 1, 0.001, 0.1, 0.001, 0.1),
    ]
    found = adversarial.report(measured)
    assert [row["check_s_per_mb"] for row in found["rows"]] == [1.0, 6.25, 0.05]
    assert found["worst"] == {
        "check_s_per_mb": (6.25, "stars"),
        "check_mb_per_mb": (200.0, "stars"),
        "build_s_per_mb": (1.5, "stars"),
        "build_mb_per_mb": (250.0, "stars"),
    }
    lines = adversarial.format_report(found).splitlines()
    assert lines[3].startswith("bracket-flood") and lines[3].endswith("(refused: errors)")
    assert lines[-2:] == ["OVER BUDGET:", "  stars check_s: 0.020 s at 20000 bytes, 0.500 s at 80000 bytes"]
    within = adversarial.format_report(adversarial.report(measured[:1]))
    assert within.endswith(adversarial.WITHIN_BUDGET)
