"""Linking (kg.link.link): report kind, issue date, home region, relations and citation keys.

Reports are written here in the genre's style (a 南昌 work summary, a 临夏县
proposal reply, a 四川 province summary, a 遂宁 reply, a 北京 district…) and
built with :func:`kg.run.build.build_report` from temporary files, or linked from
Documents made directly when only the title or the header matters.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kg.base.records import Document, HeaderField, LinkedReport, Relation
from kg.base.titles import normalise_title
from kg.extract.extract import extract
from kg.extract.frame import issued as issued_and_how
from kg.extract.frame import report_kind
from kg.extract.nlp import make_nlp
from kg.ingest.layout import with_layout
from kg.link.link import link
from kg.run.build import build_report

# --- helpers ------------------------------------------------------------------



def issued(document: Document) -> str | None:
    return issued_and_how(document)[0]

def make_doc(text: str, title: str | None = None,
             header: tuple[HeaderField, ...] = ()) -> Document:
    span = None
    if title is not None and title in text:
        start = text.index(title)
        span = (start, start + len(title))
    return with_layout(Document(
        source_file="t.txt", path="t.txt", text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding="utf-8", media_type="text/plain",
        title=title, title_span=span, header=header,
    ))


def build(tmp_path: Path, text: str, name: str = "report.txt") -> LinkedReport:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_report(path)


def triples(report: LinkedReport) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.obj) for r in report.relations}


def phrase(report: LinkedReport, rel: Relation) -> str:
    return report.document.text[rel.evidence.start:rel.evidence.end]


BODY = "全市医疗保障工作稳步推进，参保人数持续增长。"

# --- report kind ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("临夏县医疗保障局2022年工作总结", "WorkSummary"),
        ("拉萨市医疗保障局2021年工作总结暨2022年工作安排", "WorkSummary"),
        ("甘州区医疗保障局2023年度工作报告", "WorkSummary"),
        ("成都市医疗保障事业发展“十四五”规划", "Plan"),
        ("延边州医疗保障局2024年工作要点", "Plan"),
        ("关于市政协十届二次会议第15号提案的答复", "ProposalReply"),
        ("遂宁市医疗保障局关于市政协七届四次会议第102号委员提案的复函", "ProposalReply"),
        ("2022年全国医疗保障事业发展统计公报", "StatisticalRelease"),
        ("2023年1-6月全市医保基金运行情况", "StatisticalRelease"),
        ("眉山市医疗保障局2023年政府信息公开工作年度报告", "OtherReport"),
        ("关于全面推进政务公开工作的实施方案", "Plan"),
        ("延边州扎实推进医保基金监管工作", "News"),
        ("兜牢民生底线 守护千家万户——海北开拓医疗保障事业新局面", "News"),
    ],
)
def test_report_kind_from_title(title: str, kind: str) -> None:
    assert report_kind(make_doc(f"{title}\n{BODY}", title=title)) == kind


def test_report_kind_without_title_or_kind_word_is_other() -> None:
    assert report_kind(make_doc(BODY)) == "OtherReport"


def test_report_kind_from_the_opening_lines_when_the_title_says_nothing() -> None:
    text = f"{BODY}\n一、2023年工作总结\n全县基本医疗保险参保人数达到20万人。"
    assert report_kind(make_doc(text)) == "WorkSummary"


def test_reply_outranks_summary_words_in_the_same_title() -> None:
    title = "关于对县人大代表《关于医保工作情况总结的建议》的答复"
    assert report_kind(make_doc(f"{title}\n{BODY}", title=title)) == "ProposalReply"


# --- issue date ---------------------------------------------------------------------


def test_issued_from_the_signature_block() -> None:
    text = ("临夏县医疗保障局2022年工作总结\n2022年，全县医疗保障工作稳步推进。\n"
            "临夏县医疗保障局\n2023年1月10日\n")
    assert issued(make_doc(text, title="临夏县医疗保障局2022年工作总结")) == "2023-01-10"


def test_issued_from_a_signature_in_chinese_numerals() -> None:
    text = "关于第15号提案的答复\n您提出的建议收悉，现答复如下。\n临夏县医疗保障局\n二〇二三年六月五日\n"
    assert issued(make_doc(text, title="关于第15号提案的答复")) == "2023-06-05"


def test_issued_from_the_date_under_a_plan_title() -> None:
    title = "成都市医疗保障事业发展“十四五”规划"
    text = f"{title}\n\n2022年3月\n\n第一章 发展基础\n“十三五”期间，全市参保人数稳定在1900万人以上。\n"
    assert issued(make_doc(text, title=title)) == "2022-03"


def test_issued_from_the_published_header() -> None:
    title = "延边州扎实推进医保基金监管工作"
    text = f"{title}\n发布时间：2023-08-15 10:20\n近日，延边州医疗保障局召开全州医保基金监管工作会议。\n"
    start = text.index("2023-08-15")
    header = (HeaderField("published", "发布时间", "2023-08-15 10:20", start, start + 16),)
    assert issued(make_doc(text, title=title, header=header)) == "2023-08-15"


def test_issued_header_read_by_the_reader(tmp_path: Path) -> None:
    text = ("延边州扎实推进医保基金监管工作\n\n发布时间：2023-08-15 10:20\n来源：延边州医疗保障局\n\n"
            "近日，延边州医疗保障局召开全州医保基金监管工作会议。今年以来，全州共检查定点医药机构860家，"
            "持续开展打击欺诈骗保专项整治行动。\n")
    assert build(tmp_path, text).issued == "2023-08-15"


def test_signature_date_wins_over_the_header() -> None:
    title = "关于第15号提案的答复"
    text = f"{title}\n发布时间：2023-07-01\n您提出的建议收悉，现答复如下。\n遂宁市医疗保障局\n2023年6月20日\n"
    start = text.index("2023-07-01")
    header = (HeaderField("published", "发布时间", "2023-07-01", start, start + 10),)
    assert issued(make_doc(text, title=title, header=header)) == "2023-06-20"


def test_issued_from_the_year_in_the_title() -> None:
    title = "固始县医疗保障局2021年度工作情况汇报"
    text = f"{title}\n一年来，全县城乡居民基本医疗保险参保人数达到160万人，2021年12月完成年度任务。\n"
    assert issued(make_doc(text, title=title)) == "2021"


def test_no_issue_date_when_only_prose_names_years() -> None:
    title = "延边州扎实推进医保基金监管工作"
    text = f"{title}\n2023年以来，全州共检查定点医药机构860家，2022年同期为700家。\n"
    assert issued(make_doc(text, title=title)) is None


# --- home region and relations -------------------------------------------------------

NANCHANG = """南昌市医疗保障局2022年工作总结

2022年，全市医疗保障系统深入推进DRG付费改革，按时完成年度目标。上饶市作为全国长期护理保险制度试点城市，为我市提供了有益经验。我市认真贯彻《关于建立长期护理保险制度的指导意见》，积极推进异地就医直接结算。

南昌市医疗保障局
2023年1月10日
"""


def test_nanchang_home_kind_and_date(tmp_path: Path) -> None:
    r = build(tmp_path, NANCHANG)
    assert (r.home_region, r.kind, r.issued) == ("360100", "WorkSummary", "2023-01-10")


def test_programs_of_the_own_text_are_implemented_by_home(tmp_path: Path) -> None:
    r = build(tmp_path, NANCHANG)
    got = triples(r)
    assert ("region:360100", "implements", "program:DRG") in got
    assert ("region:360100", "implements", "program:CrossRegionDirectSettlement") in got


def test_another_named_region_takes_the_relation_and_is_a_pilot(tmp_path: Path) -> None:
    r = build(tmp_path, NANCHANG)
    got = triples(r)
    assert ("region:361100", "implements", "program:LongTermCareInsurance") in got
    assert ("region:361100", "pilotOf", "program:LongTermCareInsurance") in got
    # neither 南昌 (only the cited title names the program for it) nor a pilot of DRG
    assert ("region:360100", "implements", "program:LongTermCareInsurance") not in got
    assert ("region:360100", "pilotOf", "program:DRG") not in got
    (rel,) = [x for x in r.relations
              if x.predicate == "pilotOf" and x.obj == "program:LongTermCareInsurance"]
    assert phrase(r, rel) == "长期护理保险制度"
    assert rel.evidence.sentence.startswith("上饶市作为全国长期护理保险制度试点城市")


def test_no_relation_for_programs_only_inside_a_cited_title(tmp_path: Path) -> None:
    text = """临夏县医疗保障局关于县政协十届二次会议第15号提案的答复

尊敬的马委员：
您提出的关于加强医保基金监管的提案收悉。现答复如下：
一、我县持续开展打击欺诈骗保专项行动，2023年共检查定点医药机构120家。
二、按照《关于印发DRG/DIP支付方式改革三年行动计划的通知》（医保发〔2021〕48号）要求，我县稳步推进医保支付方式改革。
临夏县医疗保障局
2023年6月5日
"""
    r = build(tmp_path, text)
    assert (r.home_region, r.kind, r.issued) == ("622921", "ProposalReply", "2023-06-05")
    assert triples(r) == {
        ("region:622921", "implements", "program:AntiFraud"),
        ("region:622921", "implements", "program:PaymentMethodReform"),
    }


def test_pilot_of_home_when_its_clause_says_shidian(tmp_path: Path) -> None:
    text = """甘州区医疗保障局2023年工作总结

2023年，我区作为全省DIP支付方式改革试点地区，实现辖区定点医疗机构全覆盖。全区推进医保电子凭证激活应用，激活率达到85%。
"""
    r = build(tmp_path, text)
    assert r.home_region == "620702"
    got = triples(r)
    assert ("region:620702", "pilotOf", "program:DIP") in got
    assert ("region:620702", "implements", "program:DIP") in got
    assert ("region:620702", "implements", "program:HealthInsuranceECertificate") in got
    assert ("region:620702", "pilotOf", "program:HealthInsuranceECertificate") not in got


def test_pilot_stays_with_the_program_of_its_own_clause(tmp_path: Path) -> None:
    text = """四川省医疗保障局2023年工作总结

2023年，全省医疗保障系统深入推进DIP支付方式改革，攀枝花市作为国家DRG付费试点城市实现全覆盖。我省持续推进跨省异地就医直接结算，成都市惠民保参保人数突破700万人。
"""
    r = build(tmp_path, text)
    assert r.home_region == "510000"
    got = triples(r)
    assert ("region:510000", "implements", "program:DIP") in got
    assert ("region:510400", "pilotOf", "program:DRG") in got
    assert ("region:510100", "implements", "program:InclusiveCommercialInsurance") in got
    assert ("region:510000", "implements", "program:CrossRegionDirectSettlement") in got
    # 攀枝花 is a pilot of DRG; the DIP reform of the first clause is the province's own
    assert ("region:510400", "pilotOf", "program:DIP") not in got
    assert ("region:510400", "implements", "program:DIP") not in got


def test_region_inside_home_narrows_the_subject(tmp_path: Path) -> None:
    text = """遂宁市医疗保障局关于市政协第102号提案的复函

彭委员：
您的提案收悉，现答复如下。我市安居区作为试点县（区），正在试点落实家庭医生签约服务。全市推进医疗救助工作。
遂宁市医疗保障局
2019年7月11日
"""
    r = build(tmp_path, text)
    assert r.home_region == "510900"
    got = triples(r)
    assert ("region:510904", "pilotOf", "program:FamilyDoctorContract") in got
    assert ("region:510900", "implements", "program:MedicalAssistance") in got


def test_beijing_district_is_home_and_implements(tmp_path: Path) -> None:
    text = """北京市朝阳区医疗保障局2023年工作总结

2023年，全区医疗保障工作坚持以人民为中心。全区基本医疗保险参保人数达到260万人，朝阳区定点医药机构全面接入智能监管系统，全区二级以上医院全部实行DRG付费。
"""
    r = build(tmp_path, text)
    assert r.home_region == "110105"  # not 长春's 朝阳区 220104
    assert {x.code for x in r.regions} == {"110000", "110105"}
    assert triples(r) == {
        ("region:110105", "implements", "program:SmartSupervision"),
        ("region:110105", "implements", "program:DRG"),
    }


def test_evidence_of_every_relation_slices_the_text(tmp_path: Path) -> None:
    r = build(tmp_path, NANCHANG)
    assert r.relations
    for rel in r.relations:
        text = phrase(r, rel)
        assert text and text in rel.evidence.sentence
        assert rel.evidence.sentence in r.document.text


def test_no_relations_without_a_home_region() -> None:
    text = "一年来，医疗保障工作取得明显成效，持续推进药品集中带量采购工作。"
    r = link(extract(make_doc(text), make_nlp()))
    assert r.home_region is None
    assert r.relations == ()
    assert set(r.programs) == {"DrugVBP", "VolumeBasedProcurement"}


# --- citations --------------------------------------------------------------------------

CITING = """甘州区医疗保障局2022年工作总结

全区认真贯彻《医疗保障基金使用监督管理条例》（以下简称《条例》），落实《关于印发〈医疗机构医疗保障定点管理暂行办法〉的通知》（医保发〔2020〕 40号）。4月，全区开展《条例》宣传月活动。落实医保发[2020]40号文件要求，学习《人民日报》评论文章。
"""


def test_citation_keys_by_number_or_normalised_title(tmp_path: Path) -> None:
    r = build(tmp_path, CITING)
    keys = [(c.key, c.title, c.doc_number) for c in r.citations]
    regulation = "医疗保障基金使用监督管理条例"
    notice = "关于印发〈医疗机构医疗保障定点管理暂行办法〉的通知"
    assert keys == [
        (f"title:{regulation}", regulation, None),
        (f"title:{regulation}", regulation, None),  # 《条例》 joins its full document
        ("number:医保发〔2020〕40号", notice, "医保发〔2020〕40号"),
        (f"title:{regulation}", regulation, None),
        ("number:医保发〔2020〕40号", None, "医保发〔2020〕40号"),
    ]


def test_citation_evidence_points_at_the_citation(tmp_path: Path) -> None:
    r = build(tmp_path, CITING)
    text = r.document.text
    shown = [text[c.evidence.start:c.evidence.end] for c in r.citations]
    assert shown == [
        "《医疗保障基金使用监督管理条例》",
        "《条例》",
        "《关于印发〈医疗机构医疗保障定点管理暂行办法〉的通知》（医保发〔2020〕 40号）",
        "《条例》",
        "医保发[2020]40号",
    ]


def test_bare_alias_joins_the_last_full_title_it_ends() -> None:
    text = "全县贯彻《医疗保障基金使用监督管理条例》，组织学习《条例》。"
    r = link(extract(make_doc(text), make_nlp()))
    assert [c.key for c in r.citations] == ["title:医疗保障基金使用监督管理条例"] * 2


def test_alias_without_a_full_document_is_dropped() -> None:
    text = "我县组织学习《办法》，做好宣传解读。"
    r = link(extract(make_doc(text), make_nlp()))
    assert r.citations == ()


def test_title_keys_ignore_brackets_spaces_and_book_marks() -> None:
    a = "《关于做好2023年城乡居民基本医疗保障工作的通知》"
    b = "关于做好2023年城乡居民基本医疗保障工作的通知 "
    assert normalise_title(a) == normalise_title(b)
    assert normalise_title("关于（2021-2025年）规划") == normalise_title("关于(2021-2025年)规划")
    assert normalise_title("关于“双通道”管理") != normalise_title("关于双通道管理")


def test_a_body_named_without_its_region_makes_the_report_refer_to_that_region(
        tmp_path: Path) -> None:
    """省医保局 in a city's report refers to the province: the report mentions it."""
    report = build(tmp_path, "绵阳市医疗保障局2024年工作总结\n"
                   "2024年，市医保局配合省医保局开展飞行检查，检查定点医药机构126家，"
                   "追回医保基金386万元。\n绵阳市医疗保障局\n2025年1月10日\n")
    codes = {r.code for r in report.regions}
    assert {"510700", "510000"} <= codes
    province = next(r for r in report.regions if r.code == "510000")
    ev = province.evidence
    assert report.document.text[ev.start:ev.end] == "省医保局" and "省医保局" in ev.sentence
