"""Agencies: mentions, official names per level, publisher, creators and relations.

The reports here are written by us in the genre's style, for regions and
levels the seeds do not cover (a district of 泰州, the prefecture 绵阳, the
province 甘肃, the national administration); the seed checks read real text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.base.namespaces import DCTERMS, ORG, YB
from kg.base.records import LinkedReport, Sentence
from kg.base.regions import gazetteer
from kg.extract.agencies import find_agencies
from kg.graph.rdfgraph import agency_iri
from kg.link.agencynames import issuers, official_names, region_name
from kg.run.build import BuildResult, build_report, build_reports

COUNTY = """泰州市姜堰区医疗保障局2022年工作总结

2022年，在区委、区政府和市医保局的正确领导下，全区医疗保障工作取得新成效。
我局联合区卫健局、区市场监管局、区公安局开展打击欺诈骗保专项整治。
与税务部门建立参保缴费数据共享机制，邀请区纪委监委派驻纪检组参加重要决策。
区医保中心加强经办管理，泰州市医疗保障服务中心姜堰分中心完成窗口改造。
各级医保部门和县(区)医疗保障局要加强协同，市县医保局同步推进。
"""

PREFECTURE = """绵阳市医疗保障局关于市政协十届二次会议第45号提案的答复

张华委员：
您提出的提案收悉，现答复如下。
2020年，市人社局、市财政局、市卫健委、市民政局四部门联合印发《关于完善城乡居民医疗保障的通知》（绵人社发〔2020〕12号）。
本局会同市审计局、市乡村振兴局开展专项审计，市纪委监委全程监督。
市人大常委会听取了全市医疗保障工作情况报告。
按照国家医疗保障局办公室、财政部办公厅《关于做好医保基金监管工作的通知》（医保办发〔2019〕14号）要求，我局印发了《绵阳市医保基金监管工作方案》。

绵阳市医疗保障局
2021年6月30日
"""

PROVINCE = """甘肃省医疗保障局2023年工作要点

2023年，在省委、省政府的坚强领导下，在国家医保局的指导下，全省医保系统扎实推进各项改革。
省医保局会同省财政厅、省人社厅、省卫生健康委联合印发《甘肃省职工基本医疗保险门诊共济保障实施办法》。
认真落实国务院办公厅《关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）。
加强与省税务局、省民政厅、省审计厅的协同配合，完善医保、财政、税务之间的数据对接。
"""

NATIONAL = """国家医疗保障局2022年医疗保障事业发展统计快报

2022年，国家医保局会同财政部、国家税务总局印发《关于做好2022年城乡居民基本医疗保障工作的通知》（医保发〔2022〕20号）。
党中央、国务院高度重视医疗保障工作，全国人大常委会开展医疗保障立法调研。
"""


def _report(tmp_path: Path, name: str, text: str) -> LinkedReport:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_report(path)


def _bodies(report: LinkedReport) -> dict[str, tuple[str, str | None]]:
    return {a.name: (a.agency_type, a.jurisdiction) for a in report.agencies}


def _relations(report: LinkedReport, predicate: str) -> set[tuple[str, str]]:
    return {(r.subject.removeprefix("agency:"), r.obj.removeprefix("agency:"))
            for r in report.relations if r.predicate == predicate}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, LinkedReport]:
    tmp = tmp_path_factory.mktemp("agencies")
    return {name: _report(tmp, f"{name}.txt", text) for name, text in
            (("county", COUNTY), ("prefecture", PREFECTURE), ("province", PROVINCE),
             ("national", NATIONAL))}


# --- every abbreviation of the issue, at its level ---------------------------

@pytest.mark.parametrize(("level", "name", "agency_type", "code"), [
    # a district of 泰州: district bodies carry their city's name
    ("county", "中国共产党泰州市姜堰区委员会", "PartyCommittee", "321204"),
    ("county", "泰州市姜堰区人民政府", "Government", "321204"),
    ("county", "泰州市医疗保障局", "HealthcareSecurity", "321200"),
    ("county", "泰州市姜堰区医疗保障局", "HealthcareSecurity", "321204"),
    ("county", "泰州市姜堰区卫生健康局", "HealthCommission", "321204"),
    ("county", "泰州市姜堰区市场监督管理局", "MarketRegulation", "321204"),
    ("county", "泰州市姜堰区公安局", "PublicSecurity", "321204"),
    ("county", "国家税务总局泰州市姜堰区税务局", "Taxation", "321204"),
    ("county", "中国共产党泰州市姜堰区纪律检查委员会", "DisciplineInspection", "321204"),
    ("county", "泰州市姜堰区监察委员会", "DisciplineInspection", "321204"),
    ("county", "泰州市医疗保障服务中心", "HealthcareSecurity", "321200"),
    ("county", "泰州市医疗保障服务中心姜堰分中心", "HealthcareSecurity", "321204"),
    # a prefecture
    ("prefecture", "绵阳市医疗保障局", "HealthcareSecurity", "510700"),
    ("prefecture", "中国人民政治协商会议绵阳市委员会", "CPPCC", "510700"),
    ("prefecture", "绵阳市人力资源和社会保障局", "HumanResourcesSocialSecurity", "510700"),
    ("prefecture", "绵阳市财政局", "Finance", "510700"),
    ("prefecture", "绵阳市卫生健康委员会", "HealthCommission", "510700"),
    ("prefecture", "绵阳市民政局", "CivilAffairs", "510700"),
    ("prefecture", "绵阳市审计局", "Audit", "510700"),
    ("prefecture", "绵阳市乡村振兴局", "RuralRevitalization", "510700"),
    ("prefecture", "绵阳市人民代表大会常务委员会", "PeoplesCongress", "510700"),
    ("prefecture", "国家医疗保障局办公室", "HealthcareSecurity", "100000"),
    ("prefecture", "财政部办公厅", "Finance", "100000"),
    # a province: 厅 where provinces have them
    ("province", "中国共产党甘肃省委员会", "PartyCommittee", "620000"),
    ("province", "甘肃省人民政府", "Government", "620000"),
    ("province", "国家医疗保障局", "HealthcareSecurity", "100000"),
    ("province", "甘肃省医疗保障局", "HealthcareSecurity", "620000"),
    ("province", "甘肃省财政厅", "Finance", "620000"),
    ("province", "甘肃省人力资源和社会保障厅", "HumanResourcesSocialSecurity", "620000"),
    ("province", "甘肃省卫生健康委员会", "HealthCommission", "620000"),
    ("province", "国家税务总局甘肃省税务局", "Taxation", "620000"),
    ("province", "甘肃省民政厅", "CivilAffairs", "620000"),
    ("province", "甘肃省审计厅", "Audit", "620000"),
    ("province", "国务院办公厅", "Government", "100000"),
    # national
    ("national", "国家医疗保障局", "HealthcareSecurity", "100000"),
    ("national", "财政部", "Finance", "100000"),
    ("national", "国家税务总局", "Taxation", "100000"),
    ("national", "中国共产党中央委员会", "PartyCommittee", "100000"),
    ("national", "国务院", "Government", "100000"),
    ("national", "全国人民代表大会常务委员会", "PeoplesCongress", "100000"),
])
def test_bodies_get_their_official_names(reports: dict[str, LinkedReport], level: str, name: str,
                                         agency_type: str, code: str) -> None:
    assert _bodies(reports[level]).get(name) == (agency_type, code)


def test_generic_references_are_not_bodies(reports: dict[str, LinkedReport]) -> None:
    # 各级医保部门, 县(区)医疗保障局, 市县医保局 speak of every body of a kind
    county = reports["county"]
    spans = [(a.evidence.start, a.evidence.end) for a in county.agencies]
    text = county.document.text
    last_line = text.index("各级医保部门")
    assert not [s for s in spans if s[0] >= last_line]


def test_no_body_is_invented(reports: dict[str, LinkedReport]) -> None:
    names = set(_bodies(reports["province"]))
    assert "财政部" not in names  # 财政 in 医保、财政、税务之间 is the province's 财政厅
    assert not any(n.endswith("委员会委员") for r in reports.values() for n in _bodies(r))


# --- publisher, 我局/本局 -------------------------------------------------------

def test_publisher_from_title_signature_and_self_reference(reports: dict[str, LinkedReport]) -> None:
    assert reports["county"].publisher == "泰州市姜堰区医疗保障局"  # the title
    assert reports["prefecture"].publisher == "绵阳市医疗保障局"  # title and signature
    assert reports["province"].publisher == "甘肃省医疗保障局"
    assert reports["national"].publisher == "国家医疗保障局"


def test_publisher_from_header_line(tmp_path: Path) -> None:
    text = ("来源：市医保局 发布时间：2022-03-01\n\n2021年，常德市全市参保人数稳定增长，"
            "我局扎实推进医保支付方式改革和基金监管工作，群众满意度持续提升。\n")
    report = _report(tmp_path, "header.txt", text)
    assert report.publisher == "常德市医疗保障局"


# --- relations -------------------------------------------------------------------

def test_cooperation_of_the_publisher(reports: dict[str, LinkedReport]) -> None:
    coop = _relations(reports["county"], "cooperatesWith")
    me = "泰州市姜堰区医疗保障局"
    for other in ("泰州市姜堰区卫生健康局", "泰州市姜堰区市场监督管理局", "泰州市姜堰区公安局",
                  "国家税务总局泰州市姜堰区税务局"):
        assert (me, other) in coop
    assert (me, "泰州市医疗保障局") not in coop  # 领导 is not cooperation


def test_cooperation_with_each_of_two_regions_bodies(tmp_path: Path) -> None:
    text = ("德阳市医疗保障局2023年工作总结\n2023年，德阳与绵阳、广元两地医保部门签订医疗保障"
            "协同发展合作协议，在异地就医直接结算、基金监管等8个方面开展合作。\n")
    coop = _relations(_report(tmp_path, "coop.txt", text), "cooperatesWith")
    assert {("德阳市医疗保障局", "绵阳市医疗保障局"), ("德阳市医疗保障局", "广元市医疗保障局")} <= coop


def test_sub_organizations(reports: dict[str, LinkedReport]) -> None:
    subs = _relations(reports["county"], "subOrganizationOf")
    assert ("泰州市医疗保障服务中心姜堰分中心", "泰州市医疗保障服务中心") in subs
    assert ("泰州市医疗保障服务中心", "泰州市医疗保障局") in subs
    # 纪委监委派驻纪检组: one unit, of the first body named
    assert ("中国共产党泰州市姜堰区纪律检查委员会派驻纪检组",
            "中国共产党泰州市姜堰区纪律检查委员会") in subs
    assert not any(s.startswith("泰州市姜堰区监察委员会派驻") for s, _ in subs)
    subs = _relations(reports["prefecture"], "subOrganizationOf")
    assert ("国家医疗保障局办公室", "国家医疗保障局") in subs
    assert ("财政部办公厅", "财政部") in subs


def _creators(report: LinkedReport) -> dict[str, set[str]]:
    return {c.doc_number or c.title or "": set(c.creators) for c in report.citations}


def test_creators_from_joint_issuers_and_codes(reports: dict[str, LinkedReport]) -> None:
    creators = _creators(reports["prefecture"])
    assert creators["绵人社发〔2020〕12号"] == {
        "绵阳市人力资源和社会保障局", "绵阳市财政局", "绵阳市卫生健康委员会", "绵阳市民政局"}
    assert creators["医保办发〔2019〕14号"] == {"国家医疗保障局办公室", "财政部办公厅"}
    assert creators["绵阳市医保基金监管工作方案"] == {"绵阳市医疗保障局"}  # 我局印发了《…》
    province = _creators(reports["province"])
    assert province["甘肃省职工基本医疗保险门诊共济保障实施办法"] == {
        "甘肃省医疗保障局", "甘肃省财政厅", "甘肃省人力资源和社会保障厅", "甘肃省卫生健康委员会"}
    assert province["国办发〔2021〕42号"] == {"国务院办公厅"}
    national = _creators(reports["national"])
    assert national["医保发〔2022〕20号"] == {"国家医疗保障局", "财政部", "国家税务总局"}


@pytest.mark.parametrize(("code", "home", "expected"), [
    ("医保发", None, ["国家医疗保障局"]),
    ("医保办发", None, ["国家医疗保障局办公室"]),
    ("国发", None, ["国务院"]),
    ("国办发", None, ["国务院办公厅"]),
    ("中发", None, ["中国共产党中央委员会"]),
    ("人社部发", None, ["人力资源和社会保障部"]),
    ("财社", None, ["财政部"]),
    ("民发", None, ["民政部"]),
    ("国卫医发", None, ["国家卫生健康委员会"]),
    ("发改价格", None, ["国家发展和改革委员会"]),
    ("川医保发", "510700", ["四川省医疗保障局"]),
    ("绵人社发", "510700", ["绵阳市人力资源和社会保障局"]),
    ("遂人社办发", "510900", ["遂宁市人力资源和社会保障局办公室"]),
    ("遂府办函", "510900", ["遂宁市人民政府办公室"]),
    ("甘医保发", "621124", ["甘肃省医疗保障局"]),
    ("临医保发", "621124", ["临洮县医疗保障局"]),
    ("泰政办发", "321204", ["泰州市人民政府办公室"]),
    ("苏医保发", "321204", ["江苏省医疗保障局"]),
])
def test_issuers_of_document_codes(code: str, home: str | None, expected: list[str]) -> None:
    assert [i.name for i in issuers(code, home, gazetteer())] == expected


def test_unknown_code_names_no_issuer() -> None:
    assert issuers("某某发", "510700", gazetteer()) == ()


# --- naming rules ------------------------------------------------------------------

def test_naming_rule_per_level() -> None:
    from kg.extract.agencies import agency_forms

    gaz = gazetteer()
    row = agency_forms()["人社局"]
    assert official_names(row, "620000", gaz) == ("甘肃省人力资源和社会保障厅",)
    assert official_names(row, "510700", gaz) == ("绵阳市人力资源和社会保障局",)
    assert official_names(row, "321204", gaz) == ("泰州市姜堰区人力资源和社会保障局",)
    assert official_names(row, "100000", gaz) == ()  # no national 人社局: the ministry is 人社部
    assert region_name("621124", gaz) == "临洮县"  # a county by its own name
    assert official_names(agency_forms()["纪委监委"], "510700", gaz) == (
        "中国共产党绵阳市纪律检查委员会", "绵阳市监察委员会")


def test_find_agencies_reads_list_and_levels() -> None:
    text = "同民政、残联、乡村振兴等部门建立沟通机制，与乡村振兴有效衔接，财政部门加强保障。"
    found = [(m.text, m.form) for m in find_agencies(text, [Sentence(0, len(text), text)], [])]
    assert found == [("民政", "民政"), ("残联", "残联"), ("乡村振兴", "乡村振兴"),
                     ("财政", "财政")]


# --- identity across reports, and the graph ------------------------------------------

def test_same_body_and_document_in_two_reports_is_one_node(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("绵阳市医疗保障局2021年工作总结\n\n2021年，市医保局认真落实《关于完善城乡居民医疗保障的通知》（绵人社发〔2020〕12号）。\n",
                 encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("四川省医疗保障局2021年工作通报\n\n绵阳市医疗保障局按照绵人社发(2020)12号文件要求，扎实推进工作。\n",
                 encoding="utf-8")
    g = build_reports([a, b]).graph(ontology=False)
    node = agency_iri("绵阳市医疗保障局")
    assert (node, RDF.type, YB.Agency) in g
    assert len(list(g.objects(node, RDFS.label))) == 1
    reports = set(g.subjects(YB.mentions, node))
    assert len(reports) == 2
    docs = {d for d in g.subjects(RDF.type, YB.PolicyDocument)
            if (d, YB.docNumber, Literal("绵人社发〔2020〕12号")) in g}
    assert len(docs) == 1
    assert set(g.subjects(DCTERMS.references, docs.pop())) == reports


def test_seed_bodies_and_relations(seeds_result: BuildResult, seeds_graph: Graph) -> None:
    by_stem = {r.document.stem: r for r in seeds_result.reports}
    lhasa, suining = by_stem["002_65a502b2b886f2ef"], by_stem["003_61c142726be8746b"]
    assert lhasa.publisher == "拉萨市医疗保障局"  # 来源：市医保局
    assert suining.publisher == "遂宁市医疗保障局"
    assert ("拉萨市医疗保障局", "拉萨市公安局") in _relations(lhasa, "cooperatesWith")
    creators = _creators(suining)
    assert creators["人社部发〔2012〕70号"] == {"人力资源和社会保障部", "财政部", "卫生部"}
    assert "遂宁市人力资源和社会保障局办公室" in creators["遂人社办发〔2013〕108号"]
    # every body of the graph is typed, named once and placed
    for node in seeds_graph.subjects(RDF.type, YB.Agency):
        assert len(list(seeds_graph.objects(node, RDFS.label))) == 1
        assert len(list(seeds_graph.objects(node, YB.agencyType))) == 1
    for _s, _p, o in seeds_graph.triples((None, ORG.subOrganizationOf, None)):
        assert (o, RDF.type, YB.Agency) in seeds_graph
