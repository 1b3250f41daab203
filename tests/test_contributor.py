"""The contributor workflow: kb new, kb check formats, near-duplicate warnings, JSON Schema, .github."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from check_jsonschema import main as check_jsonschema_main
from click.testing import CliRunner
from conftest import session_build
from kbtest import FIXTURES, GOLDEN, ROOT, call_kb, make_project, run_kb
from sitecrawl import parse

from generator.errors import Diagnostic, SourceLocation
from generator.introspect import inner_model
from generator.kinds import kind_names
from generator.pipeline import check
from generator.report import github_annotation
from generator.schema import MODELS, Entry
from generator.schema_export import schema_files

MISSPELT = GOLDEN / "diagnostics" / "misspelt-field"
# Values for the fields kb new leaves empty, by field name; anything else gets a sentence.
FILL = {
    "minutes": "5",
    "format": "workshop",
    "entry": "service-focus",
    "shows": "answer-quickly",
    "demonstrates": "answer-quickly",
}
NEW_TITLES = {
    "definitions": "Attentive silence",
    "behaviours": "Listen before you answer",
    "examples": "The unhurried phone call",
    "case-notes": "Acme listens first",
    "sources": "Notes on listening",
    "paths": "Listening workshop",
}


def check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess:
    """Run check-jsonschema, an independent validator, as a contributor's CI would (its command, in this process)."""
    result = CliRunner().invoke(check_jsonschema_main, [str(arg) for arg in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash is no verdict on the files
    return subprocess.CompletedProcess(["check-jsonschema", *args], result.exit_code, result.output, "")


def check_schema(schema: Path, *files: Path) -> subprocess.CompletedProcess:
    """Validate YAML files against a JSON Schema file with check-jsonschema."""
    return check_jsonschema("--schemafile", schema, *files)


def fill_required(text: str) -> str:
    """Fill every empty value that the skeleton marks (required), as a contributor would."""
    lines, out, list_key = text.splitlines(), [], None
    for number, line in enumerate(lines):
        required = number > 0 and "(required" in lines[number - 1]
        empty_key = re.match(r"^(\s*(?:- )?)([a-z_]+):$", line)
        following = lines[number + 1] if number + 1 < len(lines) else ""
        holds_items = len(following) - len(following.lstrip()) > len(empty_key.group(1)) if empty_key else False
        if empty_key:
            list_key = empty_key.group(2)
            out.append(
                f"{line} {FILL.get(list_key, 'Filled in by the test.')}" if required and not holds_items else line
            )
        elif re.match(r"^\s*-$", line):
            out.append(f"{line} {FILL.get(list_key, 'Filled in by the test.')}")
        else:
            out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def new_entries(tmp_path_factory) -> Path:
    """A fixture project with one kb new entry of every kind, as written (not yet filled in)."""
    project = make_project(tmp_path_factory.mktemp("new") / "p")
    (project / "content" / ".schema").mkdir()
    for rel, text in schema_files().items():
        (project / rel).write_text(text, encoding="utf-8")
    for kind, title in NEW_TITLES.items():
        result = call_kb("new", kind, title, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
    return project


def _new_file(project: Path, kind: str) -> Path:
    return project / "content" / kind / f"{re.sub(r'[^a-z0-9]+', '-', NEW_TITLES[kind].lower())}.yaml"


# --- kb new ---------------------------------------------------------------------------------


def test_kb_new_prints_the_path_and_the_next_step(tmp_path):
    project = make_project(tmp_path / "p")
    result = call_kb("new", "behaviour", "Listen before you answer", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "created content/behaviours/listen-before-you-answer.yaml"
    assert "kb check" in result.stdout.splitlines()[1]
    text = (project / "content" / "behaviours" / "listen-before-you-answer.yaml").read_text()
    assert "\ntitle: Listen before you answer\n" in text
    assert f"\nadded: {dt.date.today().isoformat()}\n" in text


@pytest.mark.parametrize("kind", kind_names())
def test_kb_new_writes_every_field_with_its_description_and_the_schema_line(new_entries, kind):
    path = _new_file(new_entries, kind)
    lines = path.read_text().splitlines()
    schema = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", lines[0])
    assert schema, lines[0]
    assert (path.parent / schema.group(1)).resolve() == (new_entries / "content" / ".schema" / f"{kind}.schema.json")
    keys = {}
    for number, line in enumerate(lines):
        key = re.match(r"^(\s*)(?:- )?([a-z_]+):", line)
        if key:
            above = number
            while above > 0 and lines[above - 1].lstrip().startswith("#"):
                above -= 1
            keys[(len(key.group(1)) > 0, key.group(2))] = "\n".join(lines[above:number])
    model = MODELS[kind]
    nested = {
        (True, name): f
        for f_outer in model.model_fields.values()
        if (m := inner_model(f_outer.annotation)) and f_outer.is_required()
        for name, f in m.model_fields.items()
    }
    expected = {(False, name): f for name, f in model.model_fields.items()} | nested
    assert set(keys) == set(expected)
    for key, field in expected.items():
        assert field.description in keys[key], f"{key[1]}: comment above it is {keys[key]!r}"
        own_comment = next(line for line in keys[key].splitlines() if field.description in line)
        assert ("(required" in own_comment) == field.is_required(), key


def test_kb_new_file_fails_check_until_the_required_text_is_filled_in(new_entries):
    _, problems = check(new_entries)
    new_paths = {f"content/{kind}/{_new_file(new_entries, kind).name}" for kind in kind_names()}
    errors = [p for p in problems if p.severity == "error"]
    assert {p.location.path for p in errors} == new_paths
    assert all(" is empty: fill it in" in p.message for p in errors), errors
    summary = next(p for p in errors if p.location.path.startswith("content/behaviours/"))
    assert summary.message == (
        "'summary' is empty: fill it in "
        "(One sentence (under 30 words) used in listings, tooltips, search and the inventory)"
    )


def test_kb_new_files_pass_kb_check_and_the_json_schema_once_filled_in(new_entries, tmp_path):
    project = make_project(tmp_path / "p", new_entries / "content")
    for kind in kind_names():
        path = _new_file(project, kind)
        path.write_text(fill_required(path.read_text()))
    result = call_kb("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"checked {7 + len(kind_names())} entries: no errors")
    for kind in kind_names():
        validated = check_schema(project / "content" / ".schema" / f"{kind}.schema.json", _new_file(project, kind))
        assert validated.returncode == 0, validated.stdout + validated.stderr


def test_new_behaviour_passes_check_once_two_fields_are_filled_in(tmp_path):
    project = make_project(tmp_path / "p")
    assert call_kb("new", "behaviour", "Listen before you answer", cwd=project).returncode == 0
    path = project / "content" / "behaviours" / "listen-before-you-answer.yaml"
    text = path.read_text()
    text = text.replace("\nsummary:\n", "\nsummary: Let the customer finish before you reply.\n")
    text = text.replace("\nwhy_it_matters:\n", "\nwhy_it_matters: People who feel heard explain the real problem.\n")
    path.write_text(text)
    result = call_kb("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (
            "behaviours/answer-quickly.yaml",
            "content/behaviours/answer-quickly.yaml:1:1: error: id 'answer-quickly' is taken by this file",
        ),
        (
            "definitions/service-focus.yaml",
            "content/definitions/service-focus.yaml:1:1: error: id 'service-focus' is taken by this file",
        ),
        ("alias", "content/sources/field-notes.yaml:8:11: error: 'answer-fast' is a former id of 'field-notes'"),
    ],
)
def test_kb_new_refuses_a_file_an_id_of_any_kind_or_an_alias(tmp_path, existing, expected):
    project = make_project(tmp_path / "p")
    notes = project / "content" / "sources" / "field-notes.yaml"
    notes.write_text(notes.read_text() + "aliases: [answer-fast]\n")
    title = {
        "behaviours/answer-quickly.yaml": "Answer quickly",
        "definitions/service-focus.yaml": "Service focus",
        "alias": "Answer fast",
    }[existing]
    before = {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")}
    result = call_kb("new", "behaviour", title, cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith(expected), result.stdout
    assert {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")} == before


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("behaviour", "behaviours"),
        ("Behaviours", "behaviours"),
        ("case note", "case-notes"),
        ("case-note", "case-notes"),
        ("learning path", "paths"),
        ("path", "paths"),
        ("definition", "definitions"),
    ],
)
def test_kb_new_accepts_singular_and_plural_kind_names(tmp_path, word, kind):
    project = make_project(tmp_path / "p")
    result = call_kb("new", word, "Brand new entry", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "content" / kind / "brand-new-entry.yaml").is_file()


def test_kb_new_suggests_the_kind_meant_by_a_typo(tmp_path):
    project = make_project(tmp_path / "p")
    result = call_kb("new", "behavour", "Brand new entry", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == "kb new: error: unknown kind 'behavour'. Did you mean 'behaviour'?"
    assert not list((project / "content").rglob("brand-new-entry.yaml"))


def test_kb_new_refuses_a_title_without_an_id_and_takes_one_from_id(tmp_path):
    project = make_project(tmp_path / "p")
    refused = call_kb("new", "source", "???", cwd=project)
    assert refused.returncode == 2 and "pass another title, or --id" in refused.stderr.lower()
    accepted = call_kb("new", "source", "???", "--id", "question-marks", cwd=project)
    assert accepted.returncode == 0, accepted.stderr
    assert '\ntitle: "???"\n' in (project / "content" / "sources" / "question-marks.yaml").read_text()


# --- kb check --format --------------------------------------------------------------------------


def test_misspelt_field_is_one_line_with_a_suggestion_in_every_format():
    where, message = ("content/behaviours/act-fast.yaml", 2, 1), "unknown field 'summery'. Did you mean 'summary'?"
    text = call_kb("check", "--root", str(MISSPELT), cwd=ROOT)
    github = call_kb("check", "--root", str(MISSPELT), "--format", "github", cwd=ROOT)
    as_json = call_kb("check", "--root", str(MISSPELT), "--format", "json", cwd=ROOT)
    assert (text.returncode, github.returncode, as_json.returncode) == (1, 1, 1)
    assert text.stdout == f"{where[0]}:{where[1]}:{where[2]}: error: {message}\n"
    assert github.stdout == f"::error file={where[0]},line={where[1]},col={where[2]},title=kb check::{message}\n"
    assert json.loads(as_json.stdout) == [
        {"path": where[0], "line": where[1], "column": where[2], "severity": "error", "message": message}
    ]


def test_misspelt_field_in_a_new_entry_points_at_its_line(new_entries, tmp_path):
    project = make_project(tmp_path / "p")
    new = _new_file(new_entries, "behaviours")
    text = fill_required(new.read_text()).replace("\nsummary:", "\nsumary:")
    target = project / "content" / "behaviours" / new.name
    target.write_text(text)
    line = text.splitlines().index(next(row for row in text.splitlines() if row.startswith("sumary:"))) + 1
    result = call_kb("check", "--format", "json", cwd=project)
    assert result.returncode == 1
    assert json.loads(result.stdout) == [
        {
            "path": f"content/behaviours/{new.name}",
            "line": line,
            "column": 1,
            "severity": "error",
            "message": "unknown field 'sumary'. Did you mean 'summary'?",
        }
    ]


def test_json_format_prints_an_empty_list_for_a_clean_tree():
    result = call_kb("check", "--root", str(FIXTURES / "basic"), "--format", "json", cwd=ROOT)
    assert result.returncode == 0
    assert json.loads(result.stdout) == []
    assert "checked 7 entries: no errors" in result.stderr


def test_github_annotation_cannot_be_broken_out_of():
    hostile = Diagnostic(SourceLocation("content/a,b:c.yaml", 3, 4), "bad %0A value\n::error::forged")
    line = github_annotation(hostile)
    assert "\n" not in line
    assert line == "::error file=content/a%2Cb%3Ac.yaml,line=3,col=4,title=kb check::bad %250A value%0A::error::forged"


# --- near-duplicate warnings --------------------------------------------------------------------


def _add(project: Path, rel: str, text: str) -> None:
    (project / "content" / rel).write_text(text)


def test_near_duplicate_title_is_a_warning_on_the_newer_entry_and_check_passes(tmp_path):
    project = make_project(tmp_path / "p")
    _add(
        project,
        "behaviours/answer-quikly.yaml",
        "title: Answer quikly\nsummary: Reply fast.\nin_practice: [Reply.]\nwhy_it_matters: Trust.\n"
        "discussion_questions: [Why?]\nadded: 2026-12-01\n",
    )
    text = call_kb("check", cwd=project)
    github = call_kb("check", "--format", "github", cwd=project)
    assert (text.returncode, github.returncode) == (0, 0), text.stdout
    message = (
        "title 'Answer quikly' is very close to the title 'Answer quickly' of content/behaviours/answer-quickly.yaml: "
        "if both are about the same idea, improve that entry instead; otherwise make the names distinct"
    )
    assert text.stdout.splitlines() == [
        f"content/behaviours/answer-quikly.yaml:1:8: warning: {message}",
        text.stdout.splitlines()[-1],
    ]
    assert text.stdout.splitlines()[-1].startswith("checked 8 entries: no errors, 1 warning(s)")
    assert (
        github.stdout
        == f"::warning file=content/behaviours/answer-quikly.yaml,line=1,col=8,title=kb check::{message}\n"
    )


def test_near_duplicates_of_term_other_name_and_alias_are_found(tmp_path):
    project = make_project(tmp_path / "p")
    _add(
        project,
        "definitions/serving-attitude.yaml",
        "title: Serving attitude\nterm: The Service-Focus\nsummary: S.\n"
        "also_known_as: [serving mindsets]\nadded: 2026-12-01\n",
    )
    _add(
        project,
        "examples/late-reply.yaml",
        "title: Late reply\nsummary: S.\nshows: [answer-quickly]\naliases: [quick-replies]\nadded: 2026-12-01\n",
    )
    _, problems = check(project)
    found = {
        (p.location.path, p.message.split(" is very close to ")[0], p.message.split(" of ")[-1].split(":")[0])
        for p in problems
    }
    assert all(p.severity == "warning" for p in problems)
    assert found == {
        (
            "content/definitions/serving-attitude.yaml",
            "term 'The Service-Focus'",
            "content/definitions/service-focus.yaml",
        ),
        ("content/examples/late-reply.yaml", "alias 'quick-replies'", "content/examples/quick-reply.yaml"),
    }, problems


def test_distinct_and_numbered_names_are_not_near_duplicates(tmp_path):
    project = make_project(tmp_path / "p")
    for number in range(1, 4):
        _add(
            project,
            f"sources/survey-part-{number}.yaml",
            f"title: Customer survey, part {number}\nsummary: S.\npublisher: P\nadded: 2026-12-01\n",
        )
    _add(
        project,
        "behaviours/answer-kindly.yaml",
        "title: Answer kindly\nsummary: S.\nin_practice: [R.]\nwhy_it_matters: T.\n"
        "discussion_questions: [Q?]\nadded: 2026-12-01\n",
    )
    _, problems = check(project)
    assert problems == []  # "Service focus" / "Service culture" in the fixture are distinct too


@session_build
def walk_through(tmp_path_factory) -> tuple[Path, list[subprocess.CompletedProcess], subprocess.CompletedProcess, ...]:
    """The issue's walk-through run for real (kb new twice, filled in, kb check, kb build): project, results."""
    project = make_project(tmp_path_factory.mktemp("walk-through") / "p")
    titles = [("behaviour", NEW_TITLES["behaviours"]), ("example", "A quick reply")]  # close to "The quick reply"
    created = [run_kb("new", kind, title, cwd=project) for kind, title in titles]
    behaviour, example = _new_file(project, "behaviours"), project / "content" / "examples" / "a-quick-reply.yaml"
    if behaviour.is_file() and example.is_file():  # else the test reports what kb new said
        behaviour.write_text(fill_required(behaviour.read_text()))
        example.write_text(re.sub(r"\nadded: .*", "\nadded: 2026-12-01", fill_required(example.read_text())))  # newer
    return project, created, run_kb("check", cwd=project), run_kb("build", cwd=project)


def test_near_duplicate_warning_does_not_fail_the_strict_build_and_the_new_entry_is_listed(walk_through):
    """The issue's walk-through: kb new, fill in, kb check passes, the site lists the page."""
    project, created, checked, built = walk_through
    assert [result.returncode for result in created] == [0, 0], [result.stderr for result in created]
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (
        "a-quick-reply.yaml:7:8: warning: title 'A quick reply' is very close to the title 'The quick reply'"
        in checked.stdout
    )
    assert built.returncode == 0, built.stdout + built.stderr
    index = parse(project / "site" / "behaviours" / "index.html")
    assert "listen-before-you-answer/" in {a.get("href") for a in index.select("article a")}
    page = parse(project / "site" / "behaviours" / "listen-before-you-answer" / "index.html")
    assert page.find("h1").get_text(strip=True).startswith("Listen before you answer")
    assert (project / "site" / "examples" / "a-quick-reply" / "index.html").is_file()


# --- JSON Schema ----------------------------------------------------------------------------------


def test_committed_json_schemas_are_up_to_date():
    stale = [
        rel
        for rel, text in schema_files().items()
        if not (ROOT / rel).is_file() or (ROOT / rel).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale JSON Schemas {stale}: run `kb schema` and commit the result"
    assert call_kb("schema", "--check", cwd=ROOT).returncode == 0


def test_kb_schema_check_fails_on_a_stale_schema_and_kb_schema_rewrites_it(tmp_path):
    project = make_project(tmp_path / "p")
    assert call_kb("schema", cwd=project).returncode == 0
    stale = project / "content" / ".schema" / "behaviours.schema.json"
    stale.write_text(stale.read_text().replace('"why_it_matters"', '"why_it_mattered"'))
    result = call_kb("schema", "--check", cwd=project)
    assert result.returncode == 1
    assert result.stderr == (
        "content/.schema/behaviours.schema.json:1:1: error: out of date with generator/schema.py: "
        "run kb schema and commit the result\n"
    )
    assert call_kb("schema", cwd=project).returncode == 0
    assert call_kb("schema", "--check", cwd=project).returncode == 0


def _content_files(root: Path, kind: str) -> list[Path]:
    return sorted((root / "content" / kind).glob("*.yaml"))


@pytest.mark.parametrize("kind", kind_names())
def test_fixture_and_shipped_content_match_the_json_schema(kind):
    files = _content_files(FIXTURES / "basic", kind) + _content_files(ROOT, kind)
    result = check_schema(ROOT / "content" / ".schema" / f"{kind}.schema.json", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_shipped_content_is_covered_by_the_json_schema_test():
    assert all(_content_files(ROOT, kind) for kind in kind_names()), "no shipped content in some kind folder"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (("summary:", "summery:"), "a misspelt field"),
        (("tags: [speed]", "tags: [Speed Up]"), "a tag that is not an id"),
        (("added: 2026-11-23", "added: 23/11/2026"), "a date not written YYYY-MM-DD"),
        (("summary: Reply to a customer the same day.\n", ""), "a missing required field"),
        (("why_it_matters: Waiting erodes trust.", "why_it_matters:"), "an empty required field"),
    ],
)
def test_json_schema_rejects_what_kb_check_rejects(tmp_path, change, why):
    project = make_project(tmp_path / "p")
    path = project / "content" / "behaviours" / "answer-quickly.yaml"
    assert change[0] in path.read_text()
    path.write_text(path.read_text().replace(*change))
    _, problems = check(project)
    assert any(p.severity == "error" for p in problems), why
    result = check_schema(ROOT / "content" / ".schema" / "behaviours.schema.json", path)
    assert result.returncode == 1, f"the schema accepted {why}"


def test_vscode_maps_every_kind_folder_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    mapping = settings["yaml.schemas"]
    for kind in kind_names():
        entry = f"content/{kind}/some-entry.yaml"
        schemas = [schema for schema, pattern in mapping.items() if fnmatch.fnmatch(entry, pattern)]
        assert [(ROOT / s).resolve() for s in schemas] == [
            (ROOT / "content" / ".schema" / f"{kind}.schema.json").resolve()
        ], kind
    assert all((ROOT / schema).is_file() for schema in mapping)


# --- .github ----------------------------------------------------------------------------------------


def test_github_workflow_and_issue_form_are_valid():
    workflow = ROOT / ".github" / "workflows" / "pull-request.yml"
    form = ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-an-entry.yml"
    for schema, path in (("vendor.github-workflows", workflow), ("vendor.github-issue-forms", form)):
        result = check_jsonschema("--builtin-schema", schema, path)
        assert result.returncode == 0, result.stdout + result.stderr


def test_pull_request_workflow_checks_with_annotations_builds_strict_and_tests():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert ".venv/bin/kb check --format github" in runs
    assert ".venv/bin/kb schema --check" in runs
    assert ".venv/bin/kb build" in runs  # kb build always runs mkdocs --strict
    assert "bash .ci/run" in runs


def _codeowners(path: str) -> list[str]:
    """The owners GitHub assigns a path: the last matching CODEOWNERS pattern wins."""
    owners: list[str] = []
    for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pattern, *names = line.split()
        anchored = pattern.startswith("/")
        pattern = pattern.lstrip("/")
        matches = fnmatch.fnmatch(path, pattern) if pattern != "*" else True
        if pattern.endswith("/"):
            matches = path.startswith(pattern) if anchored else f"/{pattern}" in f"/{path}"
        if matches:
            owners = names
    return owners


def test_codeowners_puts_everything_outside_content_under_maintainer_review():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert tracked
    for path in tracked:
        is_entry = path.startswith("content/") and not path.startswith("content/.schema/")
        assert _codeowners(path) == ([] if is_entry else ["@customer-focus/maintainers"]), path
    assert _codeowners("content/behaviours/new-entry.yaml") == []
    assert _codeowners("generator/new_module.py") == ["@customer-focus/maintainers"]


# --- CONTRIBUTING.md ----------------------------------------------------------------------------------


def test_contributing_guides_every_field_of_every_kind():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    sections = re.split(r"^### ", text, flags=re.M)
    for kind, model in MODELS.items():
        section = next((s for s in sections if f"content/{kind}/" in s.splitlines()[0]), None)
        assert section is not None, f"no field-guide section whose heading names content/{kind}/"
        missing = [name for name in model.model_fields if name not in Entry.model_fields and f"`{name}`" not in section]
        assert not missing, f"{kind}: fields not in its section of CONTRIBUTING.md: {missing}"
    common = next(s for s in sections if s.startswith("Every entry"))
    assert [name for name in Entry.model_fields if f"`{name}`" not in common] == []
    for kind, model in MODELS.items():  # "(required)" where, and only where, the model requires the field
        section = next(s for s in sections if f"content/{kind}/" in s.splitlines()[0])
        marked = set(re.findall(r"^- `(\w+)` \(required\)", section, flags=re.M))
        required = {
            name for name, field in model.model_fields.items() if field.is_required() and name not in Entry.model_fields
        }
        assert marked == required, f"{kind}: CONTRIBUTING marks {sorted(marked)} required, the model {sorted(required)}"
    for topic in ("kb new", "kb check", "[[id]]", "aliases", "Review checklist", "own words"):
        assert topic in text, topic
