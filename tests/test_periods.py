"""Time expressions → observation periods."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.periods import find_time_refs


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("截至2023年12月,全区基本医疗保险参保人数", 2023, [("截至2023年12月", "2023-12", None, "until")]),
        ("截止11月30日,全市职工医保基金", 2021, [("截止11月30日", "2021-11-30", None, "until")]),
        ("截至9月底,全州参保人员", 2024, [("截至9月底", "2024-09", None, "until")]),
        ("2019年1-5月,全市住院人次", 2019, [("2019年1-5月", "2019-05", "2019-01", None)]),
        ("今年上半年,全县累计结算", 2022, [("今年上半年", "2022-06", "2022-01", None)]),
        ("去年全年支出", 2022, [("去年全年", "2021", None, None)]),
        ("“十三五”期间,累计追回", 2021, [("“十三五”期间", "2020", "2016", None)]),
        ("到2025年,参保率稳定在95%以上", 2021, [("到2025年", "2025", None, "by")]),
        ("2021-2025年规划期内", 2021, [("2021-2025年", "2025", "2021", None)]),
        ("二〇二二年十一月", None, [("二〇二二年十一月", "2022-11", None, None)]),
        ("2023年底", 2023, [("2023年底", "2023-12", None, None)]),
    ],
)
def test_time_refs(text: str, year: int | None,
                   expected: list[tuple[str, str, str | None, str | None]]) -> None:
    got = [(t.text, t.period, t.period_start, t.cue) for t in find_time_refs(text, year)]
    assert got == expected


def test_month_takes_the_last_written_year() -> None:
    refs = find_time_refs("2020年全市参保；3-6月住院人次下降", 2023)
    assert [(t.period, t.period_start) for t in refs] == [("2020", None), ("2020-06", "2020-03")]


@pytest.mark.parametrize("text", ["参保人数达100.02万人", "第102号提案", "12345热线", "6个月", "一是加强监管"])
def test_not_time(text: str) -> None:
    assert find_time_refs(text, 2023) == []


@given(st.text(alphabet="0123456789０１２９年月日至-－截底今上半全十三五期间，参保人", max_size=40))
def test_offsets_slice_back(text: str) -> None:
    for t in find_time_refs(text, 2022):
        assert text[t.start : t.end] == t.text and t.text
        assert len(t.period) in (4, 7, 10)


@pytest.mark.parametrize(("text", "period", "start"), [
    ("3月1日至4月30日，", "2022-04-30", "2022-03-01"),
    ("9月7日--10月15日,", "2022-10-15", "2022-09-07"),
    ("2021年6月1日—6月30日", "2021-06-30", "2021-06-01"),
    ("11月5日至20日", "2022-11-20", "2022-11-05"),
])
def test_a_span_of_days_is_one_time(text: str, period: str, start: str) -> None:
    refs = find_time_refs(text, 2022)
    assert [(t.period, t.period_start) for t in refs] == [(period, start)]


@pytest.mark.parametrize(("text", "period", "start"), [
    ("截至２０２１年１１月底，", "2021-11", None),
    ("２０１９年１－５月，", "2019-05", "2019-01"),
    ("“十四五”期间（２０２１—２０２５年）", "2025", "2021"),
])
def test_full_width_digits_are_read_and_sliced_back(text: str, period: str,
                                                    start: str | None) -> None:
    refs = find_time_refs(text, 2022)
    assert (refs[-1].period, refs[-1].period_start) == (period, start)
    assert all(text[r.start:r.end] == r.text for r in refs)
