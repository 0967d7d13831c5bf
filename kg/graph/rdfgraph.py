"""Linked records → rdflib graph, following the contract of SPEC section 3.

IRIs come from content, never from counters: ``ybr:report/{sha256[:16]}`` of
the file's bytes, ``ybr:region/{GB/T 2260 code}``, ``ybr:document/{文号}`` (or
a hash of the normalised title), evidence and statements from the report's
hash and the phrase's offsets. The same inputs therefore always give the
same triples, and the same entity in two reports is one node.

    >>> from kg.graph.rdfgraph import region_iri
    >>> str(region_iri("320412"))
    'https://w3id.org/yibao-kg/id/region/320412'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.base.namespaces import DCTERMS, IND, INS, ORG, PROG, YB, YBR, YBU
from kg.base.records import (
    Evidence,
    LinkedAgency,
    LinkedCitation,
    LinkedObservation,
    LinkedReport,
    ObservationMention,
    Relation,
)
from kg.base.regions import Gazetteer, gazetteer
from kg.base.titles import normalise_title

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


class _Terms:
    """A vocabulary whose terms are made once: rdflib makes a new ``URIRef`` (after
    checking the name, for a closed namespace) on every attribute access."""

    def __init__(self, ns: Any) -> None:
        self._ns = ns
        self._items: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):
            raise AttributeError(name)
        term: URIRef = getattr(self._ns, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        try:
            return self._items[name]
        except KeyError:
            term: URIRef = self._ns[name]
            self._items[name] = term
            return term


_RDF, _RDFS, _SKOS, _XSD = _Terms(RDF), _Terms(RDFS), _Terms(SKOS), _Terms(XSD)
_DCTERMS, _ORG, _YB = _Terms(DCTERMS), _Terms(ORG), _Terms(YB)
_IND, _INS, _PROG, _YBU = _Terms(IND), _Terms(INS), _Terms(PROG), _Terms(YBU)


class GraphBuilder:
    """Adds linked reports to one graph (or one named graph per report)."""

    def __init__(self, gaz: Gazetteer | None = None) -> None:
        self._gaz = gaz

    @property
    def gaz(self) -> Gazetteer:
        """The gazetteer of regions (loaded when a region is first added)."""
        if self._gaz is None:
            self._gaz = gazetteer()
        return self._gaz

    def add_report(self, g: Graph, report: LinkedReport) -> None:
        """Add one report's triples to ``g``."""
        doc = report.document
        rep = report_iri(doc.sha256)
        g.add((rep, _RDF.type, _YB.Report))
        g.add((rep, _YB.sourceFile, Literal(doc.source_file)))
        g.add((rep, _YB.sha256, Literal(doc.sha256)))
        g.add((rep, _YB.reportKind, _YB[report.kind]))
        frame = report.frame
        title = frame.title if frame is not None else doc.title
        if title:
            g.add((rep, _DCTERMS.title, Literal(title, lang="zh")))
        if frame is not None and frame.url:
            g.add((rep, _YB.sourceURL, Literal(frame.url, datatype=_XSD.anyURI)))
        if frame is not None and frame.supplied:
            # what the page knew and the text does not say: recorded as such
            g.add((rep, _YB.metadataSource, Literal("manifest")))
        if report.issued:
            g.add((rep, _DCTERMS.issued, _date_literal(report.issued)))
        source = doc.header_value("source")
        if source:
            g.add((rep, _YB.headerSource, Literal(source, lang="zh")))
        codes = {r.code for r in report.regions}
        if report.home_region:
            g.add((rep, _DCTERMS.spatial, region_iri(report.home_region)))
            codes.add(report.home_region)
        for code in sorted(codes):
            g.add((rep, _YB.mentions, region_iri(code)))
            self.add_region(g, code)
        for name in report.programs:
            g.add((rep, _YB.mentions, program_iri(name)))
        for a in report.agencies:
            self.add_agency(g, a)
            if a.mentioned:
                g.add((rep, _YB.mentions, agency_iri(a.name)))
            if a.jurisdiction:
                self.add_region(g, a.jurisdiction)
        for o in report.organizations:
            node = YBR[f"organization/{o.name.translate(_IRI_UNSAFE)}"]
            g.add((node, _RDF.type, _YB.Organization))
            g.add((node, _RDFS.label, Literal(o.name, lang="zh")))
            g.add((node, _YB.orgType, Literal(o.org_type)))
            if o.located_in:
                g.add((node, _YB.locatedIn, region_iri(o.located_in)))
                self.add_region(g, o.located_in)
            g.add((rep, _YB.mentions, node))
        for p in report.persons:
            node = YBR[f"person/{_digest(p.name, p.member_or_home(report.home_region))}"]
            g.add((node, _RDF.type, _YB.Person))
            g.add((node, _RDFS.label, Literal(p.name, lang="zh")))
            g.add((node, _YB.role, Literal(p.role, lang="zh")))
            if p.member_of:
                g.add((node, _YB.memberOf, agency_iri(p.member_of)))
            g.add((rep, _YB.mentions, node))
        if report.publisher:
            g.add((rep, _DCTERMS.publisher, agency_iri(report.publisher)))
        self.add_citations(g, rep, doc.sha256, report.citations)
        for rel in report.relations:
            self.add_relation(g, rep, doc.sha256, rel)
        totals = {(o.mention.start, o.mention.end): observation_iri(doc.sha256, o.mention)
                  for o in report.observations}
        for obs in report.observations:
            self.add_observation(g, rep, doc.sha256, obs, totals)
            if obs.region is not None:
                self.add_region(g, obs.region)

    def add_region(self, g: Graph, code: str) -> None:
        """A region with its level, labels and ``yb:partOf`` chain up to China."""
        while code:
            region = self.gaz.get(code)
            node = region_iri(code)
            if (node, _RDF.type, _YB.Region) in g:
                return
            g.add((node, _RDF.type, _YB.Region))
            g.add((node, _YB.adminCode, Literal(code)))
            g.add((node, _YB.adminLevel, _YB[region.level]))
            g.add((node, _RDFS.label, Literal(region.name, lang="zh")))
            for short in region.short_names:
                g.add((node, _SKOS.altLabel, Literal(short, lang="zh")))
            if region.parent is None:
                return
            g.add((node, _YB.partOf, region_iri(region.parent)))
            code = region.parent

    def add_agency(self, g: Graph, a: LinkedAgency) -> None:
        """A ``yb:Agency``: full name, type, jurisdiction (relations come from the report)."""
        node = agency_iri(a.name)
        g.add((node, _RDF.type, _YB.Agency))
        g.add((node, _RDFS.label, Literal(a.name, lang="zh")))
        g.add((node, _YB.agencyType, _YB[a.agency_type]))
        if a.jurisdiction:
            g.add((node, _YB.jurisdiction, region_iri(a.jurisdiction)))

    def add_citations(self, g: Graph, rep: URIRef, sha256: str,
                      citations: Iterable[LinkedCitation]) -> None:
        """The report's cited documents, each with its issuers (``dcterms:creator``)."""
        for c in citations:
            self.add_citation(g, rep, c)
            for name in c.creators:
                self.add_relation(g, rep, sha256, Relation(
                    f"document:{c.key}", "creator", f"agency:{name}", c.evidence))

    def add_citation(self, g: Graph, rep: URIRef, c: LinkedCitation) -> None:
        """A cited document, referenced by the report."""
        node = document_iri(c.key)
        g.add((node, _RDF.type, _YB.PolicyDocument))
        if c.title:
            g.add((node, _DCTERMS.title, Literal(c.title, lang="zh")))
        if c.doc_number:
            g.add((node, _YB.docNumber, Literal(c.doc_number)))
            year = c.doc_number.split("〔", 1)[1][:4]
            g.add((node, _DCTERMS.issued, Literal(year, datatype=_XSD.gYear)))
        g.add((rep, _DCTERMS.references, node))
        g.add((rep, _YB.mentions, node))

    def add_evidence(self, g: Graph, rep: URIRef, sha256: str, ev: Evidence) -> URIRef:
        """An evidence node: the sentence and the phrase's offsets."""
        node = YBR[f"evidence/{sha256[:16]}/{ev.start}-{ev.end}"]
        g.add((node, _RDF.type, _YB.Evidence))
        g.add((node, _YB.text, Literal(ev.sentence, lang="zh")))
        g.add((node, _YB.start, Literal(ev.start)))
        g.add((node, _YB.end, Literal(ev.end)))
        g.add((node, _YB.source, rep))
        return node

    def add_observation(self, g: Graph, rep: URIRef, sha256: str, obs: LinkedObservation,
                        totals: Mapping[tuple[int, int], URIRef] | None = None) -> None:
        """A ``yb:Observation`` with every field of the contract and its evidence;
        ``totals`` gives the IRIs of the report's observations by their span (for
        ``yb:breakdownOf``)."""
        m = obs.mention
        node = observation_iri(sha256, m)
        g.add((node, _RDF.type, _YB.Observation))
        g.add((node, _YB.indicator, _IND[m.indicator]))
        g.add((node, _YB.measureLabel, Literal(m.measure, lang="zh")))
        g.add((node, _YB.value, Literal(_decimal(m.value), datatype=_XSD.decimal)))
        if m.max_value is not None:
            g.add((node, _YB.maxValue, Literal(_decimal(m.max_value), datatype=_XSD.decimal)))
        g.add((node, _YB.unit, _YBU[m.unit]))
        if obs.region is not None:
            g.add((node, _YB.region, region_iri(obs.region)))
        total = (totals or {}).get(m.part_of) if m.part_of is not None else None
        if total is not None:
            g.add((node, _YB.breakdownOf, total))
        g.add((node, _YB.isHeadline, Literal(obs.headline)))
        if m.period:
            g.add((node, _YB.period, _date_literal(m.period)))
        if m.period_start:
            g.add((node, _YB.periodStart, _date_literal(m.period_start)))
        g.add((node, _YB.status, _YB[m.status]))
        g.add((node, _YB.valueType, _YB[m.value_type]))
        if m.insurance:
            g.add((node, _YB.insurance, _INS[m.insurance]))
        if m.program:
            g.add((node, _YB.program, _PROG[m.program]))
        if m.approximation:
            g.add((node, _YB.approximation, _YB[m.approximation]))
        g.add((node, _YB.source, rep))
        g.add((node, _YB.evidence, self.add_evidence(g, rep, sha256, obs.evidence)))

    def add_relation(self, g: Graph, rep: URIRef, sha256: str, rel: Relation) -> None:
        """The triple, and an ``rdf:Statement`` that carries its evidence."""
        p = PREDICATES[rel.predicate] if rel.predicate in PREDICATES else _YB[rel.predicate]
        s, o = entity_iri(rel.subject), entity_iri(rel.obj)
        g.add((s, p, o))
        stmt = YBR[f"statement/{_digest(str(s), str(p), str(o), sha256, str(rel.evidence.start))}"]
        g.add((stmt, _RDF.type, _RDF.Statement))
        g.add((stmt, _RDF.subject, s))
        g.add((stmt, _RDF.predicate, p))
        g.add((stmt, _RDF.object, o))
        g.add((stmt, _YB.evidence, self.add_evidence(g, rep, sha256, rel.evidence)))


def observation_iri(sha256: str, m: ObservationMention) -> URIRef:
    """An observation's IRI: its report, its phrase's offsets and a digest of its measure."""
    return YBR[f"observation/{sha256[:16]}/{m.start}-{m.end}-{_digest(m.measure, n=6)}"]


def mergeable(c: LinkedCitation) -> bool:
    """Whether the cross-report merge may give citation ``c`` another key: a title
    cited without its 文号 (:func:`merge_citation_keys`)."""
    return not c.doc_number and bool(c.title)


def citation_key_map(citations: Iterable[tuple[str | None, str | None, str]]) -> dict[str, str]:
    """Normalised title → key of the first citation (in input order) that has both
    a 文号 and that title, from (文号, title, key) of every citation of every report."""
    by_title: dict[str, str] = {}
    for number, title, key in citations:
        if number and title:
            by_title.setdefault(normalise_title(title), key)
    return by_title


def merged_citation(c: LinkedCitation, key_map: dict[str, str]) -> LinkedCitation:
    """``c`` with the key :func:`citation_key_map` gives its title, when it may take one."""
    if not mergeable(c):
        return c
    key = key_map.get(normalise_title(c.title or ""))
    return c if key is None or key == c.key else replace(c, key=key)


def merge_citation_keys(reports: Iterable[LinkedReport]) -> list[LinkedReport]:
    """One identity per document across reports.

    A title cited with its 文号 anywhere makes every title-only citation of
    the same title point to the 文号's node.
    """
    reports = list(reports)
    key_map = citation_key_map((c.doc_number, c.title, c.key)
                               for r in reports for c in r.citations)
    out = []
    for r in reports:
        cits = tuple(merged_citation(c, key_map) for c in r.citations)
        out.append(r if cits == r.citations else replace(r, citations=cits))
    return out


class TripleSet(Graph):
    """A graph that only collects triples in a set: what :class:`GraphBuilder`
    needs (``add`` and ``in``), without the indexes of rdflib's memory store."""

    def __init__(self) -> None:
        super().__init__(bind_namespaces="none")
        self.triple_set: set[tuple[Any, Any, Any]] = set()

    def add(self, triple: Any) -> TripleSet:
        self.triple_set.add(triple)
        return self

    def __contains__(self, triple: object) -> bool:
        return triple in self.triple_set

    def __len__(self) -> int:
        return len(self.triple_set)


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
