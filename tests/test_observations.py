"""Observations on the seeds (project gold) and on the genre corpus written for other provinces.

Run with ``-s`` to see precision/recall per field. The floors are regression
guards at the level measured when they were set; the issue's targets are
higher (see the README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.run.build import BuildResult, build_report
from tests.obs_scoring import load, score

ROOT = Path(__file__).resolve().parent.parent
GENRE = ROOT / "tests" / "data" / "genre"


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
    assert s.recall >= 0.95 and s.precision >= 0.95
    assert s.fields["region"] / s.matched >= 0.95
    assert s.fields["indicator"] / s.matched >= 0.94
    assert s.strict / s.expected >= 0.88


@pytest.fixture(scope="module")
def genre_reports() -> dict[str, object]:
    return {p.name: build_report(p) for p in sorted(GENRE.glob("*.txt"))}


def test_genre_corpus(genre_reports: dict[str, object]) -> None:
    reports = dict(genre_reports)
    texts = {k: r.document.text for k, r in reports.items()}  # type: ignore[attr-defined]
    s = score(reports, load(GENRE / "expected.jsonl", key="file"), texts)  # type: ignore[arg-type]
    print("\ngenre corpus\n" + s.table())
    assert s.recall >= 0.95 and s.precision >= 0.95
    assert s.fields["region"] / s.matched >= 0.95
    assert s.fields["indicator"] / s.matched >= 0.97
    assert s.strict / s.expected >= 0.95


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
    assert s.recall >= 0.95 and s.precision >= 0.95
    assert s.fields["region"] / s.matched >= 0.93
    assert s.fields["indicator"] / s.matched >= 0.9
    assert s.strict / s.expected >= 0.78


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
