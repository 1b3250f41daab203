"""Build projects with the real MkDocs + Material, one after another in this process, and report each build.

test_hostile.py runs it as a script for its rejected hazards, in the session's builder thread (conftest.py):
the four dozen builds, a fifth of a second each, run on the second core while other tests run.

    python tests/refused_builds.py REPORT.json PROJECT_FOLDER ...     # writes {folder: report}
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from pathlib import Path

from kbtest import tree_state  # this script's folder, tests/, is where Python looks first
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort


class _Errors(logging.Handler):
    """Keeps the message of every record of level ERROR or above, as pytest's caplog would show it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_report(project: Path) -> dict:
    """Build a project into a folder beside it: how the build ended, its error log and seconds, the files it touched."""
    before = tree_state(project.parent)
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project.parent / "out"))
    started = time.perf_counter()
    try:
        build(config)
        ended = "built"
    except Abort:
        ended = "aborted"
    except Exception:  # reported, so that the case's test fails with it and the other cases still run
        ended = traceback.format_exc()
    finally:
        seconds = time.perf_counter() - started
        logging.getLogger().removeHandler(errors)
    after = tree_state(project.parent)
    touched = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    return {"ended": ended, "log": "\n".join(errors.messages), "seconds": seconds, "touched": touched}


if __name__ == "__main__":
    reports = {folder: build_report(Path(folder)) for folder in sys.argv[2:]}
    Path(sys.argv[1]).write_text(json.dumps(reports), encoding="utf-8")
