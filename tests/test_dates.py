"""Date expressions of the genre."""

from __future__ import annotations

import pytest

from kg.extract.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("发布时间：2021-12-27 18:54", "2021-12-27"),
        ("2019年7月11日", "2019-07-11"),
        ("2021年9月", "2021-09"),
        ("二〇二一年九月", "2021-09"),
        ("二〇二三年十二月三十一日", "2023-12-31"),
        ("2023年", "2023"),
        ("2020/3/5", "2020-03-05"),
        ("成文日期：2022.06", "2022-06"),
    ],
)
def test_parse_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["第102号提案", "参保人数达100.02万", "13个月", "2023年13月"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) in (None, "2023")


def test_find_dates_offsets() -> None:
    text = "截至2023年12月，全市参保；2024年1-5月，支出增长。"
    found = find_dates(text)
    assert [iso for _, _, iso in found] == ["2023-12", "2024"]  # 1-5月 is a span, not a date
    for start, end, _ in found:
        assert text[start:end] in ("2023年12月", "2024年")
