"""Home region, kind, date and program relations on reports we wrote for other provinces."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.base.records import LinkedReport
from kg.run.build import build_report

DATA = Path(__file__).parent / "data"


def _facts(report: LinkedReport, predicate: str) -> set[tuple[str, str]]:
    return {
        (r.subject.removeprefix("region:"), r.obj.removeprefix("program:"))
        for r in report.relations
        if r.predicate == predicate
    }


@pytest.fixture(scope="module")
def county() -> LinkedReport:
    return build_report(DATA / "county_gansu_summary.html")


@pytest.fixture(scope="module")
def province() -> LinkedReport:
    return build_report(DATA / "province_sichuan_release.txt")


def test_county_report_metadata(county: LinkedReport) -> None:
    assert county.home_region == "621124"  # 临洮县
    assert county.kind == "WorkSummary"
    assert county.issued == "2023-01-10"  # the signature date, not the web page's date
    assert county.document.title == "临洮县医疗保障局2022年工作总结"


def test_county_regions(county: LinkedReport) -> None:
    codes = {r.code for r in county.regions}
    # named neighbours resolve inside the right prefectures (康乐县 is in 临夏州)
    assert {"621124", "621100", "621123", "622922", "620000"} <= codes


def test_county_implements_its_own_programs(county: LinkedReport) -> None:
    implements = _facts(county, "implements")
    for program in ("DRG", "DrugVBP", "ConsumableVBP", "VolumeBasedProcurement", "AntiFraud"):
        assert ("621124", program) in implements


def test_parent_named_as_pilot_takes_the_relation(county: LinkedReport) -> None:
    # 定西市作为全省长期护理保险试点城市，我县积极配合…
    assert _facts(county, "pilotOf") == {("621100", "LongTermCareInsurance")}
    assert ("621124", "LongTermCareInsurance") not in _facts(county, "implements")


def test_citations_pair_title_and_number(county: LinkedReport) -> None:
    keys = {c.key for c in county.citations}
    assert "number:甘医保发〔2022〕12号" in keys
    assert "title:医疗保障基金使用监督管理条例" in keys


def test_relation_evidence_slices_back(county: LinkedReport) -> None:
    text = county.document.text
    for rel in county.relations:
        phrase = text[rel.evidence.start : rel.evidence.end]
        assert phrase and phrase in rel.evidence.sentence


def test_province_release(province: LinkedReport) -> None:
    assert province.home_region == "510000"
    assert province.kind == "StatisticalRelease"
    codes = {r.code for r in province.regions}
    assert {"510000", "510100", "510700", "513400", "100000"} <= codes
    # 城关区 and 朝阳区 exist only outside 四川: left unresolved, not guessed
    assert not codes & {"540102", "620102", "110105", "220104"}


def test_coordinated_regions_share_the_program(province: LinkedReport) -> None:
    implements = _facts(province, "implements")
    assert {("510100", "DIP"), ("510700", "DIP")} <= implements
    assert ("510000", "DIP") not in implements
    assert ("513400", "HealthInsuranceECertificate") in implements


def _implements_of(tmp_path: Path, text: str) -> set[tuple[str, str]]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return _facts(build_report(path), "implements")


def test_a_national_bodys_clause_is_not_the_reports_regions_work(tmp_path: Path) -> None:
    text = ("宜宾市医疗保障局2022年工作总结\n"
            "3月5日，国家医疗保障局在全国部署按病种分值付费改革，我省泸州市被列为试点城市。"
            "全市医保基金运行平稳，全年追回医保基金1320万元。\n")
    assert ("511500", "DIP") not in _implements_of(tmp_path, text)


def test_a_region_inside_a_hospitals_name_is_no_subject(tmp_path: Path) -> None:
    text = ("海东市医疗保障局2023年工作总结\n"
            "2023年，甘肃宏康医院和海东市第一人民医院纳入DRG实际付费，全市医保基金运行平稳。\n")
    found = _implements_of(tmp_path, text)
    assert ("620000", "DRG") not in found
    assert ("630200", "DRG") in found


def test_next_steps_are_not_implementation(tmp_path: Path) -> None:
    text = ("兴义市医疗保障局2023年工作总结\n"
            "全年追回医保基金860万元。下一步，拟推进长期护理保险制度试点，持续提升服务水平。\n")
    assert ("522301", "LongTermCareInsurance") not in _implements_of(tmp_path, text)
