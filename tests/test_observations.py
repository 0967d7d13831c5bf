"""Observations on the seeds (project gold) and on the genre corpus written for other provinces.

Run with ``-s`` to see precision/recall per field. The floors are regression
guards at the level measured when they were set; the issue's targets are
higher (see the README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.run.build import BuildResult, build_report
from tests.obs_scoring import ObsScore, load, score

ROOT = Path(__file__).resolve().parent.parent
GENRE = ROOT / "tests" / "data" / "genre"

#: Floors of every rate the tables print, by corpus: two points under what was measured when
#: they were last ratcheted (a drop below one is a regression; a rise is room to ratchet).
FLOORS: dict[str, dict[str, float]] = {
    "seeds": {"precision": 0.951, "recall": 0.98, "strict": 0.887, "indicator": 0.943,
              "insurance": 0.964, "region": 0.968, "period": 0.948, "status": 0.961,
              "valueType": 0.964, "approx": 0.98},
    "genre": {"precision": 0.98, "recall": 0.975, "strict": 0.955, "indicator": 0.963,
              "insurance": 0.975, "region": 0.98, "period": 0.98, "status": 0.98,
              "valueType": 0.98, "approx": 0.98},
    "genre_holdout": {"precision": 0.975, "recall": 0.98, "strict": 0.868, "indicator": 0.924,
                      "insurance": 0.956, "region": 0.966, "period": 0.97, "status": 0.961,
                      "valueType": 0.98, "approx": 0.975},
    "genre_holdout2": {"precision": 0.975, "recall": 0.98, "strict": 0.867, "indicator": 0.935,
                       "insurance": 0.959, "region": 0.967, "period": 0.939, "status": 0.971,
                       "valueType": 0.98, "approx": 0.98},
    "genre_holdout3": {"precision": 0.98, "recall": 0.98, "strict": 0.794, "indicator": 0.889,
                       "insurance": 0.949, "region": 0.958, "period": 0.906, "status": 0.975,
                       "valueType": 0.98, "approx": 0.971},
}


def hold_floors(corpus: str, s: ObsScore) -> None:
    """Every rate the table prints is at or above its floor, and none lacks one."""
    rates = s.rates()
    assert set(rates) == set(FLOORS[corpus]), f"{corpus}: a printed rate without a floor"
    low = {k: round(v, 3) for k, v in rates.items() if v < FLOORS[corpus][k]}
    assert not low, f"{corpus}: under the floor {low}\n{s.table()}"


def test_every_observation_slices_back(seeds_result: BuildResult) -> None:
    n = 0
    for report in seeds_result.reports:
        text = report.document.text
        for o in report.observations:
            m = o.mention
            assert text[m.start : m.end] == m.text
            assert text[o.evidence.start : o.evidence.end] == m.text
            assert m.text in o.evidence.sentence
            n += 1
    assert n > 400


def test_seed_gold(seeds_result: BuildResult) -> None:
    reports = {r.document.stem: r for r in seeds_result.reports}
    texts = {k: r.document.text for k, r in reports.items()}
    s = score(reports, load(ROOT / "tests" / "gold" / "seeds_obs.jsonl"), texts)
    print("\nseeds\n" + s.table())
    hold_floors("seeds", s)


@pytest.fixture(scope="module")
def genre_reports() -> dict[str, object]:
    return {p.name: build_report(p) for p in sorted(GENRE.glob("*.txt"))}


def test_genre_corpus(genre_reports: dict[str, object]) -> None:
    reports = dict(genre_reports)
    texts = {k: r.document.text for k, r in reports.items()}  # type: ignore[attr-defined]
    s = score(reports, load(GENRE / "expected.jsonl", key="file"), texts)  # type: ignore[arg-type]
    print("\ngenre corpus\n" + s.table())
    hold_floors("genre", s)


@pytest.mark.parametrize("folder", ["genre_holdout", "genre_holdout2", "genre_holdout3"])
def test_holdout_corpus(folder: str) -> None:
    """Reports written and annotated by a separate annotator (tests/data/genre_holdout*).

    Each was measured once before any rule looked at it (see its README):
    holdout strict 0.676, holdout2 strict 0.718 with 25 table cells missed; the
    rules that came from their errors since are listed there. holdout3, written
    after those rules, gave strict 0.819 unseen and has not been tuned on.
    """
    path = ROOT / "tests" / "data" / folder
    reports = {p.name: build_report(p) for p in sorted(path.glob("*.txt"))}
    texts = {k: r.document.text for k, r in reports.items()}
    s = score(reports, load(path / "expected.jsonl", key="file"), texts)  # type: ignore[arg-type]
    print(f"\n{folder}\n" + s.table())
    hold_floors(folder, s)


def test_genre_traps_are_not_observations(genre_reports: dict[str, object]) -> None:
    import json

    traps = [json.loads(line) for line in (GENRE / "expected.jsonl").read_text(
        encoding="utf-8").splitlines() if '"not_observation"' in line]
    assert len(traps) >= 20
    wrong = []
    for t in traps:
        report = genre_reports[t["file"]]
        text = report.document.text  # type: ignore[attr-defined]
        start = text.find(t["text"])
        end = start + len(t["text"])
        for o in report.observations:  # type: ignore[attr-defined]
            if start <= o.mention.start < end:
                wrong.append((t["file"], t["text"], o.mention.text))
    assert len(wrong) <= len(traps) // 10, wrong
