"""The operator's side: what kb prints cannot drive a terminal, and kb build cannot harm the project it runs in.

Class 9: control, bidi and line-separator characters in file names, ids, values and arguments are
printed as visible escapes, one line per diagnostic, in every output format.
Class 10: output folders that are, hold or lie inside the sources are refused; Ctrl-C, a full disk
or an unwritable site/ end in one line, with the unfinished build removed and the previous one intact;
killed builds' leftovers are cleared; dotfiles in content/ are reported; an oversize file's real size is.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import session_build
from kbtest import FIXTURES, ROOT, kb_environment, make_project, previous_output, run_kb, tree_state

from generator import cli, publish
from generator.errors import printable
from generator.loader import MAX_FILE_BYTES, load_content
from generator.pipeline import check
from generator.report import as_dict
from generator.yamlread import BIDI_CONTROLS

# The oracle, written out apart from generator.errors: C0, DEL, C1, the bidi controls and U+2028/9.
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]] + sorted(BIDI_CONTROLS) + ["\u2028", "\u2029"]
RAW = set(CONTROLS)


def _escaped(ch: str) -> str:
    """How kb shows a character; also how a YAML double-quoted string writes it, keeping the file itself clean."""
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def assert_terminal_safe(output: str) -> list[str]:
    """Every line of output is free of raw control characters and encodable; return the lines."""
    assert output == "" or output.endswith("\n"), repr(output[-80:])
    lines = output.split("\n")[:-1]
    for line in lines:
        assert not RAW & set(line), repr(line)
        line.encode("utf-8")  # no lone surrogate, which would crash the print
    return lines


# --- class 9: terminal output --------------------------------------------------------------------


def test_printable_escapes_exactly_the_unsafe_characters():
    for ch in CONTROLS:
        assert printable(f"a{ch}b") == f"a{_escaped(ch)}b"
    assert printable("\udcff") == "\\udcff"  # an undecodable byte of a file name
    ordinary = "Café – naïve 日本語 😀 quotes '\" and a literal \\x1b"
    assert printable(ordinary) == ordinary


def _hostile_output_project(folder: Path) -> Path:
    """A project whose file names, kind folders, ids and field names carry every unsafe character."""
    project = make_project(folder / "p")
    content = project / "content"
    for ch in CONTROLS:
        if ch != "\x00":  # the one character no file name can hold
            (content / "behaviours" / f"f{ch}x.yaml").write_text("title: x\n")
            (content / f"k{ch}x").mkdir()
    entries = [
        "behaviours/answer-quickly.yaml",
        "examples/quick-reply.yaml",
        "sources/field-notes.yaml",
        "definitions/service-focus.yaml",
    ]
    for number, rel in enumerate(entries):  # at most 30 related ids per entry
        chunk = CONTROLS[number * 20 : (number + 1) * 20]
        related = ", ".join(f'"{_escaped(ch)}[2Kfake"' for ch in chunk)
        keys = "".join(f'"bad{_escaped(ch)}key": x\n' for ch in chunk)
        (content / rel).write_text((content / rel).read_text() + f"related: [{related}]\n" + keys)
    return project


@pytest.fixture(scope="module")
def hostile_output_project(tmp_path_factory) -> Path:
    """A project whose file names, kind folders, ids and field names carry every unsafe character."""
    return _hostile_output_project(tmp_path_factory.mktemp("terminal"))


def test_hostile_names_and_values_print_one_escaped_line_per_diagnostic(hostile_output_project, capsys):
    _, diagnostics = check(hostile_output_project)
    assert cli.main(["check", "--root", str(hostile_output_project)]) == 1
    captured = capsys.readouterr()
    lines = assert_terminal_safe(captured.out)
    assert_terminal_safe(captured.err)
    assert len(lines) == len(diagnostics)
    assert all(re.fullmatch(r"content/[^:]+:\d+:\d+: error: .+", line) for line in lines), lines
    for ch in CONTROLS:
        shown = _escaped(ch)
        if ch != "\x00":
            assert (
                sum(line.startswith(f"content/behaviours/f{shown}x.yaml:1:1: error: bad file name") for line in lines)
                == 1
            ), shown
            assert sum(line.startswith(f"content/k{shown}x:1:1: error: unknown kind") for line in lines) == 1, shown
        assert sum(f"unknown field 'bad{shown}key'" in line for line in lines) == 1, shown
    assert sum("'related[" in line for line in lines) == len(CONTROLS)


def test_github_annotations_are_one_escaped_line_each(hostile_output_project, capsys):
    _, diagnostics = check(hostile_output_project)
    assert cli.main(["check", "--root", str(hostile_output_project), "--format", "github"]) == 1
    lines = assert_terminal_safe(capsys.readouterr().out)
    assert len(lines) == len(diagnostics)
    assert all(line.startswith("::error file=content/") for line in lines)
    assert any("file=content/behaviours/f\\x1bx.yaml," in line for line in lines)


def test_json_keeps_the_exact_strings_without_raw_control_characters(hostile_output_project, capsys):
    _, diagnostics = check(hostile_output_project)
    assert cli.main(["check", "--root", str(hostile_output_project), "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert_terminal_safe(out)  # JSON escapes them as \uNNNN: the newlines left are its own layout
    assert json.loads(out) == [as_dict(d) for d in diagnostics]


@session_build
def check_of_hostile_names(tmp_path_factory) -> subprocess.CompletedProcess:
    """`python -m generator check` of the project of unsafe names: its real streams and exit status."""
    return run_kb("check", cwd=_hostile_output_project(tmp_path_factory.mktemp("terminal-stream")))


def test_kb_check_in_a_real_terminal_stream_has_no_escape_bytes(check_of_hostile_names):
    result = check_of_hostile_names
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    assert_terminal_safe(result.stdout)
    assert_terminal_safe(result.stderr)


KB = Path(sys.executable).with_name("kb")  # the entry point pip installed beside this Python


def _run(*command) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=kb_environment())


@session_build
def installed_kb_runs(tmp_path_factory) -> list[subprocess.CompletedProcess]:
    """The installed kb command run twice: kb check of the basic fixture, and with an argument it refuses."""
    if not KB.is_file():
        return []
    return [_run(KB, "check", "--root", FIXTURES / "basic"), _run(KB, "check", "--format", "xml")]


def test_the_installed_kb_command_exits_with_the_status_of_what_it_did(installed_kb_runs):
    assert KB.is_file(), f"no {KB}: install the project (make test does: pip install -e .)"
    passed, misused = installed_kb_runs
    assert (passed.returncode, passed.stderr) == (0, "")
    assert passed.stdout.startswith("checked 7 entries: no errors")
    assert misused.returncode == 2 and "kb check: error: unknown --format value 'xml'" in misused.stderr


@session_build
def build_of_hostile_names(tmp_path_factory) -> subprocess.CompletedProcess:
    """kb build of a project with an unsafe file name and unsafe ids: kb relays the mkdocs child's output, escaped."""
    project = make_project(tmp_path_factory.mktemp("build-messages") / "p")
    entry = project / "content" / "behaviours" / "answer-quickly.yaml"
    entry.write_text(entry.read_text() + 'related: ["\\e[2Kfake", "\\u202eevil"]\n')
    (project / "content" / "behaviours" / "f\x1b[2Kx.yaml").write_text("title: x\n")
    return run_kb("build", cwd=project)


def test_kb_build_messages_are_escaped(build_of_hostile_names):
    result = build_of_hostile_names
    assert result.returncode == 1
    assert_terminal_safe(result.stdout)
    lines = assert_terminal_safe(result.stderr)
    assert any("'\\x1b[2Kfake' is not an id" in line for line in lines), result.stderr
    assert any(line.startswith("content/behaviours/f\\x1b[2Kx.yaml:1:1: error: bad file name") for line in lines), (
        result.stderr
    )


def test_markdown_build_escapes_its_output_folder_name(tmp_path, capsys):
    project = make_project(tmp_path / "p")
    out = tmp_path / "o\x1b[2Kx"
    assert cli.main(["build", "--root", str(project), "--markdown-only", str(out)]) == 0
    lines = assert_terminal_safe(capsys.readouterr().out)
    assert lines[-1].endswith("o\\x1b[2Kx")


def test_links_check_escapes_file_names(tmp_path, capsys):
    project = make_project(tmp_path / "p")
    docs = tmp_path / "docs"
    docs.mkdir()
    base = "https://docs.example.org/h/"
    (docs / "a\x1b[2K\u202eb.md").write_text(f"See [it]({base}go/no-such-entry/).\nAnd {base}go/x\u202e\x85y/ too.\n")
    assert cli.main(["links", "check", "--root", str(project), "--base-url", base, str(docs)]) == 1
    captured = capsys.readouterr()
    lines = assert_terminal_safe(captured.out)
    assert_terminal_safe(captured.err)
    assert len(lines) == 2 and all(f"a\\x1b[2K\\u202eb.md:{n}:" in lines[n - 1] for n in (1, 2)), lines
    assert "go/x\\u202e: no entry" in lines[1]  # the link finder ends the URL at U+0085, a space to it


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--format", "\x1b[2Kx"],  # argparse echoes an invalid choice
        ["check", "\x1b[2Kextra\n"],  # ... and unrecognised arguments
        ["new", "\x1b[2Kkind", "A title"],
        ["new", "behaviour", "A title", "--id", "a\u202eb\n"],
        ["links", "check", "missing\x1b[2K\u2028file.md"],
        ["check", "--root", "no\x1b[2Kroot"],
    ],
)
def test_arguments_echoed_back_are_escaped(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(make_project(tmp_path / "p"))
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        status = exc.code
    assert status in (1, 2)
    captured = capsys.readouterr()
    assert_terminal_safe(captured.out)
    lines = assert_terminal_safe(captured.err + captured.out)
    assert any("\\x1b[2K" in line or "\\u202e" in line for line in lines), lines


# --- class 10: output folders that hold the sources ---------------------------------------------


@pytest.fixture
def full_project(tmp_path) -> Path:
    """A fixture project with every source folder kb guards, each holding a file."""
    project = make_project(tmp_path / "p")
    for name in ("generator", "tests", ".git"):
        (project / name).mkdir()
        (project / name / "keep.txt").write_text(name)
    (project / "content-link").symlink_to(project / "content")
    return project


@pytest.mark.parametrize(
    ("option", "folder", "why"),
    [
        ("--markdown-only", ".", "it is the project folder"),
        ("--site-dir", ".", "it is the project folder"),
        ("--site-dir", "content", "it is the project's content/ folder"),
        ("--markdown-only", "content/behaviours", "it is inside the project's content/ folder"),
        ("--site-dir", "content-link", "it is the project's content/ folder"),
        ("--markdown-only", "site_templates", "it is the project's site_templates/ folder"),
        ("--site-dir", "site_templates/assets/out", "it is inside the project's site_templates/ folder"),
        ("--site-dir", "generator", "it is the project's generator/ folder"),
        ("--markdown-only", "tests/out", "it is inside the project's tests/ folder"),
        ("--site-dir", ".git", "it is the project's .git/ folder"),
        ("--markdown-only", "..", "it holds the whole project"),
        ("--site-dir", "/", "it holds the whole project"),
    ],
)
def test_build_refuses_an_output_folder_that_is_holds_or_lies_inside_the_sources(
    option, folder, why, full_project, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(full_project)
    before = tree_state(tmp_path)
    assert cli.main(["build", option, folder]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith(f"kb build: error: {option} "), captured.err
    assert why in captured.err and "choose a new folder" in captured.err
    assert tree_state(tmp_path) == before


def test_build_refuses_an_existing_file_as_output_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(make_project(tmp_path / "p"))
    assert cli.main(["build", "--markdown-only", "mkdocs.yml"]) == 2
    assert capsys.readouterr().err.startswith("kb build: error: --markdown-only ")
    assert (tmp_path / "p" / "mkdocs.yml").is_file()


def test_build_accepts_a_new_sub_folder_and_a_folder_outside_the_project(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path / "p"))
    assert cli.main(["build", "--markdown-only", "out"]) == 0
    assert cli.main(["build", "--markdown-only", "out"]) == 0  # replacing its own earlier output
    assert cli.main(["build", "--markdown-only", str(tmp_path / "elsewhere" / "md")]) == 0
    assert (tmp_path / "p" / "out" / "inventory.json").is_file() and (
        tmp_path / "elsewhere" / "md" / "inventory.json"
    ).is_file()


def test_a_missing_root_is_one_line_and_exit_2(tmp_path, capsys):
    assert cli.main(["check", "--root", "/nonexistent"]) == 2
    assert capsys.readouterr().err == (
        "kb check: error: --root /nonexistent: this folder does not exist: "
        "pass the project folder that holds content/\n"
    )
    (tmp_path / "file").write_text("")
    assert cli.main(["build", "--root", str(tmp_path / "file")]) == 2
    assert capsys.readouterr().err == (
        f"kb build: error: --root {tmp_path / 'file'}: this is a file, not a folder: "
        "pass the project folder that holds content/\n"
    )


# --- class 10: Ctrl-C ----------------------------------------------------------------------------

# A MkDocs hook that, once every page is written to the unfinished folder, records the child's pid and waits.
SLOW_HOOK = """
import os
import time
from pathlib import Path


def on_post_build(config):
    Path(config.config_file_path).with_name("mkdocs-child.pid").write_text(str(os.getpid()))
    time.sleep(120)
"""


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _default_sigint() -> None:
    """In the child: take SIGINT's default, even when the test runner was started with it ignored (a background job)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_during_kb_build_stops_mkdocs_and_removes_the_unfinished_site(tmp_path):
    project = make_project(tmp_path / "p")
    before = _site_files(previous_output(project / "site"))
    (project / "slow_hook.py").write_text(SLOW_HOOK)
    with (project / "mkdocs.yml").open("a") as config:
        config.write("\nhooks:\n  - slow_hook.py\n")
    kb = subprocess.Popen(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        env=kb_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    pid_file, deadline = project / "mkdocs-child.pid", time.monotonic() + 120
    while not pid_file.exists():
        assert kb.poll() is None and time.monotonic() < deadline, kb.communicate()
        time.sleep(0.05)
    assert [p.name for p in project.glob("site.new-*")] == [f"site.new-{kb.pid}"]  # the temporary folder is there
    kb.send_signal(signal.SIGINT)
    out, err = kb.communicate(timeout=60)
    assert kb.returncode == 130, err
    assert err.splitlines()[-1] == "kb: interrupted" and err.count("kb: interrupted") == 1, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert list(project.glob("site.*")) == []
    assert _site_files(project / "site") == before
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # the mkdocs child was stopped, not left running


def test_ctrl_c_during_kb_check_is_one_line(tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "check", interrupted)
    assert cli.main(["check", "--root", str(make_project(tmp_path / "p"))]) == 130
    assert capsys.readouterr() == ("", "kb: interrupted\n")


def test_ctrl_c_during_markdown_build_removes_the_unfinished_folder(tmp_path, monkeypatch, capsys):
    project, out = make_project(tmp_path / "p"), tmp_path / "out"
    before = tree_state(previous_output(out))
    write, calls = publish.write_inside, []

    def interrupted_on_third_file(folder, relative, data):
        calls.append(relative)
        if len(calls) == 3:
            raise KeyboardInterrupt
        write(folder, relative, data)

    monkeypatch.setattr(publish, "write_inside", interrupted_on_third_file)
    capsys.readouterr()
    assert cli.main(["build", "--root", str(project), "--markdown-only", str(out)]) == 130
    assert capsys.readouterr() == ("", "kb: interrupted\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p"]
    assert tree_state(out) == before


def test_ctrl_c_while_swapping_puts_the_previous_output_back(tmp_path, monkeypatch, capsys):
    project, out = make_project(tmp_path / "p"), tmp_path / "out"
    before = tree_state(previous_output(out))
    rename = Path.rename

    def interrupted_swap(self, target):
        if ".new-" in self.name:  # the previous output has just been moved aside
            raise KeyboardInterrupt
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", interrupted_swap)
    capsys.readouterr()
    assert cli.main(["build", "--root", str(project), "--markdown-only", str(out)]) == 130
    assert capsys.readouterr() == ("", "kb: interrupted\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p"]
    assert tree_state(out) == before


# --- class 10: stale temporary builds ------------------------------------------------------------


def _dead_pids(count: int) -> list[int]:
    """Ids of processes that ran and ended (reaped, so no process has them now)."""
    pids = []
    for _ in range(count):
        child = subprocess.Popen([sys.executable, "-c", ""])
        child.wait()
        pids.append(child.pid)
    return pids


def test_builds_left_by_killed_processes_are_removed_and_nothing_else(tmp_path):
    project = make_project(tmp_path / "p")
    first, second, third = _dead_pids(3)
    base = tmp_path / "b"
    (base / "elsewhere").mkdir(parents=True)
    (base / "elsewhere" / "keep.txt").write_text("keep")
    stale = [f"out.new-{first}", f"out.old-{second}"]
    kept = [
        f"out.new-{os.getppid()}",
        "out.new-abc",
        f"out.new-0{first}",
        f"out.old-{first}.bak",
        "out.bak",
        f"other.new-{first}",
        f"out.new-{third}x",
    ]
    for name in stale + kept:
        (base / name).mkdir()
        (base / name / "page.md").write_text(name)
    (base / f"out.new-{third}").symlink_to(base / "elsewhere")  # a symlink is never followed or removed
    (base / f"out.old-{third}").write_text("a file, not a folder")
    assert cli.main(["build", "--root", str(project), "--markdown-only", str(base / "out")]) == 0
    expected = {"out", "elsewhere", f"out.new-{third}", f"out.old-{third}", *kept}
    assert {p.name for p in base.iterdir()} == expected
    assert (base / "elsewhere" / "keep.txt").read_text() == "keep"


# --- class 10: file-system errors ----------------------------------------------------------------


def _failing(method, should_fail, error: OSError):
    """A replacement for a Path method that raises error (with the path as its file name) when should_fail(path)."""

    def replacement(self, *args, **kwargs):
        if should_fail(self):
            raise type(error)(error.errno, error.strerror, str(self))
        return method(self, *args, **kwargs)

    return replacement


FULL_DISK = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
READ_ONLY = PermissionError(errno.EACCES, os.strerror(errno.EACCES))


@pytest.mark.parametrize(
    ("method", "when", "error"),
    [
        ("rename", lambda path: ".new-" in path.name, FULL_DISK),  # swapping the finished folder in
        ("rename", lambda path: path.name == "out", READ_ONLY),  # moving the previous output aside: parent not writable
        ("write_bytes", lambda path: ".new-" in str(path), FULL_DISK),  # writing a page
    ],
    ids=["swap-in-disk-full", "move-aside-not-writable", "write-disk-full"],
)
def test_os_error_in_markdown_build_is_one_line_and_keeps_the_previous_output(
    method, when, error, tmp_path, monkeypatch, capsys
):
    project, out = make_project(tmp_path / "p"), tmp_path / "out"
    before = tree_state(previous_output(out))
    capsys.readouterr()
    monkeypatch.setattr(Path, method, _failing(getattr(Path, method), when, error))
    assert cli.main(["build", "--root", str(project), "--markdown-only", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.fullmatch(
        rf"kb build: error: {re.escape(error.strerror)}: {re.escape(str(tmp_path))}/\S+\n", captured.err
    ), captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p"]  # no finished or half-written build left behind
    assert tree_state(out) == before


def _engine_that_writes_a_page(command: list[str], cwd: Path) -> int:
    """Stands in for the mkdocs build: succeeds at once, one page written into its --site-dir."""
    (Path(command[command.index("--site-dir") + 1]) / "index.html").write_text("<p>the new site</p>")
    return 0


def test_os_error_when_publishing_the_site_is_one_line_and_keeps_the_previous_site(tmp_path, monkeypatch, capsys):
    project = make_project(tmp_path / "p")
    before = _site_files(previous_output(project / "site"))
    monkeypatch.setattr(publish, "run_engine", _engine_that_writes_a_page)  # publishing is under test, not the engine
    monkeypatch.setattr(Path, "rename", _failing(Path.rename, lambda path: ".new-" in path.name, FULL_DISK))
    assert cli.main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    ours = [line for line in err.splitlines() if line.startswith("kb")]
    assert ours == [f"kb build: error: No space left on device: {project}/site.new-{os.getpid()}"], err
    assert "Traceback" not in err
    assert list(project.glob("site.*")) == []
    assert _site_files(project / "site") == before


# --- class 10: the loader ------------------------------------------------------------------------


def test_hidden_files_and_folders_in_content_are_reported_except_the_schema_folder(tmp_path):
    project = make_project(tmp_path / "p")
    content = project / "content"
    (content / ".schema").mkdir()
    (content / ".schema" / "behaviours.schema.json").write_text("{}")
    (content / ".hidden.yaml").write_text("title: Hidden\n")
    (content / "behaviours" / ".draft.yaml").write_text("title: Draft\n")
    (content / ".foo").mkdir()
    (content / ".foo" / "entry.yaml").write_text("title: Foo\n")
    (content / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (content / "behaviours" / ".answer-quickly.yaml.swp").write_bytes(b"b0VIM")  # an editor's swap file: not reported
    (content / "behaviours" / ".#answer-quickly.yaml").write_text("emacs lock")
    _, diagnostics = load_content(project)
    assert [str(d) for d in diagnostics] == [
        "content/.DS_Store:1:1: error: hidden files are not read: "
        "delete it (a .DS_Store holds macOS Finder's view settings, not an entry)",
        "content/.foo:1:1: error: hidden files are not read: "
        "rename it without the leading dot, or move it out of content/",
        "content/.hidden.yaml:1:1: error: hidden files are not read: "
        "rename it without the leading dot, or move it out of content/",
        "content/behaviours/.draft.yaml:1:1: error: hidden files are not read: "
        "rename it without the leading dot, or move it out of content/",
    ]


def test_the_projects_own_content_has_no_hidden_entry_but_its_schemas():
    _, diagnostics = load_content(ROOT)
    assert not [d for d in diagnostics if "hidden files" in d.message]
    assert sorted(p.name for p in (ROOT / "content").iterdir() if p.name.startswith(".")) == [".schema"]


def test_oversize_file_reports_its_real_size_without_reading_it(tmp_path):
    project = make_project(tmp_path / "p")
    huge = project / "content" / "sources" / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(2**30)  # 1 GiB, sparse: no disk used
    tracemalloc.start()
    try:
        _, diagnostics = load_content(project)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(d) for d in diagnostics] == [
        f"content/sources/huge.yaml:1:1: error: file is {2**30} bytes, "
        f"more than the {MAX_FILE_BYTES // 1024} KiB an entry may hold: split it or trim it"
    ]
    assert peak < 16 * MAX_FILE_BYTES
