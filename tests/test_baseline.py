"""The extractor finds at least the numbers a plain regular expression finds (tests/baseline.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.run.build import BuildResult, build_report
from tests import baseline
from tests.obs_scoring import load, score

ROOT = Path(__file__).resolve().parent.parent


def test_the_baseline_reads_numbers_with_unit_words() -> None:
    found = [(str(v), u) for v, u, _ in baseline.find("截至6月底追回资金35.8万元，检查12家，共3批次")]
    assert found == [("358000", "Yuan"), ("12", "Institution"), ("3", "Batch")]


def test_seeds_recall_is_at_least_the_baseline(seeds_result: BuildResult) -> None:
    reports = {r.document.stem: r for r in seeds_result.reports}
    texts = {k: r.document.text for k, r in reports.items()}
    expected = load(ROOT / "tests" / "gold" / "seeds_obs.jsonl")
    ours, base = score(reports, expected, texts).recall, baseline.recall(texts, expected)
    print(f"\nseeds quantity recall: extractor {ours:.3f}, baseline {base:.3f}")
    assert ours >= base


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["genre", "genre_holdout", "genre_holdout2", "genre_holdout3"])
def test_corpus_recall_is_at_least_the_baseline(folder: str) -> None:
    path = ROOT / "tests" / "data" / folder
    reports = {p.name: build_report(p) for p in sorted(path.glob("*.txt"))}
    texts = {k: r.document.text for k, r in reports.items()}
    expected = load(path / "expected.jsonl", key="file")
    ours = score(reports, expected, texts).recall  # type: ignore[arg-type]
    base = baseline.recall(texts, expected)
    print(f"\n{folder} quantity recall: extractor {ours:.3f}, baseline {base:.3f}")
    assert ours >= base
