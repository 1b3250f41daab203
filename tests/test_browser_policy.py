"""In CI (KB_REQUIRE_BROWSER=1) a skipped browser test fails the run; elsewhere it is only a skip."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SKIPPING_TESTS = """
import pytest

@pytest.mark.browser
def test_needs_a_browser():
    pytest.skip("no chromium here")

def test_other_skip():
    pytest.skip("not a browser test")
"""


def _run_pytest(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, require_browser: bool) -> pytest.RunResult:
    """A pytest session of its own (in this process) over a file of two skipping tests, with the policy plugin."""
    monkeypatch.delenv("KB_REQUIRE_BROWSER", raising=False)
    if require_browser:
        monkeypatch.setenv("KB_REQUIRE_BROWSER", "1")
    pytester.makepyfile(test_skips=SKIPPING_TESTS)
    return pytester.runpytest_inprocess("-p", "browser_policy", "-o", "markers=browser", "-p", "no:cacheprovider")


def test_a_skipped_browser_test_fails_when_the_browser_is_required(pytester, monkeypatch):
    result = _run_pytest(pytester, monkeypatch, require_browser=True)
    assert result.ret == 1, result.stdout.str()
    result.assert_outcomes(failed=1, skipped=1)
    assert "browser test skipped while KB_REQUIRE_BROWSER=1 (CI must run it): no chromium here" in result.stdout.str()


def test_a_skipped_browser_test_is_a_skip_otherwise(pytester, monkeypatch):
    result = _run_pytest(pytester, monkeypatch, require_browser=False)
    assert result.ret == 0, result.stdout.str()
    result.assert_outcomes(skipped=2)
