"""Helpers shared by the tests and the benchmark: fixture projects, running kb, ports, serving, waiting.

One module for both, kept where the tests are: pytest puts tests/ on sys.path (as for conftest.py),
and bench/run.py and bench/adversarial.py put it there themselves. It imports nothing of pytest, so
the benchmark needs no test runner; pytest fixtures and hooks stay in conftest.py.

Two ways to run the command line: `call_kb` calls generator.cli.main in this process (milliseconds:
use it for kb check, new, schema, links check and build --markdown-only), `run_kb` starts
`python -m generator` (use it where the process is what is tested: the real MkDocs build of
`kb build`, signals, exit statuses of the executable; and in conftest's builder thread, as call_kb
changes this process's folder and streams).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the benchmark runs from bench/: the generator package is found from the root
    sys.path.insert(0, str(ROOT))

from generator import cli  # noqa: E402
from generator.publish import MKDOCS_ENV  # noqa: E402  (what kb gives the mkdocs it starts; the tests' processes too)

FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
UPDATE_GOLDEN = os.environ.get("KB_UPDATE_GOLDEN") == "1"
# The environment as the session started: a kb process started in a thread (conftest's builder) must not
# inherit a variable a test in the main thread sets for a moment (call_kb's env, monkeypatch).
STARTING_ENVIRON = dict(os.environ)


# --- projects -------------------------------------------------------------------------------------


def project_skeleton(destination: Path) -> Path:
    """A project folder without entries: mkdocs.yml and the page templates, as in the repository."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    shutil.copytree(ROOT / "site_templates", destination / "site_templates")
    return destination


def make_project(destination: Path, content: Path | None = None) -> Path:
    """Lay out a project (mkdocs.yml, templates, content; the basic fixture's unless told) in a folder."""
    project_skeleton(destination)
    shutil.copytree(content or FIXTURES / "basic" / "content", destination / "content")
    return destination


OLD_ID, NEW_ID = "answer-quickly", "reply-quickly"  # the entry rename_entry renames
EDIT_URI = "https://git.example.org/org/handbook/edit/main/"  # a forge's edit address, for builds that set KB_EDIT_URI


def rename_entry(project: Path) -> None:
    """Rename answer-quickly as a contributor would: fix the references, move the file, keep the old id as an alias."""
    for path in (project / "content").rglob("*.yaml"):
        path.write_text(path.read_text().replace(OLD_ID, NEW_ID))
    old_file = project / "content" / "behaviours" / f"{OLD_ID}.yaml"
    text = old_file.read_text().replace("title: Answer quickly", "title: Reply quickly")
    old_file.unlink()
    renamed = text + f"aliases: [{OLD_ID}]\nlast_reviewed: 2026-12-01\n"
    (project / "content" / "behaviours" / f"{NEW_ID}.yaml").write_text(renamed)


def previous_output(folder: Path) -> Path:
    """What an earlier build left in its output folder, for a build that must leave it as it was: two files."""
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<p>Published before.</p>\n")
    (folder / "assets" / "site.css").write_text("p { margin: 0 }\n")
    return folder


def tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under a folder with its size and modification time, to see what a command touched."""
    files = (path for path in folder.rglob("*") if not path.is_dir())
    return {path.relative_to(folder).as_posix(): (path.lstat().st_size, path.lstat().st_mtime_ns) for path in files}


def assert_golden(path: Path, actual: str) -> None:
    """Compare text with a golden file; KB_UPDATE_GOLDEN=1 rewrites the file instead."""
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with KB_UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path.relative_to(ROOT)}"


# --- running kb -----------------------------------------------------------------------------------


def kb_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a kb or mkdocs process: the starting one, MkDocs' warnings about MkDocs 2 off, and env."""
    return {**STARTING_ENVIRON, **MKDOCS_ENV, **(env or {})}


def run_kb(
    *args: str, cwd: Path, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the kb command line as a user would, in a new process, capturing its output (env: extra variables)."""
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=kb_environment(env))


def call_kb(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the kb command line in this process (generator.cli.main in cwd); the same result as run_kb."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), mock.patch.dict(os.environ, env or {}):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = cli.main(list(args))
            except SystemExit as exc:  # argparse's usage errors exit, as they do in the real command
                status = exc.code
    return subprocess.CompletedProcess(["kb", *args], status, out.getvalue(), err.getvalue())


def start_kb_serve(project: Path, port: int, *flags: str, output=subprocess.DEVNULL) -> subprocess.Popen:
    """Start `kb serve` on 127.0.0.1:port in a project (output: where its log goes); the caller stops it."""
    command = [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}", *flags]
    return subprocess.Popen(command, cwd=project, env=kb_environment(), stdout=output, stderr=output)


# --- HTTP -----------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request to stderr."""

    def log_message(self, format, *args) -> None:  # noqa: A002 - the name is the base class's
        pass


@contextlib.contextmanager
def serve_folder(folder: Path, port: int = 0) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (on a free port unless told) in a thread; yield its base URL ('http://127.0.0.1:N/').

    The port listens when this yields, so nothing needs to wait for it; the folder may be filled later.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def fetch(url: str, timeout: float = 5) -> str | None:
    """The text at a URL, or None when the server does not answer it with a page."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, timeout: float, interval: float = 0.2) -> bool:
    """Poll a URL until its page holds text; False when timeout seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and text in body:
            return True
        time.sleep(interval)
    return False


def assert_preview_follows_an_entry_edit(project: Path, port: int) -> str:
    """With a preview of the basic fixture running on port, edit an entry: its page shows the edit without a restart.

    Returns the page's URL.
    """
    url = f"http://127.0.0.1:{port}/behaviours/answer-quickly/"
    assert wait_for(url, "Reply to a customer the same day.", 60), "the preview server never served the page"
    path = project / "content" / "behaviours" / "answer-quickly.yaml"
    path.write_text(path.read_text().replace("Reply to a customer the same day.", "Reply within the hour."))
    assert wait_for(url, "Reply within the hour.", 30), "the edited YAML did not show up without a restart"
    return url
