"""What every part of the benchmark measures with: timed processes, synthetic projects, medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import synth
from kbtest import kb_environment, project_skeleton

ENV = kb_environment()


def make_project(size: int, project: Path) -> Path:
    """A project folder like the repository's, holding a synthetic base of `size` entries."""
    project_skeleton(project)
    synth.generate(size, project)
    return project


def timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Run a command; return its wall time, CPU time and peak resident memory in KiB (its children included)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=log, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            raise SystemExit(
                f"bench: {' '.join(command)} failed in {cwd}:\n{log.read().decode(errors='replace')[-3000:]}"
            )
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def median(values) -> float:
    """The median, rounded to the millisecond."""
    return round(statistics.median(values), 3)


def kb_command(*args: str) -> list[str]:
    """The kb command line as this Python runs it."""
    return [sys.executable, "-m", "generator", *args]
