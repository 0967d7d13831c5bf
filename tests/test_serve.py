"""``kg serve``: a real read-only SPARQL 1.1 server on 127.0.0.1, stopped by Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import CSV, JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.base.errors import GraphLoadError
from kg.cli import main
from kg.store.serve import free_port, serving
from kg.use.sparql import load_graph
from tests.scale_helpers import make_folder

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
UPDATE = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | int]:
    """One small corpus as ``kg build`` writes it: a store (--store) and a Turtle file
    in one run, and a TriG file (one named graph per report)."""
    root = tmp_path_factory.mktemp("serve")
    folder = make_folder(root, seeds=1)
    ttl, trig, store = root / "g.ttl", root / "g.trig", root / "store"
    assert main(["build", str(folder), "--store", str(store), "-o", str(ttl),
                 "--no-progress"]) == 0
    assert main(["build", str(folder), "-o", str(trig), "--no-progress"]) == 0
    return {"ttl": ttl, "trig": trig, "store": store, "triples": len(load_graph(ttl))}


def _other_addresses() -> list[str]:
    """Addresses of this machine other than 127.0.0.1: a server bound to 127.0.0.1
    only must not answer there (one bound to 0.0.0.0 would)."""
    found = ["127.0.0.2"] if sys.platform.startswith("linux") else []  # all of 127/8 is lo
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.255", 9))  # no packet is sent: this only picks a route
            address = s.getsockname()[0]
        except OSError:
            address = ""
    if address and not address.startswith("127."):
        found.append(address)
    return found


def _answers(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def _count(url: str) -> int:
    client = SPARQLWrapper(url)
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    data = client.queryAndConvert()
    assert isinstance(data, dict)
    return int(data["results"]["bindings"][0]["n"]["value"])


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["ttl", "trig", "store"])
def test_serves_the_graph_read_only(built: dict[str, Path | int], kind: str) -> None:
    graph = built[kind]
    assert isinstance(graph, Path)
    with serving(graph) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert _count(server.url) == built["triples"]
        # 127.0.0.1 only
        assert _answers("127.0.0.1", server.port)
        for host in _other_addresses():
            assert not _answers(host, server.port), f"the server answers on {host}"
        # a store is served where it is; a graph file from a temporary store
        args = [str(a) for a in server.process.args]  # type: ignore[union-attr]
        location = Path(args[args.index("--location") + 1])
        assert (location == graph) == (kind == "store")
        assert "serve-read-only" in args
        sparql = SPARQLWrapper(server.url)
        sparql.setQuery("SELECT ?code WHERE { ?r <https://w3id.org/yibao-kg/ontology#adminCode> ?code } ORDER BY ?code LIMIT 1")
        sparql.setReturnFormat(CSV)
        assert b"code" in sparql.query().convert()
        # an update is refused, over SPARQL and over the Graph Store Protocol
        update = SPARQLWrapper(server.url.replace("/query", "/query"),
                               updateEndpoint=server.url.replace("/query", "/update"))
        update.setMethod("POST")
        update.setQuery(UPDATE)
        with pytest.raises((SPARQLWrapperException, OSError)):
            update.query()
        base = server.url.rsplit("/", 1)[0]
        r = httpx.post(f"{base}/update", data={"update": UPDATE})
        assert r.status_code >= 400
        r = httpx.put(f"{base}/store?default", content=b"<urn:x:a> <urn:x:b> <urn:x:c> .",
                      headers={"Content-Type": "application/n-triples"})
        assert r.status_code >= 400
        assert _count(server.url) == built["triples"]  # nothing was added
        process = server.process
    assert process.poll() is not None  # stopped with the block
    assert location.exists() == (kind == "store")  # the temporary store went with it


def test_bad_graph_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GraphLoadError, match="no such graph file"), serving(tmp_path / "x.ttl"):
        pass
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(GraphLoadError, match="cannot load"), serving(bad):
        pass


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_kg_serve_prints_the_url_and_stops_on_ctrl_c(built: dict[str, Path | int],
                                                     sig: signal.Signals) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built["store"]),
                             "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == f"SPARQL endpoint (read-only): http://127.0.0.1:{port}/query"
        assert _count(f"http://127.0.0.1:{port}/query") == built["triples"]
        proc.send_signal(sig)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the server went with it: the port is free again
        try:
            httpx.get(f"http://127.0.0.1:{port}/query", timeout=0.5)
        except httpx.TransportError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the server still answers after Ctrl-C")


# --- endpoint safety ------------------------------------------------------------------------

SERVICE_QUERY = "SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } } LIMIT 1"


def _post(url: str, sparql: str, timeout: float = 30) -> httpx.Response:
    return httpx.post(url, data={"query": sparql}, timeout=timeout,
                      headers={"Accept": "application/sparql-results+json"})


@pytest.mark.slow
def test_service_is_refused_unless_allowed(built: dict[str, Path | int]) -> None:
    with serving(built["store"]) as server:
        url = server.url
        for sparql in (SERVICE_QUERY % url,
                       f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
                       f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}"):
            r = _post(server.url, sparql)
            assert r.status_code == 403 and "SERVICE is not allowed" in r.text
            r = httpx.get(server.url, params={"query": sparql}, timeout=30)
            assert r.status_code == 403
            r = httpx.post(server.url, content=sparql.encode(), timeout=30,
                           headers={"Content-Type": "application/sparql-query"})
            assert r.status_code == 403
        # names and strings that say "service" are no SERVICE clause
        ok = _post(server.url, 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) }')
        assert ok.status_code == 200
    with serving(built["store"], allow_service=True) as server:
        r = _post(server.url, SERVICE_QUERY % server.url)
        assert r.status_code == 200 and r.json()["results"]["bindings"]


@pytest.mark.slow
def test_a_query_over_its_time_is_cancelled(tmp_path: Path) -> None:
    import pyoxigraph as ox

    big = tmp_path / "big.nt"
    big.write_text("".join(f"<urn:x:{i}> <urn:x:p> \"{i}\" .\n" for i in range(3000)),
                   encoding="utf-8")
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . ?c ?p ?z }"  # 2.7e10 rows
    with serving(big, query_timeout=1) as server:
        t0 = time.monotonic()
        r = httpx.post(server.url, data={"query": heavy}, timeout=60,
                       headers={"Accept": "text/csv"})
        assert time.monotonic() - t0 < 10
        assert "cancelled" in r.text
        # the server is free again at once: no query goes on using the CPU
        t0 = time.monotonic()
        assert _count(server.url) == 3000
        assert time.monotonic() - t0 < 2
    assert ox  # pyoxigraph wrote nothing here: the store came from the file


def test_a_busy_port_is_one_clear_error(built: dict[str, Path | int]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(built["store"]),
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 7
    assert done.stderr.strip() == (f"kg: port {port} of 127.0.0.1 is in use (another kg serve?): "
                                   f"choose another with --port N, or --port 0 for any free one")


@pytest.mark.slow
def test_the_server_dies_with_kg_serve_and_its_store_goes_next_time(
        built: dict[str, Path | int], tmp_path: Path) -> None:
    import os

    import psutil

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built["ttl"]),
                             "--port", str(port)], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("SPARQL endpoint")
    children = psutil.Process(proc.pid).children()
    assert [c.name() for c in children] == ["oxigraph"]
    assert next(p.name for p in tmp_path.iterdir()).startswith("kg-serve-")
    proc.kill()  # kill -9: kg serve cleans up nothing itself
    proc.wait()
    _, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, "the oxigraph server outlived kg serve"
    assert len(list(tmp_path.iterdir())) == 1  # its temporary store is still there
    done = subprocess.run([sys.executable, "-c",
                           "from kg.store.serve import remove_stale_stores; "
                           "print(remove_stale_stores())"], env=env, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "1" and list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_kg_serve_says_when_its_store_was_rebuilt(tmp_path: Path) -> None:
    from tests.scale_helpers import REPORT_A, REPORT_B

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(REPORT_A, encoding="utf-8")
    store = tmp_path / "store"
    assert main(["build", str(tmp_path / "in"), "--store", str(store), "-q"]) == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(store),
                             "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("SPARQL endpoint")
        proc.stdout.readline()
        url = f"http://127.0.0.1:{port}/query"
        before = _count(url)
        (tmp_path / "in" / "b.txt").write_text(REPORT_B, encoding="utf-8")
        assert main(["build", str(tmp_path / "in"), "--store", str(store), "-q"]) == 0
        line = proc.stdout.readline()
        assert line.strip() == f"kg serve: the store {store} was rebuilt: now serving the new graph"
        assert _count(url) > before
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
