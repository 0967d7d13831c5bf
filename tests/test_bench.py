"""The synthetic corpus and ``kg bench`` (its figures are measured, never asserted here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.cli import main
from kg.run.bench import named_params
from kg.run.build import build_reports
from kg.run.corpus import patterns, report_text, write_corpus
from kg.use import queries
from kg.use.sparql import query


def test_corpus_is_deterministic_and_independent_of_size(tmp_path: Path) -> None:
    small = write_corpus(tmp_path / "a", 3, seed=11)
    large = write_corpus(tmp_path / "b", 6, seed=11)
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in large[:3]]
    assert report_text(11, 0) != report_text(12, 0)
    assert len({p.read_bytes() for p in large}) == 6


def test_patterns_fill_every_slot() -> None:
    for i in range(40):
        text = report_text(3, i)
        assert "{" not in text and "}" not in text
    assert {"title", "coverage", "fund", "plan", "doc"} <= set(patterns())


@pytest.mark.slow
def test_corpus_reports_build_into_the_genre_facts(tmp_path: Path) -> None:
    result = build_reports([write_corpus(tmp_path, 4, seed=5)[0].parent])
    assert len(result.reports) == 4 and not result.errors
    assert all(r.home_region for r in result.reports)
    assert sum(len(r.observations) for r in result.reports) > 40
    g = result.graph()
    answered = [name for name, p in named_params(g).items() if list(query(g, name, p))]
    assert {"funds_by_region", "indicator_by_region", "reports"} <= set(answered)


@pytest.mark.slow
def test_kg_bench_runs_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert main(["bench", "--reports", "3", "--repeat", "1", "--workdir", str(tmp_path / "w"),
                 "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "| reports |" in text and "identical" in text
    data = json.loads(out.read_text())
    size = data["sizes"][0]
    assert size["reports"] == 3 and size["identical_output"] is True and size["triples"] > 0
    assert set(size["named_oxigraph"]) == set(queries.names())
    for name, q in size["named_oxigraph"].items():  # the store answers as the Turtle graph does
        assert q["rows"] == size["named_rdflib"][name]["rows"], name
        assert q["rows"] == size["named_oxigraph_memory"][name]["rows"], name
        assert q["rows"] == size["named_file"][name]["rows"], name
    assert size["turtle_oxigraph_load_s"] > 0 and size["query_cli_s"] > 0
    assert size["validate"]["seconds"] > 0
    start = data["startup"]
    assert start["bare_spacy_jieba_s"] > 0 and start["query_one_report_s"] > 0
    # CPU time of each fresh process too (user + system, the steadier figure)
    assert start["bare_spacy_jieba_cpu_s"] > 0 and start["build_one_report_cpu_s"] > 0
    assert "Turtle into Oxigraph" in text and "bare spaCy+jieba" in text
    assert "CPU (user+system): bare" in text


def test_kg_bench_corpus_measures_one_folder(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    write_corpus(tmp_path, 2, seed=3)
    assert main(["bench", "--corpus", str(tmp_path), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "2 report(s) x 1" in out and "ratio:" in out
