"""The preview's error page: while the content has errors, every page `kb serve` serves says so, at once.

Engine-free: the MkDocs plugin answers from its WSGI app, the Zensical preview from the proxy in front of
Zensical's server (zensical_preview.py); both ask `respond`. The page lists the same `file:line:col`
messages as `kb check`, each linked to the file shown with its problem lines marked, and reloads itself
as soon as the state changes (fixed, or other problems). Messages quote contributor text: every
character is HTML-escaped, control characters shown as escapes, and the page runs only its own script.
"""

from __future__ import annotations

import html
import os
import stat
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from . import csp
from .errors import Diagnostic, printable
from .loader import MAX_FILE_BYTES

# Every answer is 200 OK: MkDocs' server logs any other status as a warning, and a warning logged during a
# rebuild fails it in strict mode.
STATE_PATH = "/.kb-preview/state"  # the page polls it: its text changes whenever the preview's state does
SOURCE_PATH = "/.kb-preview/source/"  # + a file's path: that file, with its problems marked
_POLL = (
    "const seen=document.documentElement.dataset.kbState;"
    f"setInterval(()=>fetch({STATE_PATH!r},{{cache:'no-store'}}).then(r=>r.text())"
    ".then(t=>{if(t!==seen)location.reload()}).catch(()=>{}),700);"
)
_POLICY = (
    f"default-src 'none'; script-src 'sha256-{csp.script_hash(_POLL)}'; style-src 'unsafe-inline'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)
_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}"
    "h1{color:#a40000;font-size:1.5rem}li{margin:.4rem 0}code,pre{font-family:ui-monospace,monospace}"
    "pre{white-space:pre-wrap}.line{display:block}.bad{background:#fde2e2}.why{color:#a40000;display:block}"
    "@media (prefers-color-scheme:dark){body{background:#1e1e1e;color:#ddd}h1,.why{color:#ff8a80}"
    ".bad{background:#4a1f1f}a{color:#8ab4f8}}"
)


@dataclass
class PreviewState:
    """Whether the last build failed, with what; `token` changes with every change of state."""

    problems: tuple[Diagnostic, ...] = ()
    failure: str | None = None  # a failure that is not the content's (a template, the verifier), as text
    generation: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def failing(self) -> bool:
        return bool(self.problems) or self.failure is not None

    def fail(self, problems: list[Diagnostic] = (), failure: str | None = None) -> None:
        """Record a failed build: the content's problems, or another failure's text."""
        with self.lock:
            self.problems, self.failure = tuple(problems), failure
            self.generation += 1

    def succeed(self) -> None:
        """Record a good build."""
        with self.lock:
            if self.failing:
                self.problems, self.failure = (), None
                self.generation += 1

    def token(self) -> str:
        """What the page polls for: it reloads when this changes."""
        return f"{'failing' if self.failing else 'ok'}-{self.generation}"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status line, content type, body."""

    status: str
    content_type: str
    body: bytes


def respond(state: PreviewState, path: str, root: Path) -> Answer | None:
    """The preview's own answer to a request path, or None to let the engine serve it."""
    if path == STATE_PATH:
        return Answer("200 OK", "text/plain; charset=utf-8", state.token().encode())
    if not state.failing:
        return (
            _page_answer(state, "Fixed", '<p>Fixed. <a href="/">Back to the preview</a></p>')
            if path.startswith(SOURCE_PATH)
            else None
        )
    if path.startswith(SOURCE_PATH):
        return _source_answer(state, path[len(SOURCE_PATH) :], root)
    if _is_page(path):
        return Answer("200 OK", "text/html; charset=utf-8", error_page(state).encode())
    return None


def _page_answer(state: PreviewState, title: str, body: str) -> Answer:
    """A page of the preview's own as an answer."""
    return Answer("200 OK", "text/html; charset=utf-8", _page(state, title, body).encode())


def error_page(state: PreviewState) -> str:
    """The page every address shows while the build fails."""
    if state.problems:
        count = len([d for d in state.problems if d.severity == "error"])
        title = f"The content has {count} error(s)"
        items = "".join(f"<li>{_linked(d)}</li>\n" for d in state.problems)
        details = f"<ol>\n{items}</ol>\n<p>The terminal running <code>kb serve</code> shows the same list.</p>"
    else:
        title = "The preview could not build the site"
        details = f"<pre>{_escaped(state.failure or '')}</pre>\n<p>The terminal running kb serve has the details.</p>"
    them = "them" if len(state.problems) > 1 else "it"
    lead = f"<p>Fix {them} and save: this page reloads by itself and shows the site again.</p>"
    return _page(state, title, f"<h1>{title}</h1>\n{lead}\n{details}")


def _source_answer(state: PreviewState, rel: str, root: Path) -> Answer:
    """A file named by a problem, its lines numbered and the problem lines marked; no other file is shown."""
    problems = [d for d in state.problems if d.location.path == rel]
    data = _plain_file(root, rel) if problems else None
    if data is None:  # a symlink the loader refused is reported, never followed: it may name any file of the machine
        return Answer("200 OK", "text/plain; charset=utf-8", b"no problem is reported in this file")
    text = data.decode("utf-8", "replace")
    by_line: dict[int, list[Diagnostic]] = {}
    for problem in problems:
        by_line.setdefault(problem.location.line, []).append(problem)
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        marked = " bad" if number in by_line else ""
        why = "".join(f'<span class="why">{_escaped(str(d))}</span>' for d in by_line.get(number, ()))
        lines.append(f'<span class="line{marked}" id="L{number}">{number:>4}  {_escaped(line)}</span>{why}')
    body = f'<h1>{_escaped(rel)}</h1>\n<p><a href="/">Back to the preview</a></p>\n<pre>{"".join(lines)}</pre>'
    return _page_answer(state, rel, body)


def _plain_file(root: Path, rel: str) -> bytes | None:
    """The first MAX_FILE_BYTES of a regular file under root reached through no symlink, else None."""
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts) or any(
        (root / "/".join(parts[:n])).is_symlink() for n in range(1, len(parts))
    ):
        return None
    try:
        fd = os.open(root / rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:  # a symlink (O_NOFOLLOW), or gone
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read(MAX_FILE_BYTES) if stat.S_ISREG(os.fstat(fd).st_mode) else None


def _page(state: PreviewState, title: str, body: str) -> str:
    """A whole page: its own policy (only its poll runs, nothing loads), styles inline, the poll last."""
    return (
        f'<!doctype html>\n<html lang="en" data-kb-state="{state.token()}">\n<head>\n'
        f"{csp.meta_tag(_POLICY)}\n"
        '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_escaped(title)} · kb serve</title>\n"
        '<noscript><meta http-equiv="refresh" content="3"></noscript>\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n<script>{_POLL}</script>\n</body>\n</html>\n"
    )


def _linked(problem: Diagnostic) -> str:
    """One problem as the terminal prints it, its location a link to the file at that line."""
    where = problem.location
    href = html.escape(f"{SOURCE_PATH}{quote(where.path)}#L{where.line}")
    return f'<a href="{href}"><code>{_escaped(str(where))}</code></a>: {_escaped(problem.severity)}: ' + _escaped(
        problem.message
    )


def _escaped(text: str) -> str:
    """Contributor text as HTML text: control characters as visible escapes, markup characters as references."""
    return html.escape(printable(text))


def _is_page(path: str) -> bool:
    """Whether a request path asks for a page (a folder address or an .html file), not an asset."""
    last = path.rsplit("/", 1)[-1]
    return path.endswith("/") or last.endswith(".html") or "." not in last


class PreviewApp:
    """A preview server's WSGI app with the error page in front: it answers first while builds fail (MkDocs)."""

    def __init__(self, app, state: PreviewState, root: Path) -> None:
        self.app, self.state, self.root = app, state, root

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")  # as MkDocs' server reads it
        answer = respond(self.state, path, self.root)
        if answer is None:
            return self.app(environ, start_response)
        headers = [("Content-Type", answer.content_type), ("Cache-Control", "no-store")]
        start_response(answer.status, [*headers, ("Content-Length", str(len(answer.body)))])
        return [answer.body]


def surviving(builder):
    """The preview's rebuild, ending normally after a failure: the server then serves the error page, not nothing."""

    def build() -> None:
        try:
            builder()
        except Exception:  # recorded by on_build_error (MkDocs' Abort is one too); MkDocs printed why
            print("kb serve: the build failed; every page shows why until it is fixed", file=sys.stderr, flush=True)

    return build
