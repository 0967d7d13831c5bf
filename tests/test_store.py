"""``kg build --store DIR``: an on-disk Oxigraph store that ``kg query`` reads directly."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import to_isomorphic

from kg.build import build_reports
from kg.cli import main
from kg.errors import GraphLoadError, OutputError
from kg.query import load_graph, query
from kg.store import is_store, open_store, read_manifest, store_graph, write_store
from tests.scale_helpers import REPORT_A, make_folder


def _turtle_graph(folder: Path) -> Graph:
    return build_reports([folder]).graph()


def _report_graphs(store: Path) -> dict[str, set[ox.Quad]]:
    s = ox.Store.read_only(str(store))
    out: dict[str, set[ox.Quad]] = {}
    for q in s.quads_for_pattern(None, None, None):
        if isinstance(q.graph_name, ox.NamedNode):
            out.setdefault(q.graph_name.value, set()).add(ox.Quad(q.subject, q.predicate, q.object))
    return out


def _canon(g: Graph) -> Graph:
    """``g`` with the literal forms Oxigraph normalises made alike (354.0 → 354 for
    xsd:decimal; "x"^^xsd:string → "x"): the same values, another lexical form."""
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

    def term(t: object) -> object:
        if isinstance(t, Literal) and t.datatype == XSD.decimal:
            return Literal(format(Decimal(str(t)).normalize(), "f"), datatype=XSD.decimal)
        if isinstance(t, Literal) and t.datatype == XSD.string:
            return Literal(str(t))
        return t

    out = Graph()
    for s, p, o in g:
        out.add((s, p, term(o)))  # type: ignore[arg-type]
    return out


def _same(a: Graph, b: Graph) -> bool:
    return to_isomorphic(_canon(a)) == to_isomorphic(_canon(b))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path)


def test_store_holds_the_graph_and_one_named_graph_per_report(folder: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]
                                                              ) -> None:
    store = tmp_path / "store"
    assert main(["build", str(folder), "--store", str(store), "--no-progress"]) == 0
    assert "4 graph(s) written" not in capsys.readouterr().out  # + the ontology's graph
    assert is_store(store) and read_manifest(store)["complete"] is True
    full = _turtle_graph(folder)
    # the default graph is the union, each triple once: the graph a Turtle build writes
    assert _same(store_graph(store), full)
    result = build_reports([folder])
    graphs = _report_graphs(store)
    assert len(graphs) == 5  # 4 reports + the ontology
    ds = open_store(store)
    for name, g in result.report_graphs():
        assert len(graphs[str(name)]) == len(g)
        assert _same(Graph(store=ds.store, identifier=name), g)


def test_kg_query_reads_the_store(folder: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    store, ttl = tmp_path / "store", tmp_path / "out.ttl"
    assert main(["build", str(folder), "--store", str(store), "-o", str(ttl),
                 "--no-progress"]) == 0
    capsys.readouterr()
    sparql = "SELECT ?code ?label WHERE { ?r a yb:Region ; yb:adminCode ?code ; rdfs:label ?label } ORDER BY ?code"
    assert main(["query", str(ttl), sparql, "--format", "csv"]) == 0
    from_file = capsys.readouterr().out
    assert main(["query", str(store), sparql, "--format", "csv"]) == 0
    assert capsys.readouterr().out == from_file
    rows = list(query(load_graph(store), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(rows[0][0]) == len(load_graph(ttl))


def test_rebuild_rewrites_only_what_changed(folder: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = build_reports([folder], triples=True)
    update = write_store(store, first.report_ntriples(ontology=True))
    assert (update.written, update.unchanged, update.removed) == (5, 0, 0)
    again = write_store(store, build_reports([folder], triples=True).report_ntriples(ontology=True))
    assert (again.written, again.unchanged, again.removed) == (0, 5, 0)

    # A loses its 文号: A is a new report (new content hash) and B's citation changes
    (folder / "a.txt").write_text(REPORT_A.replace("（医保发〔2021〕48号）", ""), encoding="utf-8")
    changed = write_store(store, build_reports([folder], triples=True).report_ntriples(ontology=True))
    assert (changed.written, changed.unchanged, changed.removed) == (2, 3, 1)
    assert _same(store_graph(store), _turtle_graph(folder))

    (folder / "b.txt").unlink()
    removed = write_store(store, build_reports([folder], triples=True).report_ntriples(ontology=True))
    assert (removed.written, removed.removed) == (0, 1)
    assert _same(store_graph(store), _turtle_graph(folder))
    assert len(_report_graphs(store)) == 4


def test_cli_store_rebuild_uses_its_cache(folder: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    assert main(["build", str(folder), "--store", str(store), "--no-progress"]) == 0
    capsys.readouterr()
    (folder / "b.txt").unlink()
    assert main(["build", str(folder), "--store", str(store), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "extracted 0 report(s), 3 from the cache" in out
    assert "1 removed" in out
    assert _same(store_graph(store), _turtle_graph(folder))


def test_interrupted_update_is_refused_then_redone(folder: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    write_store(store, build_reports([folder]).report_graphs())
    manifest = store / "yibao-kg" / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "complete": False}))
    with pytest.raises(GraphLoadError, match="did not finish"):
        open_store(store)
    update = write_store(store, build_reports([folder]).report_graphs())
    assert update.written == 4 and _same(store_graph(store), build_reports([folder]).graph(ontology=False))


def test_store_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(OutputError, match="not an Oxigraph store"):
        write_store(tmp_path, [])
    with pytest.raises(GraphLoadError, match="not an Oxigraph store"):
        open_store(tmp_path)


def test_named_queries_answer_the_same_on_the_store(tmp_path: Path) -> None:
    """Every named query, with its example's parameters and without any, gives the
    same rows on the store (Oxigraph) as on the Turtle graph (rdflib)."""
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg import queries
    from kg.serialize import write_graph
    from tests.scale_helpers import SEEDS

    result = build_reports([SEEDS])
    ttl, store = tmp_path / "g.ttl", tmp_path / "store"
    write_graph(result.graph(), ttl)
    write_store(store, result.report_graphs(ontology=True))
    on_file, on_store = load_graph(ttl), load_graph(store)

    def cell(t: object) -> object:
        if isinstance(t, Literal) and t.datatype == XSD.decimal:
            return Decimal(str(t))
        if isinstance(t, Literal) and t.datatype == XSD.integer:
            return int(t)
        if isinstance(t, Literal) and t.datatype == XSD.string:
            t = Literal(str(t))
        if isinstance(t, Literal) and t.datatype is None:
            # GROUP_CONCAT: the order is free, and Oxigraph keeps a common language tag
            text = str(t)
            for sep in ("、", " "):
                text = sep.join(sorted(text.split(sep)))
            return Literal(text)
        return t

    def rows(g: Graph, name: str, params: dict[str, str]) -> list[tuple[object, ...]]:
        found = (tuple(cell(v) for v in r) for r in query(g, name, params))  # type: ignore[union-attr]
        return sorted(found, key=repr)

    checked = narrowed = 0
    for q in queries.named_queries():
        _, _, tail = q.example.partition("--param")
        params = dict(item.split("=", 1) for item in tail.split() if "=" in item)
        sizes = []
        for p in (params, {}):
            expected = rows(on_file, q.name, p)
            assert rows(on_store, q.name, p) == expected, (q.name, p)
            checked += bool(expected)
            sizes.append(len(expected))
        narrowed += sizes[0] < sizes[1]
    assert checked >= 20  # most of them find something on the seeds
    assert narrowed >= 8  # and the parameters narrow them down, on both engines
