"""Shared helpers: the project root, fixture projects, running kb, and golden files."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_policy import pytest_runtest_makereport  # noqa: F401  (a hook: skipped browser tests fail in CI)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
UPDATE_GOLDEN = os.environ.get("KB_UPDATE_GOLDEN") == "1"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def make_project(destination: Path, content: Path | None = None) -> Path:
    """Lay out a project (mkdocs.yml, templates, content) in a temporary folder."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    shutil.copytree(ROOT / "site_templates", destination / "site_templates")
    shutil.copytree(content or FIXTURES / "basic" / "content", destination / "content")
    return destination


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def launched_chromium():
    """Debian's headless Chromium through Playwright (whose own browser download needs the internet).

    Skipped when Playwright or the browser is missing; browser_policy turns that skip into a
    failure under KB_REQUIRE_BROWSER=1, as in CI.
    """
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package (make test does)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def run_kb(*args: str, cwd: Path, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the kb command line as a user would, capturing its output (env: extra variables)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **MKDOCS_ENV, **(env or {})},
    )


def assert_golden(path: Path, actual: str) -> None:
    """Compare text with a golden file; KB_UPDATE_GOLDEN=1 rewrites the file instead."""
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with KB_UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path.relative_to(ROOT)}"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The basic fixture knowledge base built with the real MkDocs + Material."""
    project = make_project(tmp_path_factory.mktemp("fixture-project"))
    result = run_kb("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The shipped handbook built from the repository's own content, and the build's output."""
    site = tmp_path_factory.mktemp("shipped") / "site"
    result = run_kb("build", "--site-dir", str(site), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return site, result


def tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under a folder with its size and modification time, to see what a command touched."""
    return {p.relative_to(folder).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*") if not p.is_dir()}


@dataclass
class HostileBuild:
    """The hostile corpus built once: its project, site, build time and the files the build touched."""

    project: Path
    site: Path
    seconds: float
    touched: set[str]


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> HostileBuild:
    """tests/fixtures/hostile built with the real MkDocs + Material by `kb build`."""
    base = tmp_path_factory.mktemp("hostile")
    project = make_project(base / "project", FIXTURES / "hostile" / "content")
    before = tree_state(base)
    started = time.perf_counter()
    result = run_kb("build", cwd=project)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    after = tree_state(base)
    touched = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    return HostileBuild(project, project / "site", seconds, touched)
