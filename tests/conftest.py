"""Pytest's side of the shared helpers: the Hypothesis profiles, the browser, the session's builds.

Plain helpers (projects, running kb, ports, serving, golden files) live in kbtest.py, which the
benchmark imports too; the names below are imported from there (some test modules import them from
here).

Hypothesis: a property without its own count runs the profile's examples. The default "fast" profile
(the fast suite) draws 30, derandomized: the same examples every run, so a failure reproduces;
HYPOTHESIS_PROFILE=thorough draws ten times as many, to look further before a release.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_policy import pytest_runtest_makereport  # noqa: F401  (a hook: skipped browser tests fail in CI)
from hypothesis import HealthCheck, settings
from kbtest import (  # noqa: F401  (some test modules import these from here)
    EDIT_URI,
    FIXTURES,
    GOLDEN,
    MKDOCS_ENV,
    ROOT,
    assert_golden,
    free_port,
    make_project,
    run_kb,
    tree_state,
)

# Where the environment forbids bytecode files (PYTHONDONTWRITEBYTECODE, as on this project's machines), pytest
# would rewrite every test module's asserts and Python compile every module again on each run: about 5 s of the
# fast suite. The tests' own processes may keep them (git ignores __pycache__/).
sys.dont_write_bytecode = False

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.filter_too_much]
settings.register_profile("fast", max_examples=30, derandomize=True, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("thorough", max_examples=300, deadline=None, suppress_health_check=_SLOW_IS_FINE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


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


# --- the session's real builds ------------------------------------------------------------------
# Each is a `kb build` (its own process, MkDocs + Material) whose site several tests read, or which a test
# only inspects. The ones the selected tests use are queued as the first test starts and run one after
# another in a thread, on the second core, while the tests before them run here; a fixture waits only for
# what is not finished yet, and the modules that read builds run after the others. A build function takes
# tmp_path_factory and runs kb with run_kb: a process of its own, since call_kb changes this process's folder
# and streams.

SESSION_BUILDS: dict[str, Callable] = {}  # fixture name -> build function
_BUILDER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-build")  # one at a time: a core for the tests
_QUEUED: dict[str, Future] = {}


def session_build(function: Callable) -> Callable:
    """Make a build function a session fixture of the same name whose build runs in the builder thread."""
    SESSION_BUILDS[function.__name__] = function

    @pytest.fixture(scope="session", name=function.__name__)
    def waiting_for_the_build(tmp_path_factory):
        return _queued(function.__name__, tmp_path_factory).result()

    waiting_for_the_build.__doc__ = function.__doc__
    return waiting_for_the_build


def _queued(name: str, tmp_path_factory) -> Future:
    """The build of a session fixture, queued now unless it already is."""
    if name not in _QUEUED:
        _QUEUED[name] = _BUILDER.submit(SESSION_BUILDS[name], tmp_path_factory)
    return _QUEUED[name]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that read a session build after the others, so that meanwhile the builds are made."""
    # A module stays whole (its fixtures are made once): the modules holding such tests go last, and in each of
    # them those tests go after the rest.
    reading = {getattr(item, "module", None) for item in items if _builds_read(item)}
    items.sort(key=lambda item: (getattr(item, "module", None) in reading, bool(_builds_read(item))))


def _builds_read(item: pytest.Item) -> list[str]:
    """The session builds a test reads."""
    return [name for name in getattr(item, "fixturenames", ()) if name in SESSION_BUILDS]


@pytest.fixture(scope="session", autouse=True)
def _queue_session_builds(request, tmp_path_factory):
    """Queue the builds the selected tests read, in the order the tests need them, before the first test runs."""
    for item in request.session.items:
        for name in _builds_read(item):
            _queued(name, tmp_path_factory)
    yield
    _BUILDER.shutdown(cancel_futures=True)  # a build no test waited for (a run stopped early) is not started


@session_build
def fixture_site(tmp_path_factory) -> Path:
    """The basic fixture knowledge base built with the real MkDocs + Material."""
    project = make_project(tmp_path_factory.mktemp("fixture-project"))
    result = run_kb("build", cwd=project, env={"KB_EDIT_URI": EDIT_URI})  # with an edit button
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@session_build
def shipped_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The shipped handbook built from the repository's own content, and the build's output."""
    site = tmp_path_factory.mktemp("shipped") / "site"
    result = run_kb("build", "--site-dir", str(site), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return site, result


@session_build
def zensical_shipped(tmp_path_factory) -> Path:
    """The shipped handbook built with Zensical, the second engine."""
    site = tmp_path_factory.mktemp("zensical-shipped") / "site"
    result = run_kb("build", "--engine", "zensical", "--site-dir", str(site), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@dataclass
class HostileBuild:
    """The hostile corpus built once: its project, site, build time and the files the build touched."""

    project: Path
    site: Path
    seconds: float
    touched: set[str]


@session_build
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
