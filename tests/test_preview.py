"""The preview (`kb serve`, both engines) while the content has errors: every page answers at once with them,
through the real server, over HTTP and in Chromium, and comes back by itself once they are fixed.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import launched_chromium
from htmlsafety import unsafe_parts
from kbtest import fetch, free_port, make_project, start_kb_serve, wait_for

from generator.preview import STATE_PATH


def _served(project: Path, engine: str, port: int):
    """`kb serve` of a project on a port (its log in the project folder); the caller stops it."""
    log = open(project / "serve.log", "w")  # noqa: SIM115 - closed with the process
    return start_kb_serve(project, port, "--engine", engine, output=log), log


def _stop(server: subprocess.Popen, log) -> None:
    server.terminate()
    server.wait(timeout=20)
    log.close()


def _break(entry: Path) -> str:
    """Give an entry an unknown field whose name is markup; return the message kb check prints for it."""
    entry.write_text('"<img src=x onerror=alert(1)>": 1\n' + entry.read_text())
    return "unknown field '<img src=x onerror=alert(1)>'"


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_preview_answers_every_page_at_once_with_the_errors_and_recovers(tmp_path, engine):
    project = make_project(tmp_path / "p")
    entry = project / "content" / "behaviours" / "answer-quickly.yaml"
    good = entry.read_text()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    message = _break(entry)  # broken before the server starts: it starts all the same
    server, log = _served(project, engine, port)
    try:
        assert wait_for(base + STATE_PATH.lstrip("/"), "failing", 90), (project / "serve.log").read_text()
        for path in ("", "behaviours/answer-quickly/", "tags/", "no/such/page/"):
            started = time.monotonic()
            page = BeautifulSoup(fetch(base + path, timeout=10) or "", "html.parser")
            assert time.monotonic() - started < 5, path
            problem = page.select_one("main li")
            assert problem.get_text().startswith(f"content/behaviours/answer-quickly.yaml:1:1: error: {message}")
            assert unsafe_parts(page.find("main")) == [] and page.find("img") is None
            assert problem.a["href"] == "/.kb-preview/source/content/behaviours/answer-quickly.yaml#L1"
        source = BeautifulSoup(fetch(base + ".kb-preview/source/content/behaviours/answer-quickly.yaml"), "html.parser")
        assert source.select_one("#L1.bad").get_text().strip().startswith('1  "<img src=x')
        assert fetch(base + ".kb-preview/source/mkdocs.yml") == "no problem is reported in this file"
        entry.write_text(good)
        assert wait_for(base + "behaviours/answer-quickly/", "Reply to a customer the same day.", 90)
        message = _break(entry)  # broken while serving: the next request already shows it
        assert wait_for(base + "tags/", "unknown field", 30)
    finally:
        _stop(server, log)


@pytest.mark.browser
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_in_chromium_the_error_page_links_the_file_and_reloads_itself_when_fixed(tmp_path, engine):
    project = make_project(tmp_path / "p")
    entry = project / "content" / "behaviours" / "answer-quickly.yaml"
    good = entry.read_text()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server, log = _served(project, engine, port)
    try:
        assert wait_for(base + "behaviours/answer-quickly/", "Reply to a customer the same day.", 90)
        with launched_chromium() as browser:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.goto(base + "behaviours/answer-quickly/")
            _break(entry)
            if (
                engine == "zensical"
            ):  # MkDocs reloads the open page by itself; under Zensical, the next request shows it
                assert wait_for(base + STATE_PATH.lstrip("/"), "failing", 30)
                page.reload()
            page.locator("main h1", has_text="The content has 1 error(s)").wait_for(timeout=30_000)
            page.locator("main li a").click()
            page.locator("#L1.bad").wait_for(timeout=10_000)
            page.go_back()
            entry.write_text(good)
            page.locator("h1", has_text="Answer quickly").first.wait_for(timeout=60_000)  # reloaded by itself
            assert page.url == base + "behaviours/answer-quickly/"
            assert [e for e in errors if "Content Security Policy" in e] == []
    finally:
        _stop(server, log)


def test_the_preview_state_answers_without_waiting_for_a_build(tmp_path):
    """The error page's poll asks the server only for a short text, never a page."""
    project = make_project(tmp_path / "p")
    port = free_port()
    server, log = _served(project, "mkdocs", port)
    try:
        assert wait_for(f"http://127.0.0.1:{port}{STATE_PATH}", "ok-", 90)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{STATE_PATH}", timeout=5) as response:
            assert response.headers["Cache-Control"] == "no-store" and response.read().startswith(b"ok-")
    finally:
        _stop(server, log)
