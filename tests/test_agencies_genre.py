"""Agencies as real reports write them: joint abbreviations, bodies that act,
lists of levels, replies to proposals, header lines, units and their parents,
and regions that are only part of a name.

Every report here is written by us in the genre's style, for places and levels
of our choosing (宜宾市, 仁寿县, 云南省, 邛崃市, 重庆市江津区, 屏山县…); none is
copied from a real report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.base.namespaces import ORG, YB
from kg.base.records import LinkedReport, Sentence
from kg.extract.agencies import find_agencies
from kg.graph.rdfgraph import agency_iri, region_iri
from kg.run.build import build_report, build_reports


def _report(tmp_path: Path, text: str, name: str = "report.txt") -> LinkedReport:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_report(path)


def _names(report: LinkedReport) -> set[str]:
    """The bodies the report mentions (a parent known only as such is left out)."""
    return {a.name for a in report.agencies if a.mentioned}


def _types(report: LinkedReport) -> dict[str, str]:
    return {a.name: a.agency_type for a in report.agencies}


def _graph(tmp_path: Path, text: str, name: str = "report.txt") -> Graph:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_reports([path]).graph(ontology=False)


# --- joint abbreviations and courts ------------------------------------------------

PREFECTURE = """宜宾市医疗保障局2023年基金监管工作总结

2023年，市医保局联合公检法、财政、卫健等部门开展打击欺诈骗保专项行动，追回医保基金1260万元。
市医保局会同市中级人民法院、人民检察院、公安局建立行刑衔接机制。
与法院建立涉医保案件信息通报制度，联合卫健、药监等部门开展药品耗材专项检查。
市社保局配合开展参保数据比对，市发改局参与医疗服务价格调整。
"""


@pytest.fixture(scope="module")
def prefecture(tmp_path_factory: pytest.TempPathFactory) -> LinkedReport:
    return _report(tmp_path_factory.mktemp("pref"), PREFECTURE)


def test_joint_abbreviation_names_each_body_at_its_level(prefecture: LinkedReport) -> None:
    names, types = _names(prefecture), _types(prefecture)
    # 公检法 of a prefecture: its intermediate court, its procuratorate, its police
    for name in ("宜宾市中级人民法院", "宜宾市人民检察院", "宜宾市公安局"):
        assert name in names
    assert types["宜宾市中级人民法院"] == "OtherAgency"
    assert types["宜宾市公安局"] == "PublicSecurity"


def test_joint_abbreviation_at_county_and_province(tmp_path: Path) -> None:
    county = _report(tmp_path, "仁寿县医疗保障局2022年工作总结\n\n"
                     "2022年，县医保局联合公检法等部门开展专项整治，移送案件3件。\n", "county.txt")
    assert {"仁寿县人民法院", "仁寿县人民检察院", "仁寿县公安局"} <= _names(county)
    province = _report(tmp_path, "云南省医疗保障局2022年工作要点\n\n"
                       "省医保局会同公检法等部门健全医保基金监管协作机制。\n", "province.txt")
    assert {"云南省高级人民法院", "云南省人民检察院", "云南省公安厅"} <= _names(province)


def test_a_court_is_named_only_where_its_level_is_said(prefecture: LinkedReport) -> None:
    # 人民检察院 listed after 市中级人民法院 shares its city; 与法院… says no level
    bare = PREFECTURE.index("与法院") + 1
    courts = [a for a in prefecture.agencies if a.name.endswith("法院")]
    assert [a.name for a in courts] == ["宜宾市中级人民法院"] * len(courts)
    assert not any(a.evidence.start <= bare < a.evidence.end for a in courts)
    sentence = "与法院建立涉医保案件信息通报制度。"
    assert find_agencies(sentence, [Sentence(0, len(sentence), sentence)], []) == []


def test_drug_regulation_is_a_province_body(prefecture: LinkedReport, tmp_path: Path) -> None:
    # below the province, 药监 is the market regulator's work: no body of its own
    assert not any("药品监督管理局" in n for n in _names(prefecture))
    province = _report(tmp_path, "云南省医疗保障局2021年工作总结\n\n"
                       "2021年，联合卫健、公安、药监等部门开展打击欺诈骗保专项治理。\n")
    assert "云南省药品监督管理局" in _names(province)
    assert _types(province)["云南省药品监督管理局"] == "MarketRegulation"


def test_social_insurance_and_development_bureaus(prefecture: LinkedReport, tmp_path: Path) -> None:
    names, types = _names(prefecture), _types(prefecture)
    assert "宜宾市社会保险事业局" in names
    assert types["宜宾市社会保险事业局"] == "HumanResourcesSocialSecurity"
    assert "宜宾市发展和改革局" in names
    # the social insurance agency belongs to the human resources bureau, a node the
    # report does not name
    parent = next(a for a in prefecture.agencies if a.name == "宜宾市人力资源和社会保障局")
    assert not parent.mentioned
    county = _report(tmp_path, "仁寿县医疗保障局2023年工作计划\n\n"
                     "2023年，县医保局与县发改局联合开展医药价格监测。\n")
    assert "仁寿县发展和改革局" in _names(county)


# --- department words that act, systems, lists of levels, terms, former departments ----

COUNTY = """屏山县医疗救助工作情况

2022年，县财政配套资助资金85.6万元，县财政拨付医疗救助资金210万元，为困难群众代缴城乡居民医保费。
城乡居民医保财政补助标准提高到每人每年610元，个人缴费标准为350元。
居民医保费由财政补助和个人缴费共同组成；民政资助特困人员参加基本医疗保险1865人。
按照机构改革方案，医疗保障局整合原人社、卫生计生、民政等部门的医疗保障职责。
县十八届人大常委会听取了全县医疗保障工作情况报告，全县医保系统扎实推进改革。
"""


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> LinkedReport:
    return _report(tmp_path_factory.mktemp("county"), COUNTY)


def test_a_level_word_and_a_department_that_acts(county: LinkedReport) -> None:
    assert "屏山县财政局" in _names(county)  # 县财政配套…, 县财政拨付…
    text = "县财政配套85.6万元，省财政拨付210万元，市财政安排专项资金。"
    found = [(m.text, m.form, m.level) for m in
             find_agencies(text, [Sentence(0, len(text), text)], [])]
    assert found == [("县财政", "财政", "县"), ("省财政", "财政", "省"), ("市财政", "财政", "市")]


def test_fiscal_subsidy_as_a_noun_is_no_body() -> None:
    text = "城乡居民医保财政补助标准提高到每人每年610元，居民医保费由财政补助和个人缴费共同组成。"
    assert find_agencies(text, [Sentence(0, len(text), text)], []) == []


def test_a_bare_department_acts_at_a_clause_start(county: LinkedReport) -> None:
    assert "屏山县民政局" in _names(county)  # ；民政资助特困人员…
    text = "对特困人员给予资助，由民政资助参保。"
    assert find_agencies(text, [Sentence(0, len(text), text)], []) == []


def test_former_departments_are_no_bodies(county: LinkedReport) -> None:
    reform = COUNTY.index("原人社")
    late = [a for a in county.agencies if a.evidence.start >= reform
            and a.evidence.start < COUNTY.index("县十八届")]
    assert late == []


def test_a_term_between_level_and_body(county: LinkedReport) -> None:
    assert "屏山县人民代表大会常务委员会" in _names(county)


def test_a_regions_system_is_its_body(county: LinkedReport) -> None:
    assert "屏山县医疗保障局" in _names(county)  # 全县医保系统
    text = "医保系统升级改造后运行平稳。"
    assert find_agencies(text, [Sentence(0, len(text), text)], []) == []


def test_coordinated_levels_name_their_tiers(tmp_path: Path) -> None:
    report = _report(tmp_path, "邛崃市医疗保障局2023年政务公开工作年度报告\n\n"
                     "2023年，邛崃市医疗保障局深入落实国务院和省、市政府关于政务公开的部署要求。\n")
    names = _names(report)
    # in a 县级市's report, 市 listed after 省 is the prefecture, not the city itself
    assert {"国务院", "四川省人民政府", "成都市人民政府"} <= names
    assert "邛崃市人民政府" not in names


def test_a_municipalitys_district_is_named_like_a_prefecture(tmp_path: Path) -> None:
    report = _report(tmp_path, "重庆市江津区医疗保障局2024年工作总结\n\n"
                     "2024年，区医保局会同区卫生健康委、区税务局建立参保数据共享机制。\n")
    names = _names(report)
    assert "重庆市江津区卫生健康委员会" in names
    assert "国家税务总局重庆市江津区税务局" in names


# --- replies to proposals -------------------------------------------------------------

def test_a_reply_to_a_member_answers_the_cppcc(tmp_path: Path) -> None:
    report = _report(tmp_path, "关于进一步完善门诊慢特病保障的答复\n\n"
                     "陈立新委员：\n您提出的《关于进一步完善门诊慢特病保障的提案》收悉。"
                     "经认真研究，德阳市医疗保障局现答复如下。\n")
    assert "中国人民政治协商会议德阳市委员会" in _names(report)
    assert _types(report)["中国人民政治协商会议德阳市委员会"] == "CPPCC"


def test_a_reply_to_a_deputy_answers_the_peoples_congress(tmp_path: Path) -> None:
    report = _report(tmp_path, "尊敬的刘海燕代表：\n"
                     "您提出的关于提高玉溪市城乡居民医保待遇的建议收悉，现答复如下。\n"
                     "2022年，玉溪市城乡居民医保政策范围内住院报销比例达到70%。\n")
    assert "玉溪市人民代表大会" in _names(report)


def test_a_salutation_without_a_proposal_is_no_reply(tmp_path: Path) -> None:
    text = "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
    sentences = [Sentence(0, len(text), text)]
    assert [m.form for m in find_agencies(text, sentences, [])] == ["人民政府"]


# --- header lines, units and parents ------------------------------------------------

def test_bodies_of_header_lines_are_mentions(tmp_path: Path) -> None:
    report = _report(tmp_path, "2023年一季度医疗保障主要指标\n\n"
                     "来源：荆门市医疗保障局   发布时间：2023-05-10\n"
                     "指标名称单位本期\n基本医疗保险参保人数万人268.4\n")
    assert "荆门市医疗保障局" in _names(report)


def test_an_offices_parent_is_a_node_but_not_mentioned(tmp_path: Path) -> None:
    text = ("眉山市医疗保障局关于做好2022年统计工作的通知\n\n"
            "根据《国务院办公厅关于推进医疗保障基金监管制度体系改革的指导意见》"
            "（国办发〔2020〕20号）和国家医疗保障局办公室有关要求，"
            "市医疗保障局东坡分局做好统计报送工作。\n")
    g = _graph(tmp_path, text)
    report = next(g.subjects(YB.sourceFile, None))
    mentioned = set(g.objects(report, YB.mentions))
    for office, parent in (("国务院办公厅", "国务院"), ("国家医疗保障局办公室", "国家医疗保障局")):
        assert agency_iri(office) in mentioned
        assert (agency_iri(office), ORG.subOrganizationOf, agency_iri(parent)) in g
        assert (agency_iri(parent), YB.agencyType, None) in g
        assert agency_iri(parent) not in mentioned
    # a branch names the body that has it
    assert agency_iri("眉山市医疗保障局东坡分局") in mentioned
    assert agency_iri("眉山市医疗保障局") in mentioned


def test_a_party_committees_policy_office(tmp_path: Path) -> None:
    report = _report(tmp_path, "云南省医疗保障局2022年工作总结\n\n"
                     "2022年，省医保局配合省委政研室开展医疗保障专题调研。\n")
    office = next(a for a in report.agencies if a.name.endswith("政策研究室"))
    assert office.name == "中国共产党云南省委员会政策研究室"
    assert office.mentioned and office.agency_type == "PartyCommittee"
    committee = next(a for a in report.agencies if a.name == "中国共产党云南省委员会")
    assert not committee.mentioned  # 省委政研室 is an office, not the committee


def test_an_author_line_names_its_body(tmp_path: Path) -> None:
    report = _report(tmp_path, "屏山县多措并举做好困难群众医疗保障\n\n"
                     "2021-08-12 来源：屏山县人民政府网站 作者：屏山县扶贫开发局\n"
                     "  2021年，屏山县资助困难群众参加城乡居民医保12860人。\n")
    names = _names(report)
    assert "屏山县扶贫开发局" in names
    assert _types(report)["屏山县扶贫开发局"] == "RuralRevitalization"


# --- regions that are only part of a name --------------------------------------------

def test_regions_inside_business_names_are_not_mentions(tmp_path: Path) -> None:
    text = ("国家组织冠脉支架集中带量采购结果公布\n\n"
            "拟中选产品分别属于山东某某医疗制品有限公司、某某科技(北京)有限公司、"
            "上海某某医疗器械(集团)有限公司等企业。德阳市医疗保障局做好落地工作，"
            "德阳市人民医院率先使用中选产品。\n")
    g = _graph(tmp_path, text)
    report = next(g.subjects(YB.sourceFile, None))
    mentioned = set(g.objects(report, YB.mentions))
    for code in ("370000", "110000", "310000"):  # 山东, 北京, 上海 inside company names
        assert region_iri(code) not in mentioned
    assert region_iri("510600") in mentioned  # 德阳市's own bodies and hospital


def test_a_national_bodys_name_is_no_mention_of_china(tmp_path: Path) -> None:
    text = ("2021年三季度医疗保险主要指标\n\n"
            "注：根据《国家医疗保障局办公室关于做好医疗保障统计工作的通知》，"
            "六盘水市调整职工医保统计口径。\n")
    g = _graph(tmp_path, text)
    report = next(g.subjects(YB.sourceFile, None))
    assert region_iri("100000") not in set(g.objects(report, YB.mentions))
    office = agency_iri("国家医疗保障局办公室")
    assert (office, YB.jurisdiction, region_iri("100000")) in g
    text = ("六盘水市医疗保障局2021年工作总结\n\n按照国家统一部署，六盘水市整合城乡居民"
            "基本医疗保险制度，全市参保人数稳步增长，医保基金运行平稳。\n")
    g = _graph(tmp_path, text, "plain.txt")
    report = next(g.subjects(YB.sourceFile, None))
    assert region_iri("100000") in set(g.objects(report, YB.mentions))  # 国家 alone is China


# --- more bodies of the genre ----------------------------------------------------------

OTHERS = """玉溪市医疗保障局2019年工作总结

2019年，市医疗保险基金管理中心完成基金决算，数据经市统计局核定。
市医保局会同市退役军人事务局做好优抚对象医疗保障，与市总工会共同推进职工医疗互助，
联合市农业农村局开展防止因病返贫动态监测，配合市食药监局开展药品价格检查。
市红十字会、市妇联参与大病救助，按国家疾控局和工信部的部署推进数据共享。
"""


@pytest.mark.parametrize(("name", "agency_type"), [
    ("玉溪市医疗保险基金管理中心", "HealthcareSecurity"),
    ("玉溪市统计局", "OtherAgency"),
    ("玉溪市退役军人事务局", "OtherAgency"),
    ("玉溪市总工会", "OtherAgency"),
    ("玉溪市农业农村局", "OtherAgency"),
    ("玉溪市食品药品监督管理局", "MarketRegulation"),
    ("玉溪市红十字会", "OtherAgency"),
    ("玉溪市妇女联合会", "OtherAgency"),
    ("国家疾病预防控制局", "HealthCommission"),
    ("工业和信息化部", "OtherAgency"),
])
def test_more_bodies_of_the_genre(tmp_path: Path, name: str, agency_type: str) -> None:
    report = _report(tmp_path, OTHERS)
    assert name in _names(report)
    assert _types(report)[name] == agency_type
