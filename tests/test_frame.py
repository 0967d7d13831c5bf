"""The report's frame: read once per report, from the layout ingest read and the region mentions.

Texts written in the genre's style for places, media and years of our choosing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kg.extract.extract as extract_module
import kg.link.link as link_module
from kg.base.records import Document, Frame
from kg.extract.frame import read_frame
from kg.ingest.collect import read_document
from kg.run.build import build_report, build_reports


def doc(tmp_path: Path, text: str, name: str = "report.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path)


def frame_of(tmp_path: Path, text: str) -> Frame:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    report = build_report(path)
    extraction_frame = report.frame
    assert extraction_frame is not None
    return extraction_frame


BODY = ("全市基本医疗保险参保人数达286.4万人，参保率稳定在95%以上，"
        "全年追回医保基金1860万元，医保基金运行平稳。\n")


def test_the_frame_is_read_once_per_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(document: Document, *args: object, **kwargs: object) -> Frame:
        calls.append(document.source_file)
        return read_frame(document, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(extract_module, "read_frame", counting)
    monkeypatch.setattr(link_module, "read_frame", counting)
    for k, city in enumerate(("绵阳市", "德阳市", "乐山市")):
        (tmp_path / f"r{k}.txt").write_text(f"{city}医疗保障局2023年工作总结\n{BODY}",
                                            encoding="utf-8")
    result = build_reports([tmp_path])
    assert len(result.reports) == 3
    assert sorted(calls) == ["r0.txt", "r1.txt", "r2.txt"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"衢州市医疗保障局2022年工作总结\n{BODY}", "WorkSummary"),
        (f"关于市政协九届三次会议第42号提案的答复\n周敏委员：\n您提出的提案收悉，现答复如下。{BODY}",
         "ProposalReply"),
        (f"丽水日报讯（记者 吴斌）{BODY}", "News"),
        (f"全市医保工作取得新成效\n2024年，{BODY}（记者 何军 通讯员 陈方）\n", "News"),
        (f"2023年三季度医疗保险主要指标\n{BODY}", "StatisticalRelease"),
        (f"【概况】 2022年，{BODY}", "WorkSummary"),
        (f"县医保局扎实推进基金监管工作\n{BODY}", "WorkSummary"),
        (f"2023年，我市{BODY}", "WorkSummary"),
        (f"天津市发布医疗保障“十四五”规划\n天津北方网讯：日前，市医保局发布《天津市医疗保障发展“十四五”规划》。{BODY}",
         "News"),
    ],
)
def test_kind(tmp_path: Path, text: str, kind: str) -> None:
    assert read_frame(doc(tmp_path, text), ()).kind == kind


@pytest.mark.parametrize(
    ("text", "issued", "how"),
    [
        (f"嘉兴市医疗保障局2023年工作总结\n{BODY}\n嘉兴市医疗保障局\n2024年1月12日\n",
         "2024-01-12", "signature"),
        (f"全市医保工作会议召开\n2024年3月8日 09:30 来源:嘉兴日报\n{BODY}", "2024-03-08", "header"),
        (f"嘉兴日报3月8日讯（记者 沈冰）2024年，{BODY}", "2024-03-08", "dateline"),
        (f"医保惠民举措落地见效\n记者 沈冰\n3月8日，市医保局召开新闻发布会。2024年以来，{BODY}",
         "2024-03-08", "lede"),
    ],
)
def test_issued(tmp_path: Path, text: str, issued: str, how: str) -> None:
    from kg.extract.frame import issued as issued_and_how

    assert issued_and_how(doc(tmp_path, text)) == (issued, how)


def test_a_quarterly_release_dates_its_numbers_by_its_title(tmp_path: Path) -> None:
    text = ("2024年第三季度医保基金运行情况\n"
            "2024年，全县职工医保基金收入5120万元，支出4310万元，基金运行平稳有序。\n")
    f = frame_of(tmp_path, text)
    assert (f.covers, f.covers_start) == ("2024-09", "2024-07")
    report = build_report(tmp_path / "report.txt")
    assert {o.mention.period for o in report.observations} == {"2024-09"}


def test_news_early_in_a_year_on_a_conference_that_reviews_the_year_before(tmp_path: Path) -> None:
    text = ("全市医疗保障工作会议召开\n来源：湖州新闻网  发布时间：2025-02-11\n"
            "2月10日，全市医疗保障工作会议召开。会议总结2024年工作，部署今年任务。"
            "全年追回医保基金2310万元，全市参保人数达285.3万人。\n")
    f = frame_of(tmp_path, text)
    assert (f.kind, f.issued, f.covers) == ("News", "2025-02-11", "2024")
    report = build_report(tmp_path / "report.txt")
    assert {o.mention.period for o in report.observations} == {"2024"}


def test_news_counts_last_year_from_the_year_it_appears(tmp_path: Path) -> None:
    text = ("4月9日，台州市医疗保障局举行新闻发布会。2023年，台州对全市定点医药机构开展全覆盖检查。"
            "去年市医保部门追回医保基金1320万元，约谈定点医疗机构12家。\n")
    f = frame_of(tmp_path, text)
    assert (f.kind, f.written_year) == ("News", 2024)
    report = build_report(tmp_path / "report.txt")
    assert {o.mention.period for o in report.observations} == {"2023"}


def test_a_dateline_place_is_not_the_report_place(tmp_path: Path) -> None:
    text = ("本报北京3月2日电（记者 刘洋）记者从国家医保局获悉：2023年全国共检查定点医药机构"
            "80万家，追回医保基金186.5亿元，全国基本医保参保率稳定在95%。\n")
    f = frame_of(tmp_path, text)
    assert (f.home, f.home_source) == ("100000", "text")


def test_a_local_medium_names_its_place(tmp_path: Path) -> None:
    text = ("2013-03-02 09:00:00 作者:吴涛 来源:今日仪征\n"
            "本报讯 1日上午，我市召开医保工作会议。全年我市城镇居民参保人数达3.9万人，"
            "累计征收基金2860万元。\n")
    f = frame_of(tmp_path, text)
    assert (f.home, f.home_source) == ("321081", "header")


def test_a_plan_looks_ahead_to_its_horizon(tmp_path: Path) -> None:
    text = ("德州市医疗保障事业发展“十四五”规划\n"
            "到2025年，全市基本医疗保险参保率稳定在96%以上。\n")
    f = frame_of(tmp_path, text)
    assert (f.kind, f.mode, f.ahead) == ("Plan", "plan", 2025)


# --- the publisher -----------------------------------------------------------------------


def publisher_of(tmp_path: Path, text: str) -> str | None:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return build_report(path).publisher


def test_an_author_that_is_a_body_publishes_over_the_site_it_appears_on(tmp_path: Path) -> None:
    text = ("宁蒗县“五举措”做实医疗救助\n"
            "2020-11-03 09:00:00 来源:宁蒗彝族自治县人民政府网站 作者:宁蒗彝族自治县医疗保障局\n"
            f"{BODY}")
    assert publisher_of(tmp_path, text) == "宁蒗彝族自治县医疗保障局"


def test_a_reply_that_signs_no_body_is_the_home_regions_healthcare_security_bureau(
        tmp_path: Path) -> None:
    text = ("刘洋等委员：\n你们提出的《关于完善城乡居民医保筹资机制的提案》收悉，现答复如下：\n"
            "截至2023年底，我省基本医疗保险参保人数达4012万人，参保率稳定在95%以上。"
            "江西省城乡居民医保人均财政补助标准达到每人每年640元。\n")
    assert publisher_of(tmp_path, text) == "江西省医疗保障局"


def test_the_issuing_bodies_under_a_plans_title(tmp_path: Path) -> None:
    text = ("《宁陕县“十四五”医疗保障事业发展规划》\n"
            "宁陕县医疗保障局  宁陕县发展和改革局\n"
            "到2025年，全县基本医疗保险参保率稳定在96%以上，医疗保障事业高质量发展。\n")
    assert publisher_of(tmp_path, text) == "宁陕县医疗保障局"
