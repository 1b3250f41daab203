"""A pytest plugin: with KB_REQUIRE_BROWSER=1 (set by .ci/run), a skipped browser test is a failure."""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Turn the skip of a `browser`-marked test into a failure when the browser is required."""
    outcome = yield
    report = outcome.get_result()
    required = os.environ.get("KB_REQUIRE_BROWSER") == "1"
    if required and report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("browser"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"browser test skipped while KB_REQUIRE_BROWSER=1 (CI must run it): {reason}"
