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
from rdflib import Graph

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
