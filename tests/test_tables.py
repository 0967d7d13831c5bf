"""Indicator tables (kg.extract.tables) in the three layouts plain text gives them."""

from __future__ import annotations

from kg.extract.tables import find_table_cells


def rows(text: str) -> list[tuple[str, int, bool, str, str]]:
    out = []
    for c in find_table_cells(text):
        assert text[c.start:c.end] == c.text
        out.append((c.label, c.year, c.goal, c.text, c.unit_text))
    return out


def test_tab_separated_table() -> None:
    text = "指标\t2020年基数\t2025年目标\t属性\n职工医保参保人数（万人）\t35.2\t38\t预期性\n"
    assert rows(text) == [("职工医保参保人数", 2020, False, "35.2", "万人"),
                          ("职工医保参保人数", 2025, True, "38", "万人")]


def test_space_aligned_row_with_one_space_after_a_long_label() -> None:
    text = ("指标                                      2020年    2025年    属性\n"
            "居民医保政策范围内住院费用基金支付比例（%） 66.9      70左右    约束性\n"
            "定点医药机构数（家）                      1840      2100      预期性\n")
    assert rows(text) == [
        ("居民医保政策范围内住院费用基金支付比例", 2020, False, "66.9", "%"),
        ("居民医保政策范围内住院费用基金支付比例", 2025, True, "70左右", "%"),
        ("定点医药机构数", 2020, False, "1840", "家"),
        ("定点医药机构数", 2025, True, "2100", "家")]


def test_one_cell_per_line_table() -> None:
    text = ("指   标\n\n2020年基数\n\n2025年目标\n\n属性\n\n"
            "1.住院费用异地直接结算率\n\n61.5%\n\n75%以上\n\n预期性\n\n"
            "2.电子医保凭证使用率\n\n暂未统计\n\n60%以上\n\n预期性\n\n第二章 主要任务\n")
    assert rows(text) == [("住院费用异地直接结算率", 2020, False, "61.5%", ""),
                          ("住院费用异地直接结算率", 2025, True, "75%以上", ""),
                          ("电子医保凭证使用率", 2025, True, "60%以上", "")]


def test_prose_with_years_is_not_a_table() -> None:
    assert rows("2023年全市参保人数达到312万人，2024年力争达到318万人。\n") == []


def test_a_category_column_before_the_label() -> None:
    text = ("类别\t指标\t2020年\t2025年\t属性\n"
            "参保\t基本医疗保险参保率（%）\t95.8\t≥96\t约束性\n"
            "改革\t集中带量采购药品品种（个）\t112\t＞400\t预期性\n")
    assert rows(text) == [("基本医疗保险参保率", 2020, False, "95.8", "%"),
                          ("基本医疗保险参保率", 2025, True, "≥96", "%"),
                          ("集中带量采购药品品种", 2020, False, "112", "个"),
                          ("集中带量采购药品品种", 2025, True, "＞400", "个")]
