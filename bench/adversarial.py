"""Adversarial knowledge bases: what a hostile or careless contributor could commit, sized in bytes.

Each generator writes about N bytes of content files built to reach a slow path of one stage:
delimiter runs for the Markdown parser, deep nesting, floods of brackets up to the per-field cap,
many near-miss [[links]] against many ids, one huge entry shown by many learning paths, long
near-duplicate titles, full tag and alias lists, a glossary that links everywhere... `measure`
runs the generator's stages in-process (`check` and `build_pages`) and reports CPU seconds and
traced peak memory per MB of input; `worst_case_report` does that for every generator and flags
what is over its budget (REFERENCE, below) or grows faster than the input; `mkdocs_build` times the
real `kb build` of the costliest generator for MkDocs. `make bench` runs both and fails on a flag;
tests/test_budget.py keeps only a quick guard against super-linear growth in the fast suite.

    python bench/adversarial.py [N_BYTES ...]     # the table and its flags (default 20,000 and 80,000); 1 on a flag
"""

from __future__ import annotations

import gc
import json
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _folder in (ROOT, ROOT / "tests"):  # the generator package, and the helpers shared with the tests (kbtest.py)
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from kbtest import project_skeleton, run_kb  # noqa: E402

from generator.errors import KbError  # noqa: E402
from generator.fields import MAX_QUESTIONS, MAX_STEPS  # noqa: E402
from generator.pipeline import build_pages, check  # noqa: E402
from generator.prose import MAX_BRACKETS  # noqa: E402
from generator.prosejudge import MAX_DEPTH  # noqa: E402

MB = 1_000_000
SITE_URL = "https://docs.example.org/handbook/"
BASE_ID = {"sources": "base-source", "behaviours": "base-behaviour"}
Files = dict[str, str]  # content-relative path -> YAML text


@dataclass(frozen=True)
class Generator:
    """One adversarial input: what it aims at, how to make N bytes of it, and how to build it."""

    name: str
    aims_at: str
    make: Callable[[int], Files]
    valid: bool = True  # False: made to be refused (kb check reports errors; build_pages's time is the time to refuse)
    site_url: str | None = None  # set: build as when publishing (QR codes on handouts and cards)


# ---------------------------------------------------------------------------------------------
# YAML writing: every value as a JSON string, which is a YAML double-quoted scalar, so any text
# (tabs, backslashes, quotes, leading spaces) round-trips exactly.


def _value(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _entry(kind: str, entry_id: str, fields: dict) -> tuple[str, str]:
    """(content-relative path, YAML text) of one entry: the kind's required fields, then the given ones."""
    required = {
        "definitions": {"term": _words(entry_id, 2)},
        "behaviours": {"why_it_matters": "Trust grows when it is kept."},
        "examples": {"shows": [BASE_ID["behaviours"]]},
        "case-notes": {
            "company": "Example Corp",
            "period": "as described in 2020",
            "what_they_did": ["Answered fast."],
            "demonstrates": [BASE_ID["behaviours"]],
        },
        "sources": {"publisher": "Test Weekly"},
        "paths": {
            "audience": "New starters",
            "format": "workshop",
            "objectives": ["Explain it."],
            "steps": [{"entry": BASE_ID["behaviours"], "minutes": 5}],
        },
    }[kind]
    data = {
        "title": _words(entry_id, 3).title(),
        "summary": f"About {_words(entry_id, 4)}.",
        **required,
        **fields,
        "added": "2026-01-01",
    }
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for item in value:
                first, *rest = item.items()
                lines.append(f"  - {first[0]}: {_value(first[1])}")
                lines.extend(f"    {k}: {_value(v)}" for k, v in rest)
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {_value(item)}" for item in value)
        else:
            lines.append(f"{key}: {_value(value)}")
    return f"{kind}/{entry_id}.yaml", "\n".join(lines) + "\n"


def _words(seed: str, count: int) -> str:
    """Pronounceable made-up words, the same for the same seed: names that are neither common nor near each other."""
    rng = random.Random(seed)
    return " ".join(
        "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(3, 4)))
        for _ in range(count)
    )


def _ident(prefix: str, number: int) -> str:
    return f"{prefix}-{number:05d}-{_words(f'{prefix}{number}', 1)}"


def base_files() -> Files:
    """The few valid entries every generated base starts from (what generated entries refer to)."""
    return dict(
        [
            _entry("sources", BASE_ID["sources"], {}),
            _entry(
                "behaviours",
                BASE_ID["behaviours"],
                {"in_practice": ["Check the queue twice a day."], "sources": [BASE_ID["sources"]]},
            ),
        ]
    )


def _fill(unit: str, size: int) -> str:
    """unit repeated to about size characters."""
    return unit * max(1, size // len(unit))


def _one_body(text_for: Callable[[int], str]) -> Callable[[int], Files]:
    """A generator putting all N bytes into one behaviour's body."""

    def make(n: int) -> Files:
        return dict([_entry("behaviours", "hostile-body", {"body": text_for(n)})])

    return make


def _many_fields(item_for: Callable[[int], str], per_item: int = 300) -> Callable[[int], Files]:
    """A generator filling every Markdown field of as many behaviours as N bytes need (for inputs capped per field)."""

    def make(n: int) -> Files:
        files: Files = {}
        total, number = 0, 0
        while total < n:
            fields = {
                "body": item_for(per_item),
                "in_practice": [item_for(per_item) for _ in range(5)],
                "why_it_matters": item_for(per_item),
                "anti_patterns": [item_for(per_item) for _ in range(5)],
            }
            path, text = _entry("behaviours", _ident("fields", number), fields)
            files[path] = text
            total += len(text.encode())
            number += 1
        return files

    return make


def _entries(kind: str, fields_for: Callable[[int], dict], prefix: str | None = None) -> Callable[[int], Files]:
    """A generator writing entries of a kind until N bytes are written."""

    def make(n: int) -> Files:
        files: Files = {}
        total, number = 0, 0
        while total < n:
            path, text = _entry(kind, _ident(prefix or kind[:3], number), fields_for(number))
            files[path] = text
            total += len(text.encode())
            number += 1
        return files

    return make


# ---------------------------------------------------------------------------------------------
# The generators. Delimiter runs come in paragraphs of PARAGRAPH characters: a paragraph holding more
# markup than prose.MAX_MARKUP is refused (Python-Markdown's cost grows with its square), so longer
# runs would measure the refusal, which the *-flood generators do on purpose.

PARAGRAPH = 400


def _paragraphs(unit: str, per: int = PARAGRAPH) -> Callable[[int], str]:
    """Text of about N characters: paragraphs of `unit` repeated to `per` characters."""
    return lambda n: _fill(_fill(unit, per).strip() + "\n\n", n)


def _backtick_runs(n: int) -> str:
    # Runs of 1..20 backticks, none closed by a run of the same length until the pattern repeats:
    # a naive code-span scan looks ahead for a matching run from every run.
    paragraph = "".join("`" * (i % 20 + 1) + "a" for i in range(40))
    return _fill(paragraph + "\n\n", n)


def _nested_lines(markers: list[str]) -> Callable[[int], str]:
    """Lines nested MAX_DEPTH deep (the deepest allowed), as many as fill N bytes."""

    def text(n: int) -> str:
        line = "".join(markers[i % len(markers)] for i in range(MAX_DEPTH)) + "x"
        return _fill(line + "\n", n)

    return text


def _indented_nesting(n: int) -> str:
    """Lists and quotes nested by indentation, MAX_DEPTH deep, over and over."""
    lines, indent = [], ""
    for depth in range(MAX_DEPTH):
        marker = "- " if depth % 2 == 0 else "> "
        lines.append(f"{indent}{marker}level {depth} text")
        indent += "  " if marker == "- " else "> "
    block = "\n".join(lines) + "\n\n"
    return _fill(block, n)


def _near_miss(valid: bool) -> Callable[[int], Files]:
    """Half the bytes are definitions (ids to compare with), half are [[links]] to ids one letter off (or exact)."""

    def make(n: int) -> Files:
        files: Files = {}
        ids, total = [], 0
        while total < n // 2:
            entry_id = _ident("def", len(ids))
            path, text = _entry("definitions", entry_id, {})
            files[path] = text
            ids.append(entry_id)
            total += len(text.encode())
        links = [f"[[{i if valid else i[:-1] + ('x' if i[-1] != 'x' else 'y')}]]" for i in ids]
        per_field = MAX_BRACKETS // 2  # each link has two '['
        number = 0
        while total < n:
            chunk = [
                " ".join(links[((number * 2 + item) * per_field + k) % len(links)] for k in range(per_field))
                for item in range(2)
            ]
            path, text = _entry("behaviours", _ident("links", number), {"in_practice": chunk})
            files[path] = text
            total += len(text.encode())
            number += 1
        return files

    return make


def _path_fanout(n: int) -> Files:
    """One huge example (half the bytes) that every learning path lists (the other half)."""
    paragraph = "A clerk answers every message the same day and says when a full answer will come. " * 8
    body = _fill(paragraph.strip() + "\n\n", n // 2)
    files = dict([_entry("examples", "huge-example", {"body": body, "takeaway": "Speed shows respect."})])
    total, number = len(files["examples/huge-example.yaml"].encode()), 0
    while total < n:
        steps = [
            {"entry": "huge-example", "minutes": 10, "notes": "Read it aloud."},
            {"entry": BASE_ID["behaviours"], "minutes": 5},
        ]
        path, text = _entry(
            "paths", _ident("path", number), {"steps": steps, "body": f"Path {number}: read the example."}
        )
        files[path] = text
        total += len(text.encode())
        number += 1
    return files


def _path_repeat(n: int) -> Files:
    """One huge example that one learning path lists at every step (refused: a path lists an entry once)."""
    body = _fill("A clerk answers every message the same day. " * 8 + "\n\n", n - 2000)
    steps = [{"entry": "huge-example", "minutes": 5} for _ in range(MAX_STEPS)]
    return dict(
        [_entry("examples", "huge-example", {"body": body}), _entry("paths", "repeating-path", {"steps": steps})]
    )


def _long_title(number: int) -> dict:
    # Titles of 280+ characters that differ in one letter: the near-duplicate check's worst case.
    stem = "Answering every customer message on the same day " * 6
    # The summary: 27 words, under the 30 a summary may have.
    return {"title": (stem + f"variant {number:05d}")[:290], "summary": stem[:150]}


def _tags_aliases(number: int) -> dict:
    return {
        "tags": [f"tag-{(number * 12 + k) % 997:03d}-{_words(str(k), 1)}" for k in range(12)],
        "aliases": [f"old-{number:05d}-{k:02d}" for k in range(20)],
    }


def _questions(number: int) -> dict:
    # As many discussion questions as the schema allows, each as long as a line may be.
    question = "What would you say to a customer who waited a whole weekend for an answer to a simple question about "
    return {
        "discussion_questions": [_fill(question, 280) + f"{number} {k}?" for k in range(MAX_QUESTIONS)],
        "in_practice": [_fill(question, 280)] * 3,
    }


def _glossary(n: int) -> Files:
    """Half the bytes are definitions with two-word terms; half are prose mentioning them and near misses."""
    files: Files = {}
    terms, total = [], 0
    while total < n // 2:
        entry_id = _ident("gloss", len(terms))
        term = _words(entry_id, 2)
        path, text = _entry("definitions", entry_id, {"term": term, "also_known_as": [_words(entry_id + "aka", 2)]})
        files[path] = text
        terms.append(term)
        total += len(text.encode())
    number = 0
    while total < n:
        words = " ".join(f"{t} {t[:-1]} {t.split()[0]}" for t in terms[(number * 40) % len(terms) :][:40])
        path, text = _entry("behaviours", _ident("mentions", number), {"body": words})
        files[path] = text
        total += len(text.encode())
        number += 1
    return files


GENERATORS: list[Generator] = [
    # Delimiter runs, in paragraphs the markup cap allows.
    Generator("backticks", "code-span matching: runs of 1..20 backticks", _one_body(_backtick_runs)),
    Generator("stars", "emphasis delimiters: '*a' repeated", _one_body(_paragraphs("*a"))),
    Generator("underscores", "emphasis delimiters: '_a' repeated", _one_body(_paragraphs("_a"))),
    Generator(
        "star-run",
        "'***' then 'a*' repeated (quadratic in some engines)",
        _one_body(lambda n: _fill(("***" + _fill("a*", PARAGRAPH)) + "\n\n", n)),
    ),
    Generator(
        "nested-emphasis",
        f"emphasis nested {MAX_DEPTH} deep, over and over",
        _one_body(_paragraphs("*" * MAX_DEPTH + "a" + "*" * MAX_DEPTH + " ")),
    ),
    Generator("braces", "'{' runs (attribute-list syntax)", _one_body(_paragraphs("{"))),
    Generator("entities", "'&#' and unfinished references", _one_body(_paragraphs("&#&#x&#12345678&amp"))),
    Generator(
        "backslashes", "backslash runs (each written twice in YAML)", _one_body(lambda n: _paragraphs("\\")(n // 2))
    ),
    Generator("pipes", "'|' runs and table-like lines", _one_body(_paragraphs("a|b|c\n-|-|-\n||||||||\n"))),
    Generator("code-lines", "code spans, one per line", _one_body(_paragraphs("`a`\n", 1000))),
    # Long plain prose, block structure and nesting.
    Generator(
        "short-lines",
        "one paragraph of one-letter lines (the plain-prose shortcut)",
        _one_body(lambda n: _fill("a\n", n * 2 // 3)),
    ),
    Generator("dashes", f"'- ' lists nested {MAX_DEPTH} deep, every line", _one_body(_nested_lines(["- "]))),
    Generator("quotes", f"'> ' quotes nested {MAX_DEPTH} deep, every line", _one_body(_nested_lines(["> "]))),
    Generator("deep-nesting", f"lists and quotes nested {MAX_DEPTH} deep by indentation", _one_body(_indented_nesting)),
    # Brackets, up to the per-field cap.
    Generator(
        "wiki-runs",
        f"'[[' and '[[a|' runs, {MAX_BRACKETS} '[' in every field",
        _many_fields(lambda size: _fill("[[a|", size // 2) + _fill("[[", size // 4), per_item=600),
    ),
    Generator(
        "bracket-dense",
        f"fields of nothing but '[[', {MAX_BRACKETS} '[' each (the densest the cap allows)",
        _many_fields(lambda size: "[[" * (MAX_BRACKETS // 2), per_item=MAX_BRACKETS),
    ),
    Generator(
        "angles",
        f"'<' and tag-like '<a' runs, {MAX_BRACKETS} in every field",
        _many_fields(lambda size: _fill("<a <", size), per_item=600),
    ),
    # Over a cap on purpose: what refusing costs.
    Generator(
        "bracket-flood",
        "one field of '[' (over the per-field bracket cap)",
        _one_body(lambda n: _fill("[", n)),
        valid=False,
    ),
    Generator(
        "angle-flood",
        "one field of '<' (over the per-field bracket cap)",
        _one_body(lambda n: _fill("<", n)),
        valid=False,
    ),
    Generator(
        "markup-flood",
        "one paragraph of '*a' (over the per-paragraph markup cap)",
        _one_body(lambda n: _fill("*a", n)),
        valid=False,
    ),
    Generator(
        "near-miss-links",
        "[[links]] one letter off, against many ids (did-you-mean)",
        _near_miss(valid=False),
        valid=False,
    ),
    # Many entries and relations.
    Generator("mentions", "[[links]] to many ids ('Mentioned in' lists)", _near_miss(valid=True)),
    Generator("path-fanout", "one huge example listed by many learning paths", _path_fanout),
    Generator(
        "path-repeat",
        f"one huge example listed at all {MAX_STEPS} steps of one path (refused)",
        _path_repeat,
        valid=False,
    ),
    Generator(
        "long-titles", "290-character titles one letter apart (near-duplicate hints)", _entries("examples", _long_title)
    ),
    Generator(
        "tags-aliases", "12 tags and 20 aliases per entry (tag pages, redirects)", _entries("examples", _tags_aliases)
    ),
    Generator(
        "questions",
        f"behaviours with {MAX_QUESTIONS} long discussion questions each (cards, handouts)",
        _entries("behaviours", _questions),
    ),
    Generator("glossary", "many glossary terms, prose full of mentions and near misses", _glossary),
    Generator(
        "small-behaviours-qr",
        "minimal behaviours, built with a site URL (a QR code per card)",
        _entries("behaviours", lambda number: {}),
        site_url=SITE_URL,
    ),
]
BY_NAME = {generator.name: generator for generator in GENERATORS}


# ---------------------------------------------------------------------------------------------
# Projects and measurement.


def write_project(destination: Path, files: Files) -> Path:
    """A project (mkdocs.yml, templates, the base entries and the given files) in a new folder."""
    project_skeleton(destination)
    for relative, text in {**base_files(), **files}.items():
        path = destination / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return destination


def generate(generator: Generator, n: int, destination: Path) -> tuple[Path, int]:
    """Write the generator's N-byte base as a project; return it and the generated bytes."""
    files = generator.make(n)
    return write_project(destination, files), sum(len(text.encode()) for text in files.values())


def _run_build(root: Path, site_url: str | None) -> None:
    try:
        build_pages(root, site_url=site_url)
    except KbError:
        pass  # an invalid base: the time and memory it takes to refuse it


def _cold() -> None:
    """Collect what earlier runs left, as a one-shot `kb build` starts without it (it keeps no cache between builds)."""
    gc.collect()


def _cpu(call: Callable[[], object], repeat: int, *, cold: bool = True) -> float:
    """Best CPU time of a few calls (the least disturbed by the other processes on the machine); cold: collect first."""
    best = float("inf")
    for _ in range(repeat):
        if cold:
            _cold()
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def _peak(call: Callable[[], object]) -> int:
    """Peak traced memory of one call, in bytes (tracing slows the call down several times: timed apart)."""
    _cold()
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@dataclass(frozen=True)
class Cost:
    """What the two stages cost on one base: CPU seconds, peak traced bytes (0: not traced) and kb check's errors."""

    check_s: float
    check_peak: int
    build_s: float
    build_peak: int
    errors: int


def cost(root: Path, site_url: str | None = None, *, repeat: int = 2, traced: bool = True) -> Cost:
    """check() and build_pages() of a project, timed (best of `repeat`) and, with traced, their peak memory."""
    run_check = lambda: check(root)  # noqa: E731
    run_build = lambda: _run_build(root, site_url)  # noqa: E731
    errors = sum(1 for diagnostic in check(root)[1] if diagnostic.severity == "error")
    return Cost(
        _cpu(run_check, repeat),
        _peak(run_check) if traced else 0,
        _cpu(run_build, repeat),
        _peak(run_build) if traced else 0,
        errors,
    )


_BASELINES: dict[str | None, Cost] = {}


def baseline(site_url: str | None = None) -> Cost:
    """The fixed cost: the base entries alone (measured once per process, after a warm-up run)."""
    if site_url not in _BASELINES:
        with tempfile.TemporaryDirectory(prefix="kb-adversarial-") as tmp:
            root = write_project(Path(tmp) / "base", {})
            cost(root, site_url, repeat=1)  # warm up: imports, validators, compiled patterns
            _BASELINES[site_url] = cost(root, site_url, repeat=3)
    return _BASELINES[site_url]


@dataclass(frozen=True)
class Measurement:
    """One generator at one size, the fixed cost taken off: seconds and peak MB, and per MB of input."""

    generator: str
    input_bytes: int
    errors: int  # kb check's errors: with any, build_pages refuses the base (build_s is the time to refuse)
    check_s: float
    check_peak_mb: float
    build_s: float
    build_peak_mb: float

    @property
    def valid(self) -> bool:
        return self.errors == 0

    @property
    def check_s_per_mb(self) -> float:
        return self.check_s / (self.input_bytes / MB)

    @property
    def build_s_per_mb(self) -> float:
        return self.build_s / (self.input_bytes / MB)

    @property
    def check_mb_per_mb(self) -> float:
        return self.check_peak_mb / (self.input_bytes / MB)

    @property
    def build_mb_per_mb(self) -> float:
        return self.build_peak_mb / (self.input_bytes / MB)


def measure(
    generator: Generator, n: int, workdir: Path | None = None, *, repeat: int = 2, traced: bool = True
) -> Measurement:
    """Generate N bytes with a generator and measure both stages, less the fixed cost of the base entries."""
    base = baseline(generator.site_url)
    with tempfile.TemporaryDirectory(prefix="kb-adversarial-", dir=workdir) as tmp:
        root, size = generate(generator, n, Path(tmp) / generator.name)
        found = cost(root, generator.site_url, repeat=repeat, traced=traced)
    # A refused base never renders: its build is a check, so the fixed cost taken off is the check's.
    build_base_s, build_base_peak = (
        (base.build_s, base.build_peak) if found.errors == 0 else (base.check_s, base.check_peak)
    )
    return Measurement(
        generator.name,
        size,
        found.errors,
        max(0.0, found.check_s - base.check_s),
        max(0, found.check_peak - base.check_peak) / MB if traced else float("nan"),
        max(0.0, found.build_s - build_base_s),
        max(0, found.build_peak - build_base_peak) / MB if traced else float("nan"),
    )


FIGURES = ("check_s_per_mb", "check_mb_per_mb", "build_s_per_mb", "build_mb_per_mb")
STAGES = ("check_s", "build_s")
WITHIN_BUDGET = "every generator within its budget, growing linearly"


def report(measurements: list[Measurement]) -> dict:
    """Measurements as rows of figures per MB of input, the worst of each figure (with its generator), the flags."""
    rows = [
        {
            "generator": row.generator,
            "valid": row.valid,
            "input_bytes": row.input_bytes,
            "check_s": round(row.check_s, 4),
            "build_s": round(row.build_s, 4),
            **{figure: round(getattr(row, figure), 2) for figure in FIGURES},
        }
        for row in measurements
    ]
    worst = {figure: max((row[figure], row["generator"]) for row in rows) for figure in FIGURES}
    return {"rows": rows, "worst": worst, "over_budget": over_budget(rows)}


def worst_case_report(sizes: tuple[int, ...] = (20_000, 80_000), generators: list[Generator] | None = None) -> dict:
    """Every generator at every size: seconds and peak MB per MB of input of check and build_pages; the worst; flags."""
    return report([measure(generator, n) for generator in generators or GENERATORS for n in sizes])


def format_report(found: dict) -> str:
    """A report as a table: CPU seconds and peak traced MB per MB of input, for check and build_pages; its flags."""
    lines = [
        f"{'generator':<20} {'input B':>8} {'check s/MB':>10} {'check MB/MB':>11}"
        f" {'build s/MB':>10} {'build MB/MB':>11}"
    ]
    for row in found["rows"]:
        refused = "" if row["valid"] else "  (refused: errors)"
        lines.append(
            f"{row['generator']:<20} {row['input_bytes']:>8}"
            f" {row['check_s_per_mb']:>10.2f} {row['check_mb_per_mb']:>11.1f}"
            f" {row['build_s_per_mb']:>10.2f} {row['build_mb_per_mb']:>11.1f}{refused}"
        )
    lines.append(
        "worst: " + "; ".join(f"{figure} {value:g} ({name})" for figure, (value, name) in found["worst"].items())
    )
    flags = found["over_budget"]
    lines.extend(["OVER BUDGET:", *(f"  {flag}" for flag in flags)] if flags else [WITHIN_BUDGET])
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Budgets. Measured on the reference machine (2 shared cores), the worst of 20 kB and 80 kB: check s/MB,
# build s/MB, check peak MB/MB, build peak MB/MB (the fixed cost of the base entries taken off). A budget
# is MARGIN times its reference, at least FLOOR, at most CEILING. A refused base (errors) never renders:
# its build figures are those of the check that refuses it.

REFERENCE = {
    "backticks": (0.40, 0.61, 11.2, 58.7),
    "stars": (5.46, 5.61, 477, 466),
    "underscores": (2.73, 2.95, 9.1, 7.8),
    "star-run": (5.31, 5.86, 476, 464),
    "nested-emphasis": (4.54, 4.67, 451, 439),
    "braces": (1.86, 2.12, 8.5, 10.8),
    "entities": (0.83, 1.25, 8.5, 7.3),
    "backslashes": (0.54, 0.68, 81.8, 70.1),
    "pipes": (2.14, 2.42, 122, 112),
    "code-lines": (3.21, 3.56, 213, 204),
    "short-lines": (0.78, 0.83, 80.4, 68.8),
    "dashes": (9.64, 9.97, 821, 810),
    "quotes": (1.01, 1.16, 48.3, 37.3),
    "deep-nesting": (1.85, 1.86, 164, 153),
    "wiki-runs": (12.32, 12.90, 4.9, 15.1),
    "bracket-dense": (18.46, 20.85, 6.6, 18.4),
    "angles": (1.39, 1.80, 3.9, 11.9),
    "bracket-flood": (0.06, 0.04, 2.2, 2.2),
    "angle-flood": (0.05, 0.04, 2.2, 2.2),
    "markup-flood": (5.55, 4.48, 481, 481),
    "near-miss-links": (4.83, 4.23, 53.8, 20.7),
    "mentions": (0.65, 1.83, 57.5, 107.9),
    "path-fanout": (0.34, 1.50, 26.9, 73.2),
    "path-repeat": (0.13, 0.13, 4.7, 4.7),
    "long-titles": (0.29, 0.53, 20.0, 47.6),
    "tags-aliases": (0.88, 1.91, 48.0, 145.4),
    "questions": (0.12, 0.31, 4.9, 59.2),
    "glossary": (0.50, 1.70, 51.2, 81.8),
    "small-behaviours-qr": (0.85, 31.31, 78.5, 181.8),
}
BUDGET_FIGURES = ("check_s_per_mb", "build_s_per_mb", "check_mb_per_mb", "build_mb_per_mb")  # REFERENCE's order
FLOOR = (1.5, 1.5, 60.0, 60.0)
MARGIN = 3.0
# What holds for every generator, the worst case the team quotes: 100 s of CPU and 2.5 GB of peak
# traced memory per MB of input (100 µs and 2,500 bytes per byte). The highest references: time, the
# densest bracket fields (quadratic in a field's '[' count, which MAX_BRACKETS bounds) and, when
# publishing with a site URL, a QR code per behaviour card (~12 ms each); memory, the parser's tokens
# of lists nested MAX_DEPTH deep on every line (~800 bytes per character of the largest field).
CEILING = (100.0, 100.0, 2500.0, 2500.0)
# Time may grow at most 1.5 times as fast as the input: 4x the bytes, at most 6x the seconds (a square: 16x).
LINEAR_RATIO = 1.5
SLACK_S = 0.05  # timer and allocator noise on a loaded 2-core machine
# The real build of the costliest generator for MkDocs (tags-aliases: a tag page per tag, a redirect
# page per alias) at 20 kB: ~4 s on the reference machine.
MKDOCS_WORST = "tags-aliases"
MKDOCS_BUDGET_S = 30.0


def budget(name: str) -> tuple[float, ...]:
    """A generator's limits per MB of input, in BUDGET_FIGURES' order."""
    limits = zip(REFERENCE[name], FLOOR, CEILING, strict=True)
    return tuple(min(ceiling, max(floor, MARGIN * reference)) for reference, floor, ceiling in limits)


def grew_too_fast(
    small_s: float, large_s: float, size_ratio: float, slack_s: float = SLACK_S, linear_ratio: float = LINEAR_RATIO
) -> bool:
    """Whether seconds grew more than linear_ratio times as fast as the input did (size_ratio: large bytes / small)."""
    return large_s > linear_ratio * size_ratio * small_s + slack_s


def over_budget(rows: list[dict]) -> list[str]:
    """Every figure of the rows over its generator's budget, and every stage whose time grew faster than linearly."""
    flags = []
    for row in rows:
        for figure, limit in zip(BUDGET_FIGURES, budget(row["generator"]), strict=True):
            if row[figure] > limit:  # an untraced peak is NaN, which is never over
                where = f"{row['generator']} at {row['input_bytes']} bytes"
                flags.append(f"{where}: {figure} {row[figure]:.2f} > {limit:.2f}")
    by_generator: dict[str, list[dict]] = {}
    for row in rows:
        by_generator.setdefault(row["generator"], []).append(row)
    for sized in by_generator.values():
        sized.sort(key=lambda row: row["input_bytes"])
        for small, large in zip(sized, sized[1:], strict=False):  # each size with the next
            flags += [_growth_flag(small, large, stage) for stage in STAGES if _grew(small, large, stage)]
    return flags


def _grew(small: dict, large: dict, stage: str) -> bool:
    return grew_too_fast(small[stage], large[stage], large["input_bytes"] / small["input_bytes"])


def _growth_flag(small: dict, large: dict, stage: str) -> str:
    sizes = (f"{row[stage]:.3f} s at {row['input_bytes']} bytes" for row in (small, large))
    return f"{small['generator']} {stage}: " + ", ".join(sizes)


def mkdocs_build(n: int = 20_000, generator: Generator | None = None) -> dict:
    """The real `kb build` (MkDocs + Material) of the costliest generator for MkDocs: wall seconds, against a budget."""
    generator = generator or BY_NAME[MKDOCS_WORST]
    with tempfile.TemporaryDirectory(prefix="kb-adversarial-") as tmp:
        root, size = generate(generator, n, Path(tmp) / generator.name)
        started = time.perf_counter()
        result = run_kb("build", cwd=root, timeout=MKDOCS_BUDGET_S * 4)
        seconds = time.perf_counter() - started
        pages = sum(1 for _ in (root / "site").rglob("index.html"))
    if result.returncode != 0:
        raise SystemExit(f"bench: kb build of {generator.name} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return {
        "generator": generator.name,
        "input_bytes": size,
        "pages": pages,
        "seconds": round(seconds, 2),
        "budget_s": MKDOCS_BUDGET_S,
        "met": seconds <= MKDOCS_BUDGET_S,
    }


if __name__ == "__main__":
    chosen = tuple(int(arg) for arg in sys.argv[1:]) or (20_000, 80_000)
    found = worst_case_report(chosen)
    print(format_report(found))
    sys.exit(1 if found["over_budget"] else 0)
