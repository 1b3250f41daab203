"""In CI (KB_REQUIRE_BROWSER=1) a skipped browser test fails the run; elsewhere it is only a skip."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

SKIPPING_TESTS = '''
import pytest

@pytest.mark.browser
def test_needs_a_browser():
    pytest.skip("no chromium here")

def test_other_skip():
    pytest.skip("not a browser test")
'''


def _run_pytest(folder, require_browser: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KB_REQUIRE_BROWSER"}
    if require_browser:
        env["KB_REQUIRE_BROWSER"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests"), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "pytest", "-p", "browser_policy", "-o", "markers=browser", "-p", "no:cacheprovider", "-rA", str(folder)]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120, env=env)


def test_a_skipped_browser_test_fails_when_the_browser_is_required(tmp_path):
    (tmp_path / "test_skips.py").write_text(SKIPPING_TESTS)
    result = _run_pytest(tmp_path, require_browser=True)
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 skipped" in result.stdout
    assert "browser test skipped while KB_REQUIRE_BROWSER=1 (CI must run it): no chromium here" in result.stdout


def test_a_skipped_browser_test_is_a_skip_otherwise(tmp_path):
    (tmp_path / "test_skips.py").write_text(SKIPPING_TESTS)
    result = _run_pytest(tmp_path, require_browser=False)
    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout
