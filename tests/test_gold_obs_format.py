"""The gold observations of the seeds (``tests/gold/seeds_obs.jsonl``) are well formed.

One JSON object a line, one reported number each: where it is (``doc``,
``text``, ``number``), what it is worth (``value`` normalised to ``unit``) and
what it measures (``indicator``, ``insurance``, ``program``, ``region``,
``period``/``periodStart``, ``status``, ``approx``, ``valueType``, ``measure``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pytest

from kg.base.ontology import concepts

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
OBS_PATH = Path(__file__).parent / "gold" / "seeds_obs.jsonl"

FIELDS = frozenset(
    {
        "doc", "text", "number", "value", "unit", "indicator", "insurance", "program",
        "region", "period", "periodStart", "status", "approx", "valueType", "measure",
    }
)
UNITS = frozenset(
    {
        "Person", "PersonTime", "Yuan", "Percent", "PercentagePoint", "Institution", "Item",
        "Case", "Batch", "Day", "Month", "Other",
    }
)
STATUSES = frozenset({"Actual", "Target", "Estimate"})
APPROX = frozenset({"Approximate", "AtLeast", "AtMost"})
VALUE_TYPES = frozenset({"Level", "Change"})

CODE = re.compile(r"\d{6}")
PERIOD = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
DECIMAL = re.compile(r"-?\d+(\.\d+)?")
# the leading number of a phrase, with 余/多 and a 万/亿 scale: 151.35万余人次, 320余万元
NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(?:余|多)?\s*(万|亿)?")
SCALE = {None: Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}


def read_obs() -> list[dict[str, object]]:
    lines = OBS_PATH.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


RECORDS = read_obs()


@cache
def seed_text(doc: str) -> str:
    return (SEEDS / f"{doc}.txt").read_text(encoding="utf-8")


@cache
def names(scheme: str) -> frozenset[str]:
    return frozenset(c.name for c in concepts(scheme))


def _id(obj: dict[str, object]) -> str:
    return f"{str(obj['doc'])[:3]}:{obj['number']}@{obj['text']}"


def test_file_exists_and_is_not_empty() -> None:
    assert OBS_PATH.is_file()
    assert len(RECORDS) >= 100


def test_lines_are_json_objects_without_ascii_escapes() -> None:
    for n, line in enumerate(OBS_PATH.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"line {n} is empty"
        assert isinstance(json.loads(line), dict), f"line {n}"
        assert "\\u" not in line, f"line {n}: write with ensure_ascii=False"


def test_every_seed_is_annotated() -> None:
    assert {str(o["doc"]) for o in RECORDS} == {p.stem for p in SEEDS.glob("*.txt")}


def test_no_duplicates() -> None:
    keys = Counter((o["doc"], o["text"], o["number"], o["value"]) for o in RECORDS)
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.parametrize("obj", RECORDS, ids=_id)
def test_record(obj: dict[str, object]) -> None:
    assert set(obj) == FIELDS, sorted(set(obj) ^ FIELDS)
    for key in ("doc", "text", "number", "value", "unit", "indicator", "region", "period",
                "status", "valueType", "measure"):
        assert isinstance(obj[key], str) and obj[key], key
    for key in ("insurance", "program", "periodStart", "approx"):
        assert obj[key] is None or (isinstance(obj[key], str) and obj[key]), key

    # anchoring: the text is in the seed, once, and holds the number's phrase once
    doc, text, number = str(obj["doc"]), str(obj["text"]), str(obj["number"])
    assert (SEEDS / f"{doc}.txt").is_file(), doc
    assert 6 <= len(text) <= 60, len(text)
    assert seed_text(doc).count(text) == 1, "text must find one place in the seed"
    assert text.count(number) == 1, "number's phrase must occur once in the text"
    assert re.match(r"\d", number), "the number's phrase starts with its digits"

    # the value: a decimal, the phrase's number scaled to the unit, signed for changes
    value = str(obj["value"])
    assert DECIMAL.fullmatch(value), value
    try:
        parsed = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern above already rules it out
        pytest.fail(f"value {value!r} is not a decimal")
    m = NUMBER.match(number)
    assert m is not None
    assert abs(parsed) == Decimal(m.group(1)) * SCALE[m.group(2)], (number, value)
    if parsed < 0:
        assert obj["valueType"] == "Change", "only a change is negative"

    # vocabularies
    assert obj["unit"] in UNITS
    assert obj["indicator"] in names("ind")
    assert obj["insurance"] is None or obj["insurance"] in names("ins")
    assert obj["program"] is None or obj["program"] in names("prog")
    assert obj["status"] in STATUSES
    assert obj["approx"] is None or obj["approx"] in APPROX
    assert obj["valueType"] in VALUE_TYPES
    if obj["unit"] == "PercentagePoint":
        assert obj["valueType"] == "Change", "percentage points measure a difference"

    # where and when
    assert CODE.fullmatch(str(obj["region"]))
    period, start = str(obj["period"]), obj["periodStart"]
    assert PERIOD.fullmatch(period), period
    if start is not None:
        assert PERIOD.fullmatch(str(start)), start
        assert str(start) < period, (start, period)
