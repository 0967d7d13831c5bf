"""SHACL validation (kg.graph.validate): the seeds' graph conforms; breakages are named by path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.base.namespaces import DCTERMS, YB
from kg.graph.rdfgraph import GraphBuilder, new_graph, region_iri
from kg.graph.validate import ValidationReport, Violation, validate
from kg.run.build import BuildResult

YB_NS = str(YB)


@pytest.fixture(scope="module")
def report_graph(seeds_result: BuildResult) -> Graph:
    """The graph of one seed (the 遂宁 reply: regions, documents with 文号, statements)."""
    (report,) = [r for r in seeds_result.reports if r.document.stem.startswith("003_")]
    g = new_graph()
    GraphBuilder().add_report(g, report)
    return g


def copy(g: Graph) -> Graph:
    out = new_graph()
    for t in g:
        out.add(t)
    return out


def violations_at(report: ValidationReport, path: URIRef) -> list[Violation]:
    return [v for v in report.violations if v.path == str(path)]


def first(g: Graph, kind: URIRef, with_property: URIRef | None = None) -> URIRef:
    def candidates() -> Iterator[URIRef]:
        for s in sorted(g.subjects(RDF.type, kind)):
            if isinstance(s, URIRef) and (with_property is None or (s, with_property, None) in g):
                yield s
    return next(candidates())


# --- conforming graphs -----------------------------------------------------------------


@pytest.mark.slow
def test_seeds_graph_conforms(seeds_graph: Graph) -> None:
    report = validate(seeds_graph)
    assert report.conforms, report.text()
    assert report.violations == ()
    assert {w.severity for w in report.warnings} <= {"Warning", "Info"}


@pytest.mark.slow
def test_one_report_conforms(report_graph: Graph) -> None:
    report = validate(report_graph)
    assert report.conforms, report.text()
    # the graph is not trivial: the shapes below have something to check
    assert (None, YB.docNumber, None) in report_graph
    assert (None, RDF.type, RDF.Statement) in report_graph
    assert (None, YB.adminCode, None) in report_graph


# --- breakages ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("number", ["遂人社办发2013第108号", "遂人社办发〔13〕108号",
                                    "遂人社办发〔2013〕108", "〔2013〕108号"])
def test_malformed_doc_number(report_graph: Graph, number: str) -> None:
    g = copy(report_graph)
    doc = first(g, YB.PolicyDocument, YB.docNumber)
    g.set((doc, YB.docNumber, Literal(number)))
    report = validate(g)
    assert not report.conforms
    found = violations_at(report, YB.docNumber)
    assert [v.focus for v in found] == [str(doc)]
    assert "docNumber" in found[0].message


@pytest.mark.slow
def test_two_doc_numbers_on_one_document(report_graph: Graph) -> None:
    g = copy(report_graph)
    doc = first(g, YB.PolicyDocument, YB.docNumber)
    g.add((doc, YB.docNumber, Literal("川医保发〔2019〕1号")))
    assert [v.focus for v in violations_at(validate(g), YB.docNumber)] == [str(doc)]


@pytest.mark.slow
def test_region_without_admin_code(report_graph: Graph) -> None:
    g = copy(report_graph)
    region = region_iri("510900")
    assert (region, YB.adminCode, Literal("510900")) in g
    g.remove((region, YB.adminCode, None))
    report = validate(g)
    assert not report.conforms
    assert [v.focus for v in violations_at(report, YB.adminCode)] == [str(region)]


@pytest.mark.slow
def test_region_with_a_short_admin_code(report_graph: Graph) -> None:
    g = copy(report_graph)
    region = region_iri("510900")
    g.set((region, YB.adminCode, Literal("5109")))
    report = validate(g)
    assert str(region) in [v.focus for v in violations_at(report, YB.adminCode)]


@pytest.mark.slow
def test_statement_without_evidence(report_graph: Graph) -> None:
    g = copy(report_graph)
    stmt = first(g, RDF.Statement)
    g.remove((stmt, YB.evidence, None))
    report = validate(g)
    assert not report.conforms
    found = violations_at(report, YB.evidence)
    assert [v.focus for v in found] == [str(stmt)]
    assert all(v.severity == "Violation" for v in found)


@pytest.mark.slow
def test_evidence_with_start_not_before_end(report_graph: Graph) -> None:
    g = copy(report_graph)
    ev = first(g, YB.Evidence)
    end = g.value(ev, YB.end)
    g.set((ev, YB.start, Literal(int(end))))
    assert str(ev) in [v.focus for v in violations_at(validate(g), YB.start)]


@pytest.mark.slow
def test_report_with_two_kinds(report_graph: Graph) -> None:
    g = copy(report_graph)
    rep = first(g, YB.Report)
    g.add((rep, YB.reportKind, YB.News))
    assert [v.focus for v in violations_at(validate(g), YB.reportKind)] == [str(rep)]


@pytest.mark.slow
def test_missing_title_is_only_a_warning(report_graph: Graph) -> None:
    g = copy(report_graph)
    rep = first(g, YB.Report)
    g.remove((rep, DCTERMS.title, None))
    report = validate(g)
    assert report.conforms
    assert [w.path for w in report.warnings if w.focus == str(rep)
            and w.path == str(DCTERMS.title)] == [str(DCTERMS.title)]


@pytest.mark.slow
def test_report_text_lists_violations_first(report_graph: Graph) -> None:
    g = copy(report_graph)
    rep = first(g, YB.Report)
    g.remove((rep, DCTERMS.title, None))
    g.remove((region_iri("510900"), YB.adminCode, None))
    text = validate(g).text()
    lines = text.splitlines()
    assert lines[0].startswith("does NOT conform: ")
    assert "violation(s)" in lines[0] and "warning(s)" in lines[0]
    severities = [line.split("]")[0].strip(" [") for line in lines[1:]]
    assert severities == sorted(severities, key=lambda s: s != "Violation")
    assert any(f"{region_iri('510900')} {YB_NS}adminCode" in line for line in lines)


@pytest.mark.slow
def test_empty_graph_conforms() -> None:
    report = validate(Graph())
    assert report.conforms
    assert report.text().startswith("conforms")


# --- a large graph is validated in parts, with the whole graph's findings ----------------


def _broken_seeds(seeds_graph: Graph) -> Graph:
    """The seeds' graph with a fault of each kind the shapes catch: a node's own
    triples, its values' types, a region's IRI against its code (one SPARQL query over
    all regions), a statement whose triple is missing (one over all statements), a
    Chinese label given to two concepts (one over a scheme), evidence offsets."""
    from rdflib.namespace import SKOS

    from kg.base.namespaces import PROG

    g = copy(seeds_graph)
    obs = first(g, YB.Observation, YB.unit)
    g.remove((obs, YB.unit, None))  # required value missing
    g.add((first(g, YB.Observation, YB.evidence), YB.evidence, region_iri("510900")))  # class
    doc = first(g, YB.PolicyDocument, YB.docNumber)
    g.add((doc, YB.docNumber, Literal("川医保发〔2019〕1号")))  # maxCount
    g.set((region_iri("320412"), YB.adminCode, Literal("320411")))  # IRI != code
    stmt = first(g, RDF.Statement)
    s, p, o = (g.value(stmt, RDF.subject), g.value(stmt, RDF.predicate), g.value(stmt, RDF.object))
    g.remove((s, p, o))  # the statement's triple is gone
    ev = first(g, YB.Evidence)
    g.set((ev, YB.start, Literal(int(g.value(ev, YB.end)))))
    g.add((PROG.DRG, SKOS.altLabel, Literal("按病种分值付费", lang="zh")))  # DIP's label
    return g


@pytest.mark.slow
def test_parts_find_what_the_whole_graph_run_finds(seeds_graph: Graph) -> None:
    broken = _broken_seeds(seeds_graph)
    whole = validate(broken)
    assert len(whole.violations) >= 7 and not whole.conforms
    assert {v.path.rsplit("#", 1)[-1] for v in whole.violations} >= {
        "unit", "evidence", "docNumber", "adminCode", "start"}
    assert any("used by two concepts" in v.message for v in whole.violations)
    assert any("not in the graph" in v.message for v in whole.violations)
    in_parts = validate(broken, whole_max=0, part_subjects=400)
    assert in_parts == whole
    assert validate(broken, jobs=2, whole_max=0, part_subjects=400) == whole
    assert validate(seeds_graph, whole_max=0, part_subjects=400) == validate(seeds_graph)


def test_parts_cover_every_subject_once(seeds_graph: Graph) -> None:
    from kg.base.ontology import shapes_graph
    from kg.graph.validate import context_predicates, graph_terms, index, part_text, parts

    reads = context_predicates(shapes_graph())
    nodes = index(graph_terms(seeds_graph), frozenset().union(*reads))
    assert len(seeds_graph) == sum(n.lines.count(b"\n") + 1 for n in nodes.values())
    found = parts(nodes, size=300)
    flat = [s for part in found for s in part]
    assert sorted(flat) == sorted(nodes) and len(flat) == len(set(flat))
    assert all(not s.startswith("<https://w3id.org/yibao-kg/id/") for s in found[0])
    text, around = part_text(nodes, found[3], reads)
    lines = set(text.split("\n"))
    assert all(line in lines for s in found[3]
               for line in nodes[s].lines.decode("utf-8").split("\n"))
    assert around and not around & set(found[3])
    # of the nodes around the part, only what the shapes read of them comes along
    near = {line.split(" ", 2)[1] for line in lines
            if line.split(" ", 1)[0] in around}
    assert near and near <= set().union(*reads)


def test_what_the_shapes_read_around_a_node() -> None:
    """A value's type (sh:class), a concept's scheme (sh:node of a concept shape), a
    parent region's level (sh:node inside sh:or): read one step away, nothing further."""
    from kg.base.namespaces import SKOS
    from kg.base.ontology import shapes_graph
    from kg.graph.validate import context_predicates

    reads = context_predicates(shapes_graph())
    assert reads == (frozenset({RDF.type.n3(), SKOS.inScheme.n3(), YB.adminLevel.n3()}),)


def test_a_statement_brings_the_triple_it_describes(seeds_graph: Graph) -> None:
    from kg.graph.validate import graph_terms, index, part_text

    nodes = index(graph_terms(seeds_graph), frozenset())
    stmt = first(seeds_graph, RDF.Statement).n3()
    described = nodes[stmt].describes
    assert described is not None and described.startswith(
        seeds_graph.value(URIRef(stmt[1:-1]), RDF.subject).n3())
    text, _ = part_text(nodes, [stmt], ())
    assert described in text.split("\n")


def test_a_graph_file_is_validated_as_its_graph(seeds_graph: Graph, tmp_path: Path) -> None:
    """The file read as a stream gives the findings of its rdflib graph, whole and in
    parts; a file that does not parse is named."""
    from kg.base.errors import GraphLoadError
    from kg.graph.serialize import write_graph
    from kg.graph.validate import validate_file

    broken = copy(seeds_graph)
    broken.remove((first(broken, YB.Observation, YB.unit), YB.unit, None))
    path = tmp_path / "broken.ttl"
    write_graph(broken, path)
    whole = validate(broken, engine="rudof")
    assert not whole.conforms
    assert validate_file(path, engine="rudof") == whole
    assert validate_file(path, whole_max=0, part_subjects=500, engine="rudof") == whole
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .", encoding="utf-8")
    with pytest.raises(GraphLoadError, match=r"bad\.ttl"):
        validate_file(bad)


# --- the fast engine (pyrudof) -------------------------------------------------------------


def _faulty(report_graph: Graph) -> dict[str, Graph]:
    """The report's graph with one fault planted in each copy."""
    faults: dict[str, Graph] = {}
    g = copy(report_graph)
    g.set((first(g, YB.PolicyDocument, YB.docNumber), YB.docNumber, Literal("〔2013〕108号")))
    faults["doc number"] = g
    g = copy(report_graph)
    g.remove((first(g, RDF.Statement), YB.evidence, None))
    faults["statement without evidence"] = g
    g = copy(report_graph)
    g.remove((region_iri("510900"), YB.adminCode, None))
    faults["region without code"] = g
    g = copy(report_graph)
    ev = first(g, YB.Evidence)
    g.set((ev, YB.start, Literal(int(g.value(ev, YB.end)))))
    faults["evidence start"] = g
    g = copy(report_graph)
    g.add((first(g, YB.Observation), YB.value, Literal("123")))
    faults["two values"] = g
    return faults


def _found(report: ValidationReport) -> set[tuple[str, str, str]]:
    return {(v.severity, v.focus, v.path) for v in report.results}


@pytest.mark.slow
def test_rudof_finds_what_pyshacl_finds(seeds_graph: Graph, report_graph: Graph) -> None:
    """The same results (severity, node, property); the words may be rudof's own where
    a shape's message is not carried (sh:lessThan)."""
    assert validate(seeds_graph, engine="rudof") == validate(seeds_graph)
    for name, g in _faulty(report_graph).items():
        fast, slow = validate(g, engine="rudof"), validate(g)
        assert not fast.conforms, name
        assert _found(fast) == _found(slow), name


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown SHACL engine"):
        validate(Graph(), engine="topbraid")


@pytest.mark.slow
def test_kg_validate_with_the_fast_engine(seeds_graph: Graph, tmp_path: Path) -> None:
    from kg.cli import main
    from kg.graph.serialize import write_graph

    path = tmp_path / "seeds.ttl"
    write_graph(seeds_graph, path)
    assert main(["validate", str(path), "--engine", "rudof"]) == 0


@pytest.mark.slow
def test_rudof_in_parts_finds_what_pyshacl_finds(seeds_graph: Graph) -> None:
    broken = _broken_seeds(seeds_graph)
    whole = validate(broken)
    fast = validate(broken, jobs=2, whole_max=0, part_subjects=400, engine="rudof")
    assert _found(fast) == _found(whole)


@pytest.mark.slow
def test_kg_validate_uses_the_fast_engine_where_installed(
        seeds_graph: Graph, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main
    from kg.graph.serialize import write_graph

    pytest.importorskip("pyrudof")
    broken = copy(seeds_graph)
    broken.remove((first(broken, YB.Observation, YB.unit), YB.unit, None))
    path = tmp_path / "broken.ttl"
    write_graph(broken, path)
    assert main(["validate", str(path), "--limit", "500"]) == 1
    default = capsys.readouterr().out
    assert main(["validate", str(path), "--limit", "500", "--engine", "rudof"]) == 1
    assert capsys.readouterr().out == default
    assert main(["validate", str(path), "--limit", "500", "--engine", "pyshacl"]) == 1
    slow = capsys.readouterr().out
    assert default.splitlines()[0] == slow.splitlines()[0]  # the same counts


def test_parts_show_their_progress(seeds_graph: Graph) -> None:
    from kg.graph.validate import validate

    seen: list[int] = []

    def progress(items, total):  # type: ignore[no-untyped-def]
        for item in items:
            seen.append(total)
            yield item

    validate(seeds_graph, whole_max=0, part_subjects=500, engine="rudof", progress=progress)
    assert len(seen) == seen[0] >= 3


def test_shapes_that_read_beyond_a_part_are_refused() -> None:
    """A path of several steps, or nodes targeted where they are pointed at, cannot be
    validated in parts: the function that works out a part's context says so."""
    from kg.base.ontology import shapes_graph
    from kg.graph.validate import context_predicates

    two_steps = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> sh:targetClass <urn:C> ;
            sh:property [ sh:path ( <urn:p> <urn:q> ) ; sh:minCount 1 ] .""", format="turtle")
    with pytest.raises(ValueError, match="several steps"):
        context_predicates(two_steps)
    objects = copy(shapes_graph())
    objects.add((URIRef("urn:s"), URIRef("http://www.w3.org/ns/shacl#targetObjectsOf"),
                 YB.partOf))
    with pytest.raises(ValueError, match="targetObjectsOf"):
        context_predicates(objects)
