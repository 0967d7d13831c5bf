"""The project's data files: the ontology's Turtle and the lexicon TSVs.

The top-level folder ``ontology/`` is installed as the package
``kg.ontology_data`` (and ``ontology/lexicon/`` as ``kg.ontology_data.lexicon``),
so the files are found the same way in a source checkout, an editable install
and a wheel::

    >>> rows = lexicon_rows("report_kinds.tsv")
    >>> rows[0][0] in {"ProposalReply", "WorkSummary", "Plan", "StatisticalRelease"}
    True
"""

from __future__ import annotations

import functools
import hashlib
import sys
from importlib.resources import files

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover
    from importlib.abc import Traversable

DATA_PACKAGE = "kg.ontology_data"
LEXICON_PACKAGE = "kg.ontology_data.lexicon"


def ontology_dir() -> Traversable:
    """The installed ``ontology/`` folder."""
    return files(DATA_PACKAGE)


def data_digest(root: Traversable | None = None) -> str:
    """A hash of every data file under ``root`` (default: the installed ``ontology/``):
    the ontology's Turtle and the lexicon TSVs, by relative path and content.

    Caches of what is compiled from the data (the pipeline's phrase matchers,
    :mod:`kg.extract.nlp`) are keyed by it, so that they are rebuilt when a file changes.
    Python's bytecode caches are left out.
    """
    digest = hashlib.sha256()
    todo: list[tuple[str, Traversable]] = [("", root if root is not None else ontology_dir())]
    while todo:
        prefix, folder = todo.pop()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            name = f"{prefix}{entry.name}"
            if entry.is_dir():
                if entry.name != "__pycache__":
                    todo.append((f"{name}/", entry))
            elif entry.is_file() and not entry.name.endswith((".pyc", ".pyo")):
                data = entry.read_bytes()
                digest.update(f"{name}\0{len(data)}\0".encode())
                digest.update(data)
    return digest.hexdigest()


def lexicon_file(name: str) -> Traversable:
    """A file of the installed ``ontology/lexicon/`` folder."""
    return files(LEXICON_PACKAGE).joinpath(name)


@functools.cache
def lexicon_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a lexicon TSV: tab-separated cells, ``#`` comment lines and blank lines left out.

    A first row whose cells are all lower-case ASCII identifiers is a header and is left out too.
    """
    text = lexicon_file(name).read_text(encoding="utf-8")
    rows = [
        tuple(cell.strip() for cell in line.split("\t"))
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if rows and all(c.isascii() and c.replace("_", "").isalpha() and c.islower() for c in rows[0]):
        rows = rows[1:]
    return tuple(rows)


@functools.cache
def lexicon_words(name: str) -> dict[str, tuple[str, ...]]:
    """The words of a ``kind<TAB>word`` lexicon TSV, by kind, longest first.

    >>> lexicon_words("agency_words.tsv")["level_word"][:3]
    ('自治区', '自治州', '自治县')
    """
    out: dict[str, list[str]] = {}
    for row in lexicon_rows(name):
        out.setdefault(row[0], []).append(row[1])
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}
