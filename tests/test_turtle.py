"""The canonical Turtle (kg.graph.turtle): written from per-report fragments it is byte
for byte the canonical serialisation of the whole graph; its order is stable, so adding a
report changes only its own blocks; it is rdflib's ``kg-turtle`` serializer."""

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


@pytest.mark.slow
def test_seeds_fragments_give_the_whole_graphs_bytes(seeds_result: BuildResult, tmp_path: Path) -> None:
    result = build_reports([Path(r.document.path) for r in seeds_result.reports], turtle=True)
    assert all(f is not None for f in result.fragments)
    assert _fast(result, tmp_path / "a.ttl") == serialize(result.graph(), "turtle")
    assert _fast(result, tmp_path / "b.ttl", ontology=False) == serialize(
        result.graph(ontology=False), "turtle")


@pytest.mark.slow
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


@pytest.mark.slow
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


def _blocks(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    return [b.strip("\n") for b in text.split("\n\n") if b.strip() and not b.startswith("@prefix")]


def _subject(block: str) -> str:
    head = block.split(" ", 1)[0]
    return head[1:-1] if head.startswith("<") else head


@pytest.mark.slow
def test_adding_a_report_changes_only_its_own_blocks(seeds_result: BuildResult) -> None:
    """Four seeds, then all five: the blocks of the fifth report's own subjects are
    added, and the only other blocks that change are those of subjects the fifth
    report says something about (a region, an agency, a cited document); every
    other block stays, in the same order."""
    from kg.graph.rdfgraph import GraphBuilder, TripleSet
    from kg.graph.turtle import sort_key

    paths = sorted(Path(r.document.path) for r in seeds_result.reports)
    four, five = build_reports(paths[:4]), build_reports(paths)
    before = _blocks(serialize(four.graph(), "turtle"))
    after = _blocks(serialize(five.graph(), "turtle"))
    added = next(r for r in five.reports if Path(r.document.path) == paths[4])
    g = TripleSet()
    GraphBuilder().add_report(g, added)
    touched = {str(s) for s, _, _ in g.triple_set}
    own = added.document.sha256[:16]
    old, new = set(before), set(after)
    gone, came = [b for b in before if b not in new], [b for b in after if b not in old]
    assert all(_subject(b) in touched for b in came + gone)
    mine = {s for s in touched if own in s}  # its observations, evidence, its report
    assert len(mine) > 50 and mine <= {_subject(b) for b in came}
    assert {_subject(b) for b in gone} <= {_subject(b) for b in came}  # changed, not dropped
    kept = [b for b in after if b in old]
    assert kept == [b for b in before if b in new]  # the same blocks in the same order
    assert len(kept) > 1000
    keys = [sort_key(_subject(b)) for b in after if not b.startswith(("[", "_:"))]
    expanded = [k for k in keys if ":" in k[1:] and "//" in k]
    assert expanded == sorted(expanded)


@pytest.mark.slow
def test_the_serializer_plugin_writes_the_canonical_form(seeds_graph) -> None:  # type: ignore[no-untyped-def]
    """``graph.serialize(format="kg-turtle")`` is the canonical Turtle, and reads back
    as the same graph in rdflib and in Oxigraph."""
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.compare import isomorphic

    text = seeds_graph.serialize(format="kg-turtle", encoding="utf-8")
    assert text == serialize(seeds_graph, "turtle")
    assert isomorphic(Graph().parse(data=text, format="turtle"), seeds_graph)
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.TURTLE)
    assert len(store) == len(seeds_graph)


def test_lists_and_nested_blank_nodes_keep_their_order_and_read_back() -> None:
    """The ontology's owl:oneOf lists are written in their order, blank nodes held
    by one triple in place, the others with labels from their content; all of it reads
    back as the same graph."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.collection import Collection
    from rdflib.compare import isomorphic
    from rdflib.namespace import OWL, RDFS

    ex = "https://w3id.org/yibao-kg/ontology#"
    g = Graph()
    members = [URIRef(ex + n) for n in ("Zeta", "Alpha", "Mu")]
    head = BNode()
    Collection(g, head, members)
    g.add((URIRef(ex + "Kind"), OWL.oneOf, head))
    nested, shared = BNode(), BNode()
    g.add((URIRef(ex + "p"), RDFS.domain, nested))
    g.add((nested, RDFS.label, Literal("in place")))
    g.add((URIRef(ex + "a"), RDFS.seeAlso, shared))
    g.add((URIRef(ex + "b"), RDFS.seeAlso, shared))
    g.add((shared, RDFS.comment, Literal('two "holders"\nand a line break')))
    text = serialize(g, "turtle").decode("utf-8")
    assert "owl:oneOf ( yb:Zeta yb:Alpha yb:Mu )" in text
    assert 'rdfs:domain [ rdfs:label "in place" ]' in text
    assert text.count("_:b") == 3  # the shared node: its block and two references
    assert isomorphic(Graph().parse(data=text, format="turtle"), g)
    assert serialize(g, "turtle") == serialize(Graph().parse(data=text, format="turtle"), "turtle")
