"""Linked records → RDF (kg.graph.rdfgraph): identities, the region tree, statements with evidence.

One small graph is built from LinkedReport records written by hand and compared
with the expected graph written in Turtle; the rest builds written reports from
temporary files (several reports citing the same documents) or reads the seeds'
graph from the session fixture.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, RDFS, SKOS

from kg.base.namespaces import DCTERMS, PROG, YB, YBR
from kg.base.records import (
    Document,
    Evidence,
    HeaderField,
    LinkedCitation,
    LinkedRegion,
    LinkedReport,
    Relation,
)
from kg.graph.rdfgraph import (
    GraphBuilder,
    document_iri,
    entity_iri,
    merge_citation_keys,
    new_graph,
    region_iri,
    report_iri,
)
from kg.run.build import BuildResult, build_reports

# --- helpers ------------------------------------------------------------------


def build_folder(tmp_path: Path, texts: dict[str, str]) -> BuildResult:
    folder = tmp_path / "reports"
    folder.mkdir(parents=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = build_reports([folder])
    assert not result.errors, result.errors
    assert len(result.reports) == len(texts)
    return result


def policy_documents(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, YB.PolicyDocument) if isinstance(s, URIRef)}


def summary(region: str, body: str, year: int = 2022) -> str:
    """A short work summary of ``region`` with ``body`` as its text."""
    return (f"{region}医疗保障局{year}年工作总结\n\n{year}年，{body}"
            "全年医疗保障工作稳步推进，参保群众获得感持续增强。\n")


# --- IRIs from content ------------------------------------------------------------------


def test_iri_functions() -> None:
    sha = hashlib.sha256(b"report").hexdigest()
    assert report_iri(sha) == URIRef(f"https://w3id.org/yibao-kg/id/report/{sha[:16]}")
    assert region_iri("622921") == URIRef("https://w3id.org/yibao-kg/id/region/622921")
    assert document_iri("number:医保发〔2021〕48号") == YBR["document/医保发〔2021〕48号"]
    by_title = document_iri("title:关于建立长期护理保险制度的指导意见")
    assert re.fullmatch(r"https://w3id\.org/yibao-kg/id/document/t-[0-9a-f]{16}", str(by_title))
    assert by_title == document_iri("title:关于建立长期护理保险制度的指导意见")
    assert by_title != document_iri("title:关于建立长期护理保险制度的意见")
    assert entity_iri("region:510900") == region_iri("510900")
    assert entity_iri("program:DRG") == PROG.DRG
    with pytest.raises(ValueError):
        entity_iri("person:袁冰")


def test_document_keys_in_relations_name_the_document_node() -> None:
    # records.Relation: keys understood by the graph layer include ``document:<key>``
    key = "number:医保发〔2021〕48号"
    assert entity_iri(f"document:{key}") == document_iri(key)


def test_report_iri_is_the_hash_of_the_file_bytes(tmp_path: Path) -> None:
    text = summary("临夏县", "全县推进DRG付费改革。")
    result = build_folder(tmp_path, {"a.txt": text})
    g = result.graph(ontology=False)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (rep,) = g.subjects(RDF.type, YB.Report)
    assert rep == report_iri(sha)
    assert g.value(rep, YB.sha256) == Literal(sha)
    assert g.value(rep, YB.sourceFile) == Literal("a.txt")


def test_iris_do_not_depend_on_file_names_or_order(tmp_path: Path) -> None:
    a = summary("临夏县", "全县推进DRG付费改革，落实《医疗保障基金使用监督管理条例》。")
    b = summary("甘州区", "全区推进DIP付费，落实医保发〔2021〕48号文件。")
    first = build_folder(tmp_path / "one", {"1.txt": a, "2.txt": b}).graph(ontology=False)
    second = build_folder(tmp_path / "two", {"1.txt": b, "2.txt": a}).graph(ontology=False)
    names = {YB.sourceFile}
    strip = [t for t in first if t[1] not in names]
    assert set(strip) == {t for t in second if t[1] not in names}


def test_same_number_with_other_brackets_is_one_node(tmp_path: Path) -> None:
    texts = {
        "a.txt": summary("临夏县", "全县按照医保发〔2021〕48号文件要求推进DRG付费改革。"),
        "b.txt": summary("甘州区", "全区落实医保发[2021]48号文件，推进DIP付费。"),
        "c.txt": summary("延边州", "全州落实医保发（2021）48号文件，推进支付方式改革。"),
    }
    g = build_folder(tmp_path, texts).graph(ontology=False)
    docs = policy_documents(g)
    assert docs == {YBR["document/医保发〔2021〕48号"]}
    (doc,) = docs
    assert list(g.objects(doc, YB.docNumber)) == [Literal("医保发〔2021〕48号")]
    assert list(g.objects(doc, DCTERMS.issued)) == [Literal("2021", datatype=rdfns.XSD.gYear)]
    assert len(set(g.subjects(DCTERMS.references, doc))) == 3


def test_same_title_in_two_reports_is_one_node(tmp_path: Path) -> None:
    texts = {
        "a.txt": summary("临夏县", "全县贯彻《医疗保障基金使用监督管理条例》，开展打击欺诈骗保专项行动。"),
        "b.txt": summary("成都市", "全市学习《医疗保障基金使用监督管理条例》，推进智能监管。", 2023),
    }
    g = build_folder(tmp_path, texts).graph(ontology=False)
    (doc,) = policy_documents(g)
    assert doc == document_iri("title:医疗保障基金使用监督管理条例")
    assert g.value(doc, DCTERMS.title) == Literal("医疗保障基金使用监督管理条例", lang="zh")
    assert (doc, YB.docNumber, None) not in g
    assert len(set(g.subjects(DCTERMS.references, doc))) == 2


def test_title_with_number_in_one_report_and_alone_in_another_is_one_node(
    tmp_path: Path,
) -> None:
    title = "关于印发DRG/DIP支付方式改革三年行动计划的通知"
    texts = {
        "a.txt": summary("临夏县", f"全县按照《{title}》（医保发〔2021〕48号）要求推进DRG付费。"),
        "b.txt": summary("甘州区", f"全区认真落实《{title}》，推进DIP付费。"),
    }
    result = build_folder(tmp_path, texts)
    alone = [c for r in result.reports for c in r.citations if c.doc_number is None]
    assert [c.key for c in alone] == [f"title:{title}"]  # before merging, a title key
    merged = merge_citation_keys(result.reports)
    assert {c.key for r in merged for c in r.citations} == {"number:医保发〔2021〕48号"}
    g = result.graph(ontology=False)
    assert policy_documents(g) == {YBR["document/医保发〔2021〕48号"]}
    assert len(set(g.subjects(DCTERMS.references, YBR["document/医保发〔2021〕48号"]))) == 2


def test_merge_keeps_different_titles_apart(tmp_path: Path) -> None:
    texts = {
        "a.txt": summary("临夏县", "全县按照《关于做好2021年城乡居民基本医疗保障工作的通知》"
                                   "（医保发〔2021〕32号）要求提高财政补助标准。"),
        "b.txt": summary("甘州区", "全区按照《关于做好2022年城乡居民基本医疗保障工作的通知》要求提高补助。"),
    }
    g = build_folder(tmp_path, texts).graph(ontology=False)
    assert len(policy_documents(g)) == 2


# --- the region tree ----------------------------------------------------------------------


def test_part_of_chain_up_to_china_with_levels_and_labels(tmp_path: Path) -> None:
    g = build_folder(tmp_path, {"a.txt": summary("临夏县", "全县推进DRG付费改革。")}).graph(
        ontology=False)
    (rep,) = g.subjects(RDF.type, YB.Report)
    assert g.value(rep, DCTERMS.spatial) == region_iri("622921")
    chain = []
    node: URIRef | None = region_iri("622921")
    while node is not None:
        chain.append((str(g.value(node, YB.adminCode)), g.value(node, YB.adminLevel),
                      str(g.value(node, RDFS.label))))
        parent = g.value(node, YB.partOf)
        node = parent if isinstance(parent, URIRef) else None
    assert chain == [
        ("622921", YB.County, "临夏县"),
        ("622900", YB.Prefecture, "临夏回族自治州"),
        ("620000", YB.Province, "甘肃省"),
        ("100000", YB.Country, "中华人民共和国"),
    ]
    assert set(g.objects(region_iri("622900"), SKOS.altLabel)) == {
        Literal("临夏", lang="zh"), Literal("临夏州", lang="zh")}
    for code in ("622921", "622900", "620000", "100000"):
        assert (region_iri(code), RDF.type, YB.Region) in g


def test_municipal_district_is_part_of_the_municipality(tmp_path: Path) -> None:
    g = new_graph()
    GraphBuilder().add_region(g, "110105")
    assert g.value(region_iri("110105"), YB.partOf) == region_iri("110000")
    assert g.value(region_iri("110000"), YB.partOf) == region_iri("100000")
    assert g.value(region_iri("110000"), YB.adminLevel) == YB.Province
    assert (region_iri("100000"), YB.partOf, None) not in g


def test_every_region_of_the_seeds_reaches_china(seeds_graph: Graph) -> None:
    regions = set(seeds_graph.subjects(RDF.type, YB.Region))
    assert region_iri("100000") in regions
    for region in regions:
        node, steps = region, 0
        while node != region_iri("100000"):
            node = seeds_graph.value(node, YB.partOf)
            assert node in regions
            steps += 1
            assert steps <= 3
        assert re.fullmatch(r"\d{6}", str(seeds_graph.value(region, YB.adminCode)))
        assert seeds_graph.value(region, RDFS.label) is not None


# --- relations and their statements --------------------------------------------------------


def _documents_by_report(result: BuildResult) -> dict[URIRef, str]:
    return {report_iri(r.document.sha256): r.document.text for r in result.reports}


def check_statements(g: Graph, texts: dict[URIRef, str]) -> int:
    """Every statement's triple is in ``g`` and its evidence slices its report's text."""
    n = 0
    for stmt in g.subjects(RDF.type, RDF.Statement):
        s, p, o = (g.value(stmt, RDF.subject), g.value(stmt, RDF.predicate),
                   g.value(stmt, RDF.object))
        assert (s, p, o) in g
        evidence = list(g.objects(stmt, YB.evidence))
        assert evidence
        for ev in evidence:
            assert (ev, RDF.type, YB.Evidence) in g
            text = texts[g.value(ev, YB.source)]
            start, end = int(g.value(ev, YB.start)), int(g.value(ev, YB.end))
            sentence = str(g.value(ev, YB.text))
            assert 0 <= start < end <= len(text)
            phrase = text[start:end]
            assert phrase in sentence
            # the sentence stands in the text around the phrase
            assert any(text.startswith(sentence, k) and k <= start and end <= k + len(sentence)
                       for k in range(max(0, start - len(sentence)), start + 1))
        n += 1
    return n


def test_statements_of_the_seeds_carry_evidence(seeds_result: BuildResult,
                                                 seeds_graph: Graph) -> None:
    relations = sum(len(r.relations) for r in seeds_result.reports)
    assert relations > 20
    n = check_statements(seeds_graph, _documents_by_report(seeds_result))
    expected = {(r.subject, r.predicate, r.obj, rep.document.sha256, r.evidence.start)
                for rep in seeds_result.reports for r in rep.relations}
    # dcterms:creator of cited documents: one statement per citation and creator
    expected |= {(c.key, "creator", name, rep.document.sha256, c.evidence.start)
                 for rep in merge_citation_keys(seeds_result.reports)
                 for c in rep.citations for name in c.creators}
    assert any(c.creators for rep in seeds_result.reports for c in rep.citations)
    assert n == len(expected)


def test_statement_evidence_gives_back_the_phrase(tmp_path: Path) -> None:
    text = ("南昌市医疗保障局2022年工作总结\n\n2022年，全市深入推进DRG付费改革。"
            "上饶市作为全国长期护理保险制度试点城市，为我市提供了有益经验。\n")
    result = build_folder(tmp_path, {"nc.txt": text})
    g = result.graph(ontology=False)
    assert check_statements(g, _documents_by_report(result)) >= 3
    phrases = {}
    for stmt in g.subjects(RDF.type, RDF.Statement):
        ev = g.value(stmt, YB.evidence)
        key = (g.value(stmt, RDF.subject), g.value(stmt, RDF.predicate), g.value(stmt, RDF.object))
        phrases[key] = text[int(g.value(ev, YB.start)):int(g.value(ev, YB.end))]
    assert phrases[(region_iri("360100"), YB.implements, PROG.DRG)] == "DRG付费改革"
    assert phrases[(region_iri("361100"), YB.pilotOf, PROG.LongTermCareInsurance)] == \
        "长期护理保险制度"


# --- a small graph against the expected Turtle ---------------------------------------------

SHA = "0f" * 32
TEXT = "北京市朝阳区医疗保障局2023年工作总结\n全区二级以上医院全部实行DRG付费。\n来源：朝阳区医疗保障局"
TITLE = "北京市朝阳区医疗保障局2023年工作总结"
SENTENCE = "全区二级以上医院全部实行DRG付费。"
NOTICE = "关于印发DRG/DIP支付方式改革三年行动计划的通知"


def hand_built_report() -> LinkedReport:
    assert TEXT[33:38] == "DRG付费" and TEXT[21:23] == "全区"
    src = TEXT.index("朝阳区医疗保障局", 30)
    document = Document(
        source_file="chaoyang.txt", path="in/chaoyang.txt", text=TEXT, sha256=SHA,
        encoding="utf-8", media_type="text/plain", title=TITLE, title_span=(0, 20),
        header=(HeaderField("source", "来源", "朝阳区医疗保障局", src, src + 8),),
        skip=((src - 3, len(TEXT)),),
    )
    return LinkedReport(
        document=document,
        home_region="110105",
        kind="WorkSummary",
        issued="2023-12",
        regions=(LinkedRegion("110105", Evidence(SENTENCE, 21, 23)),),
        programs=("DRG",),
        citations=(LinkedCitation("number:医保发〔2021〕48号", NOTICE, "医保发〔2021〕48号",
                                  Evidence(SENTENCE, 33, 38)),),
        relations=(Relation("region:110105", "implements", "program:DRG",
                            Evidence(SENTENCE, 33, 38)),),
    )


EXPECTED = f"""
@prefix yb: <https://w3id.org/yibao-kg/ontology#> .
@prefix region: <https://w3id.org/yibao-kg/id/region/> .
@prefix report: <https://w3id.org/yibao-kg/id/report/> .
@prefix doc: <https://w3id.org/yibao-kg/id/document/> .
@prefix prog: <https://w3id.org/yibao-kg/program/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

report:0f0f0f0f0f0f0f0f a yb:Report ;
    yb:sourceFile "chaoyang.txt" ;
    yb:sha256 "{SHA}" ;
    yb:reportKind yb:WorkSummary ;
    dcterms:title "{TITLE}"@zh ;
    dcterms:issued "2023-12"^^xsd:gYearMonth ;
    yb:headerSource "朝阳区医疗保障局"@zh ;
    dcterms:spatial region:110105 ;
    yb:mentions region:110105 , prog:DRG , doc:医保发〔2021〕48号 ;
    dcterms:references doc:医保发〔2021〕48号 .

region:110105 a yb:Region ;
    yb:adminCode "110105" ;
    yb:adminLevel yb:County ;
    rdfs:label "朝阳区"@zh ;
    skos:altLabel "朝阳"@zh ;
    yb:partOf region:110000 ;
    yb:implements prog:DRG .

region:110000 a yb:Region ;
    yb:adminCode "110000" ;
    yb:adminLevel yb:Province ;
    rdfs:label "北京市"@zh ;
    skos:altLabel "北京"@zh ;
    yb:partOf region:100000 .

region:100000 a yb:Region ;
    yb:adminCode "100000" ;
    yb:adminLevel yb:Country ;
    rdfs:label "中华人民共和国"@zh ;
    skos:altLabel "中国"@zh .

doc:医保发〔2021〕48号 a yb:PolicyDocument ;
    dcterms:title "{NOTICE}"@zh ;
    yb:docNumber "医保发〔2021〕48号" ;
    dcterms:issued "2021"^^xsd:gYear .

[] a rdf:Statement ;
    rdf:subject region:110105 ;
    rdf:predicate yb:implements ;
    rdf:object prog:DRG ;
    yb:evidence <https://w3id.org/yibao-kg/id/evidence/0f0f0f0f0f0f0f0f/33-38> .

<https://w3id.org/yibao-kg/id/evidence/0f0f0f0f0f0f0f0f/33-38> a yb:Evidence ;
    yb:text "{SENTENCE}"@zh ;
    yb:start 33 ;
    yb:end 38 ;
    yb:source report:0f0f0f0f0f0f0f0f .
"""


def _statements_as_blank_nodes(g: Graph) -> Graph:
    """``g`` with each ``ybr:statement/…`` IRI (an opaque hash) replaced by a blank node."""
    pattern = re.compile(r"https://w3id\.org/yibao-kg/id/statement/[0-9a-f]{16}")
    names: dict[URIRef, BNode] = {}
    for stmt in g.subjects(RDF.type, RDF.Statement):
        assert isinstance(stmt, URIRef) and pattern.fullmatch(str(stmt)), stmt
        names[stmt] = BNode()
    out = Graph()
    for s, p, o in g:
        out.add((names.get(s, s), p, names.get(o, o)))  # type: ignore[arg-type]
    return out


def test_hand_built_report_gives_the_expected_graph() -> None:
    g = new_graph()
    GraphBuilder().add_report(g, hand_built_report())
    got = _statements_as_blank_nodes(g)
    expected = Graph().parse(data=EXPECTED, format="turtle")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(f"unexpected: {sorted(only_got)}\nmissing: {sorted(only_expected)}")


def test_hand_built_report_is_the_same_graph_twice() -> None:
    a, b = new_graph(), new_graph()
    GraphBuilder().add_report(a, hand_built_report())
    GraphBuilder().add_report(b, hand_built_report())
    assert set(a) == set(b)
    GraphBuilder().add_report(b, hand_built_report())  # adding again adds nothing
    assert set(a) == set(b)
