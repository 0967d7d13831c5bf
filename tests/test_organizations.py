"""Organisations and people, on sentences written in the genre's style."""

from __future__ import annotations

from pathlib import Path

from kg.base.records import Sentence
from kg.extract.organizations import find_organizations, find_persons
from kg.run.build import build_report

TEXT = """芜湖市医疗保障局2022年工作总结

2022年，市第一人民医院、弋江区中医院和无为市人民医院纳入DRG付费改革。
定点医院、二级以上医院和县级医院全面开展智能审核，各定点药店规范经营。
大病保险由人保财险承办，协助中国人寿保险股份有限公司芜湖市分公司追回理赔资金。
分管副市长王立新同志带领市医保局开展专项检查，市医保局局长陈明出席会议。
"""


def _report(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "wuhu.txt"
    path.write_text(TEXT, encoding="utf-8")
    return build_report(path)


def test_named_organisations_with_type_and_place(tmp_path: Path) -> None:
    report = _report(tmp_path)
    orgs = {o.name: (o.org_type, o.located_in) for o in report.organizations}
    assert orgs["芜湖市第一人民医院"] == ("Hospital", "340200")
    assert orgs["弋江区中医院"] == ("Hospital", "340209")
    assert orgs["无为市人民医院"] == ("Hospital", "340281")
    assert orgs["中国人民财产保险股份有限公司"] == ("Insurer", None)
    assert orgs["中国人寿保险股份有限公司芜湖市分公司"] == ("Insurer", "340200")
    # kinds of hospitals and pharmacies name no one
    assert not [n for n in orgs if "定点" in n or "二级" in n or "县级" in n]
    assert len(orgs) == 5


def test_people_with_role_and_body(tmp_path: Path) -> None:
    report = _report(tmp_path)
    people = {(p.name, p.role): p.member_of for p in report.persons}
    assert people == {("王立新", "副市长"): None, ("陈明", "局长"): "芜湖市医疗保障局"}


def test_finders_on_plain_text() -> None:
    text = "彭丽委员：您提出的建议收悉。邀请区委党校刘洋老师授课。"
    sentences = [Sentence(0, len(text), text)]
    assert [(p.name, p.role) for p in find_persons(text, sentences)] == [
        ("彭丽", "委员"), ("刘洋", "老师")]
    assert find_organizations(text, sentences, []) == []
