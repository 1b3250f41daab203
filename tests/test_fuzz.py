"""Property tests: whatever bytes or YAML a contributor commits, the loader and validator answer with
entries or our own diagnostics, never another exception; and what passes renders."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbtest import ROOT

from generator.errors import Diagnostic, KbError
from generator.kinds import kind_names
from generator.pipeline import check
from generator.render import render_pages
from generator.schema import MODELS

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
FIELD_NAMES = sorted(
    {name for model in MODELS.values() for name in model.model_fields}
    | {"source", "locator", "entry", "minutes", "difference", "view"}
)
IDS = ["fuzzed", "other", "../x", "Fuzzed", "a--b", ""]
# Pieces of YAML syntax, so random documents reach the parser's corners, not just its first error.
YAML_PIECES = [
    "title: ",
    "summary: ",
    "body: ",
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "!!str ",
    "!!python/object:os.system ",
    "'",
    '"',
    "\\u202e",
    "\\0",
    "|",
    ">-",
    "\n",
    "\n  ",
    "\n    ",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "<<: ",
    "~",
    "NO",
    "1.10",
    "2024-02-30",
    "\uffff",
    "[[fuzzed]]",
    "[[x|",
    "[a](javascript:x)",
    "<script>",
    "\t",
    "\r\n",
    "é",
    "\ufeff",
    "\u2028",
    "fuzzed",
    "other",
]

scalars = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(IDS),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)), children, max_size=6),
    ),
    max_leaves=25,
)
# The fields each kind requires, valid, so that many generated entries pass and get rendered too.
REQUIRED = {
    "definitions": {"term": "fuzz term"},
    "behaviours": {"in_practice": ["x"], "why_it_matters": "y", "discussion_questions": ["z?"]},
    "examples": {"shows": ["other"]},
    "case-notes": {"company": "c", "period": "p", "what_they_did": ["w"], "demonstrates": ["other"]},
    "sources": {"publisher": "p"},
    "paths": {"audience": "a", "format": "workshop", "objectives": ["o"], "steps": [{"entry": "other", "minutes": 5}]},
}
prose = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60) | st.sampled_from(YAML_PIECES)
line = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=60
).filter(str.strip)


@st.composite
def entries(draw, kind):
    """An entry of a kind: valid required fields, some replaced or joined by generated values."""
    entry = {"title": draw(line), "summary": draw(line), "added": "2026-01-01", **REQUIRED[kind]}
    for name in draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=3, unique=True)):
        entry[name] = draw(st.one_of(prose, st.lists(prose, max_size=3), documents))
    return entry


def _check_file(root, kind: str, data: bytes):
    """Write one content file (and a valid neighbour to link to) and run load + validate + link."""
    content = root / "content"
    for old in content.glob("*/*.yaml"):
        old.unlink()
    (content / kind).mkdir(parents=True, exist_ok=True)
    (content / kind / "fuzzed.yaml").write_bytes(data)
    (content / "behaviours").mkdir(exist_ok=True)
    (content / "behaviours" / "other.yaml").write_text(
        "title: Other\nsummary: A neighbour.\nin_practice: [x]\nwhy_it_matters: y\n"
        "discussion_questions: [z?]\nadded: 2026-01-01\n"
    )
    kb, diagnostics = check(root)  # anything but KbError-style diagnostics escaping here fails the test
    assert all(isinstance(d, Diagnostic) and d.location.path.startswith("content") for d in diagnostics)
    if not diagnostics:
        pages = render_pages(kb, ROOT / "site_templates")  # what validates must also render
        assert any(page.entry_id == "fuzzed" for page in pages)
    return kb, diagnostics


@FUZZ
@given(kind=st.sampled_from(kind_names()), data=st.binary(max_size=600))
def test_arbitrary_bytes_give_entries_or_diagnostics(tmp_path_factory, kind, data):
    _check_file(tmp_path_factory.getbasetemp(), kind, data)


@FUZZ
@given(kind=st.sampled_from(kind_names()), pieces=st.lists(st.sampled_from(YAML_PIECES), max_size=40))
def test_yaml_syntax_soup_gives_entries_or_diagnostics(tmp_path_factory, kind, pieces):
    _check_file(tmp_path_factory.getbasetemp(), kind, "".join(pieces).encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.data(), flow=st.booleans())
def test_yaml_shaped_entries_give_entries_or_diagnostics(tmp_path_factory, data, flow):
    kind = data.draw(st.sampled_from(kind_names()))
    document = data.draw(entries(kind))
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    _check_file(tmp_path_factory.getbasetemp(), kind, text.encode("utf-8", "surrogatepass"))


def test_kb_error_is_the_only_exception_the_pipeline_raises_for_content(tmp_path):
    (tmp_path / "content" / "sources").mkdir(parents=True)
    (tmp_path / "content" / "sources" / "x.yaml").write_bytes(b"\xff\xfe")
    try:
        from generator.pipeline import build_pages

        build_pages(tmp_path, ROOT / "site_templates")
    except KbError as exc:
        assert "not valid UTF-8" in str(exc)
    else:
        raise AssertionError("bad bytes must raise KbError")


@pytest.mark.parametrize("kind", kind_names())
def test_the_fuzzers_base_entry_of_each_kind_is_valid_and_renders(tmp_path, kind):
    """Else every shaped entry would fail validation and the 'what validates must also render' check would never run."""
    document = {"title": "T", "summary": "S.", "added": "2026-01-01", **REQUIRED[kind]}
    _, diagnostics = _check_file(tmp_path, kind, yaml.safe_dump(document).encode("utf-8"))
    assert diagnostics == []
