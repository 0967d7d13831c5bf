"""The graph as networkx: the whole RDF graph, or focused views of it.

:func:`to_networkx` turns an rdflib graph into a :class:`networkx.MultiDiGraph`
with readable node ids (the project's prefixed names, ``ybr:region/320412``)
and Gephi-ready attributes on every node: ``label`` (the Chinese name or
title), ``type`` (``Region``, ``Agency``, ``Program``, ``PolicyDocument``…),
``region`` (the GB/T 2260 code the node belongs to, or ``""``) and ``iri``.
Every edge has ``label`` (the predicate's prefixed name) and ``predicate``
(its IRI); the multigraph key is the prefixed name too.

Views (``view=``):

``full``
    every triple: IRIs and blank nodes are nodes, literals become node
    attributes named by their predicate (``yb:adminCode``), several values
    joined with `` | ``.
``entities``
    regions, agencies, organisations, persons, programs, documents and reports,
    with their relations (``yb:partOf``, ``yb:implements``, ``yb:pilotOf``,
    ``yb:jurisdiction``, ``yb:cooperatesWith``, ``dcterms:references``,
    ``dcterms:creator``…). Edges carry the evidence sentence(s) of their
    ``rdf:Statement``; observations are folded into their region's node
    (``n_observations``, ``observations`` as JSON, and the latest actual figure
    of each indicator, never a part of it: for the whole population as
    ``ind:InsuredPersons`` with ``ind:InsuredPersons@period``, for one scheme as
    ``ind:InsuredPersons/ins:Employee``).
``citations``
    reports, the documents they cite and the agencies that issued them.
``cooperation``
    agencies and regions linked by ``yb:cooperatesWith``.

Nodes and edges are added in sorted order, so the same graph always gives the
same networkx graph (and the same exported file).

:func:`network_page` draws a view (say one region's corner,
:func:`region_subgraph`) as one self-contained HTML page (pyvis and
vis-network, all inline): it carries its own font — the characters it shows,
cut from the packaged Noto Sans SC with fontTools, so Chinese shows where no
CJK font is installed —, a legend of the node types, reports named by their
title and region, and a layout that is the same on every load (a fixed seed,
physics stopped once it settles).

    >>> from kg.graph.rdfgraph import GraphBuilder, new_graph, region_iri
    >>> from kg.base.namespaces import PROG, YB
    >>> g = new_graph()
    >>> GraphBuilder().add_region(g, "320412")
    >>> g.add((region_iri("320412"), YB.implements, PROG.DRG))  # doctest: +ELLIPSIS
    <Graph ...>
    >>> G = to_networkx(g, view="entities")
    >>> sorted(G.nodes)
    ['prog:DRG', 'ybr:region/100000', 'ybr:region/320000', 'ybr:region/320400', 'ybr:region/320412']
    >>> G.nodes["ybr:region/320412"]["label"], G.nodes["ybr:region/320412"]["type"]
    ('武进区', 'Region')
    >>> [(u, v, k) for u, v, k in G.edges(keys=True) if k == "yb:implements"]
    [('ybr:region/320412', 'prog:DRG', 'yb:implements')]
    >>> len(to_networkx(g).edges) > len(G.edges)      # the full view has rdf:type edges too
    True
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.base.errors import KgError
from kg.base.files import write_atomic
from kg.base.namespaces import DCTERMS, INS, ORG, RDF, RDFS, SKOS, YB
from kg.graph.rdfgraph import PREFIXES
from kg.use.observations import is_figure, observation_records

#: The views :func:`to_networkx` can make.
VIEWS = ("full", "entities", "citations", "cooperation")

#: Classes of the entity view (by ``rdf:type``), and the ``type`` they get.
ENTITY_CLASSES = {
    YB.Region: "Region",
    YB.Agency: "Agency",
    YB.Organization: "Organization",
    YB.Person: "Person",
    YB.PolicyDocument: "PolicyDocument",
    YB.Report: "Report",
}

#: Relations of the entity view (programs join through them and yb:mentions).
ENTITY_RELATIONS = (
    YB.partOf, YB.jurisdiction, YB.implements, YB.pilotOf, YB.cooperatesWith,
    YB.locatedIn, YB.memberOf, ORG.subOrganizationOf, DCTERMS.references,
    DCTERMS.creator, DCTERMS.publisher, DCTERMS.spatial, SKOS.broader,
)

_CONCEPT_TYPES = {"prog": "Program", "ind": "Indicator", "ins": "Insurance", "ybu": "Unit"}
_LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title, YB.docNumber, YB.sourceFile)


class ViewError(KgError):
    """An unknown view was asked for."""

    exit_code = 4


def qname(term: Node) -> str:
    """A readable id: the prefixed name of an IRI, a stable ``_:`` id for a blank node.

    >>> qname(URIRef("https://w3id.org/yibao-kg/id/region/320412"))
    'ybr:region/320412'
    >>> qname(URIRef("http://example.org/x"))
    'http://example.org/x'
    """
    s = str(term)
    for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if s.startswith(ns):
            return f"{p}:{s[len(ns):]}"
    return s


class _Namer:
    """Node ids. A blank node gets an id from its content and from where it hangs
    (who points at it, through which property), so it keeps its id between loads."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.cache: dict[BNode, str] = {}
        self.visiting: set[BNode] = set()

    def __call__(self, term: Node) -> str:
        if not isinstance(term, BNode):
            return qname(term)
        if term in self.cache:
            return self.cache[term]
        if term in self.visiting:  # a cycle of blank nodes
            return "_:cycle"
        self.visiting.add(term)
        place = sorted(f"{self(s)} {p}" for s, p in self.graph.subject_predicates(term))
        key = self._content(term, 0) + " @ " + "; ".join(place)
        self.visiting.discard(term)
        self.cache[term] = "_:b" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        return self.cache[term]

    def _content(self, node: BNode, depth: int) -> str:
        parts = []
        for p, o in self.graph.predicate_objects(node):
            if isinstance(o, BNode):
                inner = self._content(o, depth + 1) if depth < 8 else "..."
                parts.append(f"{p} [{inner}]")
            else:
                parts.append(f"{p} {o.n3()}")
        return "; ".join(sorted(parts))


def _pick_label(graph: Graph, term: Node) -> str:
    for prop in _LABELS:
        values = sorted(graph.objects(term, prop), key=lambda v: (_lang_rank(v), str(v)))
        if values:
            return str(values[0])
    return qname(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1].split(":", 1)[-1]


def _lang_rank(value: Node) -> int:
    lang = value.language if isinstance(value, Literal) else None
    return {"zh": 0, None: 1}.get(lang, 2)


def _node_type(graph: Graph, term: Node) -> str:
    types = sorted(graph.objects(term, RDF.type), key=str)
    for t in types:
        if isinstance(t, URIRef) and t in ENTITY_CLASSES:
            return ENTITY_CLASSES[t]
    prefix = qname(term).split(":", 1)[0]
    if prefix in _CONCEPT_TYPES and not str(term).endswith("/"):
        return _CONCEPT_TYPES[prefix]
    for t in types:
        if str(t).startswith(str(YB)):
            return str(t)[len(str(YB)):]
    if types:
        return qname(types[0]).split(":", 1)[-1].rsplit("#", 1)[-1]
    return "Resource"


def _region_code(graph: Graph, term: Node) -> str:
    """The GB/T 2260 code a node belongs to: its own, or its region's."""
    for via in (None, YB.jurisdiction, DCTERMS.spatial, YB.region, YB.locatedIn):
        places = [term] if via is None else sorted(graph.objects(term, via), key=str)
        for place in places:
            codes = sorted(str(c) for c in graph.objects(place, YB.adminCode))
            if codes:
                return codes[0]
    return ""


def _base_attributes(graph: Graph, term: Node, name: _Namer) -> dict[str, object]:
    return {
        "label": name(term) if isinstance(term, BNode) else _pick_label(graph, term),
        "type": _node_type(graph, term),
        "region": _region_code(graph, term),
        "iri": str(term) if isinstance(term, URIRef) else "",
    }


def _evidence(graph: Graph) -> dict[tuple[Node, Node, Node], list[str]]:
    """Sentences of the ``rdf:Statement`` of each relation triple."""
    out: dict[tuple[Node, Node, Node], set[str]] = defaultdict(set)
    for stmt in graph.subjects(RDF.type, RDF.Statement):
        s = graph.value(stmt, RDF.subject)
        p = graph.value(stmt, RDF.predicate)
        o = graph.value(stmt, RDF.object)
        if s is None or p is None or o is None:
            continue
        for ev in graph.objects(stmt, YB.evidence):
            for text in graph.objects(ev, YB.text):
                out[(s, p, o)].add(str(text))
    return {k: sorted(v) for k, v in out.items()}


def _build(nodes: dict[str, dict[str, object]],
           edges: Iterable[tuple[str, str, str, dict[str, object]]]) -> nx.MultiDiGraph[str]:
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node_id in sorted(nodes):
        G.add_node(node_id, **nodes[node_id])
    for u, v, key, data in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        G.add_edge(u, v, key=key, **data)
    return G


def _edge_data(p: URIRef, sentences: list[str]) -> dict[str, object]:
    data: dict[str, object] = {"label": qname(p), "predicate": str(p),
                               "n_evidence": len(sentences)}
    data["evidence"] = sentences[0] if sentences else ""
    return data


def _full(graph: Graph) -> nx.MultiDiGraph[str]:
    name = _Namer(graph)
    nodes: dict[str, dict[str, object]] = {}
    literals: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    edges: list[tuple[str, str, str, dict[str, object]]] = []
    for s, p, o in graph:
        sid = name(s)
        if sid not in nodes:
            nodes[sid] = _base_attributes(graph, s, name)
        if isinstance(o, Literal):
            literals[sid][qname(p)].add(str(o))
            continue
        oid = name(o)
        if oid not in nodes:
            nodes[oid] = _base_attributes(graph, o, name)
        edges.append((sid, oid, qname(p), {"label": qname(p), "predicate": str(p)}))
    for sid, props in literals.items():
        for key in sorted(props):
            nodes[sid][key] = " | ".join(sorted(props[key]))
    return _build(nodes, edges)


def _entity_nodes(graph: Graph) -> set[Node]:
    found: set[Node] = set()
    for cls in ENTITY_CLASSES:
        found.update(graph.subjects(RDF.type, cls))
    prog = PREFIXES["prog"]
    for p in (YB.implements, YB.pilotOf, YB.mentions, YB.program):
        found.update(o for o in graph.objects(None, p)
                     if isinstance(o, URIRef) and str(o).startswith(prog))
    return found


def _fold_observations(graph: Graph, nodes: dict[str, dict[str, object]]) -> None:
    """Each region's observations as attributes of its node: all of them as JSON, and
    the latest actual figure of each indicator (:func:`~kg.use.observations.is_figure`:
    a headline figure, never a part of it) for the whole population (``ins:Basic`` or
    no scheme) as ``ind:X``, and for each other scheme as ``ind:X/ins:Y``."""
    records = observation_records(graph)
    by_region: dict[str, list[dict[str, object]]] = defaultdict(list)
    latest: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)
    basic = qname(INS.Basic)
    for r in records:
        if r.region is None or r.value is None:
            continue
        region_id = f"ybr:region/{r.region}"
        record: dict[str, object] = {
            key: value for key, value in (
                ("indicator", r.indicator), ("insurance", r.insurance), ("period", r.period),
                ("status", r.status), ("unit", r.unit), ("valueType", r.value_type),
                ("measure", r.measure))
            if value is not None
        }
        record["value"] = float(r.value)
        record["headline"] = bool(r.headline)
        by_region[region_id].append(record)
        if (r.status != "yb:Actual" or r.indicator in (None, "ind:Other")
                or not is_figure(r)):
            continue
        key = str(r.indicator)
        if r.insurance not in (None, basic):
            key = f"{key}/{r.insurance}"
        found = latest[region_id].get(key)
        # the latest period; of two figures of one period, the report's first
        if found is None or (r.period or "") > found[0]:
            latest[region_id][key] = (r.period or "", float(r.value))
    for region_id, found_records in by_region.items():
        if region_id not in nodes:
            continue
        found_records.sort(key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
        attrs = nodes[region_id]
        attrs["n_observations"] = len(found_records)
        attrs["observations"] = json.dumps(found_records, ensure_ascii=False, sort_keys=True)
        for key in sorted(latest[region_id]):
            period, value = latest[region_id][key]
            attrs[key] = value
            attrs[f"{key}@period"] = period


def _relation_view(graph: Graph, members: set[Node], predicates: Iterable[URIRef],
                   *, keep_isolated: bool = True, fold: bool = False) -> nx.MultiDiGraph[str]:
    name = _Namer(graph)
    evidence = _evidence(graph)
    edges = []
    linked: set[Node] = set()
    for p in predicates:
        for s, o in graph.subject_objects(p):
            if s in members and o in members:
                data = _edge_data(p, evidence.get((s, p, o), []))
                edges.append((name(s), name(o), qname(p), data))
                linked.update((s, o))
    chosen = members if keep_isolated else linked
    nodes = {name(n): _base_attributes(graph, n, name) for n in chosen}
    if fold:
        _fold_observations(graph, nodes)
    return _build(nodes, edges)


def to_networkx(graph: Graph, view: str = "full") -> nx.MultiDiGraph[str]:
    """The graph (or one of its views, see :data:`VIEWS`) as a networkx MultiDiGraph."""
    if view == "full":
        return _full(graph)
    if view == "entities":
        return _relation_view(graph, _entity_nodes(graph), ENTITY_RELATIONS, fold=True)
    if view == "citations":
        reports = set(graph.subjects(RDF.type, YB.Report))
        docs = set(graph.objects(None, DCTERMS.references))
        issuers = {o for d in docs for o in graph.objects(d, DCTERMS.creator)}
        return _relation_view(graph, reports | docs | issuers,
                              (DCTERMS.references, DCTERMS.creator))
    if view == "cooperation":
        members = {n for s, o in graph.subject_objects(YB.cooperatesWith) for n in (s, o)}
        return _relation_view(graph, members, (YB.cooperatesWith,), keep_isolated=False)
    raise ViewError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")


def region_subgraph(entities: nx.MultiDiGraph[str], code: str) -> nx.MultiDiGraph[str]:
    """One region's corner of the entity view: the region, its agencies, the reports
    about it, the programs it or its agencies carry out, the documents those reports
    cite with their issuers, and its agencies' cooperation partners.

    >>> from kg.graph.rdfgraph import GraphBuilder, new_graph, region_iri
    >>> from kg.base.namespaces import PROG, YB
    >>> g = new_graph()
    >>> GraphBuilder().add_region(g, "320412")
    >>> _ = g.add((region_iri("320412"), YB.implements, PROG.DIP))
    >>> sorted(region_subgraph(to_networkx(g, "entities"), "320412"))
    ['prog:DIP', 'ybr:region/320412']
    """
    region = f"ybr:region/{code}"
    if region not in entities:
        raise ViewError(f"region {code} is not in the graph")
    keep = {region}

    def around(node: str, key: str, incoming: bool) -> Iterator[str]:
        edges = (entities.in_edges(node, keys=True) if incoming
                 else entities.out_edges(node, keys=True))
        for u, v, k in edges:
            if k == key:
                yield u if incoming else v

    agencies = set(around(region, "yb:jurisdiction", incoming=True))
    reports = set(around(region, "dcterms:spatial", incoming=True))
    keep |= agencies | reports
    for actor in {region} | agencies:
        for key in ("yb:implements", "yb:pilotOf", "yb:cooperatesWith"):
            keep |= set(around(actor, key, incoming=False))
        keep |= set(around(actor, "yb:cooperatesWith", incoming=True))
    for report in reports:
        docs = set(around(report, "dcterms:references", incoming=False))
        keep |= docs
        keep |= set(around(report, "dcterms:publisher", incoming=False))
        for doc in docs:
            keep |= set(around(doc, "dcterms:creator", incoming=False))
    sub = entities.subgraph(keep)
    return _build({n: dict(sub.nodes[n]) for n in sub.nodes},
                  [(u, v, k, dict(d)) for u, v, k, d in sub.edges(keys=True, data=True)])


# ---------------------------------------------------------------------------
# The network as a page
# ---------------------------------------------------------------------------

#: Node colours and the legend's names, by node type.
PAGE_TYPES = {
    "Region": ("#d62728", "地区 Region"),
    "Agency": ("#ff7f0e", "机构 Agency"),
    "Program": ("#2ca02c", "项目 Program"),
    "PolicyDocument": ("#1f77b4", "政策文件 Document"),
    "Report": ("#7f7f7f", "报告 Report"),
    "Organization": ("#9467bd", "组织 Organization"),
    "Person": ("#8c564b", "人员 Person"),
}
_OTHER = ("#bcbd22", "其他 Other")
#: The page's own font family (a subset of Noto Sans SC, embedded).
PAGE_FONT = "YibaoKGNoto"
#: The longest label line drawn, in characters (the whole name is in the tooltip).
LABEL_WIDTH = 16


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _report_label(G: nx.MultiDiGraph[str], node: str, graph: Graph | None) -> str:
    """A report by its title (else its kind and year) and its region's name."""
    data = G.nodes[node]
    region = G.nodes.get(f"ybr:region/{data.get('region', '')}", {}).get("label", "")
    title = ""
    if graph is not None:
        iri = URIRef(str(data.get("iri", "")))
        found = graph.value(iri, DCTERMS.title)
        if found is not None:
            title = str(found)
        else:
            kind = graph.value(iri, YB.reportKind)
            issued = graph.value(iri, DCTERMS.issued)
            title = " ".join(x for x in (_pick_label(graph, kind) if kind is not None else "报告",
                                         str(issued)[:4] if issued is not None else "") if x)
    elif not str(data["label"]).endswith((".txt", ".md", ".html", ".htm")):
        title = str(data["label"])
    title = title or "报告"
    return f"{_short(title)}\n{region}" if region else _short(title)


def page_labels(G: nx.MultiDiGraph[str], graph: Graph | None = None) -> dict[str, str]:
    """The label each node of ``G`` shows on the page (``graph``: the RDF graph the
    view came from, for the kind and date of a report without a title)."""
    return {n: _report_label(G, n, graph) if d.get("type") == "Report"
            else _short(str(d.get("label", n))) for n, d in G.nodes(data=True)}


def font_subset(text: str) -> bytes:
    """The packaged Noto Sans SC cut down to the characters of ``text`` (OpenType),
    the same bytes for the same characters."""
    # lazy: fontTools and the font package are needed for pages only
    import pylopdf_fonts_zh_cn
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(pylopdf_fonts_zh_cn.sans_path()), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text) - set("\n\r\t"))))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def network_page(G: nx.MultiDiGraph[str], graph: Graph | None = None, *, heading: str = "",
                 seed: int = 7, height: str = "640px") -> str:
    """``G`` as a self-contained HTML page (see the module): its own font, a legend,
    reports named by title and region, the same layout on every load."""
    # lazy: pyvis is needed for pages only
    from pyvis.network import Network

    labels = page_labels(G, graph)
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    for node, d in G.nodes(data=True):
        kind = str(d.get("type", ""))
        colour = PAGE_TYPES.get(kind, _OTHER)[0]
        net.add_node(node, label=labels[node], title=f"{kind}: {d.get('label', node)}",
                     color=colour, size=24 if kind == "Region" else 12)
    for u, v, key, d in G.edges(keys=True, data=True):
        net.add_edge(u, v, label=str(key).split(":", 1)[-1], title=str(d.get("evidence") or key))
    net.set_options(json.dumps({
        "layout": {"randomSeed": seed, "improvedLayout": True},
        "nodes": {"font": {"face": PAGE_FONT, "size": 18}},
        "edges": {"font": {"face": PAGE_FONT, "size": 10}, "arrows": {"to": {"enabled": True}},
                  "color": {"color": "#bbbbbb"}},
        "physics": {"solver": "repulsion", "repulsion": {"nodeDistance": 170},
                    "stabilization": {"enabled": True, "iterations": 600, "fit": True}},
        "interaction": {"hover": True},
    }))
    page = net.generate_html()
    used = [d.get("type", "") for _, d in G.nodes(data=True)]
    kinds = [PAGE_TYPES[k] for k in PAGE_TYPES if k in used]
    if any(k not in PAGE_TYPES for k in used):
        kinds.append(_OTHER)
    legend = "".join(f'<span class="yb-key"><span class="yb-dot" style="background:{c}"></span>'
                     f"{html.escape(name)}</span>" for c, name in kinds)
    shown = "".join(labels.values()) + "".join(
        str(key).split(":", 1)[-1] for _, _, key in G.edges(keys=True)) + heading + "".join(
        name for _, name in kinds) + "".join(f"{d.get('type', '')}: {d.get('label', '')}"
                                             for _, d in G.nodes(data=True))
    font = base64.b64encode(font_subset(shown)).decode("ascii")
    style = (f"<style>@font-face {{ font-family: '{PAGE_FONT}'; "
             f"src: url(data:font/otf;base64,{font}) format('opentype'); }}\n"
             f"body {{ font-family: '{PAGE_FONT}', sans-serif; margin: 0 8px; }}\n"
             ".yb-legend { padding: 6px 0; font-size: 14px; }\n"
             ".yb-key { margin-right: 14px; white-space: nowrap; }\n"
             ".yb-dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%; "
             "margin-right: 4px; vertical-align: -1px; }</style>")
    top = (f"<h3>{html.escape(heading)}</h3>" if heading else "") + \
        f'<div class="yb-legend">{legend}</div>'
    return _self_contained(page, style, top)


def _self_contained(page: str, style: str, top: str) -> str:
    """pyvis's page without what it fetches from the network (bootstrap, only styling)
    and its empty headings, with our style and legend, and drawn once the font is there,
    its physics stopped when the layout has settled."""
    page = re.sub(r"<!--\s*<link[^>]*node_modules.*?-->", "", page, flags=re.S)
    page = re.sub(r'<link\s[^>]*href="https?://[^"]*"[^>]*/>', "", page, flags=re.S)
    page = re.sub(r'<script\s[^>]*src="https?://[^"]*"[^>]*>\s*</script>', "", page, flags=re.S)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    page = page.replace("</head>", style + "\n</head>", 1)
    page = re.sub(r"<body>", lambda m: m.group(0) + "\n" + top, page, count=1)
    start = (f"document.fonts.load(\"14px {PAGE_FONT}\").then(draw, draw);\n"
             "function draw() { drawGraph(); network.once(\"stabilizationIterationsDone\", "
             "function () { network.setOptions({ physics: false }); }); }")
    at = page.rfind("drawGraph();")
    return page[:at] + start + page[at + len("drawGraph();"):]


def write_network_page(G: nx.MultiDiGraph[str], path: str | Path, graph: Graph | None = None,
                       *, heading: str = "", seed: int = 7) -> None:
    """:func:`network_page` written to ``path`` (atomically)."""
    write_atomic(path, network_page(G, graph, heading=heading, seed=seed).encode("utf-8"))
