"""The package layout: the folders are the pipeline's stages, and no stage reaches up.

A module may import from its own stage and from the stages before it, never from
a later one (``kg/base/`` is below them all; ``kg/run/`` runs them; ``kg/cli.py``
and ``kg/__init__.py`` sit on top). Every package is installed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

KG = ROOT / "kg"
#: The stages, in the order data flows; a module imports only from its own or an earlier one.
ORDER = ["base", "ingest", "extract", "link", "graph", "store", "use", "run", "cli", "__init__"]
MODULES = sorted(KG.rglob("*.py"))


def _stage(module: str) -> str:
    """The stage of a dotted module name (``kg.extract.nlp`` → ``extract``)."""
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every project import in the file, in functions and
    ``TYPE_CHECKING`` blocks too (``from kg.extract import matchers`` imports
    ``kg.extract.matchers``)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "kg"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kg":
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.append((node.lineno, sub if _is_module(sub) else node.module))
    return out


def test_the_stages_are_folders() -> None:
    folders = {p.name for p in KG.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders == set(ORDER) - {"cli", "__init__"}
    assert {p.name for p in KG.glob("*.py")} == {"__init__.py", "cli.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(KG).as_posix())
def test_no_stage_imports_from_a_later_one(path: Path) -> None:
    own = ORDER.index(_stage(_module_name(path)))
    later = [f"line {line}: {module}" for line, module in _imports(path)
             if ORDER.index(_stage(module)) > own]
    assert later == []


def test_every_package_is_installed() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    listed = set(re.findall(r'"([\w.]+)"', text.split("\npackages = [", 1)[1].split("]", 1)[0]))
    packages = {_module_name(p) for p in KG.rglob("__init__.py")}
    assert sorted(packages - listed) == []
