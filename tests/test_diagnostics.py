"""Golden tests: a fixture tree in, the exact diagnostics out (DESIGN section 3's hazards and more)."""

from __future__ import annotations

import pytest
from kbtest import GOLDEN, ROOT, assert_golden, call_kb, make_project

from generator.loader import load_content
from generator.pipeline import check

CASES = sorted(p.name for p in (GOLDEN / "diagnostics").iterdir() if p.is_dir())


def _report(root) -> str:
    _, diagnostics = check(root)
    return "".join(f"{d}\n" for d in diagnostics)


@pytest.mark.parametrize("case", CASES)
def test_golden_diagnostics(case):
    case_dir = GOLDEN / "diagnostics" / case
    report = _report(case_dir)
    assert report, f"{case}: expected at least one diagnostic"
    assert_golden(GOLDEN / "diagnostics-expected" / f"{case}.txt", report)


def test_every_diagnostic_names_file_line_and_column():
    for case in CASES:
        for line in _report(GOLDEN / "diagnostics" / case).splitlines():
            path, line_no, column, rest = line.split(":", 3)
            assert path.startswith("content/") and line_no.isdigit() and column.isdigit(), line
            assert rest.startswith(" error: "), line


def test_symlinked_file_and_folder_are_refused(tmp_path):
    project = make_project(tmp_path / "p")
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: Secret\n")
    (project / "content" / "sources" / "leak.yaml").symlink_to(secret)
    (project / "content" / "examples-link").symlink_to(project / "content" / "examples")
    report = _report(project)
    assert "content/sources/leak.yaml:1:1: error: symlinks are not allowed in content/" in report
    assert "content/examples-link:1:1: error: symlinks are not allowed in content/" in report
    assert "Secret" not in report


def test_oversized_file_is_refused_without_parsing(tmp_path):
    project = make_project(tmp_path / "p")
    big = project / "content" / "sources" / "huge.yaml"
    big.write_bytes(b"title: x\nbody: |\n" + b"  " + b"a" * (10 * 2**20) + b"\n")
    report = _report(project)
    assert f"content/sources/huge.yaml:1:1: error: file is {big.stat().st_size} bytes, more than the 256 KiB" in report


def test_values_stay_strings_until_the_schema_converts_them(tmp_path):
    project = make_project(tmp_path / "p")
    (project / "content" / "sources" / "yaml-traps.yaml").write_text(
        "title: NO\nsummary: 1.10\npublisher: 2024-01-02\nadded: 2026-11-23\ntags: [on, off]\n"
    )
    raw, problems = load_content(project)
    assert problems == []
    entry = next(r for r in raw if r.id == "yaml-traps")
    assert entry.data["title"] == "NO" and entry.data["summary"] == "1.10"
    assert entry.data["publisher"] == "2024-01-02" and entry.data["tags"] == ["on", "off"]
    kb, problems = check(project)
    assert problems == []
    assert kb.entries["yaml-traps"].model.title == "NO"


def test_kb_check_prints_all_problems_and_exits_1():
    result = call_kb("check", "--root", str(GOLDEN / "diagnostics" / "misspelt-field"), cwd=ROOT)
    assert result.returncode == 1
    assert (
        result.stdout
        == "content/behaviours/act-fast.yaml:2:1: error: unknown field 'summery'. Did you mean 'summary'?\n"
    )
    assert "1 error(s) in 1 file(s)" in result.stderr
    assert "Traceback" not in result.stderr


def test_kb_check_reports_misspelt_field_dangling_id_and_duplicate_key_in_one_run(tmp_path):
    project = make_project(tmp_path / "p")
    path = project / "content" / "behaviours" / "answer-quickly.yaml"
    text = (
        path.read_text()
        .replace("why_it_matters:", "why_it_maters:")
        .replace("tags: [speed]", "tags: [speed]\nrelated: [quick-replie]\ntags: [again]")
    )
    path.write_text(text)
    result = call_kb("check", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "content/behaviours/answer-quickly.yaml:6:1: error: unknown field 'why_it_maters'. "
        "Did you mean 'why_it_matters'?",
        "content/behaviours/answer-quickly.yaml:13:11: error: 'related[0]': no entry with id 'quick-replie'. "
        "Did you mean 'quick-reply'?",
        "content/behaviours/answer-quickly.yaml:14:1: error: duplicate key 'tags' (first defined at line 12): keep one",
    ], result.stdout


def test_kb_check_clean_tree_prints_one_summary_line(tmp_path):
    project = make_project(tmp_path / "p")
    result = call_kb("check", cwd=project)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("checked 7 entries: no errors")
    assert len(result.stdout.splitlines()) == 1
