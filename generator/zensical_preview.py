"""`kb serve --engine zensical`: Zensical's preview server, behind a small proxy that shows the content's errors.

kb writes the Zensical project (zensical_engine.write_project) into a temporary folder, runs `zensical
serve` on a private port, and listens on the address the user asked for. Each request passes through to
Zensical, live-reload web sockets too, except while the content has errors: then a page request gets the
error page (preview.py) at once, and Zensical keeps the last good site for when they are fixed. Content
with errors at start: Zensical starts with the first good content.
"""

from __future__ import annotations

import shutil
import signal
import socket
import socketserver
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import publish
from .errors import KbError
from .pipeline import StageCache
from .preview import PreviewState, respond
from .settings import Settings, read_config
from .zensical_engine import files_under, write_project

POLL_SECONDS = 0.5  # how often the preview looks for edited entries and templates
MAX_HEAD = 64 * 1024  # a request's line and headers; more is not a browser's request
RESPONSE_SECONDS = 60.0  # how long Zensical may take to answer one request
CONNECT_SECONDS = 30.0  # how long a request waits for Zensical to listen (it starts after the first good content)


def serve(settings: Settings, dev_addr: str) -> int:
    """Preview with `zensical serve` behind the error-page proxy; write the pages again whenever a source changes."""
    config, state = read_config(settings.root), PreviewState()
    host, _, port = dev_addr.rpartition(":")
    with tempfile.TemporaryDirectory(prefix="kb-zensical-") as folder:
        project, cache, private = Path(folder), StageCache(), _free_port()
        proxy = _Proxy((host or "127.0.0.1", int(port)), state, settings.root, private)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped by a supervisor: clean up as for Ctrl-C
        child = None
        try:
            seen = None
            while child is None or child.poll() is None:
                if (now := _sources_state(settings)) != seen:
                    seen = now
                    if _refresh(settings, config, project, cache, state) and child is None:
                        command = [sys.executable, "-m", "zensical", "serve", "--dev-addr", f"127.0.0.1:{private}"]
                        child = subprocess.Popen(command, cwd=project, stdin=subprocess.DEVNULL)
                time.sleep(POLL_SECONDS)
            return child.returncode
        finally:
            proxy.shutdown()
            if child is not None:
                publish.stop(child)


def _refresh(settings: Settings, config: dict, project: Path, cache: StageCache, state: PreviewState) -> bool:
    """Write the pages again beside the served ones and copy over only what changed; False on content errors."""
    fresh = project / "next"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        write_project(settings, config, fresh, cache)
    except KbError as exc:
        state.fail(exc.diagnostics)
        for line in [*map(str, exc.diagnostics), f"kb serve: {len(exc.diagnostics)} problem(s), shown on every page"]:
            print(line, file=sys.stderr, flush=True)  # a Diagnostic prints escaped (errors.printable)
        return False
    for name in ("overrides", "zensical.toml"):
        if not (project / name).exists():  # the first good content: the whole project
            shutil.move(fresh / name, project / name)
    _sync(fresh / "docs", project / "docs")
    shutil.rmtree(fresh, ignore_errors=True)
    state.succeed()
    return True


def _sources_state(settings: Settings) -> set[tuple[str, int, int]]:
    """Every entry and template file with its size and modification time."""
    state = set()
    for path in (*settings.content.rglob("*"), *settings.templates.rglob("*")):
        try:  # a link's own status: content/ may hold a symlink (the check reports it), even one to itself
            status = path.lstat()
        except OSError:  # deleted while we looked: the next look sees it gone
            continue
        if not stat.S_ISDIR(status.st_mode):
            state.add((str(path), status.st_size, status.st_mtime_ns))
    return state


def _sync(source: Path, destination: Path) -> None:
    """Make destination hold source's files, writing only those whose bytes differ and deleting the rest."""
    wanted = files_under(source)
    for rel in wanted:
        new, old = source / rel, destination / rel
        if not old.is_file() or old.read_bytes() != new.read_bytes():
            old.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(new, old)
    for rel in files_under(destination) - wanted:
        (destination / rel).unlink()


def _free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now, for Zensical's own server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Proxy(socketserver.ThreadingTCPServer):
    """The address the user opens: the error page while the content has errors, else Zensical, byte for byte."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: PreviewState, root: Path, upstream: int) -> None:
        self.state, self.root, self.upstream = state, root, upstream
        super().__init__(address, _Connection)


class _Connection(socketserver.BaseRequestHandler):
    """One browser connection: one request answered or passed on (a web socket stays open both ways)."""

    server: _Proxy

    def handle(self) -> None:
        request = _read_request(self.request)
        if request is None:
            return
        head, rest = request
        lines = head.split(b"\r\n")
        target = lines[0].split(b" ")[1].decode("latin-1") if len(lines[0].split(b" ")) > 2 else "/"
        upgrade = any(line.lower().startswith(b"upgrade:") for line in lines[1:])
        answer = None if upgrade else respond(self.server.state, unquote(urlsplit(target).path), self.server.root)
        if answer is not None:
            status = f"HTTP/1.1 {answer.status}\r\nContent-Type: {answer.content_type}\r\nCache-Control: no-store\r\n"
            length = f"Content-Length: {len(answer.body)}\r\nConnection: close\r\n\r\n"
            self.request.sendall((status + length).encode("latin-1") + answer.body)
            return
        if not upgrade:  # one request per connection: the next one is judged again
            kept = [line for line in lines[1:] if not line.lower().startswith((b"connection:", b"keep-alive:"))]
            head = b"\r\n".join([lines[0], *kept, b"Connection: close"])
        upstream = _connect(self.server.upstream)
        if upstream is None:
            self.request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            return
        with upstream:
            upstream.sendall(head + b"\r\n\r\n" + rest)
            if upgrade:  # a live-reload web socket: bytes both ways for as long as it lasts
                _pipe(self.request, upstream)
            else:  # Zensical keeps connections open: pass one response on, then close, so each request is judged
                upstream.settimeout(RESPONSE_SECONDS)
                try:
                    _relay_response(upstream, self.request, lines[0].split(b" ")[0])
                except OSError:  # the browser went away, or Zensical stopped answering
                    pass


def _relay_response(upstream: socket.socket, browser: socket.socket, method: bytes) -> None:
    """Pass one HTTP response on to the browser, told to close the connection after it."""
    response = _read_request(upstream)  # a response's head reads the same way
    if response is None:
        return
    head, body = response
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ")[1]) if len(lines[0].split(b" ")) > 1 else 200
    headers = {line.split(b":", 1)[0].strip().lower(): line.split(b":", 1)[-1].strip() for line in lines[1:]}
    kept = [line for line in lines[1:] if not line.lower().startswith((b"connection:", b"keep-alive:"))]
    browser.sendall(b"\r\n".join([lines[0], *kept, b"Connection: close"]) + b"\r\n\r\n")
    if method == b"HEAD" or status in (204, 304) or status < 200:
        return
    length = int(headers[b"content-length"]) if headers.get(b"content-length", b"").isdigit() else None
    chunked, tail = b"chunked" in headers.get(b"transfer-encoding", b"").lower(), b""
    while True:
        if length is not None:
            browser.sendall(body[:length])
            length -= len(body[:length])
            if length <= 0:
                return
        else:
            browser.sendall(body)
            tail = (tail + body)[-5:]
            if chunked and tail == b"0\r\n\r\n":  # the last chunk
                return
        body = upstream.recv(65536)
        if not body:
            return


def _read_request(connection: socket.socket) -> tuple[bytes, bytes] | None:
    """A request's line and headers (without the blank line) and what followed; None for no whole request."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk or len(data) > MAX_HEAD:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _connect(port: int) -> socket.socket | None:
    """A connection to Zensical's server, waiting while it starts."""
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.2)


def _pipe(browser: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until both sides are done."""
    upstream.settimeout(None)

    def copy(source: socket.socket, destination: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                destination.sendall(chunk)
        except OSError:
            pass
        finally:
            try:
                destination.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    back = threading.Thread(target=copy, args=(upstream, browser), daemon=True)
    back.start()
    copy(browser, upstream)
    back.join()
