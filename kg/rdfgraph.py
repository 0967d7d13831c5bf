"""Linked records → rdflib graph, following the contract of SPEC section 3.

IRIs come from content, never from counters: ``ybr:report/{sha256[:16]}`` of
the file's bytes, ``ybr:region/{GB/T 2260 code}``, ``ybr:document/{文号}`` (or
a hash of the normalised title), evidence and statements from the report's
hash and the phrase's offsets. The same inputs therefore always give the
same triples, and the same entity in two reports is one node.

    >>> from kg.rdfgraph import region_iri
    >>> str(region_iri("320412"))
    'https://w3id.org/yibao-kg/id/region/320412'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.namespaces import DCTERMS, IND, INS, ORG, PROG, YB, YBR, YBU
from kg.records import (
    Evidence,
    LinkedAgency,
    LinkedCitation,
    LinkedObservation,
    LinkedReport,
    Relation,
)
from kg.regions import Gazetteer, gazetteer

PREFIXES = {
    "yb": str(YB),
    "ybr": str(YBR),
    "prog": "https://w3id.org/yibao-kg/program/",
    "ind": "https://w3id.org/yibao-kg/indicator/",
    "ins": "https://w3id.org/yibao-kg/insurance/",
    "ybu": "https://w3id.org/yibao-kg/unit/",
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "xsd": str(XSD),
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
}

#: Relation names whose property is not in ``yb:``.
PREDICATES = {
    "creator": DCTERMS.creator,
    "subOrganizationOf": ORG.subOrganizationOf,
}

#: Characters that may not stand in an IRI and are replaced in readable keys.
_IRI_UNSAFE = str.maketrans({c: "_" for c in ' <>"{}|\\^`#?%/\t\n\r'})


def _digest(*parts: str, n: int = 16) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:n]


def report_iri(sha256: str) -> URIRef:
    """The report's IRI, from the hash of its bytes."""
    return YBR[f"report/{sha256[:16]}"]


def region_iri(code: str) -> URIRef:
    """``ybr:region/{code}``."""
    return YBR[f"region/{code}"]


def document_iri(key: str) -> URIRef:
    """A cited document's IRI: readable for a 文号, a hash for a title."""
    kind, _, value = key.partition(":")
    if kind == "number":
        return YBR[f"document/{value.translate(_IRI_UNSAFE)}"]
    return YBR[f"document/t-{_digest(value)}"]


def agency_iri(name: str) -> URIRef:
    """``ybr:agency/{full official name}``: the same body in any report is one node.

        >>> str(agency_iri("常州市医疗保障局"))
        'https://w3id.org/yibao-kg/id/agency/常州市医疗保障局'
    """
    return YBR[f"agency/{name.translate(_IRI_UNSAFE)}"]


def program_iri(name: str) -> URIRef:
    """``prog:{name}``."""
    return PROG[name]


def entity_iri(key: str) -> URIRef:
    """The IRI of a relation's ``kind:value`` key."""
    kind, _, value = key.partition(":")
    if kind == "region":
        return region_iri(value)
    if kind == "program":
        return program_iri(value)
    if kind in ("number", "title"):
        return document_iri(key)
    if kind == "document":
        return document_iri(value)
    if kind == "agency":
        return agency_iri(value)
    raise ValueError(f"unknown entity key {key!r}")


def _decimal(value: Decimal) -> str:
    """A decimal's canonical XSD lexical form: no exponent, no trailing zeros, one
    digit after the point at least (100.020 → 100.02; 596 → 596.0), as Turtle writes it."""
    text = format(value.normalize(), "f")
    if text == "-0":
        text = "0"
    return text if "." in text else f"{text}.0"


def _date_literal(value: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=datatype)


class GraphBuilder:
    """Adds linked reports to one graph (or one named graph per report)."""

    def __init__(self, gaz: Gazetteer | None = None) -> None:
        self.gaz = gaz or gazetteer()

    def add_report(self, g: Graph, report: LinkedReport) -> None:
        """Add one report's triples to ``g``."""
        doc = report.document
        rep = report_iri(doc.sha256)
        g.add((rep, RDF.type, YB.Report))
        g.add((rep, YB.sourceFile, Literal(doc.source_file)))
        g.add((rep, YB.sha256, Literal(doc.sha256)))
        g.add((rep, YB.reportKind, YB[report.kind]))
        if doc.title:
            g.add((rep, DCTERMS.title, Literal(doc.title, lang="zh")))
        if report.issued:
            g.add((rep, DCTERMS.issued, _date_literal(report.issued)))
        source = doc.header_value("source")
        if source:
            g.add((rep, YB.headerSource, Literal(source, lang="zh")))
        codes = {r.code for r in report.regions}
        if report.home_region:
            g.add((rep, DCTERMS.spatial, region_iri(report.home_region)))
            codes.add(report.home_region)
        for code in sorted(codes):
            g.add((rep, YB.mentions, region_iri(code)))
            self.add_region(g, code)
        for name in report.programs:
            g.add((rep, YB.mentions, program_iri(name)))
        for a in report.agencies:
            self.add_agency(g, a)
            g.add((rep, YB.mentions, agency_iri(a.name)))
            if a.jurisdiction:
                self.add_region(g, a.jurisdiction)
        for o in report.organizations:
            node = YBR[f"organization/{o.name.translate(_IRI_UNSAFE)}"]
            g.add((node, RDF.type, YB.Organization))
            g.add((node, RDFS.label, Literal(o.name, lang="zh")))
            g.add((node, YB.orgType, Literal(o.org_type)))
            if o.located_in:
                g.add((node, YB.locatedIn, region_iri(o.located_in)))
                self.add_region(g, o.located_in)
            g.add((rep, YB.mentions, node))
        for p in report.persons:
            node = YBR[f"person/{_digest(p.name, p.member_or_home(report.home_region))}"]
            g.add((node, RDF.type, YB.Person))
            g.add((node, RDFS.label, Literal(p.name, lang="zh")))
            g.add((node, YB.role, Literal(p.role, lang="zh")))
            if p.member_of:
                g.add((node, YB.memberOf, agency_iri(p.member_of)))
            g.add((rep, YB.mentions, node))
        if report.publisher:
            g.add((rep, DCTERMS.publisher, agency_iri(report.publisher)))
        for c in report.citations:
            self.add_citation(g, rep, c)
            for name in c.creators:
                self.add_relation(g, rep, doc.sha256, Relation(
                    f"document:{c.key}", "creator", f"agency:{name}", c.evidence))
        for rel in report.relations:
            self.add_relation(g, rep, doc.sha256, rel)
        for obs in report.observations:
            self.add_observation(g, rep, doc.sha256, obs)
            self.add_region(g, obs.region)

    def add_region(self, g: Graph, code: str) -> None:
        """A region with its level, labels and ``yb:partOf`` chain up to China."""
        while code:
            region = self.gaz.get(code)
            node = region_iri(code)
            if (node, RDF.type, YB.Region) in g:
                return
            g.add((node, RDF.type, YB.Region))
            g.add((node, YB.adminCode, Literal(code)))
            g.add((node, YB.adminLevel, YB[region.level]))
            g.add((node, RDFS.label, Literal(region.name, lang="zh")))
            for short in region.short_names:
                g.add((node, SKOS.altLabel, Literal(short, lang="zh")))
            if region.parent is None:
                return
            g.add((node, YB.partOf, region_iri(region.parent)))
            code = region.parent

    def add_agency(self, g: Graph, a: LinkedAgency) -> None:
        """A ``yb:Agency``: full name, type, jurisdiction (relations come from the report)."""
        node = agency_iri(a.name)
        g.add((node, RDF.type, YB.Agency))
        g.add((node, RDFS.label, Literal(a.name, lang="zh")))
        g.add((node, YB.agencyType, YB[a.agency_type]))
        if a.jurisdiction:
            g.add((node, YB.jurisdiction, region_iri(a.jurisdiction)))

    def add_citation(self, g: Graph, rep: URIRef, c: LinkedCitation) -> None:
        """A cited document, referenced by the report."""
        node = document_iri(c.key)
        g.add((node, RDF.type, YB.PolicyDocument))
        if c.title:
            g.add((node, DCTERMS.title, Literal(c.title, lang="zh")))
        if c.doc_number:
            g.add((node, YB.docNumber, Literal(c.doc_number)))
            year = c.doc_number.split("〔", 1)[1][:4]
            g.add((node, DCTERMS.issued, Literal(year, datatype=XSD.gYear)))
        g.add((rep, DCTERMS.references, node))
        g.add((rep, YB.mentions, node))

    def add_evidence(self, g: Graph, rep: URIRef, sha256: str, ev: Evidence) -> URIRef:
        """An evidence node: the sentence and the phrase's offsets."""
        node = YBR[f"evidence/{sha256[:16]}/{ev.start}-{ev.end}"]
        g.add((node, RDF.type, YB.Evidence))
        g.add((node, YB.text, Literal(ev.sentence, lang="zh")))
        g.add((node, YB.start, Literal(ev.start)))
        g.add((node, YB.end, Literal(ev.end)))
        g.add((node, YB.source, rep))
        return node

    def add_observation(self, g: Graph, rep: URIRef, sha256: str, obs: LinkedObservation) -> None:
        """A ``yb:Observation`` with every field of the contract and its evidence."""
        m = obs.mention
        node = YBR[f"observation/{sha256[:16]}/{m.start}-{m.end}-{_digest(m.measure, n=6)}"]
        g.add((node, RDF.type, YB.Observation))
        g.add((node, YB.indicator, IND[m.indicator]))
        g.add((node, YB.measureLabel, Literal(m.measure, lang="zh")))
        g.add((node, YB.value, Literal(_decimal(m.value), datatype=XSD.decimal)))
        g.add((node, YB.unit, YBU[m.unit]))
        g.add((node, YB.region, region_iri(obs.region)))
        if m.period:
            g.add((node, YB.period, _date_literal(m.period)))
        if m.period_start:
            g.add((node, YB.periodStart, _date_literal(m.period_start)))
        g.add((node, YB.status, YB[m.status]))
        g.add((node, YB.valueType, YB[m.value_type]))
        if m.insurance:
            g.add((node, YB.insurance, INS[m.insurance]))
        if m.program:
            g.add((node, YB.program, PROG[m.program]))
        if m.approximation:
            g.add((node, YB.approximation, YB[m.approximation]))
        g.add((node, YB.source, rep))
        g.add((node, YB.evidence, self.add_evidence(g, rep, sha256, obs.evidence)))

    def add_relation(self, g: Graph, rep: URIRef, sha256: str, rel: Relation) -> None:
        """The triple, and an ``rdf:Statement`` that carries its evidence."""
        p = PREDICATES[rel.predicate] if rel.predicate in PREDICATES else YB[rel.predicate]
        s, o = entity_iri(rel.subject), entity_iri(rel.obj)
        g.add((s, p, o))
        stmt = YBR[f"statement/{_digest(str(s), str(p), str(o), sha256, str(rel.evidence.start))}"]
        g.add((stmt, RDF.type, RDF.Statement))
        g.add((stmt, RDF.subject, s))
        g.add((stmt, RDF.predicate, p))
        g.add((stmt, RDF.object, o))
        g.add((stmt, YB.evidence, self.add_evidence(g, rep, sha256, rel.evidence)))


def merge_citation_keys(reports: Iterable[LinkedReport]) -> list[LinkedReport]:
    """One identity per document across reports.

    A title cited with its 文号 anywhere makes every title-only citation of
    the same title point to the 文号's node.
    """
    from dataclasses import replace

    from kg.link import normalise_title

    reports = list(reports)
    by_title: dict[str, str] = {}
    for r in reports:
        for c in r.citations:
            if c.doc_number and c.title:
                by_title.setdefault(normalise_title(c.title), c.key)
    out = []
    for r in reports:
        cits = tuple(
            replace(c, key=by_title[normalise_title(c.title)])
            if not c.doc_number and c.title and normalise_title(c.title) in by_title
            else c
            for c in r.citations
        )
        out.append(replace(r, citations=cits))
    return out


def bind_prefixes(g: Graph) -> None:
    """Bind the project's prefixes (and only those) on ``g``."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    g = Graph(bind_namespaces="none")
    bind_prefixes(g)
    return g


def new_dataset() -> Dataset:
    """An empty dataset (TriG: one named graph per report)."""
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    return ds
