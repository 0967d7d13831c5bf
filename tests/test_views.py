"""networkx views (kg.use.views): the full graph, the entity, citation and cooperation views."""

from __future__ import annotations

import json
from collections import Counter

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef

import kg
from kg.base.namespaces import DCTERMS, RDF, RDFS, YB, YBR
from kg.graph.rdfgraph import GraphBuilder, new_graph, region_iri
from kg.graph.serialize import serialize
from kg.use.views import ViewError, qname, region_subgraph, to_networkx


@pytest.fixture(scope="module")
def entities(seeds_graph: Graph) -> nx.MultiDiGraph[str]:
    return to_networkx(seeds_graph, view="entities")


def test_kg_exports_to_networkx(seeds_graph: Graph) -> None:
    assert kg.to_networkx is to_networkx
    assert isinstance(kg.to_networkx(seeds_graph), nx.MultiDiGraph)


# --- the full graph ------------------------------------------------------------------------


@pytest.mark.slow
def test_full_view_has_every_resource_triple_as_an_edge(seeds_graph: Graph) -> None:
    G = to_networkx(seeds_graph)
    resource_triples = [(s, p, o) for s, p, o in seeds_graph if not isinstance(o, Literal)]
    assert G.number_of_edges() == len(resource_triples)
    ends = {t for s, _, o in resource_triples for t in (s, o)} | set(seeds_graph.subjects())
    assert G.number_of_nodes() == len(ends)
    wujin = G.nodes["ybr:region/320412"]
    assert wujin["yb:adminCode"] == "320412"
    assert wujin["label"] == "武进区" and wujin["type"] == "Region" and wujin["region"] == "320412"
    assert G.has_edge("ybr:region/320412", "ybr:region/320400", key="yb:partOf")
    assert G.has_edge("ybr:region/320412", "yb:Region", key="rdf:type")


@pytest.mark.slow
def test_literals_with_several_values_are_joined(seeds_graph: Graph) -> None:
    G = to_networkx(seeds_graph)
    alt = G.nodes["ybr:region/632200"]["skos:altLabel"]
    assert set(alt.split(" | ")) == {str(v) for v in seeds_graph.objects(region_iri("632200"),
                                                                         URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))}


@pytest.mark.slow
def test_the_same_graph_gives_the_same_networkx_graph(seeds_graph: Graph) -> None:
    """Sorted nodes and edges; blank nodes (OWL lists of the ontology) named by content."""
    again = Graph().parse(data=serialize(seeds_graph, "turtle").decode("utf-8"), format="turtle")
    a, b = to_networkx(seeds_graph), to_networkx(again)
    assert list(a.nodes) == sorted(a.nodes) == list(b.nodes)
    assert any(n.startswith("_:b") for n in a.nodes)
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))


@pytest.mark.slow
def test_every_edge_key_is_its_label(seeds_graph: Graph) -> None:
    for view in ("full", "entities", "citations"):
        G = to_networkx(seeds_graph, view)
        assert all(k == d["label"] for _, _, k, d in G.edges(keys=True, data=True))


# --- the entity view -------------------------------------------------------------------------


def test_entity_view_nodes(entities: nx.MultiDiGraph[str], seeds_graph: Graph) -> None:
    types = Counter(d["type"] for _, d in entities.nodes(data=True))
    assert set(types) <= {"Region", "Agency", "Organization", "Person", "PolicyDocument",
                          "Report", "Program"}
    assert types["Report"] == 5
    assert types["Region"] == len(set(seeds_graph.subjects(RDF.type, YB.Region)))
    assert types["PolicyDocument"] == len(set(seeds_graph.subjects(RDF.type, YB.PolicyDocument)))
    assert types["Program"] >= 15
    assert entities.nodes["prog:DRG"]["label"] == "按疾病诊断相关分组付费"
    assert entities.nodes["ybr:document/医保办发〔2018〕22号"]["label"] == (
        "关于印发欺诈骗保行为举报奖励暂行办法的通知")


def test_entity_view_relations_carry_their_evidence(entities: nx.MultiDiGraph[str]) -> None:
    labels = Counter(k for _, _, k in entities.edges(keys=True))
    assert {"yb:partOf", "yb:implements", "yb:pilotOf", "dcterms:references",
            "dcterms:spatial", "skos:broader"} <= set(labels)
    assert "yb:mentions" not in labels and "rdf:type" not in labels
    drg = entities.get_edge_data("ybr:region/320412", "prog:DRG", key="yb:implements")
    assert drg["n_evidence"] >= 1 and "DRG" in drg["evidence"]
    assert entities.get_edge_data("prog:DRG", "prog:PaymentMethodReform",
                                  key="skos:broader")["n_evidence"] == 0


def test_observations_are_folded_into_their_region(entities: nx.MultiDiGraph[str],
                                                   seeds_graph: Graph) -> None:
    assert not any(d["type"] == "Observation" for _, d in entities.nodes(data=True))
    wujin = entities.nodes["ybr:region/320412"]
    count = len(set(seeds_graph.subjects(YB.region, region_iri("320412"))))
    assert wujin["n_observations"] == count > 50
    records = json.loads(wujin["observations"])
    assert len(records) == count
    assert {"indicator": "ind:InsuredPersons", "insurance": "ins:Basic", "period": "2023-12",
            "status": "yb:Actual", "unit": "ybu:Person", "value": 1000200.0} in [
        {k: r[k] for k in ("indicator", "insurance", "period", "status", "unit", "value")
         if k in r} for r in records]
    assert wujin["ind:InsuredPersons"] == 1000200.0
    assert wujin["ind:InsuredPersons@period"] == "2023-12"
    assert "ind:Other" not in wujin


def test_region_attributes_hold_headline_figures_only(entities: nx.MultiDiGraph[str]) -> None:
    """拉萨 states employee (142080) and resident (401867) insured persons but no total:
    its node has no ind:InsuredPersons (a scheme is no total), each scheme has its own;
    南昌's 职工医保参保人数169.6万 is a part of 594.8万 but the employee scheme's figure."""
    lhasa = entities.nodes["ybr:region/540100"]
    assert "ind:InsuredPersons" not in lhasa
    assert lhasa["ind:InsuredPersons/ins:Employee"] == 142080.0
    assert lhasa["ind:InsuredPersons/ins:Resident"] == 401867.0
    assert lhasa["ind:InsuredPersons/ins:Resident@period"] == "2021-11-30"
    nanchang = entities.nodes["ybr:region/360100"]
    assert nanchang["ind:InsuredPersons"] == 5948000.0
    assert nanchang["ind:InsuredPersons/ins:Employee"] == 1696000.0
    # 海北: 处理93家，其中定点医疗机构36家 — the part is never the region's figure
    assert entities.nodes["ybr:region/632200"]["ind:SanctionedInstitutions"] == 93.0
    records = json.loads(lhasa["observations"])
    assert {r["headline"] for r in records} == {True, False}


def test_suining_has_no_insured_total(entities: nx.MultiDiGraph[str]) -> None:
    assert "ind:InsuredPersons" not in entities.nodes["ybr:region/510900"]


def test_lhasa_fund_spending_is_no_car_cost(entities: nx.MultiDiGraph[str]) -> None:
    assert entities.nodes["ybr:region/540100"].get("ind:FundExpenditure") != 110000.0


def test_region_subgraph(entities: nx.MultiDiGraph[str]) -> None:
    sub = region_subgraph(entities, "320412")
    report = "ybr:report/f4ee46266cae7215"
    assert {"ybr:region/320412", report, "prog:DRG", "prog:DIP"} <= set(sub.nodes)
    cited = {v for _, v, k in entities.out_edges(report, keys=True) if k == "dcterms:references"}
    assert cited and cited <= set(sub.nodes)
    assert not {n for n, d in sub.nodes(data=True)
                if d["type"] == "Region" and n != "ybr:region/320412"}
    assert list(sub.nodes) == sorted(sub.nodes)
    with pytest.raises(ViewError, match="region 999999 is not in the graph"):
        region_subgraph(entities, "999999")


def test_region_subgraph_holds_its_agencies(entities: nx.MultiDiGraph[str]) -> None:
    """SPEC: a notebook user looks at one region's agencies, programs and documents."""
    sub = region_subgraph(entities, "510900")
    agencies = {d["label"] for _, d in sub.nodes(data=True) if d["type"] == "Agency"}
    assert "遂宁市医疗保障局" in agencies


# --- citations and cooperation -------------------------------------------------------------------


def test_citation_view(seeds_graph: Graph) -> None:
    G = to_networkx(seeds_graph, "citations")
    refs = set(seeds_graph.subject_objects(DCTERMS.references))
    assert sum(1 for *_, k in G.edges(keys=True) if k == "dcterms:references") == len(refs)
    assert {k for *_, k in G.edges(keys=True)} <= {"dcterms:references", "dcterms:creator"}
    assert {d["type"] for _, d in G.nodes(data=True)} <= {"Report", "PolicyDocument", "Agency"}
    regulation = [n for n, d in G.nodes(data=True) if d["label"] == "医疗保障基金使用监督管理条例"]
    assert len(regulation) == 1 and G.in_degree(regulation[0]) >= 2


def _cooperating_graph() -> Graph:
    g = new_graph()
    GraphBuilder().add_region(g, "540100")
    for key, label in (("ybj", "拉萨市医疗保障局"), ("gaj", "拉萨市公安局"), ("czj", "拉萨市财政局")):
        node = YBR[f"agency/{key}"]
        g.add((node, RDF.type, YB.Agency))
        g.add((node, RDFS.label, Literal(label, lang="zh")))
        g.add((node, YB.jurisdiction, region_iri("540100")))
    g.add((YBR["agency/ybj"], YB.cooperatesWith, YBR["agency/gaj"]))
    stmt, ev = YBR["statement/s"], YBR["evidence/e"]
    g.add((stmt, RDF.type, RDF.Statement))
    g.add((stmt, RDF.subject, YBR["agency/ybj"]))
    g.add((stmt, RDF.predicate, YB.cooperatesWith))
    g.add((stmt, RDF.object, YBR["agency/gaj"]))
    g.add((stmt, YB.evidence, ev))
    g.add((ev, YB.text, Literal("我局联合拉萨市公安局开展专项检查。", lang="zh")))
    return g


def test_cooperation_view_on_a_contract_shaped_graph() -> None:
    G = to_networkx(_cooperating_graph(), "cooperation")
    assert list(G.nodes) == ["ybr:agency/gaj", "ybr:agency/ybj"]  # 财政局 cooperates with no one
    (u, v, k, d), = G.edges(keys=True, data=True)
    assert (u, v, k) == ("ybr:agency/ybj", "ybr:agency/gaj", "yb:cooperatesWith")
    assert d["evidence"] == "我局联合拉萨市公安局开展专项检查。"
    assert G.nodes["ybr:agency/gaj"]["type"] == "Agency"
    assert G.nodes["ybr:agency/gaj"]["region"] == "540100"


def test_cooperation_view_on_the_seeds(seeds_graph: Graph) -> None:
    G = to_networkx(seeds_graph, "cooperation")
    assert G.number_of_edges() > 0
    assert {k for *_, k in G.edges(keys=True)} == {"yb:cooperatesWith"}
    assert {d["type"] for _, d in G.nodes(data=True)} <= {"Agency", "Region"}


def test_unknown_view() -> None:
    with pytest.raises(ViewError, match="unknown view 'agencies' \\(choose from full, entities"):
        to_networkx(new_graph(), "agencies")


def test_qname() -> None:
    assert qname(YB.Region) == "yb:Region"
    assert qname(URIRef("http://example.org/a")) == "http://example.org/a"
