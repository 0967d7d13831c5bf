"""The words real reports use, as data: SKOS labels and lexicon rows, on sentences we wrote.

Each group of words added to ``ontology/*.ttl`` or ``ontology/lexicon/`` for
the real reports of issue 15 gets a short report here, of other places,
levels and years than the reports the words were gathered from: the revenue
and expenditure lines of a fund's accounts, balances written as 结存, refused
and returned money (审减, 核减, 退回, 退缴), fines written as 行政处罚 with an
amount, assistance with contributions (资助参保, 定额资助), the schemes of
statistics pages (大额医疗保险, 离休人员医疗保障, 家庭账户, 新农合基金),
comparisons with the month, the year or the plan period before (环比, 相比上年,
较“十二五”末: read by the comparator rule, kept here as a guard), words that rule an
indicator out (低收入 is no revenue, 占比 no coverage rate, 违规参保人员 no
insured persons, 支付限额 no expenditure), 组次 as a count of occurrences, and
the program words 总额控费, 智慧监管 and 职工门诊统筹.
"""

from __future__ import annotations

import pytest

from kg.base.ontology import label_index
from kg.base.records import ObservationMention
from kg.extract.labels import find_label, last_scheme
from tests.test_extract import concepts, run
from tests.test_observation_rules import indicators, observe


def schemes(obs: dict[str, ObservationMention]) -> dict[str, str | None]:
    return {k: o.insurance for k, o in obs.items()}


# --- a fund's accounts: revenue, expenditure and balance lines --------------------------

FUND_ACCOUNTS = (
    "（一）职工医保基金\n"
    "2023年，职工医保基金收入8.62亿元，其中基本医疗保险费收入7.91亿元，财政补贴收入0.14亿元，"
    "利息收入0.05亿元，上级补助收入0.31亿元，其他收入0.21亿元；基金支出7.48亿元，其中待遇支出"
    "6.95亿元，上解上级支出0.41亿元，转移支出0.12亿元；基金当期结存1.14亿元，年末结存12.6亿元。\n"
    "（二）城乡居民医保基金\n"
    "2023年，城乡居民医保基金收入5.37亿元，其中居民个人缴费收入1.52亿元，财政补助收入3.66亿元；"
    "基本医疗待遇支出4.98亿元，统筹支付4.61亿元，年末滚存结余3.2亿元。"
)


def test_the_lines_of_a_funds_accounts() -> None:
    obs = observe(FUND_ACCOUNTS, "广元市利州区医疗保障局2023年医保基金运行情况")
    assert indicators(obs) == {
        "8.62亿元": "FundRevenue", "7.91亿元": "FundRevenue", "0.14亿元": "FundRevenue",
        "0.05亿元": "FundRevenue", "0.31亿元": "FundRevenue", "0.21亿元": "FundRevenue",
        "7.48亿元": "FundExpenditure", "6.95亿元": "FundExpenditure",
        "0.41亿元": "FundExpenditure", "0.12亿元": "FundExpenditure",
        "1.14亿元": "FundCurrentBalance", "12.6亿元": "FundAccumulatedBalance",
        "5.37亿元": "FundRevenue", "1.52亿元": "FundRevenue", "3.66亿元": "FundRevenue",
        "4.98亿元": "FundExpenditure", "4.61亿元": "FundExpenditure",
        "3.2亿元": "FundAccumulatedBalance",
    }
    # 财政补贴收入 is money the fund received, not the subsidy per insured resident
    assert obs["0.14亿元"].indicator != "GovernmentSubsidyPerCapita"
    # 个人缴费收入 is a revenue line, not the contribution per resident
    assert obs["1.52亿元"].indicator != "IndividualContribution"


@pytest.mark.parametrize(("measure", "indicator"), [
    ("基金征缴收入", "FundRevenue"), ("累计征收基金", "FundRevenue"),
    ("省财政拨付", "FundRevenue"), ("下级上解收入", "FundRevenue"),
    ("医疗救助资金收入", "FundRevenue"), ("兑现待遇", "FundExpenditure"),
    ("补助下级支出", "FundExpenditure"), ("统筹基金当期结存", "FundCurrentBalance"),
    ("本年收支结余", "FundCurrentBalance"), ("收支差额", "FundCurrentBalance"),
    ("个人账户期末结余", "FundAccumulatedBalance"), ("年末累计结存", "FundAccumulatedBalance"),
    ("追缴违规使用的医保基金", "RecoveredFunds"), ("核减医疗费用", "RefusedPayments"),
    ("审核扣款", "RefusedPayments"), ("罚没金额", "Fines"),
])
def test_money_measures_of_fund_reports(measure: str, indicator: str) -> None:
    hit = find_label("ind", measure, "Yuan")
    assert hit is not None and hit[0] == indicator


# --- fund supervision: refused, returned and fined money ------------------------------


def test_refused_returned_and_fined_money() -> None:
    obs = observe("2022年，全县对定点医药机构医疗费用开展网上审核，审减金额86.4万元，核减违规费用"
                  "23.7万元；12家定点药店通过自查自纠退回违规金额41.25万元，另有9家医疗机构主动退缴"
                  "违规使用的医保基金18.6万元。全年行政处罚6家，行政处罚金额共计37.8万元。",
                  "石柱县医疗保障局2022年基金监管工作总结")
    assert indicators(obs) == {
        "86.4万元": "RefusedPayments", "23.7万元": "RefusedPayments",
        "12家": "Other", "41.25万元": "RecoveredFunds",
        "9家": "Other", "18.6万元": "RecoveredFunds",
        "6家": "SanctionedInstitutions", "37.8万元": "Fines",
    }


def test_an_amount_of_administrative_penalties_is_a_fine() -> None:
    obs = observe("截至11月底，市医保局共追回医保基金512.3万元，行政处罚84.6万元。",
                  "遵义市医疗保障局2021年基金监管情况通报")
    assert indicators(obs) == {"512.3万元": "RecoveredFunds", "84.6万元": "Fines"}


def test_rounds_of_inspection_teams_are_counts_of_occurrences() -> None:
    obs = observe("2024年，市医保局派出专家开展飞行检查5组次，检查定点医疗机构32家。",
                  "延吉市医疗保障局2024年工作总结")
    assert {k: o.unit for k, o in obs.items()} == {"5组次": "Other", "32家": "Institution"}
    assert obs["32家"].indicator == "InspectedInstitutions"


# --- medical assistance: contributions paid for the poor ---------------------------------


def test_assistance_with_contributions() -> None:
    obs = observe("（三）城乡医疗救助资金\n"
                  "2023年，城乡医疗救助基金收入3126万元，定额资助参保支出968万元。全州享受定额资助的"
                  "困难群众约8.3万人，参保定额资助约1260万元。",
                  "黔西南州医疗保障局2023年工作总结")
    assert indicators(obs) == {
        "3126万元": "FundRevenue", "968万元": "MedicalAssistanceExpenditure",
        "约8.3万人": "MedicalAssistanceRecipients", "约1260万元": "MedicalAssistanceExpenditure",
    }
    assert set(schemes(obs).values()) == {"MedicalAssistance"}


# --- schemes of statistics pages and fund reports ----------------------------------------


def test_schemes_of_a_cities_fund_report() -> None:
    obs = observe("2023年，离休人员医疗保障基金支出46万元，大额医疗保险基金收入132万元、支出95万元，"
                  "公务员医疗补助支出210万元。全市新农合基金累计结余1.8亿元，家庭账户结余2100万元，"
                  "城镇居民医疗保险参保12.4万人。",
                  "鹤壁市医疗保障局2023年工作总结")
    assert schemes(obs) == {
        "46万元": "RetiredCadres", "132万元": "Supplementary", "95万元": "Supplementary",
        "210万元": "CivilServantSubsidy", "1.8亿元": "Resident", "2100万元": "Resident",
        "12.4万人": "Resident",
    }
    assert indicators(obs)["2100万元"] == "FundAccumulatedBalance"


@pytest.mark.parametrize(("text", "scheme"), [
    ("职工大额医疗保险", "Supplementary"), ("大额医疗费用补助基金", "Supplementary"),
    ("离休干部医疗统筹", "RetiredCadres"), ("离休干部医药费", "RetiredCadres"),
    ("新型农村合作医疗基金", "Resident"), ("城镇居民医保基金", "Resident"),
    ("家庭个人账户", "Resident"), ("个人账户", "Employee"),
    ("城镇职工医疗保险基金", "Employee"), ("原生育医疗保险", "Maternity"),
    ("公务员医疗补助资金", "CivilServantSubsidy"), ("重点救助对象住院费用救助比例", "MedicalAssistance"),
    ("临时救助资金", "MedicalAssistance"),
])
def test_scheme_words(text: str, scheme: str) -> None:
    hit = last_scheme(text)
    assert hit is not None and hit[0] == scheme


def test_a_rate_of_assistance_is_the_assistance_schemes() -> None:
    obs = observe("2021年，全市城乡居民医保住院费用报销比例达到68.2%，特困人员住院费用救助比例达到76.5%。",
                  "邢台市医疗保障局2021年工作总结")
    assert schemes(obs) == {"68.2%": "Resident", "76.5%": "MedicalAssistance"}


def test_the_new_scheme_has_its_labels() -> None:
    index = label_index("ins")
    assert index["离休人员医疗保障"] == "RetiredCadres"
    assert index["大额医疗保险"] == "Supplementary"


# --- changes against the month or the year before ----------------------------------------


def test_changes_against_last_month_and_last_year() -> None:
    obs = observe("截至2023年9月末，全市基本医疗保险参保386.52万人，环比增加1.27万人，增长0.33%。"
                  "城乡居民医保基金收入12.4亿元，相比上年下降3.6%；基金支出11.7亿元，相比上年增长6.2%。",
                  "江门市2023年9月基本医疗保险参保情况")
    assert indicators(obs) == {
        "386.52万人": "InsuredPersons", "1.27万人": "InsuredPersons", "0.33%": "InsuredPersons",
        "12.4亿元": "FundRevenue", "3.6%": "FundRevenue",
        "11.7亿元": "FundExpenditure", "6.2%": "FundExpenditure",
    }
    assert {k for k, o in obs.items() if o.value_type == "Change"} == {
        "1.27万人", "0.33%", "3.6%", "6.2%"}
    assert obs["3.6%"].value < 0 < obs["6.2%"].value


def test_a_change_against_the_end_of_the_last_plan_period() -> None:
    obs = observe("截至2020年底，全市基本医疗保险参保人数达到452万人，较“十二五”末增加38万人；"
                  "城乡居民医保政策范围内住院费用基金支付比例达到68.5%，比\"十二五\"末提高6个百分点。",
                  "泉州市医疗保障事业发展“十四五”规划")
    assert indicators(obs) == {"452万人": "InsuredPersons", "38万人": "InsuredPersons",
                               "68.5%": "InpatientReimbursementRate",
                               "6个百分点": "InpatientReimbursementRate"}
    assert obs["38万人"].value_type == obs["6个百分点"].value_type == "Change"


# --- words that rule an indicator out ----------------------------------------------------


def test_words_that_rule_an_indicator_out() -> None:
    obs = observe("全县查处违规参保人员57人。农村低收入人口参保资助资金到位1300万元，减轻低收入人口"
                  "医疗费用负担2600万元。职工医保参保人数占比达38.5%。居民门诊统筹最高统筹支付限额为"
                  "800元。全县应参保人数42.1万人。全年减免企业及个人缴费1.36亿元。",
                  "会理市医疗保障局2022年工作总结")
    assert indicators(obs) == {
        "57人": "Other",  # persons sanctioned, not persons insured
        "1300万元": "MedicalAssistanceExpenditure",  # 低收入 holds 收入 but is no revenue
        "2600万元": "Other",
        "38.5%": "Other",  # a share of the insured, not the coverage rate
        "800元": "Other",  # a ceiling on what the fund pays, not what it paid
        "42.1万人": "Other",  # those who should enrol, not those enrolled
        "1.36亿元": "Other",  # contributions waived, not the contribution per resident
    }


# --- programs -------------------------------------------------------------------------


def test_program_words_of_work_summaries() -> None:
    e = run("全县强化总额控费，推进医保基金智慧监管，建立职工门诊统筹制度。")
    assert concepts(e) == {"GlobalBudget", "SmartSupervision", "OutpatientMutualAid"}


def test_scheme_words_do_not_hide_medical_assistance() -> None:
    e = run("2023年，城乡医疗救助基金收入3126万元，城乡居民医疗救助资金上级补助收入80万元。")
    assert "MedicalAssistance" in concepts(e)
