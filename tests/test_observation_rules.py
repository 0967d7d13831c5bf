"""The grammar rules of kg.extract.observations, one at a time, on sentences written in the genre.

Each test is a short report of another place, level or year than the seeds,
built with :func:`kg.extract.extract.extract`, and asserts the fields of the
observations its numbers become: what a count of institutions measures, the
parts of a 其中 breakdown, events on a stock, insurance schemes of counts,
and the periods of 从…到, 比…的 and 自…以来.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kg.base.records import ObservationMention
from kg.extract.extract import extract
from kg.extract.nlp import make_nlp
from kg.ingest.collect import read_document


def observe(body: str, title: str = "德阳市医疗保障局2023年工作总结") -> dict[str, ObservationMention]:
    """The observations of a short report (title line, then ``body``), read from a
    file as ``kg build`` reads it, by their number as written."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.txt"
        path.write_text(f"{title}\n{body}\n", encoding="utf-8")
        doc = read_document(path)
    return {o.text: o for o in extract(doc, make_nlp()).observations}


def indicators(obs: dict[str, ObservationMention]) -> dict[str, str]:
    return {k: o.indicator for k, o in obs.items()}


# --- units: counts of occurrences -------------------------------------------------------


def test_sessions_and_times_are_counts_of_occurrences_not_items() -> None:
    obs = observe("全年共举办医保政策培训班6期，开展集中宣传活动15场，召开专题会议8次，发放手册3000册。")
    assert {k: o.unit for k, o in obs.items()} == {
        "6期": "Item", "15场": "Other", "8次": "Other", "3000册": "Item"}


# --- counts of institutions: stock or action ---------------------------------------------


def test_counts_of_different_things_do_not_share_an_indicator() -> None:
    obs = observe("全年共检查定点医药机构312家，发现问题46项，处理违规案件17起。")
    assert indicators(obs) == {"312家": "InspectedInstitutions", "46项": "Other", "17起": "Other"}


def test_a_stock_noun_after_the_count_is_the_stock_when_nothing_is_done_to_it() -> None:
    obs = observe("目前全市共有426家定点医疗机构和815家定点零售药店。")
    assert indicators(obs) == {"426家": "DesignatedMedicalInstitutions",
                               "815家": "DesignatedPharmacies"}


def test_the_action_done_to_counted_institutions_decides() -> None:
    obs = observe("会同卫健部门对37家定点医药机构开展联合检查，对全县58家定点医药机构，"
                  "开展医保基金使用专项检查。")
    assert indicators(obs) == {"37家": "InspectedInstitutions", "58家": "InspectedInstitutions"}


def test_a_predicate_of_a_list_of_counts_holds_for_every_member() -> None:
    obs = observe("截至6月底，412家定点医疗机构、633家定点零售药店已完成医保信息编码贯标工作，"
                  "150余家定点医药机构参加了培训会。")
    assert indicators(obs) == {"412家": "Other", "633家": "Other", "150余家": "Other"}


def test_the_whole_stock_keeps_its_indicator_whatever_is_done_to_it() -> None:
    obs = observe("我区27家定点医疗机构全部纳入DIP付费，对全区305家定点医药机构（含村卫生室）"
                  "开展集中约谈。")
    assert indicators(obs) == {"27家": "DesignatedMedicalInstitutions",
                               "305家": "DesignatedInstitutions"}


def test_events_on_a_stock_are_not_the_stock() -> None:
    obs = observe("办理职工参保登记5820人，参保人员暂停参保1310人，"
                  "全市职工医保参保人数达48.6万人。")
    assert indicators(obs) == {"5820人": "Other", "1310人": "Other",
                               "48.6万人": "InsuredPersons"}


# --- 其中 breakdowns ------------------------------------------------------------------------


def test_parts_of_a_stock_take_the_narrower_indicator_their_noun_names() -> None:
    obs = observe("全县现有医保定点单位214家，其中医疗机构96家，药店118家。")
    assert indicators(obs) == {"214家": "DesignatedInstitutions",
                               "96家": "DesignatedMedicalInstitutions",
                               "118家": "DesignatedPharmacies"}


def test_parts_of_an_action_keep_the_action() -> None:
    obs = observe("全年处理违规定点医药机构64家，其中定点医疗机构22家，零售药店42家；"
                  "共检查医疗机构180家，其中，乡镇卫生院31家，村卫生室149家。")
    assert indicators(obs) == {
        "64家": "SanctionedInstitutions", "22家": "SanctionedInstitutions",
        "42家": "SanctionedInstitutions", "180家": "InspectedInstitutions",
        "31家": "InspectedInstitutions", "149家": "InspectedInstitutions"}


def test_a_breakdown_ends_at_a_semicolon() -> None:
    obs = observe("处理违规机构12家，其中医院5家；全市定点零售药店达到560家。")
    assert obs["5家"].indicator == "SanctionedInstitutions"
    assert obs["560家"].indicator == "DesignatedPharmacies"


# --- insurance schemes --------------------------------------------------------------------


def test_inspections_take_a_scheme_only_from_their_own_clause() -> None:
    obs = observe("城镇职工基本医疗保险基金运行平稳。为守好群众看病钱，全年检查定点医药机构88家，"
                  "城镇职工医保基金支出12.5亿元。")
    assert obs["88家"].insurance is None
    assert obs["12.5亿元"].insurance == "Employee"


def test_people_of_a_section_on_one_scheme_belong_to_it() -> None:
    obs = observe("城乡居民宣传册8000本已发放到村，城镇职工宣传册5000本已发放到企业。")
    assert obs["8000本"].insurance == "Resident"
    assert obs["5000本"].insurance == "Employee"


# --- periods --------------------------------------------------------------------------------


def test_from_a_year_dates_only_the_number_right_after_it() -> None:
    obs = observe("全市住院次均费用从2020年8460元下降到7210元，政策范围内住院费用基金支付比例达到78.3%。")
    assert obs["8460元"].period == "2020"
    assert obs["7210元"].period == "2023"
    assert obs["78.3%"].period == "2023"


def test_a_dated_comparison_base_dates_its_clause_not_the_change() -> None:
    obs = observe("居民医保人均财政补助达到640元，个人缴费380元，比2020年的财政补助550元和个人缴费280元，"
                  "分别提高16%和36%。")
    assert obs["550元"].period == "2020" and obs["280元"].period == "2020"
    assert obs["16%"].period == "2023" and obs["16%"].value_type == "Change"
    assert obs["640元"].period == "2023"


def test_since_a_year_spans_up_to_the_report_year() -> None:
    obs = observe("自2019年以来，全市坚持打击欺诈骗保，累计追回医保基金2368万元。")
    o = obs["2368万元"]
    assert (o.period, o.period_start, o.indicator) == ("2023", "2019", "RecoveredFunds")


# --- totals and phrasings with words between their parts ----------------------------------


def test_a_total_is_a_sum_or_the_total_of_the_clause_before() -> None:
    obs = observe("追回医保基金86.4万元，处违约金12.6万元，合计99万元；"
                  "对查实的冒名就医问题，责令退回并如数追回，共计3.85万元。")
    assert indicators(obs) == {"86.4万元": "RecoveredFunds", "12.6万元": "Fines",
                               "99万元": "Other", "3.85万元": "RecoveredFunds"}


def test_gap_labels_find_phrasings_with_words_between_their_parts() -> None:
    obs = observe("全年跨省异地就医住院直接结算4820人次，市财政人均再补助45元，"
                  "大病保险理赔2360万元，个人账户划拨后支付1.2亿元。")
    assert indicators(obs) == {
        "4820人次": "CrossRegionSettlements", "45元": "GovernmentSubsidyPerCapita",
        "2360万元": "FundExpenditure", "1.2亿元": "FundExpenditure"}


def test_a_gap_label_does_not_reach_across_punctuation() -> None:
    obs = observe("全市异地就医备案手续更加便捷，窗口结算服务3120人次。")
    assert obs["3120人次"].indicator != "CrossRegionSettlements"


# --- schemes of totals and sections of goals ----------------------------------------------


def test_a_total_with_no_scheme_is_basic_medical_insurance() -> None:
    obs = observe("截至2023年底，全州参保人数212.6万人，其中职工医保参保人数38.1万人。")
    assert obs["212.6万人"].insurance == "Basic"
    assert obs["38.1万人"].insurance == "Employee"


def test_a_goals_heading_without_a_year_takes_the_horizon_of_its_opening() -> None:
    body = ("一、发展基础\n全市基本医疗保险参保率达96.2%。\n"
            "二、主要目标\n“十四五”时期，全市医疗保障事业实现以下目标：\n"
            "基本医疗保险参保率稳定在96%以上，住院费用跨省直接结算率达到75%。\n"
            "三、2023年目标任务完成情况\n全年基本医疗保险参保率达到96.5%。\n")
    obs = observe(body, title="宜春市医疗保障事业发展“十四五”规划")
    assert obs["96.2%"].status == "Actual"
    assert (obs["96%以上"].status, obs["96%以上"].period) == ("Target", "2025")
    assert (obs["75%"].status, obs["75%"].period) == ("Target", "2025")
    assert obs["96.5%"].status == "Actual"


# --- programs' own counts and goals ---------------------------------------------------------


def test_a_count_in_a_clause_naming_a_program_is_that_programs_indicator() -> None:
    obs = observe("全年落实国家和省际联盟等28个批次436种药品和17批次35类医用耗材集采结果。")
    assert indicators(obs) == {"28个批次": "ProcurementBatches", "436种": "ProcuredItems",
                               "17批次": "ProcurementBatches", "35类": "ProcuredItems"}
    assert obs["436种"].measure == "药品"


def test_a_verb_of_effort_makes_goals_of_the_rest_of_its_sentence() -> None:
    obs = observe("2024年，力争全市户籍人口参保率稳定在98%以上，医保电子凭证激活率达到85%。"
                  "全年医保电子凭证激活率达到78.6%。")
    assert obs["98%以上"].status == "Target" and obs["85%"].status == "Target"
    assert obs["78.6%"].status == "Actual"


def test_a_standard_for_next_year_in_a_summary_is_not_a_goal() -> None:
    obs = observe("2024年城乡居民医保人均财政补助标准达到670元，个人缴费标准400元。")
    assert obs["670元"].status == "Actual" and obs["670元"].period == "2024"


def test_a_bare_year_later_in_a_sentence_does_not_coarsen_an_earlier_date() -> None:
    obs = observe("3月1日至4月30日，市医保局开展2023年定点医药机构专项检查，对46家定点医药机构开展飞行检查。")
    assert obs["46家"].period == "2023-04-30"
    assert obs["46家"].indicator == "InspectedInstitutions"


def test_a_title_naming_part_of_the_year_dates_numbers_without_a_time() -> None:
    obs = observe("全区基本医疗保险参保人数88.4万人。1-5月，职工医保统筹基金支出6.2亿元。",
                  title="莆田市荔城区医疗保障局2024年上半年工作总结")
    assert (obs["88.4万人"].period, obs["88.4万人"].period_start) == ("2024-06", "2024-01")
    assert (obs["6.2亿元"].period, obs["6.2亿元"].period_start) == ("2024-05", "2024-01")


def test_shares_and_coverage_of_payment_reform_programs() -> None:
    obs = observe("全市DIP付费医疗机构覆盖率达到100%，按病种付费的住院费用占比达到78.5%，"
                  "较上年提高6.1个百分点。")
    assert indicators(obs) == {"100%": "PaymentReformCoverage", "78.5%": "PaymentReformCoverage",
                               "6.1个百分点": "PaymentReformCoverage"}


def test_insured_persons_of_any_scheme_and_assisted_enrolment() -> None:
    obs = observe("全省参加生育保险人数1526.3万人，参加长期护理保险人数312.8万人，"
                  "医疗救助资助参加基本医疗保险64.2万人。")
    assert indicators(obs) == {"1526.3万人": "InsuredPersons", "312.8万人": "InsuredPersons",
                               "64.2万人": "MedicalAssistanceRecipients"}
    assert obs["1526.3万人"].insurance == "Maternity"


def test_sanctions_written_as_actions_on_institutions() -> None:
    """Institutions dealt with or penalised are sanctioned; the particular measures (an
    agreement ended or suspended, an interview) are counts of their own (ind:Other)."""
    obs = observe("对23家医疗机构下达整改通知，解除定点零售药店服务协议4家，暂停2家定点医疗机构医保协议。"
                  "对1家定点医疗机构进行行政处罚，对17家定点药店进行约谈。")
    assert indicators(obs) == {"23家": "SanctionedInstitutions", "4家": "Other",
                               "2家": "Other", "1家": "SanctionedInstitutions", "17家": "Other"}


def test_the_measures_taken_are_parts_of_the_sanctioned_total() -> None:
    obs = observe("2025年，某县医保局处理违规定点医药机构46家，其中约谈31家、行政处罚4家、"
                  "暂停医保服务协议9家，定点医疗机构17家。")
    assert indicators(obs) == {"46家": "SanctionedInstitutions", "31家": "Other", "4家": "Other",
                               "9家": "Other", "17家": "SanctionedInstitutions"}
    assert all(obs[k].part_of == (obs["46家"].start, obs["46家"].end)
               for k in ("31家", "4家", "9家", "17家"))


def test_spending_of_the_assistance_fund_is_assistance_spending() -> None:
    obs = observe("2024年，全县城乡医疗救助基金收入1860万元，基金支出1725万元，其中资助参保支出640万元。"
                  "职工医保基金支出3.2亿元。")
    assert indicators(obs) == {"1860万元": "FundRevenue", "1725万元": "MedicalAssistanceExpenditure",
                               "640万元": "MedicalAssistanceExpenditure",
                               "3.2亿元": "FundExpenditure"}


def test_a_measure_naming_only_a_scheme_borrows_the_thing_measured_before() -> None:
    obs = observe("截至11月底，统筹基金支出4126万元，公务员补助86.3万元，大病保险31.2万元。")
    assert indicators(obs) == {"4126万元": "FundExpenditure", "86.3万元": "FundExpenditure",
                               "31.2万元": "FundExpenditure"}
    assert obs["86.3万元"].insurance == "CivilServantSubsidy"
    assert obs["31.2万元"].insurance == "CriticalIllness"


def test_what_a_bracket_includes_is_not_the_scheme() -> None:
    obs = observe("全市基本医疗保险基金（含生育保险）总收入86.2亿元，总支出79.4亿元。")
    assert obs["86.2亿元"].insurance == "Basic" and obs["79.4亿元"].insurance == "Basic"


def test_news_speaks_of_the_year_it_is_published_in() -> None:
    obs = observe("来源：某区人民政府网  发布时间：2025-04-16\n今年以来，区医保局扎实推进基金监管。"
                  "一季度，全区共检查定点医药机构86家，目前全区医保服务网点达到64个。"
                  "2024年全区追回医保基金1200万元，2024年全区参保率达到98.6%。",
                  title="某区医保局多措并举守护群众看病钱")
    assert obs["86家"].period == "2025-03"
    assert obs["1200万元"].period == "2024"


def test_a_plan_without_a_date_is_written_before_its_horizon() -> None:
    obs = observe("琼政办发〔2022〕9号\n全省参保人数从2015年的812.4万人增加到2020年的905.6万人。"
                  "到2025年，全省基本医疗保险参保率稳定在96%以上。",
                  title="某省医疗保障事业发展“十四五”规划")
    assert (obs["905.6万人"].status, obs["905.6万人"].period) == ("Actual", "2020")
    assert (obs["96%以上"].status, obs["96%以上"].period) == ("Target", "2025")


def test_a_noun_after_a_comma_is_not_the_counted_noun() -> None:
    obs = observe("全市共有定点医疗机构1506家、定点零售药店2210家，抽查定点医药机构35家。")
    assert indicators(obs) == {"1506家": "DesignatedMedicalInstitutions",
                               "2210家": "DesignatedPharmacies", "35家": "InspectedInstitutions"}


def test_a_change_against_last_year_is_of_the_measure_before() -> None:
    obs = observe("全省基本医疗保险参保人数7012.6万人，比上年末减少36.8万人。")
    assert obs["36.8万人"].indicator == "InsuredPersons"
    assert obs["36.8万人"].value_type == "Change" and obs["36.8万人"].value < 0


def test_an_outpatient_rate_is_not_the_inpatient_rate() -> None:
    obs = observe("居民医保普通门诊统筹报销比例提高到55%，政策范围内住院费用报销比例达到72.4%。")
    assert obs["55%"].indicator == "Other"
    assert obs["72.4%"].indicator == "InpatientReimbursementRate"


def test_assistance_belongs_to_the_assistance_scheme_and_schemes_read_whole() -> None:
    obs = observe("医疗救助资助参加基本医疗保险41.6万人，城乡居民基本医疗保险基金收入58.3亿元，"
                  "职工医保参保人员享受待遇2360万人次。")
    assert (obs["41.6万人"].indicator, obs["41.6万人"].insurance) == (
        "MedicalAssistanceRecipients", "MedicalAssistance")
    assert obs["58.3亿元"].insurance == "Resident"
    assert obs["2360万人次"].indicator == "Other"


def test_a_plans_tasks_are_goals_for_its_horizon_and_its_review_is_not() -> None:
    body = ("第一章  发展基础\n“十三五”期间，全市基本医疗保险参保率稳定在97%以上，"
            "全市定点医药机构达到1320家。\n"
            "第二章  重点任务\n一、优化经办服务\n全市医保经办事项办理时限压缩至3个工作日，"
            "医保电子凭证激活率达到85%以上。\n")
    obs = observe(body, title="某市医疗保障事业发展“十四五”规划")
    assert obs["1320家"].status == "Actual"
    assert (obs["3个工作日"].status, obs["3个工作日"].period) == ("Target", "2025")
    assert (obs["85%以上"].status, obs["85%以上"].period) == ("Target", "2025")


def test_a_change_with_no_measure_is_of_the_indicator_before() -> None:
    obs = observe("1-6月长护险基金支付约832万元，比去年同期下降3.9%。")
    assert obs["3.9%"].indicator == "FundExpenditure" and obs["3.9%"].value_type == "Change"


def test_a_time_opening_a_sentence_dates_the_rest_of_its_paragraph() -> None:
    obs = observe("2023年末，全市基本医疗保险参保人数302.6万人。其中，参加职工基本医疗保险人数61.2万人。\n"
                  "全年医疗救助资助困难群众参加城乡居民医保3.1万人，资助资金812万元。")
    assert obs["61.2万人"].period == "2023-12"
    assert obs["3.1万人"].period == "2023"
    assert (obs["3.1万人"].indicator, obs["812万元"].indicator) == (
        "MedicalAssistanceRecipients", "MedicalAssistanceExpenditure")


def test_a_region_opening_a_sentence_is_the_subject_of_its_clauses() -> None:
    obs = observe("全市长期护理保险试点稳步推进。截至2023年6月底，金州区参加长期护理保险的职工9.6万人，"
                  "累计受理失能评估申请842件，评估通过并享受待遇613人。"
                  "大连市医疗保障局与金州区人民政府签订合作协议，在3个方面达成共识。",
                  title="大连市医疗保障局2023年上半年工作总结")
    assert {obs[k].place.text for k in ("9.6万人", "842件", "613人")} == {"金州区"}  # type: ignore[union-attr]
    assert obs["3个"].place is None


# --- real-report patterns: changes, lists, schemes, periods (issue 14/15) ----------------


def test_a_change_against_a_dated_base_is_of_the_level_before_it() -> None:
    obs = observe("截至2024年底，全省参加职工基本医疗保险人数1285.6万人，比2023年底增加21.4万人，"
                  "同比增长1.7%；参加城乡居民基本医疗保险人数3012.7万人，较上年末减少56.1万人。",
                  title="江西省2024年医疗保障事业发展统计快报")
    for phrase, scheme in (("21.4万人", "Employee"), ("1.7%", "Employee"),
                           ("56.1万人", "Resident")):
        o = obs[phrase]
        assert (o.indicator, o.insurance, o.value_type) == ("InsuredPersons", scheme, "Change")
    assert obs["56.1万人"].value < 0


def test_a_qizhong_sentence_takes_the_time_of_the_sentence_it_breaks_down() -> None:
    obs = observe("发布时间：2024-10-12\n"
                  "今年1-9月，全市基本医疗保险基金总收入46.2亿元，总支出38.5亿元。"
                  "其中，职工医保基金收入30.1亿元，居民医保基金收入16.1亿元。",
                  title="全市医保基金运行平稳")
    assert obs["30.1亿元"].period == obs["46.2亿元"].period
    assert obs["30.1亿元"].period_start == obs["46.2亿元"].period_start
    assert obs["30.1亿元"].period.endswith("-09")


def test_a_list_of_numbers_after_a_list_of_schemes_without_fenbie() -> None:
    obs = observe("全市职工医保和居民医保政策范围内住院费用报销比例稳定在85%、72%，"
                  "年度最高支付限额分别提高到40万元和30万元。")
    assert (obs["85%"].insurance, obs["72%"].insurance) == ("Employee", "Resident")
    assert (obs["40万元"].insurance, obs["30万元"].insurance) == ("Employee", "Resident")
    assert obs["85%"].indicator == "InpatientReimbursementRate"


def test_an_overall_rate_speaks_of_every_scheme() -> None:
    obs = observe("全市城乡居民医保参保人数412.6万人，总体参保率稳定在97%以上。")
    assert (obs["97%以上"].indicator, obs["97%以上"].insurance) == ("CoverageRate", "Basic")


def test_a_per_person_indicator_is_read_only_for_per_person_amounts() -> None:
    obs = observe("全年城乡居民医保基金收入9.6亿元，其中个人缴费收入2.8亿元，财政补助收入6.3亿元；"
                  "人均财政补助标准达到每人每年640元。")
    assert obs["2.8亿元"].indicator == "FundRevenue"
    assert obs["6.3亿元"].indicator == "FundRevenue"
    assert obs["640元"].indicator == "GovernmentSubsidyPerCapita"


def test_a_share_is_of_the_program_its_sentence_names() -> None:
    obs = observe("全面推开DIP付费改革，全市136家医疗机构实现实际付费，占开展住院服务医疗机构总数的81.5%。")
    assert obs["81.5%"].indicator == "PaymentReformCoverage"


def test_a_deadline_before_the_end_of_the_report_year_is_a_goal() -> None:
    obs = observe("2023年底前，将医保服务站扩增到35个，实现乡镇全覆盖。",
                  title="某县医疗保障局关于2023年医保便民服务工作的通报")
    assert obs["35个"].status == "Target"


# --- a change written as its two levels (由…提高至…) ---------------------------------------


def test_two_levels_of_a_change_over_a_plan_period_are_its_base_and_its_end() -> None:
    obs = observe("“十三五”期间，全县城乡居民医保人均筹资标准由450元提高至610元，"
                  "住院费用报销比例由62%提高到70%。", title="会宁县医疗保障事业发展“十四五”规划")
    assert {k: (o.measure, o.period, o.value_type) for k, o in obs.items()} == {
        "450元": ("城乡居民医保人均筹资标准", "2015", "Level"),
        "610元": ("城乡居民医保人均筹资标准", "2020", "Level"),
        "62%": ("住院费用报销比例", "2015", "Level"),
        "70%": ("住院费用报销比例", "2020", "Level")}


def test_over_a_span_of_years_the_first_level_is_of_its_first_year() -> None:
    obs = observe("2017年至2021年，全市职工医保门诊最高支付限额从4000元提高到6000元。",
                  title="柳州市医疗保障局2021年工作总结")
    assert {k: (o.period, o.period_start) for k, o in obs.items()} == {
        "4000元": ("2017", None), "6000元": ("2021", "2017")}


def test_a_change_with_no_span_keeps_one_period_and_one_measure() -> None:
    obs = observe("门诊特殊病病种由原来的22种调整为35种，支架价格从均价1.1万元左右下降至800元左右。")
    assert {k: (o.measure, o.period) for k, o in obs.items()} == {
        "22种": ("门诊特殊病病种", "2023"), "35种": ("门诊特殊病病种", "2023"),
        "1.1万元左右": ("支架价格", "2023"), "800元左右": ("支架价格", "2023")}


def test_times_written_inside_the_change_date_its_levels_not_its_measure() -> None:
    obs = observe("统筹基金累计结余可支付月数由2019年末的8个月提高至2022年末的11个月。")
    assert {k: (o.measure, o.period) for k, o in obs.items()} == {
        "8个月": ("统筹基金累计结余可支付月数", "2019-12"),
        "11个月": ("统筹基金累计结余可支付月数", "2022-12")}


def test_a_time_after_a_news_items_source_dates_its_paragraph() -> None:
    body = ("发布时间：2023-08-13 09:30\n"
            "8月12日，记者从市医疗保障局获悉，今年1月—7月，全市共检查定点医药机构623家，"
            "追回医保基金812.4万元。暂停医保服务协议17家，移交公安机关线索3条。")
    obs = observe(body, title="常德市医保基金监管取得阶段性成效")
    assert {k: o.period for k, o in obs.items()} == {
        "623家": "2023-07", "812.4万元": "2023-07", "17家": "2023-07", "3条": "2023-07"}


def test_a_time_inside_a_note_dates_nothing_outside_it() -> None:
    obs = observe("截至2023年9月，全市生育保险参保人数102.3万人，其中参加生育保险职工"
                  "（自2017年7月起按规定缴纳）96.1万人。")
    assert {k: o.period for k, o in obs.items()} == {"102.3万人": "2023-09", "96.1万人": "2023-09"}


def test_a_scheme_money_goes_to_is_that_numbers_only() -> None:
    obs = observe("全市城乡居民医保基金支出18.62亿元。其中：待遇支出17.55亿元，划转用于大病保险支出"
                  "1.07亿元；基金累计结余9.83亿元。")
    assert {k: o.insurance for k, o in obs.items()} == {
        "18.62亿元": "Resident", "17.55亿元": "Resident", "1.07亿元": "CriticalIllness",
        "9.83亿元": "Resident"}


# --- measures: what the words before a number leave to the words after it ----------------


def test_words_before_that_name_nothing_leave_the_measure_to_the_words_after() -> None:
    obs = observe("全年组织落实26个批次药品集中带量采购，完成18个批次医用耗材带量采购；"
                  "建成46个乡镇和12个社区医疗保障服务站；原则上应在7个工作日内办结异地就医备案。")
    assert {k: o.measure for k, o in obs.items()} == {
        "26个批次": "药品集中带量采购", "18个批次": "医用耗材带量采购",
        "46个": "乡镇", "12个": "社区医疗保障服务站", "7个工作日内": "办结异地就医备案"}


def test_a_body_acting_on_another_region_leaves_the_number_to_that_region() -> None:
    obs = observe("按照自贡市医保局核定的我县2024年城乡居民医保参保人数为28.6万人。"
                  "自贡市医保局全年检查定点医药机构412家。",
                  title="荣县医疗保障局2024年工作总结")
    assert obs["28.6万人"].place is not None and obs["28.6万人"].place.text == "我县"
    assert obs["412家"].place is not None and obs["412家"].place.text == "自贡市"


def test_a_count_after_the_verb_it_is_the_object_of_measures_what_follows() -> None:
    obs = observe("2024年，市医保局配合做好15个批次医用耗材集中带量采购工作，"
                  "协助抓好9个批次国家组织药品集采的落地执行。")
    assert obs["15个批次"].measure.startswith("医用耗材")
    assert obs["9个批次"].measure.startswith("国家组织药品")
    assert {obs[k].indicator for k in ("15个批次", "9个批次")} == {"ProcurementBatches"}


def test_each_count_of_a_list_is_of_its_own_noun() -> None:
    obs = observe("2022年，医保基金惠及全市1260家定点医药机构、28416家参保企业；"
                  "全市412家定点医疗机构、386家定点零售药店已完成医保编码贯标。")
    assert obs["1260家"].indicator == "DesignatedInstitutions"
    assert obs["28416家"].measure == "参保企业" and obs["28416家"].indicator == "Other"
    assert obs["386家"].measure == "定点零售药店"


def test_networked_institutions_are_no_count_of_designated_ones() -> None:
    obs = observe("截至2022年底，全省定点医疗机构5126家，其中跨省联网定点医疗机构1873家，"
                  "开通门诊费用跨省直接结算的定点零售药店2310家。")
    assert indicators(obs) == {"5126家": "DesignatedMedicalInstitutions", "1873家": "Other",
                               "2310家": "Other"}


def test_a_table_titled_with_a_scheme_s_outpatient_pooling_is_of_that_scheme() -> None:
    body = ("职工门诊统筹起付线及报销比例\n医疗机构 |\n起付线(元) |\n报销比例(%) |\n"
            "一级 |\n100 |\n70 |\n二级 |\n400 |\n60 |\n"
            "居民门诊统筹起付线及报销比例\n医疗机构 |\n起付线(元) |\n报销比例(%) |\n"
            "一级 |\n80 |\n55 |\n二级 |\n300 |\n50 |\n")
    obs = observe("2024年，全区门诊共济保障政策如下：\n" + body,
                  title="某区医疗保障局关于门诊统筹政策的答复")
    schemes = {o.text: o.insurance for o in obs.values()}
    assert schemes == {"100": "Employee", "70": "Employee", "400": "Employee", "60": "Employee",
                       "80": "Resident", "55": "Resident", "300": "Resident", "50": "Resident"}


def test_a_gap_label_written_around_the_count() -> None:
    obs = observe("2024年，全市资助4.36万人参加城乡居民医保，资助1.2万名困难群众参加2025年度"
                  "城乡居民医保，暂停2家定点医疗机构医保协议。")
    for k in ("4.36万人", "1.2万名"):
        assert (obs[k].indicator, obs[k].insurance) == ("MedicalAssistanceRecipients",
                                                         "MedicalAssistance")
    assert obs["2家"].indicator == "Other"


def test_a_percent_of_a_count_is_its_rate() -> None:
    obs = observe("2021年，全县实现农村低收入人口基本医保参保100%，监测对象1.36万人98.7%参保，"
                  "灵活就业人员参加职工医保缴费比例为12%。")
    assert indicators(obs) == {"100%": "CoverageRate", "1.36万人": "InsuredPersons",
                               "98.7%": "CoverageRate", "12%": "Other"}


def test_a_sentence_opening_with_its_parts_breaks_down_the_total_before_it() -> None:
    obs = observe("2024年1-6月，职工医保基金支出5128万元。其中统筹基金支出3260万元，个人账户支出"
                  "1516万元，公务员医疗补助支出96万元，上解上级支出256万元。")
    total = obs["5128万元"]
    for k in ("3260万元", "1516万元", "96万元", "256万元"):
        assert obs[k].part_of == (total.start, total.end), k
    assert obs["96万元"].insurance == "CivilServantSubsidy"
    assert obs["256万元"].insurance == "Employee"  # its total's, not the part's before it


def test_the_parts_of_a_sentence_before_go_to_the_total_of_their_own_indicator() -> None:
    obs = observe("2022年，全市基本医疗保险基金总收入86.4亿元，总支出71.2亿元。其中，职工医保基金"
                  "总收入52.3亿元，总支出44.1亿元；参保人数同比增长2.3%。")
    assert obs["52.3亿元"].part_of == (obs["86.4亿元"].start, obs["86.4亿元"].end)
    assert obs["44.1亿元"].insurance == "Employee"
    obs = observe("2021年专项检查追回违规金额88.2万元，罚款9.6万元，共计97.8万元。其中，定点医疗机构"
                  "涉及违规金额216.4万元，追回违规医保基金80.5万元。")
    assert obs["216.4万元"].part_of is None  # 涉及…金额 names no total of the sentence before
    assert obs["80.5万元"].part_of == (obs["88.2万元"].start, obs["88.2万元"].end)


def test_a_bracketed_note_breaks_down_the_part_before_it() -> None:
    obs = observe("2024年，全市职工医保基金收入25.6亿元，其中：基本医疗保险费收入24.1亿元，财政补贴"
                  "收入412万元（包括新冠疫苗补助收入11万元），其他收入1462万元。")
    assert obs["11万元"].part_of == (obs["412万元"].start, obs["412万元"].end)
    assert obs["1462万元"].part_of == (obs["25.6亿元"].start, obs["25.6亿元"].end)


def test_those_not_insured_are_no_count_of_the_insured() -> None:
    obs = observe("截至2023年6月底，全县参保人数31.6万人，目前尚有826人低保对象未参加城乡居民医保，"
                  "另有未参保人员1250人。")
    assert indicators(obs) == {"31.6万人": "InsuredPersons", "826人": "Other", "1250人": "Other"}


def test_a_number_named_only_by_its_section_heading_is_built(tmp_path: Path) -> None:
    """三、医疗救助: a number whose only label is the section's (惠及困难群众58.2万人) takes
    the section's indicator, whole, and the report builds into the graph."""
    import kg
    from kg.base.namespaces import IND, YB

    path = tmp_path / "release.txt"
    path.write_text("2024年全省医疗保障事业发展统计快报\n三、医疗救助\n"
                    "全年医疗救助支出21.6亿元，累计惠及困难群众58.2万人。\n", encoding="utf-8")
    graph = kg.build([str(path)])
    found = {str(o.value): o.indicator for o in graph.query(
        "SELECT ?value ?indicator WHERE { ?o a yb:Observation ; yb:value ?value ; "
        "yb:indicator ?indicator }", initNs={"yb": YB})}
    assert found["582000.0"] == IND.MedicalAssistanceRecipients


def test_a_news_title_states_its_number_too() -> None:
    obs = observe("记者从市医疗保障局获悉，2024年，全市共追回医保基金2186.4万元，"
                  "检查定点医药机构1420家。",
                  title="德阳去年追回医保基金逾2186万元")
    title = obs["逾2186万元"]
    assert (title.indicator, title.approximation) == ("RecoveredFunds", "AtLeast")
    assert title.sentence.text == "德阳去年追回医保基金逾2186万元"
    assert obs["2186.4万元"].indicator == "RecoveredFunds"
