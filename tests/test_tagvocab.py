"""The tag vocabulary: with a content/tags.txt, kb check warns on each tag outside it, located."""

from __future__ import annotations

from kbtest import call_kb, make_project

from generator.pipeline import check


def _project(tmp_path, vocabulary: str | None):
    project = make_project(tmp_path / "project")
    if vocabulary is not None:
        (project / "content" / "tags.txt").write_text(vocabulary, encoding="utf-8")
    return project


def _tag_warnings(project) -> list[str]:
    _, problems = check(project)
    return [str(p) for p in problems if "tag" in p.message and p.severity == "warning"]


def test_without_a_tag_list_no_tag_is_questioned(tmp_path):
    assert _tag_warnings(_project(tmp_path, None)) == []


def test_a_tag_outside_the_list_is_a_located_warning_with_a_suggestion(tmp_path):
    project = _project(tmp_path, "# topics\nbasics: the first ideas\nculture: shared habits\nspeedy: how fast\n")
    warnings = _tag_warnings(project)
    assert warnings == [
        "content/behaviours/answer-quickly.yaml:12:8: warning: tag 'speed' is not in the tag list content/tags.txt."
        " Did you mean 'speedy'?"
    ]
    result = call_kb("check", cwd=project)
    assert result.returncode == 0, "a tag outside the list warns; it never fails the check"
    assert "tag 'speed' is not in the tag list" in result.stdout + result.stderr


def test_a_tag_with_no_close_match_says_how_to_add_it(tmp_path):
    warnings = _tag_warnings(_project(tmp_path, "basics: the first ideas\nculture: shared habits\n"))
    assert len(warnings) == 1
    assert "Use a tag from the list, or add the new one to content/tags.txt with what it covers." in warnings[0]


def test_a_malformed_line_of_the_list_is_reported_on_its_line(tmp_path):
    project = _project(tmp_path, "basics: the first ideas\nculture\nspeed: how fast\n")
    _, problems = check(project)
    assert [str(p) for p in problems if p.location.path == "content/tags.txt"] == [
        "content/tags.txt:2:1: warning: write each tag as 'tag: what it covers', one per line"
    ]
