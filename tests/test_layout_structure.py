"""The layout read once at ingest: press lines, datelines, headings and the signature block.

Texts written in the genre's style (other places, media and years than any real page).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.base.records import Document
from kg.ingest.collect import read_document


def doc(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return read_document(path)


def fields(d: Document) -> list[tuple[str, str]]:
    return [(h.key, h.value) for h in d.header]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2023年4月9日 10:21 来源:赣南日报",
         [("published", "2023年4月9日 10:21"), ("source", "赣南日报")]),
        ("2024-02-17 09:30:00 作者:李明 来源:今日仪征",
         [("published", "2024-02-17 09:30:00"), ("author", "李明"), ("source", "今日仪征")]),
        ("黔东南日报 2022-08-03 16:05:12",
         [("source", "黔东南日报"), ("published", "2022-08-03 16:05:12")]),
        ("《 河北日报 》( 2023年06月02日 第 05 版)",
         [("source", "河北日报"), ("published", "2023年06月02日")]),
        ("文/黄山日报融媒体记者 汪晓峰", [("author", "黄山日报融媒体记者 汪晓峰")]),
    ],
)
def test_press_header_lines(tmp_path: Path, line: str, expected: list[tuple[str, str]]) -> None:
    text = (f"{line}\n\n"
            "全市医疗保障工作会议召开。会议总结了上年工作，全市基本医疗保险参保人数达到286.4万人，"
            "参保率稳定在95%以上，医保基金运行平稳。\n")
    d = doc(tmp_path, text)
    assert fields(d) == expected
    assert not d.in_body(text.index(line), text.index(line) + len(line))


@pytest.mark.parametrize(
    ("opening", "dateline", "parts"),
    [
        ("本报讯 日前，", "本报讯 ", [("source", "本报")]),
        ("黄山日报3月12日讯（记者 汪晓峰）", "黄山日报3月12日讯（记者 汪晓峰）",
         [("source", "黄山日报"), ("published", "3月12日"), ("author", "记者 汪晓峰")]),
        ("本报成都1月8日电（记者 王丽）", "本报成都1月8日电（记者 王丽）",
         [("source", "本报"), ("place", "成都"), ("published", "1月8日"), ("author", "记者 王丽")]),
    ],
)
def test_a_news_dateline_is_header_not_body(tmp_path: Path, opening: str, dateline: str,
                                            parts: list[tuple[str, str]]) -> None:
    text = (f"{opening}全省医疗保障工作会议召开，会议指出，去年全省追回医保基金3.2亿元，"
            "查处违法违规定点医药机构1026家。\n")
    d = doc(tmp_path, text)
    assert fields(d) == [("dateline", dateline), *parts]
    start = text.index(dateline)
    assert not d.in_body(start, start + len(dateline.rstrip()))
    assert d.in_body(text.index("全省医疗"), text.index("全省医疗") + 4)


def test_a_company_name_in_running_text_is_no_dateline(tmp_path: Path) -> None:
    text = "国家电网公司电力保障有力，全市医保经办服务不断优化，全年结算住院费用12.6亿元，运行平稳有序。\n"
    assert not [f for f in doc(tmp_path, text).header if f.key == "dateline"]


def test_headings_nest_by_the_order_of_their_numbering_styles(tmp_path: Path) -> None:
    text = ("某县医疗保障局2023年工作总结\n"
            "一、2023年工作开展情况\n"
            "（一）职工医疗保险\n"
            "全县职工医保参保人数3.12万人，基金收入2.1亿元。\n"
            "（二）城乡居民医疗保险\n"
            "全县居民医保参保人数27.6万人，基金支出2.8亿元。\n"
            "二、2024年工作思路\n"
            "力争全县基本医疗保险参保率稳定在95%以上，持续巩固参保成果。\n")
    d = doc(tmp_path, text)
    assert [(h.level, h.marker, h.text) for h in d.headings] == [
        (1, "cn", "2023年工作开展情况"),
        (2, "pcn", "职工医疗保险"),
        (2, "pcn", "城乡居民医疗保险"),
        (1, "cn", "2024年工作思路"),
    ]
    assert [d.line_text(ln) for ln in d.lines if ln.kind == "heading"] == [
        "一、2023年工作开展情况", "（一）职工医疗保险", "（二）城乡居民医疗保险", "二、2024年工作思路"]


def test_inline_bracket_and_numbered_headings(tmp_path: Path) -> None:
    text = ("【概况】 2022年，全区基本医疗保险参保人数1250.6万人，参保率稳定在96%以上。\n"
            "【医疗救助】 全年资助困难群众参保62.1万人，救助支出9.8亿元。\n"
            "1.全市参保人数达到95万人，参保率98%。\n")
    d = doc(tmp_path, text)
    assert [(h.marker, h.text, h.inline) for h in d.headings] == [
        ("bracket", "概况", True), ("bracket", "医疗救助", True)]


def test_salutations_and_lead_ins_are_no_headings(tmp_path: Path) -> None:
    text = ("王红等委员：\n"
            "你们提出的关于完善城乡居民医保筹资机制的提案收悉，现答复如下：\n"
            "截至2023年底，全省基本医疗保险参保人数达4012万人，参保率稳定在95%以上。\n")
    assert doc(tmp_path, text).headings == ()


def test_signature_block(tmp_path: Path) -> None:
    text = ("关于市政协十届二次会议第85号提案的答复\n"
            "李华委员：\n"
            "您提出的关于推进长期护理保险的提案收悉。2023年，我市长期护理保险覆盖职工参保人员52.3万人。\n"
            "\n"
            "丽水市医疗保障局\n"
            "2023年7月18日\n")
    d = doc(tmp_path, text)
    assert d.signature is not None
    assert d.text[d.signature[0]:d.signature[1]] == "丽水市医疗保障局\n2023年7月18日"
    assert [ln.kind for ln in d.lines if ln.kind == "signature"] == ["signature", "signature"]
