"""The scorer itself, on graphs made from the gold annotation."""

from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from tests.gold_scoring import PROG, YB, Gold, format_scores, load_gold, score

YBR = "https://w3id.org/yibao-kg/id/"


def _node(kind: str, key: str) -> URIRef:
    return URIRef(f"{YBR}{kind}/{hashlib.sha256(key.encode()).hexdigest()[:12]}")


def graph_from_gold(gold: Gold, *, with_statements: bool = True) -> Graph:
    """A graph that states exactly the gold facts, as the contract shapes them."""
    g = Graph()
    reps: dict[str, URIRef] = {}
    for r in gold.reports:
        rep = _node("report", r.doc)
        reps[r.doc] = rep
        g.add((rep, RDF.type, YB.Report))
        g.add((rep, YB.sourceFile, Literal(f"{r.doc}.txt")))
        g.add((rep, DCTERMS.spatial, URIRef(f"{YBR}region/{r.region}")))
        g.add((rep, YB.reportKind, YB[r.kind]))
        if r.issued:
            g.add((rep, DCTERMS.issued, Literal(r.issued + ("-01" if len(r.issued) == 7 else ""))))
        if r.title:
            g.add((rep, DCTERMS.title, Literal(r.title, lang="zh")))
    for reg in gold.regions:
        node = URIRef(f"{YBR}region/{reg.code}")
        g.add((node, RDF.type, YB.Region))
        g.add((node, YB.adminCode, Literal(reg.code)))
        g.add((reps[reg.doc], YB.mentions, node))
    for prog in gold.programs:
        g.add((reps[prog.doc], YB.mentions, URIRef(PROG + prog.program)))
    for pol in gold.policies:
        d = _node("doc", pol.doc_number or pol.title or "")
        g.add((d, RDF.type, YB.PolicyDocument))
        if pol.title:
            g.add((d, DCTERMS.title, Literal(f"《{pol.title}》 ")))
        if pol.doc_number:
            g.add((d, YB.docNumber, Literal(pol.doc_number)))
        g.add((reps[pol.doc], DCTERMS.references, d))
    for rel in gold.relations:
        s, p, o = URIRef(f"{YBR}region/{rel.s}"), YB[rel.predicate], URIRef(PROG + rel.o)
        g.add((s, p, o))
        if with_statements:
            stmt = _node("statement", f"{rel.doc}{rel.s}{rel.predicate}{rel.o}")
            ev = _node("evidence", f"{rel.doc}{rel.text}")
            g.add((stmt, RDF.type, RDF.Statement))
            g.add((stmt, RDF.subject, s))
            g.add((stmt, RDF.predicate, p))
            g.add((stmt, RDF.object, o))
            g.add((stmt, YB.evidence, ev))
            g.add((ev, YB.source, reps[rel.doc]))
    return g


def test_gold_graph_scores_perfectly() -> None:
    gold = load_gold()
    scores = score(graph_from_gold(gold), gold)
    for s in scores.values():
        assert (s.precision, s.recall, s.fp, s.fn) == (1.0, 1.0, (), ()), s.explain()
    table = format_scores(scores)
    assert table.splitlines()[0].split() == ["type", "P", "R", "F1", "tp", "fp", "fn"]
    assert len(table.splitlines()) == len(scores) + 1


def test_empty_graph_misses_everything() -> None:
    gold = load_gold()
    scores = score(Graph(), gold)
    assert scores["region"].recall == 0.0 and scores["region"].precision == 1.0
    assert len(scores["policy"].fn) == len(gold.policies)
    assert len(scores["report.kind"].fn) == len(gold.reports)


def test_extra_and_missing_facts_are_listed() -> None:
    gold = load_gold()
    g = graph_from_gold(gold)
    doc = gold.reports[0].doc
    rep = next(iter(g.subjects(YB.sourceFile, Literal(f"{doc}.txt"))))
    extra = URIRef(f"{YBR}region/110000")
    g.add((extra, RDF.type, YB.Region))
    g.add((extra, YB.adminCode, Literal("110000")))
    g.add((rep, YB.mentions, extra))
    g.remove((rep, YB.mentions, URIRef(PROG + "DRG")))
    g.set((rep, DCTERMS.issued, Literal("1999")))
    scores = score(g, gold)
    assert scores["region"].fp == ((doc, "110000"),)
    assert scores["program"].fn == ((doc, "DRG"),)
    assert scores["report.issued"].fp == ((doc, "1999"),)
    assert "missed" in scores["program"].explain()


def test_relations_without_statements_fall_back_to_mentions() -> None:
    gold = load_gold()
    scores = score(graph_from_gold(gold, with_statements=False), gold)
    # every gold relation is still found; a subject mentioned by several
    # reports may then be credited to the others too
    assert scores["implements"].recall == 1.0
    assert scores["pilotOf"].recall == 1.0
