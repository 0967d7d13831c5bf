"""The README's examples in "Using the graph" work as written, on the seeds.

Every ``kg`` command line there must parse with the command line's own parser;
the ``kg query`` and ``kg export`` lines run on the seeds graph (``seeds.ttl``)
and store (``seeds.store``); the Python examples run (``kg.build(["seeds"])``
gives the session's build of the seeds, the same graph, to save building it
again); the SPARQL client examples run against ``kg serve``'s server.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.base.records import Given
from kg.cli import main, parser
from tests.conftest import ROOT, SEEDS

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("\n## Using the graph\n", 1)[1].split("\n## ", 1)[0]
PORT = "7878"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", SECTION, re.S)


def _command(line: str) -> list[str]:
    """A shell line without its trailing comment, as arguments."""
    return shlex.split(re.split(r"\s+#\s", line, maxsplit=1)[0])


def _lines(program: str) -> list[list[str]]:
    return [_command(line) for block in _blocks("sh") for line in block.splitlines()
            if line.startswith(program + " ")]


KG = [args[1:] for args in _lines("kg")]


@pytest.fixture(scope="module")
def workdir(seeds_result, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """A folder as the README's commands leave it: seeds/, seeds.ttl, seeds.trig, seeds.store."""
    from kg.graph.serialize import write_graph
    from kg.store.store import write_store

    root = tmp_path_factory.mktemp("readme")
    (root / "seeds").symlink_to(SEEDS)
    write_graph(seeds_result.graph(), root / "seeds.ttl")
    write_graph(seeds_result.dataset(), root / "seeds.trig")
    write_store(root / "seeds.store", seeds_result.report_graphs(ontology=True))
    return root


def test_the_section_shows_each_capability() -> None:
    commands = {args[0] for args in KG}
    assert {"build", "query", "export", "serve"} <= commands
    builds = [args for args in KG if args[0] == "build"]
    assert {Path(a[a.index("-o") + 1]).suffix for a in builds if "-o" in a} >= {
        ".ttl", ".trig", ".nt", ".jsonld"}
    assert any("--store" in a for a in builds)
    assert any(a[:2] == ["query", "seeds.store"] for a in KG)
    assert any(a[:2] == ["serve", "seeds.store"] for a in KG)
    assert {a[a.index("--to") + 1] for a in KG if a[0] == "export"} == {"graphml", "gexf", "json"}
    python = "\n".join(_blocks("python"))
    assert "kg.to_networkx(" in python and "kg.query(" in python and "SPARQLWrapper(" in python
    assert "notebooks/01_build_and_query.ipynb" in SECTION
    assert "notebooks/02_visualise.ipynb" in SECTION
    picture = re.search(r"!\[[^\]]*\]\(([^)]+\.png)\)", SECTION)
    assert picture and (ROOT / picture.group(1)).is_file()


@pytest.mark.parametrize("args", KG, ids=" ".join)
def test_every_kg_line_parses(args: list[str]) -> None:
    parser().parse_args(args)  # exits (fails the test) on an unknown option or command


@pytest.mark.slow
def test_the_query_and_export_lines_run(workdir: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(workdir)
    ran = 0
    for args in KG:
        if args[0] not in ("query", "export"):
            continue
        assert main(args) == 0, args
        out = capsys.readouterr().out
        if args[0] == "query" and len(args) > 2:  # a query on a graph: rows, not just a header
            assert "(0 rows)" not in out and len(out.strip().splitlines()) >= 2, (args, out)
        if args[0] == "export":
            assert out.startswith("wrote "), out
        ran += 1
    assert ran >= 8


def _run(code: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    return out.getvalue()


@pytest.mark.slow
def test_the_python_examples_run(workdir: Path, seeds_graph: Graph,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import kg

    monkeypatch.chdir(workdir)
    monkeypatch.setattr(kg, "build", lambda paths, **kwargs: seeds_graph)
    ran = 0
    for block in _blocks("python"):
        if f"127.0.0.1:{PORT}" in block:
            continue  # needs the server: below
        assert _run(block).strip(), block
        ran += 1
    assert ran >= 2


@pytest.mark.slow
def test_the_sparql_client_examples_run(workdir: Path, seeds_graph: Graph) -> None:
    from kg.store.serve import serving

    clients = [b for b in _blocks("python") if f"127.0.0.1:{PORT}" in b]
    curls = _lines("curl")
    assert clients and curls
    with serving(workdir / "seeds.store") as server:
        port = str(server.port)
        for block in clients:
            printed = _run(block.replace(f"127.0.0.1:{PORT}", f"127.0.0.1:{port}"))
            assert int(printed) == len(seeds_graph)  # every triple, the ontology's too
        if shutil.which("curl") is None:
            pytest.skip("curl is not installed")
        out = [subprocess.run([a.replace(f"127.0.0.1:{PORT}", f"127.0.0.1:{port}") for a in args],
                              capture_output=True, text=True, check=True, timeout=30).stdout
               for args in curls]
    assert out[0].splitlines()[:2] == ["code,label", "100000,中华人民共和国"]
    assert out[1].strip() == "403"  # the update is refused


@pytest.mark.skipif(shutil.which("rapper") is None, reason="raptor's rapper is not installed")
def test_the_rapper_line_runs(workdir: Path) -> None:
    for args in _lines("rapper"):
        proc = subprocess.run(args, cwd=workdir, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and "Parsing returned" in proc.stderr, proc.stderr


def test_the_module_table_lists_every_module() -> None:
    """Every module under kg/ has its row in the pipeline's module table (a package by its
    folder, ``kg/use/queries/``), and every row names a module that is there."""
    pipeline = README.split("\n## The pipeline\n", 1)[1].split("\n## ", 1)[0]
    listed = {name for line in pipeline.splitlines() if line.startswith("| ")
              for name in re.findall(r"`(kg/[^`]*)`", line.split("|")[1])}
    modules = set()
    for path in (ROOT / "kg").rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        if path.name == "__init__.py" and path.parent != ROOT / "kg":
            name = name[: -len("__init__.py")]
        modules.add(name)
    assert sorted(modules - listed) == [], "modules missing from the README's module table"
    assert sorted(listed - modules) == [], "rows for modules that are not there"


def test_the_readme_lists_every_rule_of_the_observation_grammar() -> None:
    """The README's table of rules is RULES, in order (a rule added in code shows there)."""
    from kg.extract.fields import RULES

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")
            and line.count("|") == 4]
    listed = [tuple(cell.strip() for cell in row.strip("|").split("|")) for row in rows]
    wanted = [(r.field, r.name, r.says) for r in RULES]
    found = [row for row in listed if row in wanted]
    assert found == wanted


# --- the bad-input table, line for line -----------------------------------------------------

BAD_INPUT = README.split("\n## Bad input\n", 1)[1].split("\n## ", 1)[0]
BAD_ROWS = [tuple(c.strip() for c in line.strip("|").split(" | "))
            for line in BAD_INPUT.splitlines()
            if line.startswith("| ") and not line.startswith("| input ")]

#: Reports we write, naming their place (a county) so that they build without a warning.
PLACED = "临夏县医疗保障局2022年工作总结\n全县基本医疗保险参保人数达到35.2万人，追回医保基金120万元。\n"
UNPLACED = "某县医疗保障局2022年工作总结\n全县基本医疗保险参保人数达到35.2万人，追回医保基金120万元。\n"
NAV = "<html><body><nav><a href='/'>首页</a> <a href='/x'>政务公开</a></nav></body></html>"


def _bad_input_files(folder: Path) -> dict[str, Path]:
    """The input of each row of the table (by its first cell), written into ``folder``."""
    from kg.ingest.collect import MAX_BYTES

    def put(name: str, data: bytes | str) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    (folder / "nothing").mkdir()
    return {
        "missing path": folder / "missing.txt",
        "folder with no reports": folder / "nothing",
        "file of another type (`.pdf`)": put("scan.pdf", b"%PDF-1.4"),
        "empty file": put("empty.txt", b""),
        "whitespace only": put("blank.txt", " \n\t\n"),
        "binary file (image, archive, PDF… by its magic number)":
            put("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
        "NUL bytes (not UTF-16 text)": put("nul.txt", b"abc\x00def" * 10),
        "bytes that are no text": put("noise.txt", bytes(range(0x80, 0x100)) * 4),
        "file over 8 MiB (`kg.ingest.collect.MAX_BYTES`)": put("huge.txt", b"a" * (MAX_BYTES + 1)),
        "text with no report in it": put("numbers.txt", "1234 5678\n9999\n"),
        "Chinese text on another subject":
            put("weather.txt", "今天天气晴朗，气温二十度左右，适合外出散步和晾晒衣物。" * 3),
        "HTML with only navigation": put("nav.html", NAV),
        "the same bytes as a file before it": put("z_copy.txt", PLACED),
        "a failure of the extractor on this report": put("bug.txt", PLACED.replace("35.2", "35.3")),
        "a worker process (`-j N`) that dies on this report": folder / "(see test_robust.py)",
        "GBK / GB18030 text": put("gbk.txt", PLACED.replace("35.2", "36.2").encode("gbk")),
        "UTF-8 with a byte-order mark": put("bom.txt", b"\xef\xbb\xbf" + PLACED.replace(
            "35.2", "37.2").encode()),
        "UTF-16 with a byte-order mark": put("utf16bom.txt", PLACED.replace(
            "35.2", "38.2").encode("utf-16")),
        "UTF-16 without a byte-order mark": put("utf16.txt", ("一、" + PLACED).encode("utf-16-le")),
        "UTF-8 cut off in the middle of its last character":
            put("cut.txt", PLACED.rstrip("\n").replace("35.2", "39.2").encode() + "元".encode()[:2]),
        "an HTML page in a `.txt` file": put("page.txt", "<html><head><title>临夏县医疗保障局2022年"
            "工作总结</title></head><body><h1>临夏县医疗保障局2022年工作总结</h1><p>" + PLACED.split("\n")[1].replace("35.2", "40.2")
            + "全县医保基金运行平稳。</p><p>全县参保率稳定在95%以上。</p></body></html>"),
        "numbers whose place the text never names": put("noplace.txt", UNPLACED),
        "numbers whose year the text never names (no year, no date anywhere)":
            put("notime.txt", PLACED.replace("2022年", "").replace("35.2", "41.2")),
        "a number too large to hold (10^28 and more)": put("bignum.txt", PLACED.replace(
            "35.2万人", "35.2万人，基金累计结余" + "9" * 40 + "亿元")),
        "a long text, a line with no newline, over spaCy's 1,000,000 characters": put(
            "long.txt", PLACED.split("\n")[0] + PLACED.split("\n")[1] * 1600),
        "original": put("a_original.txt", PLACED),
    }


@pytest.mark.slow
def test_the_bad_input_table_says_what_kg_build_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.extract.pieces import MAX_PIECE
    from kg.run import work
    from kg.run.parallel import WORKER_DIED

    files = _bad_input_files(tmp_path)
    assert {row[0] for row in BAD_ROWS} == set(files) - {"original"}
    assert len((tmp_path / "long.txt").read_text(encoding="utf-8")) > MAX_PIECE
    real = work.linked

    def linked(path: str | Path, data: bytes | None = None, given: Given = ()) -> object:
        if Path(path).name == "bug.txt":
            raise ValueError("a bug met by this report")
        return real(path, data, given)

    monkeypatch.setattr(work, "linked", linked)
    out = tmp_path / "out.ttl"
    present = sorted(p for p in tmp_path.iterdir() if p.is_file())
    given = [files["missing path"], files["folder with no reports"], *present]
    assert main(["build", *map(str, given), "-o", str(out), "--no-progress"]) == 1
    err = capsys.readouterr().err.splitlines()
    built = {str(o) for o in Graph().parse(out).objects(
        None, URIRef("https://w3id.org/yibao-kg/ontology#sourceFile"))}
    for name, what in BAD_ROWS:
        path = files[name]
        said = [line for line in err if line.startswith((f"kg: skipped {path}: ",
                                                         f"kg: warning: {path}: "))]
        message = re.findall(r"`([^`]*)`", what)
        if what.startswith("skipped:"):
            expected = message[0].replace("FIRST", str(files["original"]))
            if path.name.startswith("("):
                assert expected == WORKER_DIED
                continue
            pattern = re.escape(f"kg: skipped {path}: {expected}").replace("…", ".*")
            assert len(said) == 1 and re.fullmatch(pattern, said[0]), (name, said)
            assert path.name not in built
        else:
            assert what.startswith("built"), what
            assert path.name in built, name
            assert said == ([f"kg: warning: {path}: {message[0]}"] if "warning" in what else []), \
                (name, said)
    g = Graph().parse(out)
    values = [float(v) for v in g.objects(None, URIRef("https://w3id.org/yibao-kg/ontology#value"))]
    assert values and max(values) < 1e28
