"""Totals and their parts (``yb:breakdownOf``, ``yb:isHeadline``) and numbers without a place.

Reports written in the genre's style for places and years the seeds do not cover.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.base.namespaces import YB
from kg.graph.validate import validate
from kg.run.build import BuildResult, build_reports


def build_text(tmp_path: Path, text: str, name: str = "report.txt") -> BuildResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = build_reports([path])
    assert not result.errors, result.errors
    return result


def by_value(g: Graph) -> dict[Decimal, URIRef]:
    out = {}
    for o in g.subjects(YB.value, None):
        value = g.value(o, YB.value)
        assert isinstance(value, Literal) and isinstance(o, URIRef)
        out[Decimal(str(value))] = o
    return out


def test_parts_after_qizhong_point_to_their_total(tmp_path: Path) -> None:
    text = ("宜宾市医疗保障局2024年工作总结\n"
            "截至2024年底，全市基本医疗保险参保人数421.6万人，其中职工医保参保人数68.3万人，"
            "城乡居民医保参保人数353.3万人。全年追回医保基金1536万元。\n")
    g = build_text(tmp_path, text).graph()
    obs = by_value(g)
    total, employee, resident = (obs[Decimal(v)] for v in ("4216000", "683000", "3533000"))
    assert g.value(employee, YB.breakdownOf) == total
    assert g.value(resident, YB.breakdownOf) == total
    assert g.value(total, YB.breakdownOf) is None
    assert g.value(total, YB.isHeadline) == Literal(True)
    # a scheme's part of the all-schemes total is that scheme's headline figure
    assert g.value(employee, YB.isHeadline) == Literal(True)
    assert g.value(obs[Decimal("15360000")], YB.isHeadline) == Literal(True)


def test_a_part_of_its_own_schemes_total_is_no_headline(tmp_path: Path) -> None:
    text = ("绍兴市医疗保障局2023年工作总结\n"
            "2023年，全市职工医保基金收入126.4亿元，其中统筹基金收入83.2亿元，"
            "个人账户收入43.2亿元。\n")
    g = build_text(tmp_path, text).graph()
    obs = by_value(g)
    total, pooled = obs[Decimal("12640000000")], obs[Decimal("8320000000")]
    assert g.value(pooled, YB.breakdownOf) == total
    assert g.value(total, YB.isHeadline) == Literal(True)
    assert g.value(pooled, YB.isHeadline) == Literal(False)


def test_a_change_and_a_repetition_are_not_headlines(tmp_path: Path) -> None:
    text = ("临沧市医疗保障局2023年工作总结\n"
            "2023年，全市职工医保基金收入18.6亿元，同比增长4.2%。"
            "全年职工医保基金收入18.6亿元，较好完成年度征缴任务。\n")
    g = build_text(tmp_path, text).graph()
    heads = [o for o in g.subjects(YB.isHeadline, Literal(True))]
    assert [Decimal(str(g.value(o, YB.value))) for o in heads] == [Decimal("1860000000")]
    change = by_value(g)[Decimal("4.2")]
    assert g.value(change, YB.isHeadline) == Literal(False)


@pytest.mark.slow
def test_a_report_that_names_no_place_keeps_its_numbers(tmp_path: Path) -> None:
    text = ("2025年第一季度医保基金运行情况\n"
            "全县职工医保基金收入3120万元，支出2645万元，基金运行总体平稳。\n")
    result = build_text(tmp_path, text)
    report = result.reports[0]
    assert report.home_region is None
    assert [o.region for o in report.observations] == [None, None]
    assert any("without a region" in w for w in report.warnings)
    g = result.graph()
    values = sorted(Decimal(str(v)) for v in g.objects(None, YB.value))
    assert values == [Decimal("26450000"), Decimal("31200000")]
    assert not list(g.objects(None, YB.region))
    shacl = validate(g)
    assert shacl.conforms
    assert any("yb:region" in w.message for w in shacl.warnings)
