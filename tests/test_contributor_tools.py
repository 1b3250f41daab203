"""Tools that never leave a contributor or a linking team guessing (issue 18), through the real command line,
the real builds (both engines): the command line's own help and mistakes, `kb rename`, link previews on every
page. The preview's error page is tested in test_preview.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import session_build
from htmlsafety import unsafe_parts
from kbtest import EDIT_URI, FIXTURES, ROOT, call_kb, make_project, run_kb
from sitecrawl import parse
from test_hostile import PAYLOAD_ENTRIES

from generator import rename
from generator.cliparser import build_parser
from generator.errors import KbError
from generator.pipeline import check
from generator.settings import read_settings

SITE_URL = "https://docs.example.org/handbook/"

# --- the command line ------------------------------------------------------------------------------


def test_a_mistyped_command_gets_a_did_you_mean():
    result = call_kb("chek", cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "kb: error: unknown command 'chek'. Did you mean 'check'?"
    engine = call_kb("build", "--engine", "zensicl", cwd=ROOT)
    assert "kb build: error: unknown --engine value 'zensicl'. Did you mean 'zensical'?" in engine.stderr


@pytest.mark.parametrize("command", [["build"], ["check"], ["rename", "a", "b"], ["links", "check", "x"]])
def test_a_bad_option_shows_the_usage_of_the_command_it_was_given_to(command):
    result = call_kb(*command, "--bogus", cwd=ROOT)
    name = " ".join(command[:2] if command[0] == "links" else command[:1])
    assert result.returncode == 2
    assert result.stderr.startswith(f"usage: kb {name} ")
    assert result.stderr.splitlines()[-1] == f"kb {name}: error: unrecognized arguments: --bogus"


def _commands(parser) -> list[list[str]]:
    """Every command and sub-command of a parser, as argument lists."""
    found = []
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in action.choices.items():
            found.append([name])
            found += [[name, *deeper] for deeper in _commands(sub)]
    return found


@pytest.mark.parametrize("command", _commands(build_parser()), ids=" ".join)
def test_every_help_page_opens_with_what_the_command_does(command):
    result = call_kb(*command, "--help", cwd=ROOT)
    assert result.returncode == 0
    description = result.stdout.split("\n\n")[1]
    assert description[0].isupper() and description.rstrip().endswith(".") and len(description.split()) > 3


def test_a_root_without_content_is_named_plainly(tmp_path):
    result = call_kb("check", "--root", str(tmp_path), cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr == (
        f"kb check: error: no content/ folder in {tmp_path}: run kb in the project folder "
        "(the one with mkdocs.yml and content/), or pass --root PROJECT\n"
    )
    assert "content:1:1" not in result.stdout + result.stderr
    missing = call_kb("check", "--root", str(tmp_path / "nope"), cwd=ROOT)
    assert "this folder does not exist" in missing.stderr


def test_the_documented_commands_run_as_written():
    """Every `kb …` command line in README and CONTRIBUTING names the command as it is installed."""
    for doc in ("README.md", "CONTRIBUTING.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
        bare = [line for block in blocks for line in block.splitlines() if re.match(r"\s*kb ", line)]
        assert bare == [], f"{doc}: {bare}"
        assert ".venv/bin/kb" in text


# --- kb rename -------------------------------------------------------------------------------------


def _shipped_copy(tmp_path: Path) -> Path:
    """The shipped handbook's content in a project of its own (the repository's own files stay untouched)."""
    project = tmp_path / "handbook"
    project.mkdir()
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def _most_referenced(project: Path) -> tuple[str, int, set[str]]:
    """The shipped entry other files refer to most: its id, how many references and from which entries."""
    kb, _ = check(project)
    sources: dict[str, set[str]] = {}
    for relation in kb.relations:
        if relation.source != relation.target:
            sources.setdefault(relation.target, set()).add(relation.source)
    target = max(sources, key=lambda entry_id: (len(sources[entry_id]), entry_id))
    return target, sum(r.target == target for r in kb.relations), sources[target]


def test_renaming_a_much_referenced_entry_updates_every_reference_in_place(tmp_path):
    project = _shipped_copy(tmp_path)
    old, references, referring = _most_referenced(project)
    kb, _ = check(project)
    old_path = project / kb.entries[old].raw.path
    before = {path: path.read_text(encoding="utf-8") for path in (project / "content").rglob("*.yaml")}
    new = f"{old}-renamed"
    result = call_kb("rename", old, new, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"renamed {kb.entries[old].raw.path} to " in result.stdout
    assert result.stdout.rstrip().endswith("kb check passes")
    moved = old_path.with_name(f"{new}.yaml")
    assert not old_path.exists() and moved.is_file()
    after_check, problems = check(project)
    assert [p for p in problems if p.severity == "error"] == []
    assert old in after_check.entries[new].model.aliases
    assert sum(r.target == new for r in after_check.relations) == references
    assert {r.source for r in after_check.relations if r.target == new} == referring
    for path, text in before.items():  # only the id changed: every other character, comments included, stays
        if path == old_path:
            continue
        now = path.read_text(encoding="utf-8")
        assert re.sub(rf"\b{new}\b", old, now) == text, path
        assert (now != text) == (path.stem in referring), path


def test_rename_keeps_comments_quotes_and_styles_and_dry_run_writes_nothing(tmp_path):
    project = make_project(tmp_path / "p")
    example = project / "content" / "examples" / "quick-reply.yaml"
    example.write_text(
        "title: The quick reply  # as the team tells it\n"
        "summary: A clerk answers a complaint within the hour.\n"
        "body: |\n  See [[answer-quickly]] and [[ answer-quickly |this]].\n  Not [[answer-quickly-not]].\n"
        'shows:\n  - "answer-quickly"  # the behaviour\n'
        "related: ['answer-quickly-not', answer-quickly]\n"
        "sources: [field-notes]\nadded: 2026-11-23\n"
    )
    (project / "content" / "examples" / "answer-quickly-not.yaml").write_text(
        "title: A slow reply\nsummary: A clerk answers a week later.\nshows: [answer-quickly]\nadded: 2026-11-23\n"
    )
    behaviour = project / "content" / "behaviours" / "answer-quickly.yaml"
    behaviour.write_text(behaviour.read_text() + "aliases:\n  - quick-answer  # its first id\n")
    before = {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")}
    dry = call_kb("rename", "answer-quickly", "reply-quickly", "--dry-run", cwd=project)
    assert dry.returncode == 0, dry.stderr
    assert {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")} == before
    assert "rename from content/behaviours/answer-quickly.yaml\nrename to content/behaviours/reply-quickly.yaml" in (
        dry.stdout
    )
    assert '+  - "reply-quickly"  # the behaviour' in dry.stdout and "+  - answer-quickly\n" in dry.stdout
    result = call_kb("rename", "answer-quickly", "reply-quickly", cwd=project)
    assert result.returncode == 0, result.stderr
    text = example.read_text()
    assert text.startswith("title: The quick reply  # as the team tells it\n")
    assert 'shows:\n  - "reply-quickly"  # the behaviour\n' in text
    assert "See [[reply-quickly]] and [[ reply-quickly |this]].\n  Not [[answer-quickly-not]]." in text
    assert "related: ['answer-quickly-not', reply-quickly]\n" in text
    moved = (project / "content" / "behaviours" / "reply-quickly.yaml").read_text()
    assert moved.endswith("aliases:\n  - quick-answer  # its first id\n  - answer-quickly\n")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("answer-quickly", "service-focus", "id 'service-focus' is taken by content/definitions/service-focus.yaml"),
        ("answer-quicky", "x-y", "no entry with id 'answer-quicky'. Did you mean 'answer-quickly'?"),
        ("answer-quickly", "Reply_Quickly", "cannot rename to 'Reply_Quickly': ids use lower-case ASCII letters"),
    ],
)
def test_rename_refuses_with_the_reason_and_writes_nothing(tmp_path, old, new, expected):
    project = make_project(tmp_path / "p")
    before = {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")}
    result = call_kb("rename", old, new, cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith(f"kb rename: error: {expected}")
    assert {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")} == before


def test_rename_refuses_a_former_id_and_a_move_that_would_break_the_check(tmp_path):
    project = make_project(tmp_path / "p")
    assert call_kb("rename", "answer-quickly", "reply-quickly", cwd=project).returncode == 0
    taken = call_kb("rename", "service-focus", "answer-quickly", cwd=project)
    assert "'answer-quickly' is a former id of 'reply-quickly'" in taken.stderr and taken.returncode == 2
    before = {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")}
    moved = call_kb("rename", "reply-quickly", "reply-fast", "--kind", "definition", cwd=project)
    assert moved.returncode == 2
    assert "content/definitions/reply-fast.yaml:1:1: error: missing required field 'term'" in moved.stdout
    assert "nothing was written" in moved.stderr
    assert {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")} == before


def test_rename_moves_an_entry_to_another_kind_once_it_holds_that_kinds_fields(tmp_path):
    project = make_project(tmp_path / "p")
    example = project / "content" / "examples" / "quick-reply.yaml"
    kb, _ = check(project)
    referring = {r.source for r in kb.relations if r.target == "quick-reply" and r.source != "quick-reply"}
    text = re.sub(r"\ntakeaway: .*", "", example.read_text()).replace(
        "shows: [answer-quickly]",
        "demonstrates: [answer-quickly]\ncompany: Example Ltd\nperiod: as described in 2026\n"
        "what_they_did: [Answered the same day.]",
    )
    example.write_text(text)  # a case note's fields, in the examples folder: only the move can make it right
    result = call_kb("rename", "quick-reply", "quick-reply-case", "--kind", "case note", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    moved = project / "content" / "case-notes" / "quick-reply-case.yaml"
    assert not example.exists() and moved.read_text() == text + "aliases: [quick-reply]\n"
    after, problems = check(project)
    assert [p for p in problems if p.severity == "error"] == []
    assert {r.source for r in after.relations if r.target == "quick-reply-case"} == referring


# --- link previews under both engines ----------------------------------------------------------------


@session_build
def zensical_hostile_published(tmp_path_factory) -> Path:
    """The hostile corpus built by Zensical as when publishing: with the site's address and a forge to edit on."""
    project = make_project(tmp_path_factory.mktemp("zensical-published") / "p", FIXTURES / "hostile" / "content")
    env = {"KB_SITE_URL": SITE_URL, "KB_EDIT_URI": EDIT_URI}
    result = run_kb("build", "--engine", "zensical", cwd=project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _previews(page) -> dict[str, str]:
    """A page's link-preview tags (og:* by property, twitter:* by name), by key."""
    tags = page.select('meta[property^="og:"], meta[name^="twitter:"]')
    return {tag.get("property") or tag.get("name"): tag["content"] for tag in tags}


def _assert_hostile_previews_are_text(site: Path, site_url: str | None) -> None:
    """Every payload entry's previews are its title and summary exactly, as attribute text; og:url as told."""
    kb, _ = check(FIXTURES / "hostile")
    for entry_id in PAYLOAD_ENTRIES:
        entry = kb.entries[entry_id]
        page = parse(site / entry.kind / entry_id / "index.html")
        expected = {
            "og:type": "website",
            "og:site_name": "Customer-focus handbook",
            "og:title": entry.model.title,
            "og:description": entry.model.summary,
            "twitter:card": "summary",
            "twitter:title": entry.model.title,
            "twitter:description": entry.model.summary,
        }
        if site_url:
            expected["og:url"] = f"{site_url}{entry.kind}/{entry_id}/"
        assert _previews(page) == expected, entry_id
        assert unsafe_parts(page.head, allow_scripts=True) == [], entry_id


def test_link_previews_of_hostile_entries_are_plain_text_under_mkdocs(hostile_build):
    _assert_hostile_previews_are_text(hostile_build.site, None)  # no KB_SITE_URL: no og:url


def test_link_previews_edit_link_and_home_title_under_zensical(zensical_hostile_published):
    site = zensical_hostile_published
    _assert_hostile_previews_are_text(site, SITE_URL)
    home = parse(site / "index.html")
    assert home.title.get_text() == "Customer-focus handbook"
    edit = parse(site / "sources" / "payload-source" / "index.html").find("a", rel="edit")
    assert edit["href"] == EDIT_URI + "content/sources/payload-source.yaml"
    inventory = json.loads((site / "inventory.json").read_text(encoding="utf-8"))
    for item in inventory["entries"]:  # the anchors kb links check knows are the ids Zensical gave the headings
        ids = [h["id"] for h in parse(site / item["url"] / "index.html").select("article :is(h1,h2,h3,h4)[id]")]
        assert item["anchors"] == ids, item["id"]


def test_rename_writes_nothing_when_a_file_changed_after_it_was_read(tmp_path):
    project = make_project(tmp_path / "p")
    settings = read_settings(project)
    kb, _ = check(project)
    plan = rename.plan_rename(settings, kb, "answer-quickly", "reply-quickly", None)
    example = project / "content" / "examples" / "quick-reply.yaml"
    example.write_text(example.read_text() + "# saved by an editor meanwhile\n")
    before = {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")}
    with pytest.raises(KbError, match="changed while kb rename ran"):
        rename.apply_rename(settings, plan)
    assert {path: path.read_bytes() for path in (project / "content").rglob("*.yaml")} == before
