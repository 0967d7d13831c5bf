"""``kg serve``: a real read-only SPARQL 1.1 server on 127.0.0.1, stopped by Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import CSV, JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.build import build_reports
from kg.errors import GraphLoadError
from kg.serialize import write_graph
from kg.serve import free_port, serving
from kg.store import write_store
from tests.scale_helpers import make_folder

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
UPDATE = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | int]:
    root = tmp_path_factory.mktemp("serve")
    result = build_reports([make_folder(root, seeds=1)])
    ttl, trig, store = root / "g.ttl", root / "g.trig", root / "store"
    write_graph(result.graph(), ttl)
    write_graph(result.dataset(), trig)
    write_store(store, result.report_graphs(ontology=True))
    return {"ttl": ttl, "trig": trig, "store": store, "triples": len(result.graph())}


def _count(url: str) -> int:
    client = SPARQLWrapper(url)
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    data = client.queryAndConvert()
    assert isinstance(data, dict)
    return int(data["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("kind", ["ttl", "trig", "store"])
def test_serves_the_graph_read_only(built: dict[str, Path | int], kind: str) -> None:
    graph = built[kind]
    assert isinstance(graph, Path)
    with serving(graph) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert _count(server.url) == built["triples"]
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


def test_bad_graph_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GraphLoadError, match="no such graph file"), serving(tmp_path / "x.ttl"):
        pass
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(GraphLoadError, match="cannot load"), serving(bad):
        pass


def test_kg_serve_prints_the_url_and_stops_on_ctrl_c(built: dict[str, Path | int]) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built["store"]),
                             "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == f"SPARQL endpoint (read-only): http://127.0.0.1:{port}/query"
        assert _count(f"http://127.0.0.1:{port}/query") == built["triples"]
        proc.send_signal(signal.SIGINT)
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
