"""``kg serve GRAPH``: a read-only SPARQL 1.1 endpoint on 127.0.0.1.

The server is Oxigraph's own (the ``oxigraph`` command of the PyPI package
``oxigraph``), run in its ``serve-read-only`` mode: SPARQL queries are answered
at ``/query``; SPARQL updates and Graph Store writes are refused. It listens
on 127.0.0.1 only.

``GRAPH`` is a store folder (``kg build --store``), served as it is, or a
graph file (Turtle, TriG, N-Triples, JSON-LD), first loaded into a temporary
store that is removed when the server stops. As in a store that ``kg build
--store`` writes, the named graphs of a TriG file (one per report) are kept
and their union (each triple once) is the default graph, which queries
without ``GRAPH`` see.

    >>> rdf_format("out.trig").name
    'TriG'
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.base.errors import GraphLoadError, KgError
from kg.store.store import is_store

HOST = "127.0.0.1"


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


@dataclass
class Server:
    """A running read-only SPARQL server."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        """The SPARQL query endpoint."""
        return f"http://{HOST}:{self.port}/query"

    def stop(self, timeout: float = 10) -> None:
        """Stop the server (terminate, then kill if it does not exit)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


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


@contextlib.contextmanager
def serving(graph: str | Path, port: int = 0, timeout: float = 30) -> Iterator[Server]:
    """Serve ``graph`` read-only on 127.0.0.1 (``port`` 0: a free one) while the block runs."""
    graph = Path(graph)
    tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    if graph.is_dir():
        if not is_store(graph):
            shutil.rmtree(tmp, ignore_errors=True)
            raise GraphLoadError(f"{graph}: not an Oxigraph store")
        location = graph
    else:
        location = tmp / "store"
        try:
            load_into_store(graph, location)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    port = port or free_port()
    cmd = [oxigraph_binary(), "serve-read-only", "--location", str(location),
           "--bind", f"{HOST}:{port}"]
    log = tmp / "server.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
    server = Server(proc, port)
    try:
        wait_ready(proc, port, timeout, log)
        yield server
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_forever(graph: str | Path, port: int = 7878) -> int:
    """``kg serve``: serve until Ctrl-C (or SIGTERM), then stop the server and clean up."""
    # also when started in the background, where a shell may have ignored SIGINT
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    with serving(graph, port) as server:
        print(f"SPARQL endpoint (read-only): {server.url}", flush=True)
        print("press Ctrl-C to stop", flush=True)
        try:
            code = server.process.wait()
        except KeyboardInterrupt:
            print("stopping", flush=True)
            return 0
        raise ServerError(f"the SPARQL server stopped by itself (exit code {code})")
