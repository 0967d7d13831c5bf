"""Which files are what, by extension: the reports read, and the outputs written.

One table for the whole command line. A report is a ``.txt``, ``.md`` or
HTML file (:data:`REPORT_SUFFIXES`); an output extension names one writer
(:data:`WRITERS`): ``kg build`` writes graphs (Turtle, TriG, N-Triples,
JSON-LD), ``kg export`` writes networkx views (GraphML, GEXF, node-link
JSON), and each command refuses the other's extensions, a report's, and
those no writer knows, instead of writing something else under that name.
``-`` is standard output.

    >>> output_format("seeds.trig", "graph"), output_format("seeds.gexf", "view")
    ('trig', 'gexf')
    >>> try:
    ...     output_format("x.graphml", "graph")
    ... except OutputError as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    x.graphml: a .graphml file is a GraphML view, which kg export writes; kg build writes ...
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kg.base.errors import OutputError

REPORT_SUFFIXES: Final = (".txt", ".md", ".markdown", ".html", ".htm")
"""File extensions read as reports (compared case-insensitively)."""

#: The output path that means standard output.
STDOUT: Final = "-"


@dataclass(frozen=True)
class Writer:
    """A writer of output files: what it writes (``graph``: ``kg build``;
    ``view``: ``kg export``), its format's name for ``--format``/``--to``, and a
    name for people."""

    kind: str
    format: str
    name: str


#: Output extension → its writer; the first extension of a format is its usual one.
WRITERS: Final = {
    ".ttl": Writer("graph", "turtle", "Turtle"),
    ".turtle": Writer("graph", "turtle", "Turtle"),
    ".trig": Writer("graph", "trig", "TriG"),
    ".nt": Writer("graph", "nt", "N-Triples"),
    ".ntriples": Writer("graph", "nt", "N-Triples"),
    ".jsonld": Writer("graph", "json-ld", "JSON-LD"),
    ".graphml": Writer("view", "graphml", "GraphML"),
    ".gexf": Writer("view", "gexf", "GEXF"),
    ".json": Writer("view", "json", "node-link JSON"),
}

#: The command that writes each kind of output.
COMMANDS: Final = {"graph": "kg build", "view": "kg export"}

#: The format a kind writes to standard output when none is given.
_STDOUT_DEFAULT: Final = {"graph": "turtle"}


def formats(kind: str) -> list[str]:
    """The formats of ``kind``'s writers, in table order.

    >>> formats("graph")
    ['turtle', 'trig', 'nt', 'json-ld']
    """
    return list(dict.fromkeys(w.format for w in WRITERS.values() if w.kind == kind))


def suffix_of(fmt: str) -> str:
    """The usual extension of the format ``fmt``.

    >>> suffix_of("json-ld"), suffix_of("graphml")
    ('.jsonld', '.graphml')
    """
    return next(ext for ext, w in WRITERS.items() if w.format == fmt)


def _usual(kind: str) -> str:
    exts = [suffix_of(f) for f in formats(kind)]
    return ", ".join(exts[:-1]) + f" or {exts[-1]}"


def output_format(path: str | Path, kind: str, fmt: str | None = None) -> str:
    """The format the writer of ``kind`` (``graph`` or ``view``) writes ``path`` in.

    ``fmt`` (``--format``/``--to``) is used when given, and must agree with the
    extension when the extension names a writer; without it, the extension
    decides. Raises :class:`OutputError` for an unknown format, an extension of
    the other command's writers, a report's extension, an extension no writer
    knows, and for standard output (``-``) with no format where there is no default.
    """
    known = formats(kind)
    if fmt is not None and fmt not in known:
        raise OutputError(f"unknown format {fmt!r} (choose from {', '.join(known)})")
    if str(path) == STDOUT:
        chosen = fmt or _STDOUT_DEFAULT.get(kind)
        if chosen is None:
            raise OutputError(f"-o -: name the format to write (choose from {', '.join(known)})")
        return chosen
    suffix = Path(path).suffix.lower()
    if suffix in REPORT_SUFFIXES:
        raise OutputError(f"{path}: a {suffix} file is a report, not an output; "
                          f"{COMMANDS[kind]} writes {_usual(kind)}")
    writer = WRITERS.get(suffix)
    if writer is not None and writer.kind != kind:
        raise OutputError(f"{path}: a {suffix} file is a {writer.name} "
                          f"{'graph' if writer.kind == 'graph' else 'view'}, which "
                          f"{COMMANDS[writer.kind]} writes; {COMMANDS[kind]} writes {_usual(kind)}")
    if writer is not None and fmt is not None and writer.format != fmt:
        raise OutputError(f"{path}: a {suffix} file is {writer.name}, not {fmt}")
    if fmt is not None:
        return fmt
    if writer is None:
        what = f"a {suffix} file" if suffix else "a file without an extension"
        raise OutputError(f"{path}: no writer for {what}; {COMMANDS[kind]} writes {_usual(kind)}")
    return writer.format


def check_not_input(output: str | Path, inputs: list[str | Path]) -> None:
    """Refuse an output path that is one of the ``inputs`` (or the same file).

    >>> check_not_input("a.ttl", ["a.ttl"])
    Traceback (most recent call last):
    ...
    kg.base.errors.OutputError: a.ttl: is one of the inputs; it would be overwritten
    """
    if str(output) == STDOUT:
        return
    out = Path(output)
    for given in inputs:
        p = Path(given)
        same = p == out or p.resolve() == out.resolve()
        if not same and p.exists() and out.exists():
            same = p.samefile(out)
        if same:
            raise OutputError(f"{output}: is one of the inputs; it would be overwritten")
