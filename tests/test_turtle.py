"""The canonical Turtle written from per-report fragments (kg.graph.turtle) is byte for
byte rdflib's serialisation of the whole graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.graph.serialize import serialize
from kg.graph.turtle import pack, report_fragment, unpack, write_turtle
from kg.run.build import BuildResult, build_reports
from kg.run.corpus import write_corpus


def _fast(result: BuildResult, path: Path, ontology: bool = True) -> bytes | None:
    counts = result.write_turtle(path, ontology=ontology)
    if counts is None:
        assert not path.exists()
        return None
    g = result.graph(ontology=ontology)
    assert counts.triples == len(g)
    return path.read_bytes()


def test_seeds_fragments_give_rdflibs_bytes(seeds_result: BuildResult, tmp_path: Path) -> None:
    result = build_reports([Path(r.document.path) for r in seeds_result.reports], turtle=True)
    assert all(f is not None for f in result.fragments)
    assert _fast(result, tmp_path / "a.ttl") == serialize(result.graph(), "turtle")
    assert _fast(result, tmp_path / "b.ttl", ontology=False) == serialize(
        result.graph(ontology=False), "turtle")


def test_corpus_with_merged_citations(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", 24, seed=7)
    result = build_reports([tmp_path / "c"], turtle=True)
    assert any(result._changed())  # the merge gives title-only citations a 文号's node
    assert _fast(result, tmp_path / "a.ttl") == serialize(result.graph(), "turtle")
    # fragments made here (none from a worker) give the same
    result.fragments = []
    assert _fast(result, tmp_path / "b.ttl") == (tmp_path / "a.ttl").read_bytes()


def test_a_report_given_twice_is_built_once(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The same bytes under two names: one report (from the first file), the other
    skipped with one line, and the graph conforms (one yb:sourceFile)."""
    (first,) = write_corpus(tmp_path / "c", 1, seed=3)
    copy = tmp_path / "c" / "copy.txt"
    shutil.copy(first, copy)  # same bytes, same report IRI
    result = build_reports([tmp_path / "c"], turtle=True)
    assert len(result.packed) == 1
    [err] = result.errors
    names = sorted([first.name, copy.name])
    assert err.path.endswith(names[1]) and f"same content as {tmp_path / 'c' / names[0]}" in str(err)
    assert _fast(result, tmp_path / "a.ttl") == serialize(result.graph(), "turtle")
    out = tmp_path / "cli.ttl"
    assert main(["build", str(tmp_path / "c"), "-o", str(out), "--no-progress"]) == 1
    assert out.read_bytes() == (tmp_path / "a.ttl").read_bytes()
    captured = capsys.readouterr()
    assert "built 1 report(s)" in captured.out
    assert [line for line in captured.err.splitlines() if "skipped" in line] == [
        f"kg: skipped {err}"]


def test_fragments_survive_packing() -> None:
    from kg.base.records import Document, LinkedReport

    doc = Document("a.txt", "a.txt", "", "1" * 64, "utf-8", "text/plain")
    frag = report_fragment(LinkedReport(doc, "320412", "WorkSummary", "2023"))
    import io

    a, b = io.BytesIO(), io.BytesIO()
    assert write_turtle(a, [frag]) is not None
    assert write_turtle(b, [unpack(pack(frag))]) is not None
    assert a.getvalue() == b.getvalue() and b"region/320412" in a.getvalue()


def test_workers_rendering_of_the_deferred_part_is_the_parents(tmp_path: Path) -> None:
    """Where the cross-report merge changes none of a report's citations, the
    parent writes the deferred blocks its worker rendered; written again from
    the triples instead, the file is the same."""
    import io
    from dataclasses import replace

    from kg.graph.rdfgraph import citation_key_map, merged_citation

    write_corpus(tmp_path / "c", 24, seed=7)
    result = build_reports([tmp_path / "c"], jobs=2, turtle=True)
    frags = [unpack(f) for f in result.fragments if f is not None]
    key_map = citation_key_map(c for f in frags for c in f.citations)
    kept = [f for f in frags if f.premerged is not None
            and all(merged_citation(c, key_map) is c for c in f.mergeable)]
    assert 0 < len(kept) < len(frags)  # both ways are taken
    with_workers, without = io.BytesIO(), io.BytesIO()
    assert write_turtle(with_workers, frags) is not None
    assert write_turtle(without, [replace(f, premerged=None) for f in frags]) is not None
    assert with_workers.getvalue() == without.getvalue()
