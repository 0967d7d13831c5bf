"""``kg push``: every report's graph into a Graph Store endpoint (a local oxigraph server)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_isomorphic

from kg.base.errors import GraphLoadError
from kg.cli import main
from kg.graph.serialize import write_graph
from kg.run.build import build_reports
from kg.store.push import PushError, push
from kg.store.serve import free_port, oxigraph_binary, wait_ready
from kg.store.store import write_store
from tests.scale_helpers import REPORT_A, make_folder


@pytest.fixture()
def endpoint(tmp_path: Path) -> Iterator[str]:
    """A writable oxigraph server on 127.0.0.1: its Graph Store URL."""
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "db"),
                                 "--bind", f"127.0.0.1:{port}"], stdout=err, stderr=err)
    try:
        wait_ready(proc, port, 30, log)
        yield f"http://127.0.0.1:{port}/store"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _remote(endpoint: str) -> Dataset:
    """Everything the endpoint holds, graph by graph."""
    base = endpoint.rsplit("/", 1)[0]
    r = httpx.post(f"{base}/query", data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"Accept": "application/sparql-results+json"})
    names = [b["g"]["value"] for b in r.json()["results"]["bindings"]]
    ds = Dataset()
    for name in names:
        body = httpx.get(endpoint, params={"graph": name}, headers={"Accept": "application/n-triples"})
        assert body.status_code == 200
        ds.graph(URIRef(name)).parse(data=body.text, format="nt")
    return ds


def _canon(g: Graph) -> Graph:
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        elif isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def _same_graphs(remote: Dataset, local: Dataset) -> None:
    names = {g.identifier for g in local.graphs() if len(g)}
    assert {g.identifier for g in remote.graphs() if len(g)} == names
    for name in names:
        assert to_isomorphic(_canon(remote.graph(name))) == to_isomorphic(_canon(local.graph(name)))


@pytest.mark.slow
def test_push_trig_one_graph_per_report_and_replace(endpoint: str, tmp_path: Path) -> None:
    folder = make_folder(tmp_path, seeds=1)
    result = build_reports([folder])
    trig = tmp_path / "g.trig"
    write_graph(result.dataset(), trig)
    pushed = push(trig, endpoint)
    assert pushed.graphs == 4  # three reports and the ontology
    _same_graphs(_remote(endpoint), result.dataset())

    # re-push: each graph is replaced, not added to
    pushed_again = push(trig, endpoint)
    assert pushed_again.graphs == 4
    _same_graphs(_remote(endpoint), result.dataset())

    # B's citation changes with A (one identity per document): B's graph is replaced
    (folder / "a.txt").write_text(REPORT_A.replace("（医保发〔2021〕48号）", ""), encoding="utf-8")
    changed = build_reports([folder])
    write_graph(changed.dataset(), trig)
    push(trig, endpoint)
    remote = _remote(endpoint)
    for name in {g.identifier for g in changed.dataset().graphs() if len(g)}:
        assert to_isomorphic(_canon(remote.graph(name))) == to_isomorphic(
            _canon(changed.dataset().graph(name)))


@pytest.mark.slow
def test_push_store_equals_push_trig(endpoint: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_folder(tmp_path, seeds=1)
    result = build_reports([folder])
    store = tmp_path / "store"
    write_store(store, result.report_graphs(ontology=True))
    assert main(["push", str(store), "--endpoint", endpoint]) == 0
    assert "pushed 4 graph(s)" in capsys.readouterr().out
    _same_graphs(_remote(endpoint), result.dataset())


def test_push_errors_are_one_line(tmp_path: Path, endpoint: str) -> None:
    with pytest.raises(GraphLoadError, match="no such graph file"):
        push(tmp_path / "none.trig", endpoint)
    folder = make_folder(tmp_path, seeds=0)
    trig = tmp_path / "g.trig"
    write_graph(build_reports([folder]).dataset(), trig)
    with pytest.raises(PushError, match="cannot push"):
        push(trig, f"http://127.0.0.1:{free_port()}/store")
    with pytest.raises(PushError, match="refused"):
        push(trig, endpoint.replace("/store", "/query"))


@pytest.mark.slow
def test_push_prune_removes_graphs_of_reports_no_longer_built(
        endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_folder(tmp_path, seeds=1)
    trig = tmp_path / "g.trig"
    write_graph(build_reports([folder]).dataset(), trig)
    push(trig, endpoint)
    # some other data at the endpoint stays whatever --prune does
    other = "https://example.org/other"
    httpx.put(endpoint, params={"graph": other}, content=b"<urn:a> <urn:b> <urn:c> .\n",
              headers={"Content-Type": "application/n-triples"}).raise_for_status()
    (folder / "a.txt").unlink()
    smaller = build_reports([folder])
    write_graph(smaller.dataset(), trig)
    push(trig, endpoint)  # without --prune, A's graph stays
    assert len(_remote(endpoint).graph(URIRef(other))) == 1
    names = {str(g.identifier) for g in _remote(endpoint).graphs() if len(g)}
    assert len([n for n in names if "/report/" in n]) == 3
    assert main(["push", str(trig), "--endpoint", endpoint, "--prune"]) == 0
    assert "removed 1 stale report graph(s)" in capsys.readouterr().out
    remote = _remote(endpoint)
    _same_graphs(_without(remote, other), smaller.dataset())
    assert len(remote.graph(URIRef(other))) == 1


def _without(ds: Dataset, name: str) -> Dataset:
    out = Dataset()
    for g in ds.graphs():
        if len(g) and str(g.identifier) != name:
            for t in g:
                out.graph(g.identifier).add(t)
    return out
