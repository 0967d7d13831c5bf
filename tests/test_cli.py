"""The ``kg`` command end to end: build, determinism, formats, validate, query, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from kg.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "seeds.ttl"
    assert main(["build", str(SEEDS), "-o", str(out)]) == 0
    return out


def test_build_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "one.ttl"
    assert main(["build", str(SEEDS / "002_65a502b2b886f2ef.txt"), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "built 1 report(s)" in printed and "triples" in printed
    assert "Region" in printed and "observations:" in printed


def test_rebuild_is_byte_identical(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.ttl"
    assert main(["build", str(SEEDS), "-o", str(again)]) == 0
    assert again.read_bytes() == built.read_bytes()


@pytest.mark.slow
def test_turtle_parses_in_pyoxigraph(built: Path) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(built), format=pyoxigraph.RdfFormat.TURTLE)
    reports = list(store.query(
        "SELECT ?f WHERE { ?r a <https://w3id.org/yibao-kg/ontology#Report> ; "
        "<https://w3id.org/yibao-kg/ontology#sourceFile> ?f }"))
    assert len(reports) == 5
    g = Graph().parse(built)
    assert len(store) == len(g)


@pytest.mark.slow
def test_validate_conforms(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(built)]) == 0
    assert capsys.readouterr().out.startswith("conforms")


@pytest.mark.slow
def test_validate_fails_on_violation(built: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.ttl"
    text = built.read_text(encoding="utf-8")
    # a region without its code violates the Region shape
    broken.write_text(text + '\n<https://w3id.org/yibao-kg/id/region/999999> a '
                      '<https://w3id.org/yibao-kg/ontology#Region> .\n', encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "does NOT conform" in out and "region/999999" in out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("suffix", "kind"), [(".trig", "trig"), (".nt", "nt"), (".jsonld", "json-ld")]
)
def test_other_formats_parse_with_same_triples(built: Path, tmp_path: Path, suffix: str,
                                               kind: str) -> None:
    out = tmp_path / f"seeds{suffix}"
    assert main(["build", str(SEEDS), "-o", str(out)]) == 0
    reference = Graph().parse(built)
    if kind == "trig":
        ds = Dataset()
        ds.parse(out, format="trig")
        names = {str(c.identifier) for c in ds.graphs() if len(c)}
        assert sum("/report/" in n for n in names) == 5
        union = Graph()
        for quad in ds.quads((None, None, None, None)):
            union.add(quad[:3])
        assert len(union) == len(reference)
    else:
        g = Graph().parse(out, format=kind)
        assert len(g) == len(reference)
        if kind == "json-ld":
            assert isinstance(json.loads(out.read_text(encoding="utf-8")), (dict, list))


def test_query_table_csv_json(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    q = "SELECT ?code WHERE { ?r a yb:Report ; dcterms:spatial/yb:adminCode ?code } ORDER BY ?code"
    assert main(["query", str(built), q, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.split()
    assert lines[0] == "code" and "540100" in lines and "510900" in lines
    assert main(["query", str(built), q, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["results"]["bindings"]) == 5
    assert main(["query", str(built), q]) == 0
    assert "(5 rows)" in capsys.readouterr().out


def test_query_binds_parameters_as_terms(built: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "region.rq"
    rq.write_text("SELECT ?label WHERE { ?region rdfs:label ?label }", encoding="utf-8")
    assert main(["query", str(built), str(rq), "--format", "csv",
                 "--param", "region=ybr:region/540100"]) == 0
    assert capsys.readouterr().out.split() == ["label", "拉萨市"]


def test_bad_query_exit_code(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(built), "SELECT WHERE {"]) == 4
    assert capsys.readouterr().err.startswith("kg: ")


def test_text_prints_document_text(capsys: pytest.CaptureFixture[str]) -> None:
    path = SEEDS / "001_9a1c20614dce059a.txt"
    assert main(["text", str(path)]) == 0
    assert capsys.readouterr().out.rstrip("\n") == path.read_text(encoding="utf-8").rstrip("\n")


def _bad_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    cases = {
        "empty": folder / "empty.txt",
        "binary": folder / "image.txt",
        "truncated": folder / "truncated.txt",
        "nav": folder / "nav.html",
        "nocontent": folder / "numbers.txt",
    }
    cases["empty"].write_bytes(b"")
    cases["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    body = "某县医疗保障局2022年工作总结\n全县基本医疗保险参保人数达到35.2万人，医保基金运行平稳。"
    cases["truncated"].write_bytes(body.encode("utf-8")[:-1])
    cases["nav"].write_text(
        "<html><body><nav><a href='/'>首页</a> <a href='/x'>政务公开</a></nav></body></html>",
        encoding="utf-8")
    cases["nocontent"].write_text("1234 5678\n9999\n", encoding="utf-8")
    return cases


def test_bad_inputs_one_line_each_and_the_rest_built(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    _bad_inputs(folder)
    shutil.copy(SEEDS / "001_9a1c20614dce059a.txt", folder / "good.txt")
    (folder / "gbk.txt").write_bytes(
        "青海省某县医疗保障局2023年工作总结\n全县参保人数达到10.5万人，医疗救助资金支出1200万元。".encode("gbk"))
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    out = tmp_path / "out.ttl"
    missing = tmp_path / "missing.txt"
    code = main(["build", str(folder), str(empty_dir), str(missing), "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    skipped = [line for line in err if line.startswith("kg: skipped")]
    for name in ("empty.txt", "image.txt", "nav.html", "numbers.txt", "nothing", "missing.txt"):
        assert sum(name in line for line in skipped) == 1, (name, skipped)
    assert not any("gbk.txt" in line for line in skipped)
    g = Graph().parse(out)
    files = {str(o) for o in g.objects(None, None) if str(o).endswith(".txt")}
    assert {"good.txt", "gbk.txt", "truncated.txt"} <= files


def test_nothing_built_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    _bad_inputs(folder)
    (folder / "truncated.txt").unlink()
    out = tmp_path / "out.ttl"
    out.write_text("old content", encoding="utf-8")
    assert main(["build", str(folder), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "old content"
    assert "nothing written" in capsys.readouterr().err


def test_unwritable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["build", str(SEEDS / "001_9a1c20614dce059a.txt"), "-o", str(blocker / "out.ttl")])
    assert code == 3
    assert "cannot write" in capsys.readouterr().err


@pytest.mark.slow
def test_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    """Every format is byte-identical across processes with different hash seeds."""
    import hashlib
    import os
    import subprocess
    import sys

    script = (
        "import sys, hashlib\n"
        "from kg.run.build import build_reports\n"
        "from kg.graph.serialize import serialize\n"
        "r = build_reports([sys.argv[1]])\n"
        "for fmt in ('turtle', 'nt', 'json-ld'):\n"
        "    print(fmt, hashlib.sha256(serialize(r.graph(), fmt)).hexdigest())\n"
        "print('trig', hashlib.sha256(serialize(r.dataset(), 'trig')).hexdigest())\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script, str(SEEDS)], env=env,
                              capture_output=True, text=True, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert hashlib.sha256(outputs[0].encode()).hexdigest() and len(outputs[0].splitlines()) == 4


@pytest.mark.slow
def test_progress_bar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.ttl"
    assert main(["build", str(SEEDS), "-o", str(out), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "building" in err and "5/5" in err
    assert main(["build", str(SEEDS), "-o", str(out), "--no-progress"]) == 0
    assert "building" not in capsys.readouterr().err
