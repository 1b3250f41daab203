"""Both engines on the same content: `kb build --engine mkdocs` against `kb build --engine zensical`.

Runs alternate which engine goes first, so drift in the machine's load hits both alike; each figure is
a median. Measured on the shipped handbook and on 1,000 synthetic entries, as issue 15 asks. Run alone
with `python bench/engines.py [--quick]`, or as part of `make bench`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from measure import kb_command, make_project, median, timed  # noqa: E402

ENGINES = ("mkdocs", "zensical")
SYNTHETIC = 1000


def compare_engines(workdir: Path, quick: bool) -> list[dict]:
    """Both engines' build times on the shipped content and on a synthetic base."""
    shipped = _shipped_copy(workdir / "shipped")
    synthetic = make_project(SYNTHETIC, workdir / "synthetic")
    return [
        _compare("shipped handbook", shipped, 3 if quick else 5),
        _compare(f"{SYNTHETIC:,} synthetic entries", synthetic, 2 if quick else 3),
    ]


def _shipped_copy(project: Path) -> Path:
    """The repository's content, templates and config in a folder of their own (the build writes beside them)."""
    for folder in ("content", "site_templates"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def _compare(name: str, project: Path, runs: int) -> dict:
    """Alternating builds of one project with each engine; the medians of wall and CPU time."""
    wall: dict[str, list[float]] = {engine: [] for engine in ENGINES}
    cpu: dict[str, list[float]] = {engine: [] for engine in ENGINES}
    for run in range(runs):
        for engine in ENGINES if run % 2 == 0 else reversed(ENGINES):
            shutil.rmtree(project / ".cache", ignore_errors=True)  # a cold build, as in CI
            site = project / f"site-{engine}"
            seconds, cpu_seconds, _ = timed(kb_command("build", "--engine", engine, "--site-dir", str(site)), project)
            wall[engine].append(seconds)
            cpu[engine].append(cpu_seconds)
        print(
            f"   {name}, run {run + 1}: " + ", ".join(f"{e} {wall[e][-1]:.2f} s" for e in ENGINES),
            file=sys.stderr,
            flush=True,
        )
    return {
        "content": name,
        "runs": runs,
        **{f"{e}_s": median(wall[e]) for e in ENGINES},
        **{f"{e}_cpu_s": median(cpu[e]) for e in ENGINES},
        **{f"{e}_runs_s": [round(t, 2) for t in wall[e]] for e in ENGINES},
    }


def format_table(rows: list[dict]) -> str:
    """The comparison as a Markdown table."""
    lines = [
        "| content | runs | MkDocs + Material | Zensical | Zensical/MkDocs | CPU: MkDocs | CPU: Zensical |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['content']} | {r['runs']} | {r['mkdocs_s']:.2f} s | {r['zensical_s']:.2f} s "
            f"| {r['zensical_s'] / r['mkdocs_s']:.2f}× | {r['mkdocs_cpu_s']:.2f} s | {r['zensical_cpu_s']:.2f} s |"
        )
    return "\n".join(lines)


def main() -> int:
    """Measure and print the comparison."""
    parser = argparse.ArgumentParser(description="Build the same content with both engines and compare the times.")
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-engines-") as tmp:
        print(format_table(compare_engines(Path(tmp), args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
