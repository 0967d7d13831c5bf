"""``kg build --store DIR``: an on-disk Oxigraph store that ``kg query`` reads directly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import to_isomorphic

from kg.base.errors import GraphLoadError, OutputError
from kg.cli import main
from kg.run.build import build_reports
from kg.store.store import is_store, open_store, read_manifest, store_graph, write_store
from kg.use.sparql import load_graph, query
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.fixture(scope="module")
def seeds_engines(seeds_result, tmp_path_factory: pytest.TempPathFactory  # type: ignore[no-untyped-def]
                  ) -> dict[str, Graph]:
    """The seeds as a Turtle file parsed by rdflib ("rdflib"), the same file read into
    Oxigraph in memory ("file", what kg query does), and as a store on disk ("store")."""
    from kg.graph.serialize import write_graph

    root = tmp_path_factory.mktemp("seeds-store")
    ttl, store = root / "g.ttl", root / "store"
    write_graph(seeds_result.graph(), ttl)
    write_store(store, seeds_result.report_graphs(ontology=True))
    return {"rdflib": load_graph(ttl, engine="rdflib"), "file": load_graph(ttl),
            "store": load_graph(store)}


@pytest.fixture(scope="module", params=["store", "file"])
def seeds_on_both(request: pytest.FixtureRequest,
                  seeds_engines: dict[str, Graph]) -> tuple[Graph, Graph]:
    """The seeds parsed by rdflib, and read by Oxigraph (a store, or a file loaded)."""
    return seeds_engines["rdflib"], seeds_engines[request.param]


def test_a_graph_file_is_read_by_oxigraph(seeds_engines: dict[str, Graph]) -> None:
    """``load_graph`` reads a file into Oxigraph (rdflib's engine only when asked),
    with the same triples as rdflib's parser."""
    from oxrdflib import OxigraphStore

    on_rdflib, on_file = seeds_engines["rdflib"], seeds_engines["file"]
    assert isinstance(on_file.store, OxigraphStore)
    assert not isinstance(on_rdflib.store, OxigraphStore)
    assert len(on_file) == len(on_rdflib) > 10_000
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a yb:Observation }"
    assert [int(r[0]) for r in query(on_file, count)] == [  # type: ignore[index]
        int(r[0]) for r in query(on_rdflib, count)]  # type: ignore[index]


def _cell(t: object) -> object:
    """A result cell, with the lexical forms the two engines write differently made alike."""
    from decimal import Decimal

    from rdflib import Literal
    from rdflib.namespace import XSD

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


def _rows(g: Graph, name: str, params: dict[str, str]) -> list[tuple[object, ...]]:
    found = (tuple(_cell(v) for v in r) for r in query(g, name, params))  # type: ignore[union-attr]
    return sorted(found, key=repr)


@pytest.mark.slow
def test_named_queries_answer_the_same_on_the_store(seeds_on_both: tuple[Graph, Graph]) -> None:
    """Every named query, with its example's parameters and without any, gives the
    same rows on the store (Oxigraph) as on the Turtle graph (rdflib)."""
    from kg.use import queries

    on_file, on_store = seeds_on_both
    checked = narrowed = 0
    for q in queries.named_queries():
        _, _, tail = q.example.partition("--param")
        params = dict(item.split("=", 1) for item in tail.split() if "=" in item)
        sizes = []
        for p in (params, {}):
            expected = _rows(on_file, q.name, p)
            assert _rows(on_store, q.name, p) == expected, (q.name, p)
            checked += bool(expected)
            sizes.append(len(expected))
        narrowed += sizes[0] < sizes[1]
    assert checked >= 20  # most of them find something on the seeds
    assert narrowed >= 8  # and the parameters narrow them down, on both engines


@pytest.mark.slow
def test_every_parameter_binds_alike_on_the_store(seeds_on_both: tuple[Graph, Graph]) -> None:
    """Each parameter of each named query, bound to a value the unfiltered query
    returns, gives the same (fewer, non-empty) rows on Oxigraph's VALUES binding as
    on rdflib's initBindings."""
    from kg.use import queries
    from kg.use.sparql import term_text
    from tests.test_named_queries import param_cell

    on_file, on_store = seeds_on_both
    cases = 0
    for q in queries.named_queries():
        result = query(on_file, q.name)
        names = [str(v) for v in result.vars or []]
        every = [dict(zip(names, (term_text(c) for c in r), strict=True))  # type: ignore[arg-type]
                 for r in result]
        for p in q.params:
            if p.name == "report":  # a column of no query: the reports of the graph
                values = sorted(term_text(r[0]) for r in query(  # type: ignore[index]
                    on_file, "SELECT ?r WHERE { ?r a yb:Report }"))
            else:
                cell = param_cell(q.name, p.name, p.kind)
                values = sorted({cell(r) for r in every if cell(r) and (
                    p.kind != "iri" or re.match(r"[a-z]+:\S|<\S+>$", cell(r)))})
            value = values[len(values) // 2]
            expected = _rows(on_file, q.name, {p.name: value})
            assert 0 < len(expected) <= len(every), (q.name, p.name, value)
            assert _rows(on_store, q.name, {p.name: value}) == expected, (q.name, p.name, value)
            cases += 1
    assert cases >= 25


@pytest.mark.slow
@pytest.mark.parametrize("value", ['x" } UNION { ?s ?p ?o } #', "a\nb", "line\nbreak \\ \"q\"",
                                   "> } ; DROP ALL ; SELECT * { <", 'x"""\n} #"'])
def test_a_value_with_sparql_syntax_binds_as_a_literal_on_the_store(tmp_path: Path,
                                                                    value: str) -> None:
    from rdflib import Literal, URIRef

    from kg.base.errors import QueryError
    from kg.base.namespaces import YB

    g = Graph()
    g.add((URIRef("urn:x:exact"), YB.sourceFile, Literal(value)))
    g.add((URIRef("urn:x:other"), YB.sourceFile, Literal("other.txt")))
    write_store(tmp_path / "store", [(URIRef("urn:x:g"), g)])
    store = load_graph(tmp_path / "store")
    sparql = "SELECT ?s WHERE { ?s yb:sourceFile ?file }"
    assert [str(r[0]) for r in query(store, sparql, {"file": Literal(value)})] == ["urn:x:exact"]  # type: ignore[index]
    assert len(list(query(store, sparql))) == 2  # the store is untouched
    with pytest.raises(QueryError, match="not an IRI"):
        query(store, sparql, {"s": URIRef("urn:x:a> } UNION { ?s ?p ?o } #")})


@pytest.mark.slow
def test_rows_are_the_same_through_oxrdflib_itself(seeds_on_both: tuple[Graph, Graph],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's own term conversion (once per distinct term) gives exactly the
    terms oxrdflib's query gives, row for row, in order, except that an xsd:string
    literal is the plain literal rdflib's parsers make (RDF 1.1: the same literal)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    import kg.store.store
    from kg.use import queries

    def plain(t: object) -> object:
        return Literal(str(t)) if isinstance(t, Literal) and t.datatype == XSD.string else t

    _, on_store = seeds_on_both
    strings = 0
    for q in queries.named_queries():
        own = [tuple(r) for r in query(on_store, q.name)]  # type: ignore[union-attr]
        monkeypatch.setattr(kg.store.store, "_OWN_CONVERSION", False)
        theirs = [tuple(r) for r in query(on_store, q.name)]  # type: ignore[union-attr]
        monkeypatch.setattr(kg.store.store, "_OWN_CONVERSION", True)
        assert own == [tuple(plain(t) for t in r) for r in theirs], q.name
        strings += sum(isinstance(t, Literal) and t.datatype == XSD.string
                       for r in theirs for t in r)
    assert strings > 0


@pytest.mark.slow
def test_cells_print_the_same_from_a_file_on_either_engine(
        seeds_engines: dict[str, Graph]) -> None:
    """What ``kg query FILE NAME`` prints is the same, cell for cell, whether the file is
    read into Oxigraph (the default) or parsed by rdflib: decimals in their canonical
    form on both (Oxigraph writes 1286000 where the file says 1286000.0); only the order
    inside a GROUP_CONCAT cell and of rows that tie in ORDER BY is free."""
    from kg.use import queries
    from tests.test_named_queries import rows

    def _unordered(found: list[dict[str, str]]) -> list[list[tuple[str, str]]]:
        def cell(text: str) -> str:
            for sep in ("、", " "):
                text = sep.join(sorted(text.split(sep)))
            return text
        return sorted(sorted((k, cell(v)) for k, v in r.items()) for r in found)

    on_rdflib, on_file = seeds_engines["rdflib"], seeds_engines["file"]
    decimals = 0
    for q in queries.named_queries():
        _, _, tail = q.example.partition("--param")
        params = dict(item.split("=", 1) for item in tail.split() if "=" in item)
        for p in (params, {}):
            expected = rows(on_rdflib, q.name, **p)
            assert _unordered(rows(on_file, q.name, **p)) == _unordered(expected), (q.name, p)
            decimals += sum(c.endswith(".0") for r in expected for c in r.values())
    assert decimals > 50


# --- reading results: the TSV text Oxigraph writes, and compaction ----------------------------


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _odd_terms() -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
    def dt(name: str) -> ox.NamedNode:
        return ox.NamedNode(name if ":" in name else _XSD + name)

    return [
        ox.Literal('a\tb\nc"d\\e\r\x01 ü 医保 \\u00fc \\n'), ox.Literal("x", language="zh-Hans"),
        ox.Literal('"', language="en"), ox.Literal("", language="en"), ox.Literal(""),
        ox.Literal("\\"), ox.Literal("tab\tend\t"), ox.Literal("1", datatype=dt("string")),
        ox.Literal("1.50", datatype=dt("decimal")), ox.Literal("5", datatype=dt("decimal")),
        ox.Literal("-.5", datatype=dt("decimal")), ox.Literal("abc", datatype=dt("decimal")),
        ox.Literal("-0012", datatype=dt("integer")), ox.Literal("+5", datatype=dt("integer")),
        ox.Literal("true", datatype=dt("boolean")), ox.Literal("0", datatype=dt("boolean")),
        ox.Literal("1.5E3", datatype=dt("double")), ox.Literal("NaN", datatype=dt("double")),
        ox.Literal("1e3", datatype=dt("float")), ox.Literal("2023-12", datatype=dt("gYearMonth")),
        ox.Literal("2023", datatype=dt("gYear")),
        ox.Literal("2023-11-30T10:00:00Z", datatype=dt("dateTime")),
        ox.Literal('x"', datatype=dt("urn:t")), ox.BlankNode("b1"), ox.NamedNode("urn:é%20x"),
    ]


def test_rows_read_from_the_tsv_text_are_the_terms_of_the_solutions() -> None:
    """A SELECT result is read from the TSV text Oxigraph writes (each term decoded in
    Rust); every term comes out as the term the solutions themselves convert to
    (kg.store.store.term_converter), unbound cells as None, for literals with escapes,
    languages and every kind of datatype."""
    from kg.store.store import _Solutions, term_converter

    store = ox.Store()
    terms = _odd_terms()
    for i, term in enumerate(terms):
        store.add(ox.Quad(ox.NamedNode(f"urn:s{i:02d}"), ox.NamedNode("urn:p"), term))
    sparql = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?s"
    convert = term_converter()
    expected = [tuple(map(convert, row)) for row in store.query(sparql)]
    found = _Solutions(store.query(sparql))
    rows = [tuple(r) for r in found]
    assert len(rows) == len(terms)
    assert [tuple(map(repr, r)) for r in rows] == [tuple(map(repr, r)) for r in expected]
    assert rows == expected and all(r[2] is None for r in rows)
    assert [str(v) for v in found.vars or []] == ["s", "o", "unbound"]
    assert found.bindings[0] == {k: v for k, v in zip(found.vars or [], rows[0], strict=True) if v is not None}
    first = next(iter(found))
    assert first.o == rows[0][1] and first["s"] == rows[0][0]  # type: ignore[attr-defined]
    none = _Solutions(store.query("SELECT * WHERE { }"))
    assert [tuple(r) for r in none] == [()]
    assert list(_Solutions(store.query("SELECT ?x WHERE { FILTER(false) }"))) == []


def test_the_store_is_compacted_after_several_bulk_loads(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Each bulk load adds files that span the whole key space: after COMPACT_AFTER_LOADS
    of them (counted in the manifest across writes) the store is compacted, and it holds
    the same graphs as before."""
    from rdflib import Literal, URIRef

    import kg.store.store as store_module

    calls: list[int] = []
    real = ox.Store

    class Counting:
        """pyoxigraph's store, counting its compactions."""

        def __init__(self, path: str) -> None:
            self.inner = real(path)

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

        def optimize(self) -> None:
            calls.append(1)
            self.inner.optimize()

    monkeypatch.setattr(store_module.ox, "Store", Counting)
    monkeypatch.setattr(store_module, "BULK_BYTES", 10)  # one bulk load per graph

    def graphs(n: int, version: str = "") -> list[tuple[URIRef, Graph]]:
        out = []
        for i in range(n):
            g = Graph()
            g.add((URIRef(f"urn:x:{i}"), URIRef("urn:x:p"), Literal(f"value {i}{version}")))
            out.append((URIRef(f"urn:x:g{i}"), g))
        return out

    store = tmp_path / "store"
    write_store(store, graphs(2))  # two loads: not yet
    assert calls == [] and read_manifest(store)["loads"] == 2
    write_store(store, graphs(2, version="b"))  # the update and two loads more
    assert calls == [1] and read_manifest(store)["loads"] == 0
    monkeypatch.setattr(store_module.ox, "Store", real)
    values = sorted(str(r[0]) for r in query(load_graph(store),  # type: ignore[index]
                                              "SELECT ?v WHERE { ?s <urn:x:p> ?v }"))
    assert values == ["value 0b", "value 1b"]
