"""SPARQL (kg.use.sparql): predeclared prefixes, bound parameters, result formats, errors."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from kg.base.errors import GraphLoadError, QueryError
from kg.base.namespaces import PROG, RDFS, YB
from kg.graph.rdfgraph import PREFIXES, GraphBuilder, new_graph, region_iri
from kg.graph.serialize import serialize
from kg.use.sparql import format_result, load_graph, query, term_text, with_prefixes

# --- a small graph ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    """甘肃: 临夏县 and 甘州区 with their parents; 临夏县 implements DRG, 甘州区 DIP."""
    g = new_graph()
    builder = GraphBuilder()
    for code in ("622921", "620702"):
        builder.add_region(g, code)
    g.add((region_iri("622921"), YB.implements, PROG.DRG))
    g.add((region_iri("620702"), YB.implements, PROG.DIP))
    return g


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


# --- prefixes ----------------------------------------------------------------------------


def test_project_prefixes_need_no_declaration(graph: Graph) -> None:
    rows = query(graph, """
        SELECT ?label WHERE {
            ?r yb:implements prog:DRG ; rdfs:label ?label ; yb:partOf/yb:partOf ?p .
            ?p yb:adminLevel yb:Province .
        }""")
    assert [str(r[0]) for r in rows] == ["临夏县"]


def test_every_prefix_is_declared_once() -> None:
    text = with_prefixes("SELECT * WHERE { ?s ?p ?o }")
    for prefix, ns in PREFIXES.items():
        assert text.count(f"PREFIX {prefix}: <{ns}>") == 1
    assert text.endswith("SELECT * WHERE { ?s ?p ?o }")


def test_a_prefix_the_query_declares_is_not_declared_again(graph: Graph) -> None:
    sparql = "PREFIX yb: <http://example.org/other#>\nSELECT ?r WHERE { ?r yb:implements ?p }"
    text = with_prefixes(sparql)
    assert text.count("PREFIX yb:") == 1
    assert list(query(graph, sparql)) == []  # yb: is the query's own namespace here


def test_unknown_prefix_is_a_query_error(graph: Graph) -> None:
    with pytest.raises(QueryError):
        query(graph, "SELECT ?r WHERE { ?r foo:bar ?x }")


# --- parameters -----------------------------------------------------------------------------


def test_parameters_are_bound_as_terms(graph: Graph) -> None:
    rows = query(graph, "SELECT ?r WHERE { ?r yb:adminCode ?code }",
                 {"code": Literal("620702")})
    assert [r[0] for r in rows] == [region_iri("620702")]
    rows = query(graph, "SELECT ?label WHERE { ?r rdfs:label ?label }",
                 {"r": region_iri("622900")})
    assert [str(r[0]) for r in rows] == ["临夏回族自治州"]


@pytest.mark.parametrize("value", ['"} UNION { ?r ?p ?code } #', "' } ; DROP ALL ; #",
                                   '620702" || "1" = "1'])
def test_a_value_with_sparql_syntax_is_only_a_literal(graph: Graph, value: str) -> None:
    rows = query(graph, "SELECT ?r WHERE { ?r yb:adminCode ?code }", {"code": Literal(value)})
    assert list(rows) == []
    assert len(graph) > 0 and (None, YB.adminCode, Literal("620702")) in graph


def test_a_literal_with_sparql_syntax_matches_itself_exactly() -> None:
    g = new_graph()
    odd = '"} UNION { ?s ?p ?o } #'
    g.add((URIRef("https://w3id.org/yibao-kg/id/document/t-1"), RDFS.label, Literal(odd)))
    g.add((URIRef("https://w3id.org/yibao-kg/id/document/t-2"), RDFS.label, Literal("其他")))
    rows = query(g, "SELECT ?d WHERE { ?d rdfs:label ?v }", {"v": Literal(odd)})
    assert [str(r[0]) for r in rows] == ["https://w3id.org/yibao-kg/id/document/t-1"]


# --- formats -----------------------------------------------------------------------------------

LABELS = "SELECT ?r ?label WHERE { ?r rdfs:label ?label ; yb:implements ?p } ORDER BY ?r"


def test_table_aligns_cjk_columns(graph: Graph) -> None:
    text = format_result(query(graph, LABELS), "table")
    lines = text.splitlines()
    assert lines[0].split(" | ")[0].rstrip() == "r"
    assert lines[1].startswith("-") and set(lines[1]) <= {"-", "+"}
    assert lines[2:4] == ["<https://w3id.org/yibao-kg/id/region/620702> | 甘州区", "<https://w3id.org/yibao-kg/id/region/622921> | 临夏县"]
    assert lines[-1] == "(2 rows)"
    # every line of the table has the same display width, whatever its characters
    widths = {display_width(line) for line in lines[:-1]}
    assert widths == {len("<https://w3id.org/yibao-kg/id/region/620702> | ") + 6}
    # the column separator stands in the same display column on every line
    cols = {display_width(line.split("|")[0]) for line in lines[:-1] if "|" in line}
    cols.add(display_width(lines[1].split("+")[0]))
    assert len(cols) == 1


def test_table_pads_a_wide_header_over_narrow_values(graph: Graph) -> None:
    text = format_result(query(
        graph, "SELECT (?code AS ?行政区划代码) WHERE { ?r yb:adminCode ?code } ORDER BY ?code LIMIT 1"),
        "table")
    lines = text.splitlines()
    assert lines == ["行政区划代码", "-" * 12, "100000      ", "(1 row)"]


def test_table_of_no_rows(graph: Graph) -> None:
    text = format_result(query(graph, "SELECT ?r WHERE { ?r yb:pilotOf ?p }"), "table")
    assert text.splitlines()[-1] == "(0 rows)"


def test_unbound_cells_are_empty(graph: Graph) -> None:
    text = format_result(query(graph, """
        SELECT ?label ?p WHERE { ?r rdfs:label ?label ; yb:adminLevel yb:Province
                                 OPTIONAL { ?r yb:implements ?p } }"""), "csv")
    assert list(csv.reader(io.StringIO(text))) == [["label", "p"], ["甘肃省", ""]]


def test_csv_is_sparql_csv_with_full_iris(graph: Graph) -> None:
    text = format_result(query(graph, LABELS.replace("?label WHERE", "?label ?p WHERE")), "csv")
    assert text.startswith("r,label,p\r\n")  # SPARQL 1.1 CSV: CRLF line ends
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["r", "label", "p"],
        ["https://w3id.org/yibao-kg/id/region/620702", "甘州区",
         "https://w3id.org/yibao-kg/program/DIP"],
        ["https://w3id.org/yibao-kg/id/region/622921", "临夏县",
         "https://w3id.org/yibao-kg/program/DRG"],
    ]


def test_short_csv_has_the_tables_names(graph: Graph) -> None:
    text = format_result(query(graph, LABELS.replace("?label WHERE", "?label ?p WHERE")), "csv",
                         short=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["r", "label", "p"],
        ["<https://w3id.org/yibao-kg/id/region/620702>", "甘州区", "prog:DIP"],
        ["<https://w3id.org/yibao-kg/id/region/622921>", "临夏县", "prog:DRG"],
    ]


def test_printed_iris_paste_back_into_sparql(graph: Graph) -> None:
    """Every IRI cell of a table is valid SPARQL: pasted into a query it finds its node."""
    rows = query(graph, "SELECT DISTINCT ?x WHERE { ?x ?p ?o FILTER(isIRI(?x)) }")
    for (node,) in rows:  # type: ignore[misc]
        cell = term_text(node)
        found = list(query(graph, f"SELECT ?p WHERE {{ {cell} ?p ?o }} LIMIT 1"))
        assert found, cell


def test_csv_quotes_commas() -> None:
    g = new_graph()
    g.add((region_iri("620702"), RDFS.label, Literal("甘州区，张掖市, 甘肃省")))
    text = format_result(query(g, "SELECT ?l WHERE { ?r rdfs:label ?l }"), "csv")
    assert text == 'l\r\n"甘州区，张掖市, 甘肃省"\r\n'


def test_json(graph: Graph) -> None:
    data = json.loads(format_result(query(graph, LABELS), "json"))
    assert data["head"]["vars"] == ["r", "label"]
    assert data["results"]["bindings"][0] == {
        "r": {"type": "uri", "value": "https://w3id.org/yibao-kg/id/region/620702"},
        "label": {"type": "literal", "value": "甘州区", "xml:lang": "zh"},
    }


def test_ask(graph: Graph) -> None:
    yes = "ASK { ?r yb:implements prog:DRG }"
    no = "ASK { ?r yb:implements prog:LongTermCareInsurance }"
    assert format_result(query(graph, yes), "table") == "true"
    assert format_result(query(graph, no), "table") == "false"
    assert json.loads(format_result(query(graph, yes), "json")) == {"boolean": True}


def test_construct_gives_turtle(graph: Graph) -> None:
    text = format_result(query(graph, """
        CONSTRUCT { ?r yb:implements ?p } WHERE { ?r yb:implements ?p }"""))
    back = Graph().parse(data=text, format="turtle")
    assert set(back) == set(graph.triples((None, YB.implements, None)))


def test_term_text() -> None:
    assert term_text(None) == ""
    assert term_text(PROG.DRG) == "prog:DRG"
    assert term_text(region_iri("620702")) == "<https://w3id.org/yibao-kg/id/region/620702>"
    assert term_text(YB.implements) == "yb:implements"
    assert term_text(URIRef("http://example.org/x")) == "<http://example.org/x>"
    assert term_text(Literal("临夏县", lang="zh")) == "临夏县"


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sparql", ["SELECT ?x WHERE { ?x ", "SELEKT * WHERE { ?s ?p ?o }",
                                    "SELECT ?x WHERE { ?x yb:implements }"])
def test_malformed_query_is_a_query_error(graph: Graph, sparql: str) -> None:
    with pytest.raises(QueryError) as info:
        query(graph, sparql)
    message = str(info.value)
    assert message.startswith("SPARQL error")
    assert "\n" not in message


# --- loading ----------------------------------------------------------------------------------------


def test_load_turtle_and_trig(tmp_path: Path, graph: Graph) -> None:
    ttl = tmp_path / "g.ttl"
    ttl.write_bytes(serialize(graph, "turtle"))
    loaded = load_graph(ttl)
    assert set(loaded) == set(graph)
    ds = Dataset(default_union=True)
    named = ds.graph(URIRef("https://w3id.org/yibao-kg/id/report/0f0f0f0f0f0f0f0f"))
    for t in graph:
        named.add(t)
    trig = tmp_path / "g.trig"
    trig.write_bytes(serialize(ds, "trig"))
    loaded_ds = load_graph(trig)
    assert isinstance(loaded_ds, Dataset)
    rows = query(loaded_ds, "SELECT ?r WHERE { ?r yb:implements prog:DIP }")
    assert [r[0] for r in rows] == [region_iri("620702")]


def test_missing_graph_file(tmp_path: Path) -> None:
    path = tmp_path / "none.ttl"
    with pytest.raises(GraphLoadError, match=r"none\.ttl"):
        load_graph(path)


def test_a_folder_is_not_a_graph_file(tmp_path: Path) -> None:
    with pytest.raises(GraphLoadError):
        load_graph(tmp_path)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bad.ttl", '@prefix yb: <https://w3id.org/yibao-kg/ontology#> .\nyb:a yb:b "open .\n'),
        ("bad.nt", "<a> <b> <c> <d> <e> .\n"),
        ("bad.jsonld", '{"@id": '),
        ("bad.trig", "<http://example.org/g> { <http://example.org/a> <http://example.org/b> "),
        ("gbk.ttl", "临夏县".encode("gbk")),
    ],
)
def test_unparseable_graph_file(tmp_path: Path, name: str, data: str | bytes) -> None:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    with pytest.raises(GraphLoadError) as info:
        load_graph(path)
    assert str(info.value).startswith(f"{path}: cannot parse")


def test_a_parse_error_fits_on_one_line(tmp_path: Path) -> None:
    # kg.base.errors: every error carries a message that fits on one line (the CLI prints it)
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix yb: <https://w3id.org/yibao-kg/ontology#> .\nyb:a yb:b yb:c yb:d .\n",
                    encoding="utf-8")
    with pytest.raises(GraphLoadError) as info:
        load_graph(path)
    message = str(info.value)
    assert message.startswith(f"{path}: cannot parse as turtle")
    assert "\n" not in message
