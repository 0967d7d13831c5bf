"""Every output format parses in a second, independent implementation with the same triples.

pyoxigraph (Rust) always; the raptor ``rapper`` tool (C) when it is installed
(Debian: ``apt-get install raptor2-utils``; the tests that need it are skipped
without it). raptor has no JSON-LD parser, so JSON-LD is checked by pyoxigraph
and rdflib only. The reports: the five seeds and two short reports that cite the
same notice (so that a document's one identity across reports is in the files).
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.graph.serialize import write_graph
from kg.run.build import BuildResult, build_reports
from tests.scale_helpers import make_folder

FORMATS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD}
RAPPER = {"ttl": "turtle", "trig": "trig", "nt": "ntriples"}  # rapper reads no JSON-LD


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = build_reports([make_folder(tmp_path_factory.mktemp("interop"), seeds=5)])
    assert len(result.reports) == 7
    return result


@pytest.fixture(scope="module")
def outputs(result: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("out")
    out = {}
    for suffix in FORMATS:
        path = root / f"g.{suffix}"
        write_graph(result.dataset() if suffix == "trig" else result.graph(), path)
        out[suffix] = path
    return out


def _expected(result: BuildResult) -> int:
    return len(result.graph())


def _per_graph(result: BuildResult) -> Counter[str]:
    return Counter({str(g.identifier): len(g) for g in result.dataset().graphs() if len(g)})


@pytest.mark.slow
@pytest.mark.parametrize("suffix", list(FORMATS))
def test_rdflib_reads_back_the_triples_it_wrote(result: BuildResult, outputs: dict[str, Path],
                                                suffix: str) -> None:
    from kg.use.sparql import load_graph

    assert len(load_graph(outputs[suffix])) == _expected(result)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", list(FORMATS))
def test_pyoxigraph_reads_the_same_triples(result: BuildResult, outputs: dict[str, Path],
                                           suffix: str) -> None:
    quads = list(ox.parse(path=str(outputs[suffix]), format=FORMATS[suffix]))
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    assert len(triples) == _expected(result)
    if suffix == "trig":  # one named graph per report, as rdflib wrote them
        per_graph = Counter(str(q.graph_name.value) for q in quads
                            if isinstance(q.graph_name, ox.NamedNode))
        assert per_graph == _per_graph(result)
        assert sum("/report/" in g for g in per_graph) == len(result.reports)
    else:
        assert len(quads) == _expected(result)  # no duplicates, nothing lost


@pytest.mark.skipif(shutil.which("rapper") is None, reason="raptor's rapper is not installed")
@pytest.mark.parametrize("suffix", list(RAPPER))
def test_rapper_reads_the_same_triples(result: BuildResult, outputs: dict[str, Path],
                                       suffix: str) -> None:
    proc = subprocess.run(["rapper", "-q", "-i", RAPPER[suffix], "-o", "nquads",
                           str(outputs[suffix])], capture_output=True, check=True)
    lines = [line for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    assert proc.stderr == b""  # no warnings either
    if suffix == "trig":
        assert len(lines) == sum(_per_graph(result).values())
    else:
        assert len(lines) == _expected(result)
