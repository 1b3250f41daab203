"""Atomic publishing: a build that fails half-way, after pages were written, leaves the old site/ as it was."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import session_build
from kbtest import make_project, previous_output, run_kb

# A MkDocs hook that crashes the build after the third page has been written to the output folder.
CRASH_HOOK = """
from pathlib import Path


def on_post_page(output, page, config):
    written = list(Path(config.site_dir).rglob("index.html"))
    if len(written) >= 3:
        raise RuntimeError(f"simulated crash after {len(written)} pages were written to {config.site_dir}")
    return output
"""


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _build_that_crashes(project: Path) -> subprocess.CompletedProcess:
    """Run kb build with a hook that fails after a few pages."""
    (project / "crash_hook.py").write_text(CRASH_HOOK)
    with (project / "mkdocs.yml").open("a") as config:
        config.write("\nhooks:\n  - crash_hook.py\n")
    return run_kb("build", cwd=project)


def _half_built(result: subprocess.CompletedProcess) -> Path:
    """The folder the crashed build was writing, once it really failed half-way through writing."""
    assert result.returncode == 1
    crash = re.search(r"simulated crash after (\d+) pages were written to (\S+)", result.stderr)
    assert crash and int(crash.group(1)) >= 3, result.stderr
    return Path(crash.group(2))


@session_build
def crash_over_a_site(tmp_path_factory) -> tuple[Path, dict[str, bytes], subprocess.CompletedProcess]:
    """A build that crashes half-way in a project with a published site: the project, its site's files, the result."""
    project = make_project(tmp_path_factory.mktemp("crash-over-a-site") / "p")
    before = _files(previous_output(project / "site"))
    return project, before, _build_that_crashes(project)


@session_build
def crash_without_a_site(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A build that crashes half-way in a project that has no site yet: the project and the result."""
    project = make_project(tmp_path_factory.mktemp("crash-without-a-site") / "p")
    return project, _build_that_crashes(project)


def test_build_that_crashes_half_way_leaves_the_previous_site_intact(crash_over_a_site):
    project, before, result = crash_over_a_site
    half_built = _half_built(result)
    assert half_built != project / "site"  # it wrote into a folder of its own
    assert "kb build: the build failed; the previous site was left as it was" in result.stderr
    assert _files(project / "site") == before
    assert not half_built.exists()
    assert sorted(p.name for p in project.iterdir() if p.name == "site" or p.name.startswith("site.")) == ["site"]


def test_build_that_crashes_without_a_previous_site_leaves_none(crash_without_a_site):
    project, result = crash_without_a_site
    half_built = _half_built(result)
    assert "kb build: the build failed; no site was written" in result.stderr
    assert not half_built.exists()
    assert [p.name for p in project.iterdir() if p.name == "site" or p.name.startswith("site.")] == []
