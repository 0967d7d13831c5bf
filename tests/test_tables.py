"""Tables (kg.extract.tables) in the layouts plain text gives them.

Every table here is written for the test (places, periods and figures made up),
in the layouts statistics pages and plans take when copied to text.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kg.extract.tables import TableCell, find_table_cells, find_tables, table_spans


def rows(text: str) -> list[tuple[str, int | None, bool, str, str]]:
    out = []
    for c in find_table_cells(text):
        assert text[c.start:c.end] == c.text
        out.append((c.label, c.year, c.goal, c.text, c.unit_text))
    return out


def cells(text: str) -> list[TableCell]:
    found = find_table_cells(text)
    for c in found:
        assert text[c.start:c.end] == c.text
    return found


def row_text(text: str, offset: int | None) -> str | None:
    """The row a ``row_start``/``parent`` offset points at, as written."""
    if offset is None:
        return None
    return text[offset:].split("\n", 1)[0].rstrip()


def brief(text: str) -> list[tuple[str, str, str, str, str | None, str | None]]:
    """(label, value, unit, column, section, parent row) of every cell."""
    return [(c.label, c.text, c.unit_text, c.column, c.section, row_text(text, c.parent))
            for c in cells(text)]


# --- year columns (plans) ------------------------------------------------------------------


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
    # the unit written in the cell (61.5%) is the cell's unit
    text = ("指   标\n\n2020年基数\n\n2025年目标\n\n属性\n\n"
            "1.住院费用异地直接结算率\n\n61.5%\n\n75%以上\n\n预期性\n\n"
            "2.电子医保凭证使用率\n\n暂未统计\n\n60%以上\n\n预期性\n\n第二章 主要任务\n")
    assert rows(text) == [("住院费用异地直接结算率", 2020, False, "61.5%", "%"),
                          ("住院费用异地直接结算率", 2025, True, "75%以上", "%"),
                          ("电子医保凭证使用率", 2025, True, "60%以上", "%")]


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


def test_year_columns_name_their_column_and_a_level_role() -> None:
    text = "指标\t2021年\t2025年目标\n异地就医直接结算率（%）\t58.2\t80\n"
    got = [(c.column, c.role, c.year, c.goal) for c in cells(text)]
    assert got == [("2021年", "level", 2021, False), ("2025年目标", "level", 2025, True)]


# --- layout 1: label, unit and value written together -------------------------------------


GLUED = """2023年三季度云溪市医疗保障主要统计指标

发布日期：2023-10-20   来源：云溪市医疗保障局
指标名称单位本期
一、参保人数
基本医疗保险万人512.33
职工基本医疗保险万人201.07
其中:退休人员万人60.15
城乡居民基本医疗保险万人311.26
二、当期结余
职工基本医疗保险(含生育保险)亿元3.05
城乡居民基本医疗保险亿元-0.72
注：本表数据为快报数。
"""


def test_rows_written_without_separators() -> None:
    assert brief(GLUED) == [
        ("基本医疗保险", "512.33", "万人", "本期", "参保人数", None),
        ("职工基本医疗保险", "201.07", "万人", "本期", "参保人数", None),
        ("退休人员", "60.15", "万人", "本期", "参保人数", "职工基本医疗保险万人201.07"),
        ("城乡居民基本医疗保险", "311.26", "万人", "本期", "参保人数", None),
        ("职工基本医疗保险(含生育保险)", "3.05", "亿元", "本期", "当期结余", None),
        ("城乡居民基本医疗保险", "-0.72", "亿元", "本期", "当期结余", None),
    ]


def test_the_title_above_the_page_header_lines() -> None:
    found = cells(GLUED)
    assert {(c.title, c.title_start) for c in found} == {
        ("2023年三季度云溪市医疗保障主要统计指标", 0)}
    assert {c.year for c in found} == {None}
    assert {c.goal for c in found} == {False}


def test_a_row_start_is_where_its_label_is_written() -> None:
    found = cells(GLUED)
    assert [row_text(GLUED, c.row_start) for c in found][2] == "其中:退休人员万人60.15"


def test_the_span_runs_from_the_title_to_the_last_row() -> None:
    (span,) = table_spans(GLUED)
    assert GLUED[span[0]:span[1]].startswith("2023年三季度")
    assert GLUED[span[0]:span[1]].endswith("城乡居民基本医疗保险亿元-0.72")


def test_value_columns_named_with_single_spaces_and_their_roles() -> None:
    text = ("表1  2024年1-6月江川县基本医疗保险基金收支情况\n"
            "指标名称 单位 本期 上年同期 同比增长(%)\n"
            "（一）基金收入 亿元 6.84 6.51 5.1\n"
            "（二）基金支出 亿元 5.97 6.12 -2.5\n")
    got = [(c.label, c.text, c.column, c.role, c.unit_text) for c in cells(text)]
    assert got == [
        ("基金收入", "6.84", "本期", "level", "亿元"),
        ("基金收入", "6.51", "上年同期", "base", "亿元"),
        ("基金收入", "5.1", "同比增长(%)", "change", "%"),
        ("基金支出", "5.97", "本期", "level", "亿元"),
        ("基金支出", "6.12", "上年同期", "base", "亿元"),
        ("基金支出", "-2.5", "同比增长(%)", "change", "%"),
    ]
    assert {c.title for c in cells(text)} == {"表1  2024年1-6月江川县基本医疗保险基金收支情况"}


def test_a_change_column_without_a_unit_of_its_own_takes_the_rows_unit() -> None:
    text = "指标名称 单位 本月 比上年同期增减\n参保人数 万人次 12.6 -0.4\n"
    got = [(c.text, c.role, c.unit_text) for c in cells(text)]
    assert got == [("12.6", "level", "万人次"), ("-0.4", "change", "万人次")]


def test_a_missing_value_is_a_placeholder() -> None:
    text = "指标名称 单位 本期 同比\n生育保险待遇人次 万人次 1.35 —\n异地就医结算 万人次 4.2 3.6%\n"
    got = [(c.label, c.text, c.column) for c in cells(text)]
    assert got == [("生育保险待遇人次", "1.35", "本期"), ("异地就医结算", "4.2", "本期"),
                   ("异地就医结算", "3.6%", "同比")]


def test_full_width_and_typographic_minus_signs_stay_with_their_value() -> None:
    text = "指标名称单位本期\n统筹基金当期结余亿元－1.20\n个人账户当期结余亿元−0.35\n"
    assert [c.text for c in cells(text)] == ["－1.20", "−0.35"]


# --- layout 2: cells separated by | -------------------------------------------------------


def test_bar_separated_rows_with_empty_cells() -> None:
    text = ("索 引 号: | 11530000/2024-00213 | 信息分类: | 统计信息 |\n"
            "2024年5月医疗保险主要指标 | ||||\n"
            "指标名称 | 单位 | 本期 | ||\n"
            "一、参保人数 | ||||\n"
            "基本医疗保险 | 万人 | 880.40 | ||\n"
            "生育保险 | 万人 | 95.12 | ||\n"
            "二、基金支出 | ||||\n"
            "职工基本医疗保险(含生育保险) | 亿元 | 12.04 | ||\n"
            "其中：生育保险支出 | 亿元 | 0.81 | ||\n"
            "*注：根据统计口径调整，往期数据已更新。 |\n")
    assert brief(text) == [
        ("基本医疗保险", "880.40", "万人", "本期", "参保人数", None),
        ("生育保险", "95.12", "万人", "本期", "参保人数", None),
        ("职工基本医疗保险(含生育保险)", "12.04", "亿元", "本期", "基金支出", None),
        ("生育保险支出", "0.81", "亿元", "本期", "基金支出",
         "职工基本医疗保险(含生育保险) | 亿元 | 12.04 | ||"),
    ]
    assert {c.title for c in cells(text)} == {"2024年5月医疗保险主要指标"}


def test_a_markdown_table() -> None:
    text = ("| 项目 | 本月 | 累计 |\n| --- | ---: | ---: |\n"
            "| 门诊人次（万人次） | 31.5 | 188.2 |\n| 住院人次（万人次） | 2.1 | 12.9 |\n")
    got = [(c.label, c.text, c.column, c.unit_text) for c in cells(text)]
    assert got == [("门诊人次", "31.5", "本月", "万人次"), ("门诊人次", "188.2", "累计", "万人次"),
                   ("住院人次", "2.1", "本月", "万人次"), ("住院人次", "12.9", "累计", "万人次")]


def test_page_information_lines_with_bars_are_no_table() -> None:
    text = ("索 引 号: | 000014349/2024-413712 | 信息分类: | 统计信息 |\n"
            "发布机构: | 生成日期: | 2024-03-24 | |\n"
            "首页 | 政务公开 | 2024年 |\n")
    assert find_tables(text) == []


# --- layout 3: a flattened HTML table, one cell per line ----------------------------------


FLAT = """住院待遇标准如下:
在职职工住院起付线及报销比例
|
起付线(元) |
报销比例 |
一级医院 |
300 |
85% |
三级医院 |
900 |
75% |
灵活就业人员门诊待遇
人员类别 |
起付线(元) |
年度限额(元) |
备注 |
灵活就业人员 |
200 |
2500 |
2025年起年度限额提高到2800元，报销比例提高3个百分点。 |
退休人员 |
100 |
||
以上待遇自2024年1月1日起执行。
"""


def test_flattened_html_tables() -> None:
    got = [(c.title, c.label, c.text, c.column, c.unit_text) for c in cells(FLAT)]
    first, second = "在职职工住院起付线及报销比例", "灵活就业人员门诊待遇"
    assert got == [
        (first, "一级医院", "300", "起付线(元)", "元"), (first, "一级医院", "85%", "报销比例", "%"),
        (first, "三级医院", "900", "起付线(元)", "元"), (first, "三级医院", "75%", "报销比例", "%"),
        (second, "灵活就业人员", "200", "起付线(元)", "元"),
        (second, "灵活就业人员", "2500", "年度限额(元)", "元"),
        (second, "退休人员", "100", "起付线(元)", "元"),
    ]


def test_a_remark_cell_is_running_text_left_out_of_the_span() -> None:
    note = "2025年起年度限额提高到2800元，报销比例提高3个百分点。"
    spans = table_spans(FLAT)
    at = FLAT.index(note)
    assert not any(s <= at < e for s, e in spans)
    assert any(s <= FLAT.index("2500 |") < e for s, e in spans)
    (_, table) = find_tables(FLAT)
    assert table.notes == ((at, at + len(note)),)


def test_one_cell_per_line_with_a_unit_column_and_sections() -> None:
    text = ("指标名称 |\n单位 |\n本期 |\n一、参保人数 |\n城乡居民基本医疗保险 |\n万人 |\n"
            "264.3 |\n生育保险 |\n万人 |\n31.9 |\n二、基金收入 |\n"
            "城乡居民基本医疗保险 |\n亿元 |\n9.46 |\n")
    assert brief(text) == [
        ("城乡居民基本医疗保险", "264.3", "万人", "本期", "参保人数", None),
        ("生育保险", "31.9", "万人", "本期", "参保人数", None),
        ("城乡居民基本医疗保险", "9.46", "亿元", "本期", "基金收入", None),
    ]


def test_one_cell_per_line_without_bars_and_value_words() -> None:
    text = "主要指标\n\n指标\n\n本期\n\n同比\n\n参保人数（万人）\n\n45.2\n\n3.1%\n\n定点药店（家）\n\n318\n\n-2\n"
    got = [(c.label, c.text, c.column, c.role, c.unit_text) for c in cells(text)]
    assert got == [("参保人数", "45.2", "本期", "level", "万人"),
                   ("参保人数", "3.1%", "同比", "change", "%"),
                   ("定点药店", "318", "本期", "level", "家"),
                   ("定点药店", "-2", "同比", "change", "家")]
    assert {c.title for c in cells(text)} == {"主要指标"}


# --- layout 4: tab- or space-aligned value columns ----------------------------------------


def test_tab_separated_value_columns() -> None:
    text = ("某州2022年12月医疗保障基金运行情况\n单位：万元\n"
            "项目\t本月\t本年累计\t上年同期\t比上年同期增减（%）\n"
            "统筹基金收入\t3120.5\t40210.7\t38102.2\t5.5\n"
            "统筹基金支出\t2988.1\t35120.0\t36011.9\t-2.5\n")
    got = [(c.label, c.text, c.column, c.role, c.unit_text) for c in cells(text)]
    assert got == [
        ("统筹基金收入", "3120.5", "本月", "level", "万元"),
        ("统筹基金收入", "40210.7", "本年累计", "level", "万元"),
        ("统筹基金收入", "38102.2", "上年同期", "base", "万元"),
        ("统筹基金收入", "5.5", "比上年同期增减（%）", "change", "%"),
        ("统筹基金支出", "2988.1", "本月", "level", "万元"),
        ("统筹基金支出", "35120.0", "本年累计", "level", "万元"),
        ("统筹基金支出", "36011.9", "上年同期", "base", "万元"),
        ("统筹基金支出", "-2.5", "比上年同期增减（%）", "change", "%"),
    ]
    assert {c.title for c in cells(text)} == {"某州2022年12月医疗保障基金运行情况"}


def test_indented_rows_are_parts_of_the_row_above() -> None:
    text = ("项目            单位    本年累计    上年同期\n"
            "基金收入        亿元    88.20       80.10\n"
            "  职工医保      亿元    60.00       55.00\n"
            "  居民医保      亿元    28.20       25.10\n"
            "基金支出        亿元    70.00       66.00\n")
    got = [(c.label, c.text, row_text(text, c.parent)) for c in cells(text) if c.role == "level"]
    total = "基金收入        亿元    88.20       80.10"
    assert got == [("基金收入", "88.20", None), ("职工医保", "60.00", total),
                   ("居民医保", "28.20", total), ("基金支出", "70.00", None)]


def test_indentation_that_is_no_outline_makes_no_parents() -> None:
    # the first row of a section indented deeper than rows after it: page noise
    text = ("指标名称单位本期\n一、参保人数\n      基本医疗保险万人120.0\n"
            "    职工基本医疗保险万人50.0\n  城乡居民基本医疗保险万人70.0\n生育保险万人30.0\n")
    assert [c.parent for c in cells(text)] == [None, None, None, None]


def test_rows_listed_under_a_part_are_parts_of_the_same_total() -> None:
    text = ("指标名称    单位    本期\n"
            "基金支出    亿元    10.0\n"
            "  其中：住院  亿元    6.0\n"
            "        门诊  亿元    3.0\n")
    got = [(c.label, row_text(text, c.parent)) for c in cells(text)]
    total = "基金支出    亿元    10.0"
    assert got == [("基金支出", None), ("住院", total), ("门诊", total)]


def test_a_section_row_unit_applies_to_its_rows() -> None:
    text = "指标名称\t本期\t累计\n一、参保人数（万人）\n职工\t40.1\t40.1\n居民\t80.6\t80.6\n"
    assert {(c.unit_text, c.section) for c in cells(text)} == {("万人", "参保人数")}


def test_columns_after_a_label_word_hold_values() -> None:
    # 项目 names the label column: the schemes after it are value columns
    text = ("项目\t职工医保\t居民医保\t合计\n"
            "参保人数（人）\t182064\t405512\t587576\n"
            "住院人次（人次）\t21530\t39988\t61518\n")
    got = [(c.label, c.column, c.text, c.unit_text, c.role) for c in cells(text)]
    assert got[:3] == [("参保人数", "职工医保", "182064", "人", "level"),
                       ("参保人数", "居民医保", "405512", "人", "level"),
                       ("参保人数", "合计", "587576", "人", "level")]
    assert len(got) == 6


def test_a_row_number_column_is_no_value() -> None:
    text = "序号\t指标\t单位\t数值\n1\t定点医疗机构\t家\t146\n2\t定点零售药店\t家\t203\n"
    assert [(c.label, c.text, c.unit_text, c.column) for c in cells(text)] == [
        ("定点医疗机构", "146", "家", "数值"), ("定点零售药店", "203", "家", "数值")]


def test_month_columns_and_a_unit_after_the_values() -> None:
    text = "项目 1-6月 同比增长 单位\n门诊结算 88.1 12.4 万人次\n住院结算 6.3 -1.0 万人次\n"
    got = [(c.label, c.text, c.column, c.role, c.unit_text, c.year) for c in cells(text)]
    assert got == [("门诊结算", "88.1", "1-6月", "level", "万人次", None),
                   ("门诊结算", "12.4", "同比增长", "change", "万人次", None),
                   ("住院结算", "6.3", "1-6月", "level", "万人次", None),
                   ("住院结算", "-1.0", "同比增长", "change", "万人次", None)]


def test_a_year_and_month_column_keeps_its_year() -> None:
    text = "指标\t2024年1-9月\t2023年1-9月\n基金支出（亿元）\t15.2\t14.1\n"
    got = [(c.column, c.year, c.goal, c.text) for c in cells(text)]
    assert got == [("2024年1-9月", 2024, False, "15.2"), ("2023年1-9月", 2023, False, "14.1")]


def test_a_part_written_without_a_colon() -> None:
    text = "指标名称\t单位\t本期\n基金支出\t亿元\t8.1\n其中住院\t亿元\t5.2\n"
    got = [(c.label, row_text(text, c.parent)) for c in cells(text)]
    assert got == [("基金支出", None), ("住院", "基金支出\t亿元\t8.1")]


def test_a_running_text_cell_is_no_value() -> None:
    text = ("项目 | 标准 |\n"
            "起付线 | 800元 |\n"
            "报销比例 | 在职职工报销85%，退休人员报销90%，一个年度内累计计算。 |\n")
    assert [(c.label, c.text, c.unit_text) for c in cells(text)] == [("起付线", "800元", "元")]
    (table,) = find_tables(text)
    note = "在职职工报销85%，退休人员报销90%，一个年度内累计计算。"
    assert table.notes == ((text.index(note), text.index(note) + len(note)),)


def test_two_tables_one_after_the_other() -> None:
    text = ("表1 参保情况\n指标名称 单位 本期\n职工医保 万人 10.5\n居民医保 万人 30.2\n"
            "表2 基金情况\n指标名称 单位 本期\n基金收入 亿元 4.4\n")
    tables = find_tables(text)
    assert [(t.title, [c.label for c in t.cells]) for t in tables] == [
        ("表1 参保情况", ["职工医保", "居民医保"]), ("表2 基金情况", ["基金收入"])]


def test_a_header_line_ends_the_table_above_it() -> None:
    text = ("指标名称单位本期\n职工医保万人10.5\n指标名称单位本期同比\n居民医保万人30.2 1.5\n")
    tables = find_tables(text)
    assert [[(c.label, c.column) for c in t.cells] for t in tables] == [
        [("职工医保", "本期")], [("居民医保", "本期"), ("居民医保", "同比")]]


def test_a_note_line_ends_the_table() -> None:
    text = "指标名称单位本期\n职工医保万人10.5\n注：数据来源于2023年12月快报\n居民医保万人30.2\n"
    assert [c.label for c in cells(text)] == ["职工医保"]


# --- what is not a table -----------------------------------------------------------------


def test_running_text_with_numbered_headings_is_no_table() -> None:
    text = ("柳湾市2022年8月基本医疗保险参保情况\n"
            "一、基本医疗保险参保人数同比增长1.2%\n"
            "基本医疗保险参保856.2万人，环比增加2.1万人，同比增加10.2万人。\n"
            "二、生育保险参保人数同比增长0.5%\n"
            "生育保险参保401.7万人。\n")
    assert find_tables(text) == []


def test_short_lines_with_numbers_are_no_table() -> None:
    text = "联系人：王敏\n联系电话：\n0871-6312345\n邮编：\n650000\n本期\n12\n"
    assert find_tables(text) == []


def test_a_header_alone_is_no_table() -> None:
    assert find_tables("指标名称单位本期\n全市医保工作稳步推进，群众满意度持续提升。\n") == []


# --- properties --------------------------------------------------------------------------

_LABEL_CHARS = "职工居民基本医疗保险生育大额救助门诊住院统筹账户基金收入支出人次待遇"
_UNITS = ["万人", "亿元", "万元", "人次", "万人次", "家", "%", "元/人"]
# a row label ends with a word, never with a unit's character (人, 次, 元, 家)
_labels = st.text(alphabet=_LABEL_CHARS, min_size=2, max_size=14).filter(
    lambda s: s[-1] not in "人次元家")
_values = st.builds(
    lambda sign, whole, frac: f"{sign}{whole}{'.' + frac if frac else ''}",
    st.sampled_from(["", "-", "－", "−"]), st.integers(0, 99999).map(str),
    st.sampled_from(["", "5", "07", "31"]))
_rows = st.lists(st.tuples(_labels, st.sampled_from(_UNITS), _values, st.booleans()),
                 min_size=1, max_size=8)


def _number(written: str) -> Decimal:
    negative = written[0] in "-－−"
    return -Decimal(written[1:]) if negative else Decimal(written)


def _write(layout: str, table: list[tuple[str, str, str, bool]]) -> str:
    lines = {"glued": ["指标名称单位本期"], "spaced": ["指标名称 单位 本期"],
             "bar": ["指标名称 | 单位 | 本期 | ||"], "tab": ["指标名称\t单位\t本期"],
             "flat": ["指标名称 |", "单位 |", "本期 |"]}[layout]
    for n, (label, unit, value, part) in enumerate(table):
        label = ("其中:" if part and n else "") + label
        if layout == "glued":
            lines.append(f"{label}{unit}{value}")
        elif layout == "spaced":
            lines.append(f"{label} {unit} {value}")
        elif layout == "bar":
            lines.append(f"{label} | {unit} | {value} | ||")
        elif layout == "tab":
            lines.append(f"{label}\t{unit}\t{value}")
        else:
            lines += [f"{label} |", f"{unit} |", f"{value} |"]
    return "统计表\n" + "\n".join(lines) + "\n以上数据为快报数据，仅供参考。\n"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["glued", "spaced", "bar", "tab", "flat"]), _rows)
def test_every_row_round_trips_with_its_sign(layout: str,
                                             table: list[tuple[str, str, str, bool]]) -> None:
    # one cell per line needs two rows to show its period (a header and a single row of
    # three short lines read like any three short lines)
    assume(layout != "flat" or len(table) > 1)
    text = _write(layout, table)
    found = cells(text)
    assert [(c.label, c.unit_text, c.text) for c in found] == [
        (label, unit, value) for label, unit, value, _ in table]
    for n, (c, (_, _, value, part)) in enumerate(zip(found, table, strict=True)):
        assert c.column == "本期" and c.role == "level" and c.title == "统计表"
        # the sign is the cell's: the number read back is the number written
        assert _number(c.text) == _number(value)
        assert (c.parent is not None) == (part and n > 0)
    starts = [c.row_start for c in found]
    for c in found:
        assert c.parent is None or c.parent in starts


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="参保人数万亿元其中:一、二 \t|%-.0123456789\n年指标名称单位本期", max_size=300))
def test_any_text_gives_cells_that_slice_back(text: str) -> None:
    for table in find_tables(text):
        assert table.start <= table.end
        for c in table.cells:
            assert text[c.start:c.end] == c.text
            assert c.start < c.end and table.start <= c.start and c.end <= table.end
            assert c.role in ("level", "change", "base")
