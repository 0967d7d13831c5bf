"""The command line's habits, as the real ``kg`` command: never writing over an input,
one writer per extension in ``build`` and ``export``, ``-o -``, ``--version``, ``-q``,
repeated ``--param``, queries of any length, a closed pipe, one line per error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg.base.version import __version__
from kg.cli import main
from tests.conftest import ROOT, SEEDS

ONE = SEEDS / "001_9a1c20614dce059a.txt"
KG = [sys.executable, "-m", "kg.cli"]


def kg(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args], cwd=ROOT, capture_output=True, text=True, input=stdin,
                          timeout=300)


@pytest.fixture(scope="module")
def seeds_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("habits") / "seeds.ttl"
    assert main(["build", str(SEEDS), "-o", str(out), "-q"]) == 0
    return out


# --- outputs: never an input, one writer per extension ---------------------------------


def test_an_output_that_is_an_input_is_refused(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(ONE.read_bytes())
    b.write_bytes((SEEDS / "002_65a502b2b886f2ef.txt").read_bytes())
    before = a.read_bytes()
    assert main(["build", str(a), str(b), "-o", str(a)]) == 3
    assert main(["build", str(a), str(b), "-o", str(a), "--format", "turtle"]) == 3
    err = capsys.readouterr().err.splitlines()
    assert err == [f"kg: {a}: a .txt file is a report, not an output; kg build writes .ttl, "
                   f".trig, .nt or .jsonld"] * 2
    assert a.read_bytes() == before


def test_an_output_named_like_an_input_of_another_kind_is_refused(tmp_path: Path) -> None:
    ttl = tmp_path / "seeds.ttl"
    ttl.write_bytes(b"")
    done = kg("export", str(ttl), "--to", "json", "-o", str(ttl))
    assert done.returncode == 3
    assert done.stderr.strip() == (f"kg: {ttl}: a .ttl file is a Turtle graph, which kg build "
                                   f"writes; kg export writes .graphml, .gexf or .json")


@pytest.mark.parametrize(("name", "says"), [
    ("x.graphml", "a .graphml file is a GraphML view, which kg export writes"),
    ("x.json", "a .json file is a node-link JSON view, which kg export writes"),
    ("x.txt", "a .txt file is a report, not an output"),
    ("x.rdf", "no writer for a .rdf file"),
    ("x", "no writer for a file without an extension"),
])
def test_build_refuses_an_extension_it_does_not_write(tmp_path: Path, name: str, says: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / name
    assert main(["build", str(ONE), "-o", str(out)]) == 3
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"kg: {out}: {says}")
    assert not out.exists()


def test_export_takes_the_format_from_the_extension(seeds_ttl: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.graphml"
    assert main(["export", str(seeds_ttl), "--view", "entities", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<graphml ")
    capsys.readouterr()
    assert main(["export", str(seeds_ttl), "--to", "gexf", "-o", str(tmp_path / "y.graphml")]) == 3
    assert "a .graphml file is GraphML, not gexf" in capsys.readouterr().err
    assert not (tmp_path / "y.graphml").exists()


@pytest.mark.slow
def test_dash_writes_to_standard_output(seeds_ttl: Path) -> None:
    done = kg("build", str(ONE), "-o", "-")
    assert done.returncode == 0
    g = Graph().parse(data=done.stdout, format="turtle")
    assert len(g) > 100 and not Path(ROOT / "-").exists()
    assert "built 1 report(s)" in done.stderr and "wrote standard output (turtle)" in done.stderr
    nt = kg("build", str(ONE), "-o", "-", "--format", "nt", "-q")
    assert nt.returncode == 0 and nt.stderr == ""
    assert len(Graph().parse(data=nt.stdout, format="nt")) == len(g)
    view = kg("export", str(seeds_ttl), "--to", "json", "--view", "entities", "-o", "-")
    assert view.returncode == 0
    assert any(n["id"] == "ybr:region/320412" for n in json.loads(view.stdout)["nodes"])


# --- habits -----------------------------------------------------------------------------


def test_version() -> None:
    done = kg("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"kg (yibao-kg) {__version__}"


@pytest.mark.slow
def test_quiet_prints_nothing_but_errors(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(ONE.read_bytes())
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    done = kg("build", str(tmp_path / "in"), "-o", str(tmp_path / "out.ttl"), "-q")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"kg: skipped {tmp_path / 'in' / 'empty.txt'}: file is empty (0 bytes)"]


def test_a_long_inline_query_is_a_query(seeds_ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filler = " ".join(f"# {i:04d}" for i in range(80))  # a comment: 480 bytes on one line
    sparql = f"SELECT ?code WHERE {{ ?r yb:adminCode ?code FILTER(?code = '320412') }} {filler}"
    assert len(sparql.encode()) > 255
    assert main(["query", str(seeds_ttl), sparql, "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["code", "320412"]


@pytest.mark.slow
@pytest.mark.parametrize(("engine", "where"), [("oxigraph", "at 2:"), ("rdflib", "(line:2, ")])
def test_query_errors_point_into_the_users_text(seeds_ttl: Path, engine: str, where: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The prefixes are the engine's defaults, not pasted above the query: an error's
    line is the line of the user's text (2), whichever engine reads the file."""
    assert main(["query", str(seeds_ttl), "SELECT ?x\nWHERE { ?x yb:label ?y . FILTR(?y) }",
                 "--engine", engine]) == 4
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and where in err[0], err


def test_an_error_while_reading_results_is_one_line(seeds_ttl: Path) -> None:
    # rdflib evaluates SERVICE when the rows are read; nothing listens on port 9
    done = kg("query", str(seeds_ttl),
              "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert done.returncode == 4, done.stderr
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("kg: SPARQL error")


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly(seeds_ttl: Path) -> None:
    """As ``kg query … | head -1`` once head has gone: the reading end of the pipe
    is closed, and kg stops without a traceback."""
    import os

    read, write = os.pipe()
    os.close(read)  # the reader went away
    try:
        proc = subprocess.run(
            [*KG, "query", str(seeds_ttl), "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--format", "csv"],
            cwd=ROOT, stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert proc.returncode == 141
    assert proc.stderr == ""


def test_show_prints_sparql_that_runs_anywhere() -> None:
    import pyoxigraph as ox

    done = kg("query", "--show", "insured_by_scheme")
    assert done.returncode == 0
    # a store that knows no prefix of ours runs the text as printed
    assert list(ox.Store().query(done.stdout)) == []


@pytest.mark.slow
def test_a_skipped_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(ONE.read_bytes())
    (tmp_path / "in" / "blank.txt").write_text("  \n\n", encoding="utf-8")
    done = kg("build", str(tmp_path / "in"), "-o", str(tmp_path / "out.ttl"))
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if "blank.txt" in line] == [
        f"kg: skipped {tmp_path / 'in' / 'blank.txt'}: file holds only whitespace"]


def test_named_queries_run_as_written_on_any_engine() -> None:
    """Every named query's file declares its prefixes: Oxigraph, which knows none of
    ours, parses and runs each one as it is."""
    import pyoxigraph as ox

    from kg.use import queries

    store = ox.Store()
    for q in queries.named_queries():
        assert q.sparql.count("PREFIX ") >= 1, q.name
        store.query(q.sparql)  # raises SyntaxError on an undeclared prefix
