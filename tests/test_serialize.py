"""Serialisation (kg.graph.serialize): formats, parse-back, determinism and atomic writes."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal

from kg.base import files
from kg.base.errors import OutputError
from kg.base.files import write_atomic
from kg.base.namespaces import DCTERMS, YB, YBR
from kg.graph import serialize as ser
from kg.graph.rdfgraph import new_dataset, new_graph
from kg.graph.serialize import format_for, serialize, write_graph
from kg.run.build import BuildResult

# --- format_for -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("out.ttl", "turtle"), ("out.turtle", "turtle"), ("OUT.TTL", "turtle"),
        ("graph.trig", "trig"), ("g.nt", "nt"), ("g.ntriples", "nt"),
        ("g.jsonld", "json-ld"), ("-", "turtle"),
    ],
)
def test_format_from_suffix(path: str, fmt: str) -> None:
    assert format_for(path) == fmt


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("graph", "no writer for a file without an extension"),
        ("dir.v2/graph", "no writer for a file without an extension"),
        ("graph.txt", "a .txt file is a report, not an output"),
        ("graph.html", "a .html file is a report, not an output"),
        ("g.graphml", "a .graphml file is a GraphML view, which kg export writes"),
        ("g.json", "a .json file is a node-link JSON view, which kg export writes"),
        ("g.rdf", "no writer for a .rdf file; kg build writes .ttl, .trig, .nt or .jsonld"),
    ],
)
def test_a_suffix_no_graph_writer_knows_is_refused(path: str, says: str) -> None:
    with pytest.raises(OutputError, match=re.escape(says)):
        format_for(path)


def test_explicit_format_names_the_writer_where_the_suffix_does_not() -> None:
    assert format_for("out.data", "nt") == "nt"
    assert format_for("-", "json-ld") == "json-ld"
    assert format_for("out.ttl", "turtle") == "turtle"
    with pytest.raises(OutputError, match=re.escape("a .ttl file is Turtle, not nt")):
        format_for("out.ttl", "nt")
    with pytest.raises(OutputError, match=re.escape("a .txt file is a report")):
        format_for("a.txt", "turtle")


def test_unknown_explicit_format_is_an_output_error() -> None:
    with pytest.raises(OutputError, match="rdfxml"):
        format_for("out.ttl", "rdfxml")


def test_trig_needs_a_dataset() -> None:
    with pytest.raises(OutputError, match="TriG"):
        serialize(new_graph(), "trig")


def test_unknown_format_in_serialize_is_an_output_error() -> None:
    with pytest.raises(OutputError):
        serialize(new_graph(), "n3")


# --- parse back ------------------------------------------------------------------------

_OX = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG}


@pytest.fixture(scope="module")
def seeds_dataset(seeds_result: BuildResult) -> Dataset:
    return seeds_result.dataset()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_graph_formats_parse_back_with_rdflib(seeds_graph: Graph, fmt: str) -> None:
    data = serialize(seeds_graph, fmt)
    back = Graph().parse(data=data, format=fmt)
    assert len(back) == len(seeds_graph)
    # blank nodes (OWL lists of the ontology) aside, the very same triples
    plain = {t for t in seeds_graph if not any(isinstance(x, BNode) for x in t)}
    assert plain <= set(back)


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_graph_formats_parse_back_with_oxigraph(seeds_graph: Graph, fmt: str) -> None:
    data = serialize(seeds_graph, fmt)
    assert len(list(ox.parse(data, _OX[fmt]))) == len(seeds_graph)


@pytest.mark.slow
def test_trig_parses_back_with_rdflib_and_oxigraph(seeds_dataset: Dataset) -> None:
    data = serialize(seeds_dataset, "trig")
    quads = list(seeds_dataset.quads((None, None, None, None)))
    back = Dataset(default_union=True)
    back.parse(data=data, format="trig")
    assert len(list(back.quads((None, None, None, None)))) == len(quads)
    assert len(back) == len(seeds_dataset)
    ox_quads = list(ox.parse(data, _OX["trig"]))
    assert len(ox_quads) == len(quads)
    graphs = {str(q.graph_name.value) for q in ox_quads}
    named = {str(g.identifier) for g in seeds_dataset.graphs() if len(g)}
    assert graphs == named


@pytest.mark.slow
def test_turtle_of_a_dataset_is_the_union(seeds_dataset: Dataset, seeds_graph: Graph) -> None:
    back = Graph().parse(data=serialize(seeds_dataset, "turtle"), format="turtle")
    assert len(back) == len(seeds_graph)


def _multiline_dataset() -> tuple[Dataset, Graph]:
    """A dataset whose literals hold line breaks (a title wrapped across two lines)."""
    ds = new_dataset()
    g = ds.graph(YBR["report/0f0f0f0f0f0f0f0f"])
    doc = YBR["document/t-0123456789abcdef"]
    g.add((doc, DCTERMS.title, Literal("关于做好2022年城乡居民基本医疗保障工作的\n通知", lang="zh")))
    g.add((doc, YB.text, Literal("第一行\n  第二行缩进\n")))
    flat = Graph()
    for t in g:
        flat.add(t)
    return ds, flat


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_multiline_literals_survive_graph_formats(fmt: str) -> None:
    ds, flat = _multiline_dataset()
    back = Graph().parse(data=serialize(ds, fmt), format=fmt)
    assert set(back) == set(flat)


def test_multiline_literals_survive_trig() -> None:
    ds, flat = _multiline_dataset()
    back = Dataset(default_union=True)
    back.parse(data=serialize(ds, "trig"), format="trig")
    assert set(back.triples((None, None, None))) == set(flat)


# --- determinism ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_same_triples_in_another_order_give_the_same_bytes(seeds_graph: Graph,
                                                            fmt: str) -> None:
    expected = serialize(seeds_graph, fmt)
    triples = list(seeds_graph)
    for seed in (1, 2):
        random.Random(seed).shuffle(triples)
        g = new_graph()
        for t in triples:
            g.add(t)
        assert serialize(g, fmt) == expected


@pytest.mark.slow
def test_trig_is_the_same_for_quads_in_another_order(seeds_dataset: Dataset) -> None:
    expected = serialize(seeds_dataset, "trig")
    quads = list(seeds_dataset.quads((None, None, None, None)))
    random.Random(7).shuffle(quads)
    ds = new_dataset()
    for s, p, o, c in quads:
        ds.graph(c).add((s, p, o))
    assert serialize(ds, "trig") == expected


# --- writing atomically ----------------------------------------------------------------------


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_write_graph_writes_the_format_of_the_suffix(tmp_path: Path, seeds_graph: Graph) -> None:
    out = tmp_path / "sub" / "graph.nt"
    assert write_graph(seeds_graph, out) == "nt"
    assert out.read_bytes() == serialize(seeds_graph, "nt")
    assert _leftovers(out.parent) == []


def test_write_atomic_replaces_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"old")
    write_atomic(out, b"new")
    assert out.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []


def test_old_file_intact_when_serialisation_fails(tmp_path: Path, seeds_graph: Graph,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"old graph")

    def broken(graph: Graph, fmt: str = "turtle") -> bytes:
        raise RuntimeError("serialiser crashed")

    monkeypatch.setattr(ser, "serialize", broken)
    with pytest.raises(RuntimeError):
        write_graph(seeds_graph, out)
    assert out.read_bytes() == b"old graph"
    assert _leftovers(tmp_path) == []


def test_old_file_intact_when_writing_fails_midway(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"old graph")
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:
        real_fsync(fd)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(OutputError, match=r"graph\.ttl"):
        write_atomic(out, b"@prefix yb: <https://w3id.org/yibao-kg/ontology#> .\n" * 1000)
    assert out.read_bytes() == b"old graph"
    assert _leftovers(tmp_path) == []


def test_interrupt_while_replacing_leaves_no_temp_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"old graph")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(out, b"new graph")
    assert out.read_bytes() == b"old graph"
    assert _leftovers(tmp_path) == []


def test_output_error_when_the_folder_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "graph.ttl"
    blocker.write_bytes(b"x")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(blocker / "out.ttl", b"data")
    assert blocker.read_bytes() == b"x"


def test_output_error_when_the_folder_is_not_writable(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    out = tmp_path / "graph.ttl"
    with pytest.raises(OutputError) as info:
        write_atomic(out, b"data")
    assert str(info.value) == f"{out}: cannot write (Permission denied)"
    assert not out.exists()


def test_rdflib_is_pinned_to_the_versions_ci_tests() -> None:
    """pyproject.toml allows rdflib from the version .ci/rdflib-range installs (the
    lowest, .ci/rdflib-lowest.txt) up to the minor series CI's own .venv resolves."""
    import re
    from importlib.metadata import version

    root = Path(__file__).resolve().parent.parent
    pin = re.search(r'"rdflib>=([\d.]+),<([\d.]+)"', (root / "pyproject.toml").read_text())
    assert pin, "rdflib is not pinned to a range in pyproject.toml"
    lowest = (root / ".ci" / "rdflib-lowest.txt").read_text().strip()
    assert lowest == f"rdflib=={pin.group(1)}"
    assert ".ci/rdflib-range" in (root / ".ci" / "run").read_text()

    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", v)[:3])

    assert parts(pin.group(1)) <= parts(version("rdflib")) < parts(pin.group(2))


def test_json_ld_keeps_rdf_lists_in_order() -> None:
    """owl:oneOf's members are an RDF list: their order is meaning, and the JSON-LD
    writer keeps it while it sorts everything else."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL

    g = Graph()
    head = BNode()
    members = [URIRef(f"{YB}{n}") for n in ("Zeta", "Alpha", "Mu")]
    Collection(g, head, members)
    kind = URIRef(f"{YB}Kind")
    g.add((kind, OWL.oneOf, head))
    doc = json.loads(serialize(g, "json-ld"))
    lists = [n[str(OWL.oneOf)] for n in doc if str(OWL.oneOf) in n]
    assert [[m["@id"] for m in x[0]["@list"]] for x in lists] == [[str(m) for m in members]]
    back = Graph().parse(data=serialize(g, "json-ld"), format="json-ld")
    (node,) = back.objects(kind, OWL.oneOf)
    assert list(Collection(back, node)) == members


@pytest.mark.slow
def test_json_ld_of_the_ontology_keeps_every_one_of_in_order(seeds_graph: Graph) -> None:
    from rdflib.collection import Collection
    from rdflib.namespace import OWL

    back = Graph().parse(data=serialize(seeds_graph, "json-ld"), format="json-ld")
    found = 0
    for kind, head in seeds_graph.subject_objects(OWL.oneOf):
        (again,) = back.objects(kind, OWL.oneOf)
        assert list(Collection(back, again)) == list(Collection(seeds_graph, head))
        found += 1
    assert found >= 5


@pytest.mark.slow
def test_json_ld_keeps_the_order_of_rdf_lists(seeds_graph: Graph) -> None:
    """The ontology's owl:oneOf lists keep their members' order: the JSON-LD is the same
    graph as the Turtle (blank nodes and all)."""
    from rdflib.collection import Collection
    from rdflib.compare import isomorphic
    from rdflib.namespace import OWL

    back = Graph().parse(data=serialize(seeds_graph, "json-ld").decode("utf-8"), format="json-ld")
    assert isomorphic(back, seeds_graph)
    lists = {str(s): [str(m) for m in Collection(seeds_graph, o)]
             for s, o in seeds_graph.subject_objects(OWL.oneOf) if not isinstance(s, BNode)}
    assert lists and lists == {str(s): [str(m) for m in Collection(back, o)]
                               for s, o in back.subject_objects(OWL.oneOf)
                               if not isinstance(s, BNode)}
