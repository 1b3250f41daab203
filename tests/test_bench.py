"""The benchmark's synthetic knowledge bases: deterministic, valid, and shaped like real content."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import session_build
from kbtest import ROOT, call_kb

from generator.pipeline import check

sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402


def _generate(count: int, destination) -> None:
    """Run bench/synth.py as the benchmark does, in a process of its own (its own hash seed: no set order leaks in)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synth.py"), str(count), str(destination)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _snapshot(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted((folder / "content").rglob("*.yaml"))}


@session_build
def two_synthetic_bases(tmp_path_factory) -> tuple[Path, Path]:
    """bench/synth.py run twice for the same size, each in a process of its own."""
    base = tmp_path_factory.mktemp("synth")
    _generate(120, base / "a")
    _generate(120, base / "b")
    return base / "a", base / "b"


def test_synthetic_base_is_deterministic(two_synthetic_bases):
    first, second = (_snapshot(folder) for folder in two_synthetic_bases)
    assert len(first) >= 120
    assert first == second


def test_synthetic_base_passes_kb_check_with_every_kind_and_relation(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    synth.generate(120, project)
    result = call_kb("check", "--root", str(project), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"checked {len(_snapshot(project))} entries: no errors")
    kb, problems = check(project)
    assert problems == []
    assert {entry.kind for entry in kb.entries.values()} == {
        "definitions",
        "behaviours",
        "examples",
        "case-notes",
        "sources",
        "paths",
    }
    per_entry = {entry_id: 0 for entry_id in kb.entries}
    for relation in kb.relations:
        per_entry[relation.source] += 1
    non_paths = [count for entry_id, count in per_entry.items() if kb.entries[entry_id].kind != "paths"]
    assert min(non_paths) >= 3 and max(non_paths) <= 5, (min(non_paths), max(non_paths))
    assert any(r.key == "mentions" for r in kb.relations)  # [[id]] links in prose
    assert all(entry.model.tags for entry in kb.entries.values())
