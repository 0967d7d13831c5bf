"""kg.extract.quantities: numbers with units in running text, found and normalised.

Sentences are taken from the seeds (``seeds/``) or written for these tests in
the genre's style, for other provinces, levels and years.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import cn2an
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kg.base.ontology import concepts
from kg.base.resources import lexicon_rows
from kg.extract.quantities import Quantity, find_quantities, parse_quantity, with_offset

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

Row = tuple[str, str, str, str | None, str | None]


def _rows(text: str) -> list[Row]:
    """(text, value, unit, approximation, direction) of every quantity, checking the offsets."""
    out = []
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text, q
        out.append((q.text, str(q.value), q.unit, q.approximation, q.direction))
    return out


def _one(text: str, phrase: str) -> Quantity:
    """The quantity whose text is ``phrase`` (written once in ``text``)."""
    found = [q for q in find_quantities(text) if q.text == phrase]
    assert len(found) == 1, (phrase, find_quantities(text))
    q = found[0]
    assert q.start == text.index(phrase) and q.end == q.start + len(phrase)
    return q


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Seed sentences: every quantity, exactly
# ---------------------------------------------------------------------------

SEED_SENTENCES: list[tuple[str, list[Row]]] = [
    (
        "截至2023年12月,全区基本医疗保险参保人数达100.02万,其中职工基本医疗保险参保人数达62.7万,"
        "居民基本医疗保险参保人数达37.32万,生育保险参保人数达39.86万;",
        [
            ("100.02万", "1000200", "", None, None),
            ("62.7万", "627000", "", None, None),
            ("37.32万", "373200", "", None, None),
            ("39.86万", "398600", "", None, None),
        ],
    ),
    (
        "全区(含经开区)职工医保基金(含生育)基金总收入为38.68亿元,总支出为31.09亿元,当期结余7.59亿元;",
        [
            ("38.68亿元", "3868000000", "Yuan", None, None),
            ("31.09亿元", "3109000000", "Yuan", None, None),
            ("7.59亿元", "759000000", "Yuan", None, None),
        ],
    ),
    (
        "截至2023年12月,职工医保和居民医保政策范围内住院医疗费用基金支付比例分别达87.46%和76.32%。",
        [
            ("87.46%", "87.46", "Percent", None, None),
            ("76.32%", "76.32", "Percent", None, None),
        ],
    ),
    (
        "职工医保门诊特殊病病种由原来的6种扩容至8类20种,并对门诊慢性病、门诊特殊病均不设起付标准;",
        [
            ("6种", "6", "Item", None, None),
            ("8类", "8", "Item", None, None),
            ("20种", "20", "Item", None, None),
        ],
    ),
    (
        "全年共完成采购数量3747.05万盒(剂),采购金额达8.89亿元。",
        [
            ("3747.05万盒(剂)", "37470500", "Item", None, None),
            ("8.89亿元", "889000000", "Yuan", None, None),
        ],
    ),
    (
        "我区全年医疗救助对象新增1216人,救助对象总数达8782人,救助比例保持在80%以上。",
        [
            ("1216人", "1216", "Person", None, "up"),
            ("8782人", "8782", "Person", None, None),
            ("80%以上", "80", "Percent", "AtLeast", None),
        ],
    ),
    (
        "确保单颗种植牙总费用控制在6000元左右,整体下降近50%。",
        [
            ("6000元左右", "6000", "Yuan", "Approximate", None),
            ("近50%", "50", "Percent", "AtMost", "down"),
        ],
    ),
    (
        "截至2023年12月,住院按照DRG支付的统筹基金费用占住院统筹基金总费用的比例达98.78%,"
        "DRG付费医院参保患者住院次均费用同比降幅达5.64%。",
        [
            ("98.78%", "98.78", "Percent", None, None),
            ("5.64%", "5.64", "Percent", None, "down"),
        ],
    ),
    (
        "截至2023年12月,职工医保普通门诊享受统筹151.35万余人次,基金支出3.06亿元;",
        [
            ("151.35万余人次", "1513500", "PersonTime", "AtLeast", None),
            ("3.06亿元", "306000000", "Yuan", None, None),
        ],
    ),
    (
        "3月1日起,职工医保用人单位缴费费率阶段性下调至7%,灵活就业人员参加职工医保缴费比例下调至8%,"
        "预计全年减免企业及个人缴费2.57亿余元。",
        [
            ("7%", "7", "Percent", None, None),
            ("8%", "8", "Percent", None, None),
            ("2.57亿余元", "257000000", "Yuan", "AtLeast", None),
        ],
    ),
    (
        "截至目前,全州基本医疗保险参保人数达到272328人,完成省定任务的102.73%,率先在全省完成2024年参保任务,"
        "并实现困难群体基本医保一个不少,",
        [
            ("272328人", "272328", "Person", None, None),
            ("102.73%", "102.73", "Percent", None, None),
        ],
    ),
    (
        "存放一年期医保基金10亿元,到期将产生收益近1800万元,有效实现医保基金保值增值。",
        [
            ("10亿元", "1000000000", "Yuan", None, None),
            ("近1800万元", "18000000", "Yuan", "AtMost", None),
        ],
    ),
    (
        "2025年城乡居民基本医保人均财政补助达到670元,个人缴费400元,筹资总额达到1070元,"
        "比2019年的财政补助596元和个人筹资262元,分别提高14%和27%,筹资结构得到进一步优化。",
        [
            ("670元", "670", "Yuan", None, None),
            ("400元", "400", "Yuan", None, None),
            ("1070元", "1070", "Yuan", None, None),
            ("596元", "596", "Yuan", None, None),
            ("262元", "262", "Yuan", None, None),
            ("14%", "14", "Percent", None, "up"),
            ("27%", "27", "Percent", None, "up"),
        ],
    ),
    (
        "城乡居民住院次均费用从2019年9030元下降到7105元,政策范围内平均报付比例达到71.13%,提高10.48个百分点,",
        [
            ("9030元", "9030", "Yuan", None, None),
            ("7105元", "7105", "Yuan", None, None),
            ("71.13%", "71.13", "Percent", None, None),
            ("10.48个百分点", "10.48", "PercentagePoint", None, "up"),
        ],
    ),
    (
        "完成第九批国家组织药品、国家组织骨科脊柱类耗材、省际联盟口腔种植体系统等35个批次801种药品和"
        "42批次52类医用耗材集采工作,药品价格平均降幅50%,耗材价格平均降幅80%",
        [
            ("35个批次", "35", "Batch", None, None),
            ("801种", "801", "Item", None, None),
            ("42批次", "42", "Batch", None, None),
            ("52类", "52", "Item", None, None),
            ("50%", "50", "Percent", None, "down"),
            ("80%", "80", "Percent", None, "down"),
        ],
    ),
    (
        "截至9月底,全州参保人员在张掖地区实现门诊结算8000余人次、结算金额320余万元,"
        "住院实现直接结算11000余人次,结算金额达到近7000万元,比去年同期增长近6个百分点。",
        [
            ("8000余人次", "8000", "PersonTime", "AtLeast", None),
            ("320余万元", "3200000", "Yuan", "AtLeast", None),
            ("11000余人次", "11000", "PersonTime", "AtLeast", None),
            ("近7000万元", "70000000", "Yuan", "AtMost", None),
            ("近6个百分点", "6", "PercentagePoint", "AtMost", "up"),
        ],
    ),
    (
        "2024年全州追回违规医保基金97.9万元,自2019年以来累计挽回医保基金损失858万余元。",
        [
            ("97.9万元", "979000", "Yuan", None, None),
            ("858万余元", "8580000", "Yuan", "AtLeast", None),
        ],
    ),
    (
        "查实1家定点医疗机构存在串换诊疗项目等违规行为,依据《医疗保障基金使用监督管理条例》相关条款,"
        "追回违规基金39.75万元,并处违规基金两倍罚款,计79.5万元。",
        [
            ("1家", "1", "Institution", None, None),
            ("39.75万元", "397500", "Yuan", None, None),
            ("两倍", "2", "Other", None, None),
            ("79.5万元", "795000", "Yuan", None, None),
        ],
    ),
    (
        "增加因患病住院或发生门诊特殊病产生的医疗总费用超10万元以上,20万元以上,30万元以上监测模块及相应导出功能,",
        [
            ("超10万元以上", "100000", "Yuan", "AtLeast", None),
            ("20万元以上", "200000", "Yuan", "AtLeast", None),
            ("30万元以上", "300000", "Yuan", "AtLeast", None),
        ],
    ),
    (
        "已受理完成140家参保单位退费申请,退费金额85.78万。",
        [
            ("140家", "140", "Institution", None, None),
            ("85.78万", "857800", "", None, None),
        ],
    ),
    (
        "局党组共召开党组理论学习中心组14次、理论学习会9次、业务学习会6次,专题研讨12次、书记讲党课2次,",
        [
            ("14次", "14", "Other", None, None),
            ("9次", "9", "Other", None, None),
            ("6次", "6", "Other", None, None),
            ("12次", "12", "Other", None, None),
            ("2次", "2", "Other", None, None),
        ],
    ),
    (
        "拉萨市打击欺诈骗保联席会议领导小组7家成员单位、11个县区(功能园区)医保局、200余家定点医药机构参加会议,",
        [
            ("7家", "7", "Institution", None, None),
            ("11个", "11", "Item", None, None),
            ("200余家", "200", "Institution", "AtLeast", None),
        ],
    ),
    (
        "截至5月底,全市已检查定点医药机构 140家,涉及违规违约26家,违规金额11.50万元,已追回医保基金11.50万元,"
        "扣处违约金23.96万元,暂停医药机构服务协议 5 家,向社会公开曝光典型案例1起。",
        [
            ("140家", "140", "Institution", None, None),
            ("26家", "26", "Institution", None, None),
            ("11.50万元", "115000", "Yuan", None, None),
            ("11.50万元", "115000", "Yuan", None, None),
            ("23.96万元", "239600", "Yuan", None, None),
            ("5 家", "5", "Institution", None, None),
            ("1起", "1", "Case", None, None),
        ],
    ),
    (
        "今年大病保险筹资财政较上年人均多投入15元,降低并统一大病保险起付线,大病保险政策范围内报销比例由50%提高至60%。",
        [
            ("15元", "15", "Yuan", None, "up"),
            ("50%", "50", "Percent", None, None),
            ("60%", "60", "Percent", None, None),
        ],
    ),
    (
        "建档立卡贫困人员需门诊维持治疗的慢性病患者,在病种的确定范围上较一般城镇居民增加了12种,"
        "报销限额上一档缴费为1500元/人/年,二档缴费为3000元/人/年,"
        "报销比例上个人支付占比控制在10%以内(实际支付控制在9.5%左右)。",
        [
            ("12种", "12", "Item", None, "up"),
            ("1500元/人/年", "1500", "Yuan", None, None),
            ("3000元/人/年", "3000", "Yuan", None, None),
            ("10%以内", "10", "Percent", "AtMost", None),
            ("9.5%左右", "9.5", "Percent", "Approximate", None),
        ],
    ),
    (
        "截至2020年底,2020年全市参保人数594.8万人,其中职工医保参保人数169.6万人,居民医保参保人数425.2万人,"
        "参保率达95.1%。全市符合条件的困难群众资助参保率、医疗救助政策落实率达到了100 %以上,",
        [
            ("594.8万人", "5948000", "Person", None, None),
            ("169.6万人", "1696000", "Person", None, None),
            ("425.2万人", "4252000", "Person", None, None),
            ("95.1%", "95.1", "Percent", None, None),
            ("100 %以上", "100", "Percent", "AtLeast", None),
        ],
    ),
    (
        "4.实名差评回访率达到100%,原则上应在10个工作日向评价人反馈整改情况。",
        [
            ("100%", "100", "Percent", None, None),
            ("在10个工作日", "10", "Day", "AtMost", None),
        ],
    ),
    (
        "医疗保障局主要承担原人社、发改、民政等部门的基本医疗保险、生育保险、药品和医疗服务价格管理、医疗救助4大职能,"
        "我局相应成立了办公室、保障和指导科、基金和大数据科、医药服务管理科4个科室,行政编制核定12名,",
        [
            ("4大", "4", "Item", None, None),
            ("4个", "4", "Item", None, None),
            ("12名", "12", "Person", None, None),
        ],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), SEED_SENTENCES)
def test_seed_sentences(sentence: str, expected: list[Row]) -> None:
    assert _rows(sentence) == expected


def test_name_counts_people_and_alternative_unit_in_parentheses() -> None:
    s = "指导惠民保产品承保公司进社区、进机关、进企业开展惠民保政策宣传,全区有11.47万名参保人员投保缴费。"
    q = _one(s, "11.47万名")
    assert (q.value, q.unit, q.unit_text, q.scale_text) == (Decimal(114700), "Person", "名", "万")
    boxes = parse_quantity("3747.05万盒(剂)")
    assert boxes is not None
    assert (boxes.unit, boxes.unit_text, boxes.number_text) == ("Item", "盒(剂)", "3747.05")


@pytest.mark.parametrize(
    ("sentence", "phrase", "unit"),
    [
        ("定点零售药店存在违规问题10项,扣除分值354分,追回相应违规金额17.7万元", "354分", "Other"),
        ("承担原人社、发改、民政等部门的医疗救助4大职能", "4大", "Item"),
    ],
)
def test_units_written_only_after_digits(sentence: str, phrase: str, unit: str) -> None:
    assert _one(sentence, phrase).unit == unit


def test_per_unit_denominator() -> None:
    q = parse_quantity("1500元/人/年")
    assert q is not None
    assert (q.value, q.unit, q.unit_text, q.per) == (Decimal(1500), "Yuan", "元", "人/年")


def test_batches_named_by_ordinal_are_not_counts() -> None:
    s = "完成第九批国家组织药品集采,配合市局抓好28个批次药品集中带量采购"
    assert _rows(s) == [("28个批次", "28", "Batch", None, None)]


# ---------------------------------------------------------------------------
# Sentences of the genre for other provinces and levels
# ---------------------------------------------------------------------------

WRITTEN: list[tuple[str, list[Row]]] = [
    (
        "截至2023年底，全省基本医疗保险参保人数8123.4万人，参保率稳定在95%以上。",
        [
            ("8123.4万人", "81234000", "Person", None, None),
            ("95%以上", "95", "Percent", "AtLeast", None),
        ],
    ),
    (
        "2022年，全市职工医保基金收入约为45.6亿元，同比增长8.3%；支出38.2亿元，同比下降2.1个百分点。",
        [
            ("约为45.6亿元", "4560000000", "Yuan", "Approximate", None),
            ("8.3%", "8.3", "Percent", None, "up"),
            ("38.2亿元", "3820000000", "Yuan", None, None),
            ("2.1个百分点", "2.1", "PercentagePoint", None, "down"),
        ],
    ),
    (
        "全县共有定点医药机构312家，其中定点医疗机构186家、定点零售药店126家。",
        [
            ("312家", "312", "Institution", None, None),
            ("186家", "186", "Institution", None, None),
            ("126家", "126", "Institution", None, None),
        ],
    ),
    (
        "全年追回医保基金1,286.5万元，处违约金320余万元，行政处罚17家。",
        [
            ("1,286.5万元", "12865000", "Yuan", None, None),
            ("320余万元", "3200000", "Yuan", "AtLeast", None),
            ("17家", "17", "Institution", None, None),
        ],
    ),
    (
        "城乡居民医保人均财政补助标准提高至610元，个人缴费标准为每人每年380元。",
        [
            ("610元", "610", "Yuan", None, None),
            ("380元", "380", "Yuan", None, None),
        ],
    ),
    (
        "国家组织药品集采中选药品价格平均降幅超过50%，部分药品降幅达90%以上。",
        [
            ("超过50%", "50", "Percent", "AtLeast", "down"),
            ("90%以上", "90", "Percent", "AtLeast", "down"),
        ],
    ),
    (
        "异地就医备案办理时限压缩至3个工作日以内，门诊慢特病待遇认定在30日内完成。",
        [
            ("3个工作日以内", "3", "Day", "AtMost", None),
            ("30日内", "30", "Day", "AtMost", None),
        ],
    ),
    (
        "对骗保行为处骗取金额2倍以上5倍以下的罚款。",
        [
            ("2倍以上", "2", "Other", "AtLeast", None),
            ("5倍以下", "5", "Other", "AtMost", None),
        ],
    ),
    (
        "医疗救助对象政策范围内住院费用救助比例不低于百分之七十，年度救助限额提高三成。",
        [
            ("不低于百分之七十", "70", "Percent", "AtLeast", None),
            ("三成", "30", "Percent", None, "up"),
        ],
    ),
    (
        "根据《关于做好2023年城乡居民基本医疗保障工作的通知》（医保发〔2023〕24号），"
        "居民医保人均财政补助标准新增30元，达到每人每年不低于640元。",
        [
            ("30元", "30", "Yuan", None, "up"),
            ("不低于640元", "640", "Yuan", "AtLeast", None),
        ],
    ),
    (
        "2024年全市参保群众就医结算达到一千二百万人次，长期护理保险试点惠及失能人员两万余人，全州十余家医院参与。",
        [
            ("一千二百万人次", "12000000", "PersonTime", None, None),
            ("两万余人", "20000", "Person", "AtLeast", None),
            ("十余家", "10", "Institution", "AtLeast", None),
        ],
    ),
    (
        "医保电子凭证激活率达到75.3%，较上年提高12.6个百分点；全年结算异地就医费用5.6万人次、13.2亿元。",
        [
            ("75.3%", "75.3", "Percent", None, None),
            ("12.6个百分点", "12.6", "PercentagePoint", None, "up"),
            ("5.6万人次", "56000", "PersonTime", None, None),
            ("13.2亿元", "1320000000", "Yuan", None, None),
        ],
    ),
    (
        "大病保险起付线降至1.2万元，报销比例提高5个百分点至65%，职工医保个人账户划入比例调整为2%。",
        [
            ("1.2万元", "12000", "Yuan", None, None),
            ("5个百分点", "5", "PercentagePoint", None, "up"),
            ("65%", "65", "Percent", None, None),
            ("2%", "2", "Percent", None, None),
        ],
    ),
    (
        "生育津贴平均每人1.2万元左右，全市立案查处违法违规案件43件，移送公安机关2起，查处欺诈骗保17例。",
        [
            ("1.2万元左右", "12000", "Yuan", "Approximate", None),
            ("43件", "43", "Case", None, None),
            ("2起", "2", "Case", None, None),
            ("17例", "17", "Case", None, None),
        ],
    ),
    (
        "全州开展集中带量采购4批次，采购金额近两亿元，平均降价幅度约五成，较上年减少3.6个百分点。",
        [
            ("4批次", "4", "Batch", None, None),
            ("近两亿元", "200000000", "Yuan", "AtMost", None),
            ("约五成", "50", "Percent", "Approximate", None),
            ("3.6个百分点", "3.6", "PercentagePoint", None, "down"),
        ],
    ),
    (
        "家庭医生签约1200人，节约医保资金300万元，预约诊疗5000余人次。",
        [
            ("1200人", "1200", "Person", None, None),
            ("300万元", "3000000", "Yuan", None, None),
            ("5000余人次", "5000", "PersonTime", "AtLeast", None),
        ],
    ),
    (
        "全市累计为逾2000家参保单位办理业务，医保移动支付突破1000万人次，不足1万人未完成激活，"
        "等待期不超过6个月。",
        [
            ("逾2000家", "2000", "Institution", "AtLeast", None),
            ("突破1000万人次", "10000000", "PersonTime", "AtLeast", None),
            ("不足1万人", "10000", "Person", "AtMost", None),
            ("不超过6个月", "6", "Month", "AtMost", None),
        ],
    ),
    (
        "印发政策解读１２３．４万份，知晓率达到８５．６％。",
        [
            ("１２３．４万份", "1234000", "Item", None, None),
            ("８５．６％", "85.6", "Percent", None, None),
        ],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), WRITTEN)
def test_written_sentences(sentence: str, expected: list[Row]) -> None:
    assert _rows(sentence) == expected


# ---------------------------------------------------------------------------
# Ranges, lists, needs_unit, direction
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "value", "low", "unit"),
    [
        ("80%-85%", "85", "80", "Percent"),
        ("2-3倍", "3", "2", "Other"),
        ("10至15万元", "150000", "100000", "Yuan"),
        ("10万-15万元", "150000", "100000", "Yuan"),
        ("3～5个工作日", "5", "3", "Day"),
        ("2~3个月", "3", "2", "Month"),
        ("75%—80%", "80", "75", "Percent"),
        ("580至620元", "620", "580", "Yuan"),
    ],
)
def test_ranges_keep_the_lower_bound_as_value_and_the_upper_as_max(
        phrase: str, value: str, low: str, unit: str) -> None:
    s = f"全市住院费用按病种付费覆盖率目标为{phrase}，各县区按进度推进。"
    q = _one(s, phrase)
    assert q.is_range
    assert (q.value, q.max_value, q.unit) == (Decimal(low), Decimal(value), unit)


def test_from_to_is_two_levels_not_a_range() -> None:
    s = "政策范围内报销比例由60%至70%，个人负担明显减轻。"
    assert [q.text for q in find_quantities(s)] == ["60%", "70%"]
    assert not any(q.is_range for q in find_quantities(s))


def test_range_of_different_units_is_no_range() -> None:
    s = "报销比例提高5个百分点至65%"
    assert [(q.text, q.is_range) for q in find_quantities(s)] == [
        ("5个百分点", False),
        ("65%", False),
    ]


def test_list_shares_the_unit_written_last() -> None:
    s = "职工和居民参保人数分别达62.7万、37.32万人。"
    first, second = find_quantities(s)
    assert (first.text, first.value, first.unit, first.shared_unit) == (
        "62.7万",
        Decimal(627000),
        "Person",
        True,
    )
    assert not first.needs_unit
    assert (second.text, second.value, second.unit, second.shared_unit) == (
        "37.32万人",
        Decimal(373200),
        "Person",
        False,
    )


def test_list_shares_unit_and_scale_with_bare_numbers() -> None:
    s = "两县医疗救助资金分别为10、20万元。"
    assert [(q.text, q.value, q.unit) for q in find_quantities(s)] == [
        ("10", Decimal(100000), "Yuan"),
        ("20万元", Decimal(200000), "Yuan"),
    ]


def test_list_members_share_direction() -> None:
    s = "门诊和住院费用分别下降3.2%和5.1%"
    assert [q.direction for q in find_quantities(s)] == ["down", "down"]


def test_bare_numbers_without_list_are_not_quantities() -> None:
    assert find_quantities("参保率达95.1，位居全省第3") == []
    assert find_quantities("2019、2020年连续两年") == []


def test_needs_unit_for_a_scaled_number_without_unit() -> None:
    q = parse_quantity("100.02万")
    assert q is not None
    assert (q.value, q.unit, q.unit_text, q.needs_unit) == (Decimal(1000200), "", "", True)
    q = _one("全省参保人数达7.9亿以上，", "7.9亿以上")
    assert (q.value, q.approximation, q.needs_unit) == (Decimal(790000000), "AtLeast", True)


@pytest.mark.parametrize(
    ("sentence", "phrase", "direction"),
    [
        ("住院次均费用同比增长12.3%", "12.3%", "up"),
        ("住院次均费用同比下降5.64%", "5.64%", "down"),
        ("次均费用同比降幅5.64%", "5.64%", "down"),
        ("基金收入增幅为3.2%", "3.2%", "up"),
        ("基金支出增长率为-2.3%", "-2.3%", "up"),
        ("参保人数较上年增加了1.2万人", "1.2万人", "up"),
        ("住院率较上年降低0.8个百分点", "0.8个百分点", "down"),
        ("次均费用下降到7105元", "7105元", None),
        ("救助限额提高至20万元", "20万元", None),
        ("缴费费率下调至7%", "7%", None),
        ("个人缴费增加为380元", "380元", None),
        ("全年新增参保1.3万人", "1.3万人", None),
        ("全年新增1.3万人", "1.3万人", "up"),
        ("门诊费用同比增12%", "12%", "up"),
        ("新增药品34种，调出11种", "11种", "down"),
        ("较上年人均多投入15元", "15元", "up"),
    ],
)
def test_direction(sentence: str, phrase: str, direction: str | None) -> None:
    q = _one(sentence, phrase)
    assert q.direction == direction
    assert (q.value < 0) == q.text.startswith("-")


@pytest.mark.parametrize(
    ("sentence", "phrase", "approximation"),
    [
        ("支出约3亿元", "约3亿元", "Approximate"),
        ("支出大约3亿元", "大约3亿元", "Approximate"),
        ("费用控制在6000元左右", "6000元左右", "Approximate"),
        ("惠及3.5万余人", "3.5万余人", "AtLeast"),
        ("发布信息100多条", "100多条", "AtLeast"),
        ("覆盖率在90%以上", "90%以上", "AtLeast"),
        ("救助比例在70%及以上", "70%及以上", "AtLeast"),
        ("惠及超过1000人", "超过1000人", "AtLeast"),
        ("惠及逾1000人", "逾1000人", "AtLeast"),
        ("结余近1800万元", "近1800万元", "AtMost"),
        ("办结时限不超过5个工作日", "不超过5个工作日", "AtMost"),
        ("自付比例控制在10%以内", "10%以内", "AtMost"),
        ("自付比例不到10%", "不到10%", "AtMost"),
        ("1000元以下的部分", "1000元以下", "AtMost"),
        ("家庭医生签约1200人", "1200人", None),
        ("节约资金300万元", "300万元", None),
        ("预约诊疗5000人次", "5000人次", None),
        ("通过3种方式", "3种", None),
        ("应在10个工作日内办结", "10个工作日内", "AtMost"),
        ("原则上应在5个工作日反馈", "在5个工作日", "AtMost"),
        ("病程在6个月以上", "6个月以上", "AtLeast"),
    ],
)
def test_approximation(sentence: str, phrase: str, approximation: str | None) -> None:
    assert _one(sentence, phrase).approximation == approximation


# ---------------------------------------------------------------------------
# Chinese numerals
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "value", "unit"),
    [
        ("一千二百万元", "12000000", "Yuan"),
        ("两亿元", "200000000", "Yuan"),
        ("三成", "30", "Percent"),
        ("七成以上", "70", "Percent"),
        ("十余家", "10", "Institution"),
        ("五个百分点", "5", "PercentagePoint"),
        ("百分之八十", "80", "Percent"),
        ("百分之百", "100", "Percent"),
        ("百分之三点五", "3.5", "Percent"),
        ("三点五万元", "35000", "Yuan"),
        ("三十余万元", "300000", "Yuan"),
        ("一百零五人", "105", "Person"),
        ("两倍", "2", "Other"),
        ("两万亿元", "2000000000000", "Yuan"),
        ("三亿五千万元", "350000000", "Yuan"),
    ],
)
def test_chinese_numerals(phrase: str, value: str, unit: str) -> None:
    q = parse_quantity(phrase)
    assert q is not None, phrase
    assert (q.value, q.unit) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("sentence", "phrase", "value", "unit"),
    [
        ("全市百余家定点医药机构参加培训", "百余家", "100", "Institution"),
        ("培训人员千余人次", "千余人次", "1000", "PersonTime"),
        ("惠及群众万余人", "万余人", "10000", "Person"),
        ("节约资金千余万元", "千余万元", "10000000", "Yuan"),
    ],
)
def test_hundred_thousand_ten_thousand_odd(
    sentence: str, phrase: str, value: str, unit: str
) -> None:
    q = _one(sentence, phrase)
    assert (q.value, q.unit, q.approximation) == (Decimal(value), unit, "AtLeast")


def test_one_space_joins_number_and_unit_two_spaces_do_not() -> None:
    assert [q.text for q in find_quantities("设置宣传栏 150 版")] == ["150 版"]
    assert find_quantities("专栏2  人员保障") == []


def test_prefix_unit_number_text() -> None:
    q = parse_quantity("百分之八十以上")
    assert q is not None
    assert (q.number_text, q.unit_text, q.approximation) == ("八十", "百分之", "AtLeast")


# ---------------------------------------------------------------------------
# Not quantities
# ---------------------------------------------------------------------------

NOT_QUANTITIES = [
    "2023年12月",
    "2023年1-5月",
    "截至12月31日",
    "9月7日--10月15日",
    "发布时间:2021-12-27 18:54",
    "2023年度",
    "2022-2023年",
    "3至10月",
    "根据医保发〔2020〕1号文件",
    "《关于印发欺诈骗保行为举报奖励暂行办法的通知》(医保办发〔2018〕22号)",
    "市政协七届四次会议第102号委员提案",
    "关于102号提案的答复",
    "拨打12345政务服务热线",
    "监督电话0816-2222222",
    "12393医保服务热线",
    "第一",
    "第3批",
    "第七批国家组织药品集采",
    "第一、二批",
    "深入开展第二批主题教育",
    "第十四个五年规划",
    "1.基本医疗保险参保覆盖率",
    "2、公务用车费",
    "(3)加强管理",
    "聚焦全市“532”发展战略",
    "构建“1+N”政策体系",
    "深入推进“15分钟医保服务圈”建设",
    "打造30分钟服务圈",
    "“两湖”创新区",
    "“十四五”时期",
    "十四五期间",
    "党的二十大精神",
    "三年行动计划",
    "执行2021年版目录",
    "执行2021版目录",
    "开展“三个100%”专项行动",
    "投稿邮箱:hbzrmzfbgs@163.com",
    "详见https://www.nhsa.gov.cn/2023/12/5.html",
    "5G网络和DRG2.0版本",
    "COVID-19疫情",
    "一是完善政策",
    "一站式结算",
    "一体化建设",
    "三医联动",
    "坚决做到两个维护",
    "紧扣打造“一园一城一示范”",
    "守护千家万户",
    "十万火急",
    "三位一体",
    "四部门联合印发",
    "一次性告知",
    "二级以上医疗机构",
    "一类病种",
    "中国共产党100周年",
    "7×24小时不打烊",
    "统一为1.2.3条",
    "全年3个人账户",
    "江苏医惠保1号",
    "百余年历史",
    "这项工作十分重要",
    "占比达三分之一",
    "五大保险",
    "打造30分钟服务圈",
    "全年增长率为2023",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_document_numbers_are_skipped_but_the_sentence_is_not() -> None:
    s = "根据医保发〔2020〕1号文件，全市3家医院纳入试点。"
    assert _rows(s) == [("3家", "3", "Institution", None, None)]


# ---------------------------------------------------------------------------
# Whole seeds
# ---------------------------------------------------------------------------


def test_seed_001_every_quantity() -> None:
    found = [q.text for q in find_quantities(_seed("001"))]
    assert found == [
        "272328人", "102.73%", "3.76亿元", "1.21亿元", "15.9亿元", "10亿元", "近1800万元",
        "100%", "90%", "70%", "670元", "400元", "1070元", "596元", "262元", "14%", "27%",
        "3088种", "四种", "10万元", "19种", "26种", "9030元", "7105元", "71.13%",
        "10.48个百分点", "35个批次", "801种", "42批次", "52类", "50%", "80%", "63.95元",
        "5.42元", "3.5万元", "7000元左右", "212种", "138家", "100%", "93家", "36家", "57家",
        "1家", "97.9万元", "858万余元", "44579人", "90%", "80%", "77350人次", "9624万元",
        "78%", "111%", "1个", "4个", "30个", "28个", "214个", "100%", "5个", "13个",
        "8000余人次", "320余万元", "11000余人次", "近7000万元", "近6个百分点",
    ]  # fmt: skip


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_invariants(prefix: str) -> None:
    text = _seed(prefix)
    found = find_quantities(text)
    assert found
    ends = 0
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.start >= ends  # sorted, non-overlapping
        ends = q.end
        assert q.value >= 0
        assert q.unit or q.needs_unit
        written = q.text.replace("个月", "").split("/")[0]  # 元/人/年 is a denominator
        assert "年" not in written and "月" not in written
        assert "号" not in q.text and "第" not in q.text


def test_seed_004_plan_table_targets() -> None:
    text = _seed("004")
    rows = [(q.text, q.approximation) for q in find_quantities(text)]
    assert ("70%及以上", "AtLeast") in rows
    assert ("50%以上", "AtLeast") in rows
    assert ("在10个工作日", "AtMost") in rows  # 应在10个工作日反馈: a deadline
    assert not any(q.text.startswith(("五位", "四个", "两个")) for q in find_quantities(text))


def test_seed_002_quantities_near_dates_and_lists() -> None:
    text = _seed("002")
    texts = [q.text for q in find_quantities(text)]
    assert "1422464人次" in texts  # after 3至10月
    assert "1000余人次" in texts and "50000余人次" in texts
    assert "200余家" in texts
    assert "85.78万" in texts
    assert "超10万元以上" in texts
    assert not any(t.startswith(("7", "9")) and t.endswith("日") for t in texts)


def test_seed_003_proposal_reply() -> None:
    text = _seed("003")
    found = find_quantities(text)
    texts = [q.text for q in found]
    assert "五个" not in texts and "四次" not in texts  # 七届四次会议
    assert "6个月" in texts and "150 版" in texts and "197691名" in texts
    q = next(q for q in found if q.text == "4349.202万元")
    assert q.value == Decimal("43492020")


# ---------------------------------------------------------------------------
# parse_quantity, with_offset, lexicon
# ---------------------------------------------------------------------------


def test_parse_quantity_whole_phrase_only() -> None:
    q = parse_quantity("  38.68亿元 ")
    assert q is not None and q.value == Decimal(3868000000)
    assert parse_quantity("38.68亿元和9.2亿元") is None
    assert parse_quantity("共38.68亿元") is None
    assert parse_quantity("12345") is None
    assert parse_quantity("") is None


def test_with_offset() -> None:
    q = parse_quantity("3家")
    assert q is not None
    moved = with_offset(q, 10)
    assert (moved.start, moved.end, moved.text) == (10, 12, "3家")


def _suffix_labels() -> list[tuple[str, str]]:
    rows = lexicon_rows("quantity_words.tsv")
    scales = {r[1] for r in rows if r[0] == "scale"}
    needs_next = {r[1] for r in rows if r[0] == "unit_requires_next"}
    out = []
    labels = {label: c.name for c in concepts("ybu") for label in c.labels_zh}
    for label, name in sorted(labels.items()):
        if label.endswith("分之") or label in needs_next:
            continue
        if any(label.startswith(s) and labels.get(label[len(s) :]) == name for s in scales):
            continue
        out.append((label, name))
    return out


@pytest.mark.parametrize(("label", "name"), _suffix_labels())
def test_every_unit_label_is_recognised(label: str, name: str) -> None:
    q = parse_quantity(f"36{label}")
    assert q is not None, label
    assert (q.unit, q.unit_text, q.value) == (name, label, Decimal(36))


def test_scaled_unit_labels_apply_their_scale() -> None:
    for phrase, value, unit in [
        ("3万人", 30000, "Person"),
        ("3万人次", 30000, "PersonTime"),
        ("3千元", 3000, "Yuan"),
        ("3百万元", 3000000, "Yuan"),
        ("3千万元", 30000000, "Yuan"),
        ("3亿元", 300000000, "Yuan"),
    ]:
        q = parse_quantity(phrase)
        assert q is not None and (q.value, q.unit) == (Decimal(value), unit), phrase


def test_lexicon_values_are_known() -> None:
    rows = lexicon_rows("quantity_words.tsv")
    units = {c.name for c in concepts("ybu")}
    for row in rows:
        kind = row[0]
        assert len(row) >= 2 and row[1], row
        if kind.startswith("approx_") and kind != "approx_blocker":
            assert row[2] in {"Approximate", "AtLeast", "AtMost"}, row
        elif kind == "direction":
            assert row[2] in {"up", "down"} and row[3] in {"verb", "noun"}, row
        elif kind == "direction_link":
            assert row[2] in {"verb", "noun", "both"}, row
        elif kind == "factor_unit":
            assert row[2] in units and Decimal(row[3]) > 0, row
        elif kind == "scale":
            assert Decimal(row[2]) >= 1000, row


def test_module_needs_no_spacy() -> None:
    code = (
        "import sys; from kg.extract.quantities import find_quantities as f; "
        "assert f('3家')[0].unit == 'Institution'; "
        "assert 'spacy' not in sys.modules, 'spacy imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("0123456789０１２３４５６７８９.,，、。；：:%％-—~～至到/()（）“”\"' \n")
    + list("一二两三四五六七八九十百千万亿零〇点第届余多约近超以上下内左右")
    + list("人次元家种个项例件起批天日月年号倍成名位条张份盒剂类")
    + list("医保基金参保定点机构全市分别达为和增长下降提高降幅幅率")
    + list("abcXYZ@#+×")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_never_crashes_and_offsets_hold(text: str) -> None:
    found = find_quantities(text)
    end = 0
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.start >= end
        end = q.end
        assert q.value >= 0 or q.text.lstrip("约近超逾")[:1] in "-−－负"
        assert q.unit or q.needs_unit
        assert q.is_range == (q.max_value is not None)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_never_crashes_on_any_unicode(text: str) -> None:
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text


_SCALES = [("", 1)] + [
    (r[1], int(r[2])) for r in lexicon_rows("quantity_words.tsv") if r[0] == "scale"
]
_BEFORE = ["全市", "累计完成", "其中", "共有", "全年实现", "截至目前，全州"]
_AFTER = ["，工作稳步推进。", "。", "；其他指标平稳。", ""]


@settings(max_examples=300, deadline=None)
@given(
    n=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    scale=st.sampled_from(_SCALES),
    unit=st.sampled_from(_suffix_labels()),
    before=st.sampled_from(_BEFORE),
    after=st.sampled_from(_AFTER),
)
def test_rendered_quantities_round_trip(
    n: Decimal, scale: tuple[str, int], unit: tuple[str, str], before: str, after: str
) -> None:
    label, name = unit
    number = format(n, "f")
    assume(not (label == "版" and (n != n.to_integral_value() or 1900 <= n <= 2100)))
    phrase = f"{number}{scale[0]}{label}"
    text = f"{before}{phrase}{after}"
    found = find_quantities(text)
    assert len(found) == 1, (text, found)
    q = found[0]
    assert (q.start, q.end, q.text) == (len(before), len(before) + len(phrase), phrase)
    assert q.value == n * scale[1]
    assert (q.unit, q.unit_text, q.number_text, q.scale_text) == (name, label, number, scale[0])


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=3, max_value=99_999_999), unit=st.sampled_from(["元", "人", "家"]))
def test_chinese_numerals_round_trip(n: int, unit: str) -> None:
    numeral = cn2an.an2cn(n)
    text = f"全年共计{numeral}{unit}。"
    q = parse_quantity(f"{numeral}{unit}")
    assert q is not None, numeral
    assert q.value == n
    (found,) = find_quantities(text)
    assert found.text == f"{numeral}{unit}"


@settings(max_examples=100, deadline=None)
@given(
    a=st.decimals(min_value=1, max_value=9999, places=1),
    b=st.decimals(min_value=1, max_value=9999, places=1),
    scale=st.sampled_from([("万", 10_000), ("亿", 100_000_000)]),
)
def test_list_members_share_scale_and_unit(a: Decimal, b: Decimal, scale: tuple[str, int]) -> None:
    text = f"职工和居民医保支出分别为{a}{scale[0]}、{b}{scale[0]}元。"
    first, second = find_quantities(text)
    assert (first.value, first.unit, first.shared_unit) == (a * scale[1], "Yuan", True)
    assert (second.value, second.unit) == (b * scale[1], "Yuan")


@given(st.text(alphabet="０１２３４５６７８９．－／＋～：0123456789参保率万元%％ ，。", max_size=40))
def test_halfwidth_is_the_translation_table(text: str) -> None:
    from kg.base.chars import NARROW, WIDE, halfwidth

    assert halfwidth(text) == text.translate(str.maketrans(WIDE, NARROW))
    assert len(halfwidth(text)) == len(text)


# ---------------------------------------------------------------------------
# Signs, vague amounts and numbers too large to hold
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "phrase", "value", "direction"),
    [
        ("城乡居民医保基金当期结余-0.45亿元，累计结余12.3亿元", "-0.45亿元", "-45000000", None),
        ("统筹基金当期结余－2.1亿元", "－2.1亿元", "-210000000", None),
        ("个人账户当期结余−860万元", "−860万元", "-8600000", None),
        ("生育保险基金当期结存负1.2亿元", "负1.2亿元", "-120000000", None),
        ("住院人次同比增长-7.4%", "-7.4%", "-7.4", "up"),
        ("门诊费用同比增长−3%", "−3%", "-3", "up"),
        ("基金收入同比负增长2.6%", "2.6%", "2.6", "down"),
    ],
)
def test_a_written_minus_keeps_its_sign(sentence: str, phrase: str, value: str,
                                        direction: str | None) -> None:
    q = _one(sentence, phrase)
    assert (q.value, q.direction) == (Decimal(value), direction)


@pytest.mark.parametrize(
    "sentence",
    ["2021-2023年参保人数保持稳定", "住院费用报销比例为75%-80%", "编号为A-12的项目",
     "暂付款-垫付医疗费38万元", "个人负担3000元", "缴费比例为8%-2%"],
)
def test_a_dash_is_no_minus_sign(sentence: str) -> None:
    assert all(q.value >= 0 for q in find_quantities(sentence))


@pytest.mark.parametrize(
    ("sentence", "phrase", "value", "approx"),
    [
        ("全县上百家定点药店完成自查", "上百家", "100", "AtLeast"),
        ("全市上千人享受待遇", "上千人", "1000", "AtLeast"),
        ("累计结算近万人次", "近万人次", "10000", "AtMost"),
        ("追回资金上千万元", "上千万元", "10000000", "AtLeast"),
        ("逾千家医药机构签订协议", "逾千家", "1000", "AtLeast"),
    ],
)
def test_vague_amounts(sentence: str, phrase: str, value: str, approx: str) -> None:
    q = _one(sentence, phrase)
    assert (q.value, q.approximation) == (Decimal(value), approx)


def test_a_number_too_large_to_hold_is_left_out() -> None:
    s = "基金收入" + "9" * 40 + "万元，支出12.5万元"
    assert [q.text for q in find_quantities(s)] == ["12.5万元"]


_MINUS_FORMS = st.sampled_from(["-", "－", "−", "负"])


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["当期结余", "基金结余", "累计结存", "收支差额为", "结余"]),
    _MINUS_FORMS,
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2),
    st.sampled_from([("万元", 10_000), ("亿元", 100_000_000), ("元", 1)]),
)
def test_a_negative_number_round_trips_with_its_sign(
        measure: str, minus: str, number: Decimal, unit: tuple[str, int]) -> None:
    word, factor = unit
    written = f"{minus}{number}{word}"
    found = find_quantities(f"全市{measure}{written}，运行平稳。")
    assert [q.text for q in found] == [written]
    assert found[0].value == -(number * factor)


@pytest.mark.parametrize(("text", "phrase"), [
    ("移交公安机关17家(人)，追回资金", "17家(人)"),
    ("移交纪检监察机关5家（人）。", "5家（人）"),
])
def test_a_count_of_bodies_or_persons_has_no_one_unit(text: str, phrase: str) -> None:
    (q,) = find_quantities(text)
    assert (q.text, q.unit) == (phrase, "Other")
