"""kg check: consistency checks across the observations of a graph.

Reports written in the genre's style for places and years the seeds do not
cover: one set with one planted inconsistency per check, the same reports
made consistent (and numbers that agree only up to rounding), and the seeds,
where every finding must be one the report texts support.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.base.namespaces import SH, YB
from kg.cli import main
from kg.graph.serialize import write_graph
from kg.graph.validate import validate
from kg.run.build import build_reports
from kg.use.check import CHECKS, CheckReport, Finding, bounds, check, rounding
from kg.use.sparql import query

PLANTED = {
    # 540 + 736 = 1276 > 1260
    "a_parts.txt": "绵阳市医疗保障局2023年工作总结\n"
                   "截至2023年12月底，全市定点医药机构1260家，其中定点医疗机构540家，"
                   "定点零售药店736家。\n",
    # 86.4万 + 321.7万 = 408.1万 ≠ 412.6万
    "b_schemes.txt": "德阳市医疗保障局2023年工作总结\n"
                     "截至2023年12月底，全市基本医疗保险参保人数412.6万人，其中职工医保参保人数"
                     "86.4万人，城乡居民医保参保人数321.7万人。\n",
    # 16.9亿 → 18.6亿 is +10.1%, not +6.2%
    "c_change_2023.txt": "乐山市医疗保障局2023年工作总结\n"
                         "2023年，全市职工医保基金收入18.6亿元，比上年增长6.2%。\n",
    "c_change_2022.txt": "乐山市医疗保障局2022年工作总结\n"
                         "2022年，全市职工医保基金收入16.9亿元，基金运行平稳。\n",
    # 286.4万 in one report, 291.2万 in the other
    "d_summary.txt": "眉山市医疗保障局2023年工作总结\n"
                     "截至2023年12月底，全市基本医疗保险参保人数286.4万人，参保工作稳步推进。\n",
    "d_bulletin.txt": "眉山市2023年医疗保障事业发展统计公报\n"
                      "截至2023年12月底，全市基本医疗保险参保人数291.2万人。\n",
    # a coverage rate of 101.3%
    "e_rate.txt": "广安市医疗保障局2023年工作总结\n"
                  "2023年，全市基本医疗保险参保率达到101.3%，住院费用跨省直接结算率达到86.5%。\n",
    # a target for 2022 in a report of 2024
    "f_target.txt": "达州市医疗保障局2024年工作要点\n"
                    "2024年，力争2022年全市住院费用跨省直接结算率达到85%。\n"
                    "达州市医疗保障局\n2024年3月5日\n",
}

CONSISTENT = {
    "a_parts.txt": PLANTED["a_parts.txt"].replace("540家", "524家"),
    # 91.3万 + 321.3万 = 412.6万
    "b_schemes.txt": PLANTED["b_schemes.txt"].replace("86.4万", "91.3万").replace(
        "321.7万", "321.3万"),
    # 17.5亿 → 18.6亿 is +6.29%: 6.2% within the rounding of 17.5 and 18.6
    "c_change_2023.txt": PLANTED["c_change_2023.txt"],
    "c_change_2022.txt": PLANTED["c_change_2022.txt"].replace("16.9亿", "17.5亿"),
    # 286.4万 is 286.43万 rounded; 约290万 is no exact figure
    "d_summary.txt": PLANTED["d_summary.txt"],
    "d_bulletin.txt": PLANTED["d_bulletin.txt"].replace("291.2万", "286.43万"),
    "d_news.txt": "眉山市医保工作会议召开\n"
                  "截至2023年12月底，全市基本医疗保险参保人数约290万人。\n",
    "e_rate.txt": PLANTED["e_rate.txt"].replace("101.3%", "100%"),
    "f_target.txt": PLANTED["f_target.txt"].replace("力争2022年", "力争2025年"),
    # parts of two years (490元 in 2019, 640元 in 2023) are not summed against one total
    "h_levels.txt": "自贡市医疗保障事业发展情况\n"
                    "2019年至2023年，全市城乡居民医保人均筹资标准从680元提高到1020元，"
                    "其中财政补助从490元提高到640元。\n",
    # the measures taken (约谈, 行政处罚, 暂停协议) may overlap: 31 + 4 + 19 > 46 is no fault
    "g_sanctions.txt": "南充市医疗保障局2023年基金监管工作总结\n"
                       "2023年，全市共处理违规定点医药机构46家，其中约谈31家、行政处罚4家、"
                       "暂停医保服务协议19家，追回医保基金862万元。\n",
}


def build(folder: Path, texts: dict[str, str]) -> Graph:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = build_reports([folder])
    assert not result.errors, result.errors
    return result.graph()


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return build(tmp_path_factory.mktemp("planted"), PLANTED)


@pytest.fixture(scope="module")
def consistent(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return build(tmp_path_factory.mktemp("consistent"), CONSISTENT)


@pytest.fixture(scope="module")
def planted_report(planted: Graph) -> CheckReport:
    return check(planted)


def only(report: CheckReport, name: str) -> Finding:
    found = [f for f in report.findings if f.check == name]
    assert len(found) == 1, [(f.check, f.message) for f in report.findings]
    return found[0]


def values(f: Finding) -> list[Decimal | None]:
    return [r.value for r in f.records]


# --- one planted inconsistency per check -------------------------------------------------------


def test_each_planted_inconsistency_is_found_once(planted_report: CheckReport) -> None:
    import kg

    assert kg.check is check
    assert sorted(f.check for f in planted_report.findings) == sorted(CHECKS)


def test_parts_that_exceed_their_total(planted_report: CheckReport) -> None:
    f = only(planted_report, "parts-exceed-total")
    assert values(f) == [1260, 540, 736]
    assert f.focus.region_name == "绵阳市" and f.focus.file == "a_parts.txt"
    assert "1276家" in f.message and "1260家" in f.message


def test_employee_and_resident_that_do_not_add_up_to_basic(planted_report: CheckReport) -> None:
    f = only(planted_report, "scheme-sum-mismatch")
    assert [(r.insurance, r.value) for r in f.records] == [
        ("ins:Basic", 4126000), ("ins:Employee", 864000), ("ins:Resident", 3217000)]
    assert "408.1万人" in f.message


def test_a_change_that_disagrees_with_the_two_levels(planted_report: CheckReport) -> None:
    f = only(planted_report, "change-mismatch")
    assert [(r.value, r.period, r.file) for r in f.records] == [
        (Decimal("6.2"), "2023", "c_change_2023.txt"),
        (1860000000, "2023", "c_change_2023.txt"),
        (1690000000, "2022", "c_change_2022.txt")]
    assert "+10.06%" in f.message


def test_two_reports_that_state_different_values(planted_report: CheckReport) -> None:
    f = only(planted_report, "cross-report-conflict")
    assert {(r.file, r.value) for r in f.records} == {
        ("d_summary.txt", 2864000), ("d_bulletin.txt", 2912000)}
    assert {r.region_name for r in f.records} == {"眉山市"}


def test_a_rate_over_100_percent(planted_report: CheckReport) -> None:
    f = only(planted_report, "rate-over-100")
    assert (f.focus.indicator, f.focus.value) == ("ind:CoverageRate", Decimal("101.3"))
    assert f.compared == ()


def test_a_target_before_the_report_year(planted_report: CheckReport) -> None:
    f = only(planted_report, "target-before-report")
    assert (f.focus.status, f.focus.period, f.focus.issued) == ("yb:Target", "2022", "2024-03-05")


def test_every_finding_carries_the_evidence_of_each_observation(
        planted_report: CheckReport) -> None:
    for f in planted_report.findings:
        for r in f.records:
            assert r.sentence and r.evidence_node is not None and r.start is not None
            text = PLANTED[r.file or ""]
            assert r.sentence in text
            # the offsets index the report's text: the number's phrase, in its sentence
            phrase = text[r.start:r.end]
            assert phrase[:1].isdigit() and phrase in r.sentence, (phrase, r.sentence)
        if f.check in ("parts-exceed-total", "scheme-sum-mismatch", "change-mismatch",
                       "cross-report-conflict"):
            assert len({r.evidence_node for r in f.records}) >= 2


def test_the_same_reports_made_consistent_give_no_finding(consistent: Graph) -> None:
    report = check(consistent)
    assert report.findings == (), [(f.check, f.message) for f in report.findings]
    assert report.observations >= 11


def test_schemes_are_added_across_reports(tmp_path: Path) -> None:
    texts = {
        "bulletin.txt": "自贡市2023年医疗保障事业发展统计公报\n"
                        "截至2023年12月底，全市基本医疗保险参保人数238.5万人。\n",
        "summary.txt": "自贡市医疗保障局2023年工作总结\n"
                       "截至2023年12月底，全市职工医保参保人数52.6万人，城乡居民医保参保人数"
                       "181.2万人。\n",
    }
    f = only(check(build(tmp_path / "bad", texts)), "scheme-sum-mismatch")
    assert [(r.file, r.value) for r in f.records] == [
        ("bulletin.txt", 2385000), ("summary.txt", 526000), ("summary.txt", 1812000)]
    texts["summary.txt"] = texts["summary.txt"].replace("181.2万", "185.9万")
    assert check(build(tmp_path / "good", texts)).findings == ()


def test_only_the_checks_asked_for_run(planted: Graph) -> None:
    report = check(planted, ["rate-over-100", "target-before-report"])
    assert {f.check for f in report.findings} == {"rate-over-100", "target-before-report"}
    assert report.count(["rate-over-100"]) == 1
    with pytest.raises(ValueError, match="unknown check"):
        check(planted, ["no-such-check"])


# --- rounding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "unit", "half"), [
    ("627000", "ybu:Person", "500"),        # 62.7万
    ("1000200", "ybu:Person", "50"),        # 100.02万
    ("830", "ybu:Institution", "0"),        # 830家, written whole
    ("87.46", "ybu:Percent", "0.005"),
    ("14", "ybu:Percent", "0.5"),           # a ratio written whole is rounded
    ("1690000000", "ybu:Yuan", "5000000"),  # 16.9亿
])
def test_rounding_is_half_the_last_written_digit(value: str, unit: str, half: str) -> None:
    assert rounding(Decimal(value), unit) == Decimal(half)


def test_an_approximate_number_is_unbounded_and_a_range_spans_its_ends(planted: Graph) -> None:
    from kg.use.observations import observation_records

    r = observation_records(planted)[0]
    approximate = type(r)(**{**r.__dict__, "approximation": "yb:Approximate"})
    assert bounds(approximate).lo is None and bounds(approximate).hi is None
    ranged = type(r)(**{**r.__dict__, "value": Decimal(610), "max_value": Decimal(640),
                        "unit": "ybu:Yuan", "approximation": None})
    assert (bounds(ranged).lo, bounds(ranged).hi) == (610, 640)
    at_least = type(r)(**{**ranged.__dict__, "max_value": None, "approximation": "yb:AtLeast"})
    assert (bounds(at_least).lo, bounds(at_least).hi) == (610, None)


# --- the SHACL-style report ------------------------------------------------------------------


def test_the_report_is_rdf_that_can_be_queried(planted: Graph,
                                               planted_report: CheckReport) -> None:
    g = planted_report.graph()
    rows = query(g, """
        SELECT ?check ?focus (COUNT(DISTINCT ?ev) AS ?evidence) (COUNT(DISTINCT ?other) AS ?others)
        WHERE { ?report a sh:ValidationReport ; sh:conforms false ; sh:result ?r .
                ?r a sh:ValidationResult ; sh:sourceConstraintComponent ?check ;
                   sh:focusNode ?focus ; sh:resultSeverity sh:Violation ; sh:resultMessage ?m ;
                   yb:evidence ?ev .
                OPTIONAL { ?r yb:comparedWith ?other } }
        GROUP BY ?check ?focus""", {})
    found = {str(r[0]): (r[1], int(r[2]), int(r[3])) for r in rows}  # type: ignore[index]
    assert set(found) == {str(i) for i in CHECKS.values()}
    assert found[str(YB.ChangeMismatch)][1:] == (3, 2)  # the change and its two levels
    assert found[str(YB.PartsExceedTotal)][1:] == (3, 2)
    assert found[str(YB.RateOver100)][1:] == (1, 0)
    # the focus nodes are the graph's observations, and the evidence reads without the graph
    assert all((focus, None, None) in planted for focus, _, _ in found.values())
    texts = {str(t) for t in g.objects(None, YB.text)}
    assert any("比上年增长6.2%" in t for t in texts)


@pytest.mark.slow
def test_the_report_with_its_graph_conforms_to_the_shapes(planted: Graph,
                                                          planted_report: CheckReport) -> None:
    merged = Graph()
    merged += planted
    merged += planted_report.graph()
    result = validate(merged)
    assert result.conforms, result.text()
    # the shape is there: a finding without evidence does not conform
    broken = Graph()
    broken += merged
    finding = next(iter(broken.subjects(SH.sourceConstraintComponent, YB.RateOver100)))
    broken.remove((finding, YB.evidence, None))
    assert not validate(broken).conforms


def test_finding_iris_come_from_their_content(planted: Graph) -> None:
    first, second = check(planted), check(planted)
    assert [f.iri for f in first.findings] == [f.iri for f in second.findings]
    assert len({f.iri for f in first.findings}) == len(first.findings)
    assert all(isinstance(f.iri, URIRef) for f in first.findings)


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted_ttl(planted: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "planted.ttl"
    write_graph(planted, path)
    return path


@pytest.fixture(scope="module")
def consistent_ttl(consistent: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "consistent.ttl"
    write_graph(consistent, path)
    return path


def test_kg_check_prints_a_table_and_exits_1(planted_ttl: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(planted_ttl)]) == 1
    out, err = capsys.readouterr()
    assert "6 finding(s)" in err
    assert "(13 rows)" in out  # 3 + 3 + 3 + 2 + 1 + 1 observations
    assert "比上年增长6.2%" in out and "2022年，全市职工医保基金收入16.9亿元" in out


def test_fail_on_chooses_the_checks_that_fail_the_run(planted_ttl: Path,
                                                      consistent_ttl: Path) -> None:
    assert main(["check", str(planted_ttl), "--fail-on", "none"]) == 0
    assert main(["check", str(planted_ttl), "--fail-on", "rate-over-100"]) == 1
    assert main(["check", str(planted_ttl), "--fail-on", "all"]) == 1
    assert main(["check", str(consistent_ttl)]) == 0
    assert main(["check", str(consistent_ttl), "--fail-on", "change-mismatch,rate-over-100"]) == 0
    with pytest.raises(SystemExit) as exc:
        main(["check", str(planted_ttl), "--fail-on", "rate-over-99"])
    assert exc.value.code == 2


def test_fail_on_a_check_with_no_finding_passes(tmp_path: Path) -> None:
    g = build(tmp_path / "one", {"e_rate.txt": PLANTED["e_rate.txt"]})
    path = tmp_path / "one.ttl"
    write_graph(g, path)
    assert main(["check", str(path), "--fail-on", "parts-exceed-total,change-mismatch"]) == 0
    assert main(["check", str(path), "--fail-on", "rate-over-100"]) == 1


def test_kg_check_writes_the_rdf_report_and_prints_csv(
        planted_ttl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "findings.ttl"
    assert main(["check", str(planted_ttl), "--format", "csv", "-o", str(out)]) == 1
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0].startswith("finding,check,role,region,")
    assert len(lines) == 1 + 13
    g = Graph().parse(out, format="turtle")
    assert len(set(g.subjects(None, SH.ValidationResult))) == 6
    assert main(["check", str(planted_ttl), "--format", "turtle"]) == 1
    printed = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(printed) == len(g)


# --- the seeds ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_report(seeds_graph: Graph) -> CheckReport:
    return check(seeds_graph)


def test_on_the_seeds_each_finding_has_its_evidence(seeds_report: CheckReport) -> None:
    assert seeds_report.findings
    for f in seeds_report.findings:
        for r in f.records:
            assert r.sentence and r.file and r.start is not None and r.end is not None
        if f.compared:
            assert all(r.sentence for r in f.compared)


def test_on_the_seeds_haibei_funding_growth_disagrees_with_its_levels(
        seeds_report: CheckReport) -> None:
    """海北: 2025 财政补助 670元 and 个人缴费 400元 against 2019's 596元 and 262元 are
    +12.4% and +52.7%, the sentence says 分别提高14%和27%: the report's own numbers."""
    found = {(f.focus.indicator, f.focus.value): f for f in seeds_report.findings
             if f.check == "change-mismatch" and f.focus.region == "632200"}
    subsidy = found[("ind:GovernmentSubsidyPerCapita", Decimal(14))]
    assert [(r.period, r.value) for r in subsidy.compared] == [("2025", 670), ("2019", 596)]
    contribution = found[("ind:IndividualContribution", Decimal(27))]
    assert [(r.period, r.value) for r in contribution.compared] == [("2025", 400), ("2019", 262)]
    for f in (subsidy, contribution):
        assert all("分别提高14%和27%" in (r.sentence or "") for r in f.records)


def test_on_the_seeds_schemes_add_up(seeds_report: CheckReport) -> None:
    """武进: 62.7万 + 37.32万 = 100.02万; 南昌: 169.6万 + 425.2万 = 594.8万."""
    assert not [f for f in seeds_report.findings if f.check == "scheme-sum-mismatch"]
    assert not [f for f in seeds_report.findings if f.check == "cross-report-conflict"]
    assert not [f for f in seeds_report.findings if f.check == "rate-over-100"]


def test_on_the_seeds_haibei_sanctions_are_no_parts_finding(seeds_report: CheckReport) -> None:
    """海北: 处理93家，其中定点医疗机构36家，零售药店57家 — 36 + 57 = 93; no other report's
    parts exceed their total either (拉萨's 其中 after 共计197.26万元 is no part of it)."""
    assert not [f for f in seeds_report.findings if f.check == "parts-exceed-total"]
