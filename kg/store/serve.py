"""``kg serve GRAPH``: a read-only SPARQL 1.1 endpoint on 127.0.0.1.

The SPARQL engine is Oxigraph's own server (the ``oxigraph`` command of the
PyPI package ``oxigraph``), run in its ``serve-read-only`` mode on a private
port: SPARQL updates and Graph Store writes are refused, and each query has a
time limit (``--timeout``, :data:`DEFAULT_TIMEOUT` seconds; Oxigraph then
cancels it, so an abandoned query stops using the CPU). In front of it, on
the port users see, a small proxy of this module passes requests on and
refuses what Oxigraph would do on a user's behalf: a query with ``SERVICE``,
which would make the server fetch any URL and echo the answer (a request
forgery once the endpoint is behind a reverse proxy), unless ``kg serve
--allow-service``. Both listen on 127.0.0.1 only.

``GRAPH`` is a store folder (``kg build --store``), served as it is, or a
graph file (Turtle, TriG, N-Triples, JSON-LD), first loaded into a temporary
store that is removed when the server stops. As in a store that ``kg build
--store`` writes, the named graphs of a TriG file (one per report) are kept
and their union (each triple once) is the default graph, which queries
without ``GRAPH`` see. When the store is rebuilt (or the graph file
rewritten) while it is served, ``kg serve`` says so and serves the new graph.

The Oxigraph process dies with ``kg serve`` however that ends (Ctrl-C,
SIGTERM, SIGHUP, and on Linux ``kill -9`` too: a parent-death signal); the
temporary store of a ``kg serve`` that was killed is removed by the next one.

    >>> rdf_format("out.trig").name
    'TriG'
    >>> uses_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service WHERE { ?service rdfs:label "SERVICE" }')
    False
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.base.errors import GraphLoadError, KgError
from kg.store.store import MANIFEST, META_DIR, is_store, read_manifest

HOST = "127.0.0.1"
#: Seconds a query may run before Oxigraph cancels it (``kg serve --timeout``).
DEFAULT_TIMEOUT = 5.0
#: The prefix of the temporary folders of ``kg serve`` (a graph file's store, logs).
TEMP_PREFIX = "kg-serve-"
#: How often ``kg serve`` looks whether the store was rebuilt, in seconds.
WATCH_EVERY = 1.0


class ServerError(KgError):
    """The SPARQL server cannot be found or started."""

    exit_code = 7


def rdf_format(path: str | Path) -> Any:
    """The pyoxigraph format of a graph file, from its suffix."""
    suffix = Path(path).suffix.lower()
    formats = {".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE,
               ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
               ".ntriples": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD}
    if suffix not in formats:
        raise GraphLoadError(f"{path}: unknown graph format (use .ttl, .trig, .nt or .jsonld)")
    return formats[suffix]


# ---------------------------------------------------------------------------
# SERVICE: found in the query as the SPARQL grammar reads it
# ---------------------------------------------------------------------------

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# what can hide the word without being the keyword: strings, IRIs, comments
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:])", re.IGNORECASE)


def uses_service(sparql: str) -> bool:
    """Whether the query (or update) has a ``SERVICE`` clause.

    Code-point escapes (``\\u0053``) are read first, as the SPARQL grammar
    says; then strings, IRIs and comments are left out, and the keyword is
    looked for in what remains (``?service`` and ``ex:service`` are names).
    """
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    text = _CODEPOINT.sub(char, sparql)
    return _SERVICE.search(_NOT_CODE.sub(" ", text)) is not None


# ---------------------------------------------------------------------------
# The Oxigraph process
# ---------------------------------------------------------------------------


def oxigraph_binary() -> str:
    """The ``oxigraph`` server command: next to this Python's scripts, else on ``PATH``."""
    scripts = sysconfig.get_path("scripts")
    for folder in (scripts, str(Path(sys.executable).parent)):
        found = shutil.which("oxigraph", path=folder)
        if found:
            return found
    found = shutil.which("oxigraph")
    if not found:
        raise ServerError("the oxigraph server is not installed: pip install 'yibao-kg[scale]'")
    return found


def free_port() -> int:
    """A TCP port of 127.0.0.1 that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def load_into_store(graph_file: Path, directory: Path) -> None:
    """Load a graph file into a new store at ``directory``."""
    if not graph_file.is_file():
        raise GraphLoadError(f"{graph_file}: no such graph file or store folder")
    fmt = rdf_format(graph_file)
    store = ox.Store(str(directory))
    try:
        store.bulk_load(path=str(graph_file), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        detail = " ".join(str(exc).split())
        raise GraphLoadError(f"{graph_file}: cannot load ({detail})") from exc
    if fmt == ox.RdfFormat.TRIG:
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    store.flush()
    del store


def _parent_death_signal() -> Callable[[], None] | None:
    """A function for the child, run before it starts Oxigraph: on Linux, ask the
    kernel to send it SIGTERM when its parent dies, however (``kill -9`` too)."""
    if not sys.platform.startswith("linux"):  # pragma: no cover - Linux only
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - no C library to ask
        return None
    parent = os.getpid()
    pr_set_pdeathsig = 1

    def arm() -> None:
        prctl(pr_set_pdeathsig, int(signal.SIGTERM))
        if os.getppid() != parent:  # the parent died before the signal was asked for
            os._exit(1)

    return arm


def wait_ready(proc: subprocess.Popen[bytes], port: int, timeout: float, log: Path) -> None:
    """Wait until ``proc`` listens on ``port`` of 127.0.0.1 (its output goes to ``log``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
            last = (err.strip().splitlines() or ["no message"])[-1]
            raise ServerError(f"the SPARQL server exited at start ({last})")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.2)
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.05)
    proc.terminate()
    raise ServerError(f"the SPARQL server did not answer on port {port} within {timeout:.0f}s")


def _start_oxigraph(location: Path, query_timeout: float, log: Path,
                    start_timeout: float) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    cmd = [oxigraph_binary(), "serve-read-only", "--location", str(location),
           "--bind", f"{HOST}:{port}", "--timeout-s", str(max(1, round(query_timeout)))]
    with log.open("ab") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                preexec_fn=_parent_death_signal())
    try:
        wait_ready(proc, port, start_timeout, log)
    except BaseException:
        _stop(proc)
        raise
    return proc, port


def _stop(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------------
# The proxy users talk to
# ---------------------------------------------------------------------------

#: Headers that belong to one connection, not passed on.
_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                  "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
                  "content-length"})
_CHUNK = 1 << 16


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, allow_service: bool, read_timeout: float) -> None:
        super().__init__((HOST, port), _Handler)
        self.backend_port = 0
        self.allow_service = allow_service
        self.read_timeout = read_timeout


class _Handler(BaseHTTPRequestHandler):
    server: _Proxy
    # HTTP/1.1 answers (a body of unknown length is sent chunked), one request a
    # connection (no keep-alive to relay)
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log on the terminal

    def do_GET(self) -> None:
        self._forward()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = do_GET

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _queries(self, body: bytes) -> list[str]:
        """Every query or update text of the request (URL, form or body)."""
        found = [v for key, values in parse_qs(urlsplit(self.path).query).items()
                 if key in ("query", "update") for v in values]
        kind = self.headers.get_content_type()
        if kind == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"))
            found += [v for key in ("query", "update") for v in form.get(key, [])]
        elif kind in ("application/sparql-query", "application/sparql-update"):
            found.append(body.decode("utf-8", "replace"))
        return found

    def _refuse(self, status: int, text: str) -> None:
        data = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _forward(self) -> None:
        try:
            body = self._body()
        except ValueError:
            self._refuse(400, "bad request body")
            return
        if not self.server.allow_service and any(uses_service(q) for q in self._queries(body)):
            self._refuse(403, "SERVICE is not allowed on this endpoint (kg serve --allow-service)")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection(HOST, self.server.backend_port,
                                          timeout=self.server.read_timeout)
        try:
            try:
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
            except OSError:
                self._refuse(503, "the SPARQL server is restarting; try again")
                return
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in _HOP:
                    self.send_header(key, value)
            length = response.getheader("Content-Length")
            chunked = length is None and self.command != "HEAD"
            if length is not None:
                self.send_header("Content-Length", length)
            elif chunked:  # streamed as it comes, each piece with its length
                self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                while chunk := response.read(_CHUNK):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the client went away, or the answer took too long to read
        finally:
            conn.close()


# ---------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------


def _owner_alive(folder: Path) -> bool:
    try:
        pid = int((folder / "owner.pid").read_text(encoding="ascii"))
    except (OSError, ValueError):
        # no owner written (yet): only an old folder is taken as abandoned
        with contextlib.suppress(OSError):
            return time.time() - folder.stat().st_mtime < 3600
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_stores(root: str | Path | None = None) -> int:
    """Remove the temporary folders of ``kg serve`` runs that were killed (their
    process is gone); returns how many."""
    base = Path(root or tempfile.gettempdir())
    removed = 0
    with contextlib.suppress(OSError):
        for folder in base.glob(f"{TEMP_PREFIX}*"):
            if folder.is_dir() and not _owner_alive(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed


def _signature(graph: Path) -> tuple[int, int, bool] | None:
    """What tells that the graph served was rewritten: the manifest's (or the file's)
    time and size, and whether it is complete."""
    target = graph / META_DIR / MANIFEST if graph.is_dir() else graph
    try:
        st = target.stat()
    except OSError:
        return None
    complete = bool(read_manifest(graph).get("complete")) if graph.is_dir() else True
    return st.st_mtime_ns, st.st_size, complete


@dataclass
class Server:
    """A running read-only SPARQL endpoint: the proxy on ``port``, Oxigraph behind it."""

    process: subprocess.Popen[bytes]
    port: int
    graph: Path
    tmp: Path
    query_timeout: float
    proxy: _Proxy | None = None
    location: Path | None = None
    signature: tuple[int, int, bool] | None = None
    _generation: int = field(default=0, repr=False)

    @property
    def url(self) -> str:
        """The SPARQL query endpoint."""
        return f"http://{HOST}:{self.port}/query"

    def stop(self, timeout: float = 10) -> None:
        """Stop the proxy and the server (terminate, then kill if it does not exit)."""
        if self.proxy is not None:
            self.proxy.shutdown()
            self.proxy.server_close()
        _stop(self.process, timeout)

    def rebuilt(self) -> str | None:
        """Serve the graph again if it was rewritten since it was loaded; returns what
        happened (one line for the user), or None when nothing changed."""
        now = _signature(self.graph)
        if now is None or now == self.signature:
            return None
        if not now[2]:
            if self.signature is not None and self.signature[2]:
                self.signature = now
                return f"{self.graph} is being rebuilt; answers may be incomplete until it is done"
            self.signature = now
            return None
        self.signature = now
        self._generation += 1
        location = self.graph
        if not self.graph.is_dir():
            location = self.tmp / f"store-{self._generation}"
            try:
                load_into_store(self.graph, location)
            except GraphLoadError as exc:
                return f"{exc}; still serving the graph as it was"
        old, old_location = self.process, self.location
        log = self.tmp / "server.log"
        self.process, port = _start_oxigraph(location, self.query_timeout, log, 30)
        assert self.proxy is not None
        self.proxy.backend_port = port
        self.location = location
        _stop(old)
        if old_location is not None and old_location != self.graph:
            shutil.rmtree(old_location, ignore_errors=True)
        what = "store" if self.graph.is_dir() else "graph file"
        return f"the {what} {self.graph} was rebuilt: now serving the new graph"


@contextlib.contextmanager
def serving(graph: str | Path, port: int = 0, timeout: float = 30, *,
            query_timeout: float = DEFAULT_TIMEOUT,
            allow_service: bool = False) -> Iterator[Server]:
    """Serve ``graph`` read-only on 127.0.0.1 (``port`` 0: a free one) while the block
    runs; each query may run ``query_timeout`` seconds; ``SERVICE`` is refused
    unless ``allow_service``."""
    graph = Path(graph)
    remove_stale_stores()
    tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    try:
        (tmp / "owner.pid").write_text(str(os.getpid()), encoding="ascii")
        signature = _signature(graph)
        if graph.is_dir():
            if not is_store(graph):
                raise GraphLoadError(f"{graph}: not an Oxigraph store")
            location = graph
        else:
            location = tmp / "store"
            load_into_store(graph, location)
        try:
            proxy = _Proxy(port, allow_service, query_timeout + 30)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServerError(f"port {port} of {HOST} is in use (another kg serve?): choose "
                                  f"another with --port N, or --port 0 for any free one"
                                  ) from None
            raise ServerError(f"cannot listen on {HOST}:{port} ({exc.strerror})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    server: Server | None = None
    try:
        proc, backend = _start_oxigraph(location, query_timeout, tmp / "server.log", timeout)
        proxy.backend_port = backend
        server = Server(proc, proxy.server_address[1], graph, tmp, query_timeout, proxy,
                        location, signature)
        threading.Thread(target=proxy.serve_forever, name="kg-serve-proxy",
                         daemon=True).start()
        yield server
    finally:
        if server is not None:
            server.stop()
        else:
            proxy.server_close()
        shutil.rmtree(tmp, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_forever(graph: str | Path, port: int = 7878, *,
                  query_timeout: float = DEFAULT_TIMEOUT, allow_service: bool = False,
                  quiet: bool = False) -> int:
    """``kg serve``: serve until Ctrl-C, SIGTERM or SIGHUP, then stop the server and
    clean up; meanwhile say when the graph served was rebuilt, and serve the new one."""
    # also when started in the background, where a shell may have ignored SIGINT
    for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, _interrupt)
    with serving(graph, port, query_timeout=query_timeout,
                 allow_service=allow_service) as server:
        if not quiet:
            print(f"SPARQL endpoint (read-only): {server.url}", flush=True)
            print(f"each query may run {query_timeout:g}s; SERVICE is "
                  f"{'allowed' if allow_service else 'refused'}; press Ctrl-C to stop",
                  flush=True)
        try:
            while True:
                code = server.process.poll()
                if code is not None:
                    raise ServerError(f"the SPARQL server stopped by itself (exit code {code})")
                news = server.rebuilt()
                if news is not None:
                    print(f"kg serve: {news}", flush=True)
                time.sleep(WATCH_EVERY)
        except KeyboardInterrupt:
            if not quiet:
                print("stopping", flush=True)
            return 0
