"""One report's work, the unit every executor runs: read → extract → link.

:func:`process` reads one report (from its path, or from bytes read
elsewhere), extracts it (in bounded pieces when it is long:
:mod:`kg.extract.pieces`), links it, and makes what the output needs of it —
its N-Triples for a store, its fragment of the canonical Turtle — as one
:class:`ReportResult`. The serial build (:func:`process_all`), the ``-j N``
workers (:mod:`kg.run.parallel`) and the Dask workers (:mod:`kg.run.cluster`)
all run this function and nothing else per report.

It never raises for a bad report: whatever goes wrong inside one report, an
unexpected exception of the extractor included, comes back as the result's
:attr:`~ReportResult.error`, one line naming the file and the cause
(:class:`~kg.base.errors.ExtractionError` for an exception), and the other
reports go on. Only an interrupt (Ctrl-C) stops the work.

    >>> r = process("no/such/report.txt")
    >>> r.report is None, str(r.error)
    (True, 'no/such/report.txt: no such file')
"""

from __future__ import annotations

import contextlib
import gc
import logging
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.base.errors import ExtractionError, InputError
from kg.base.records import Given, LinkedReport
from kg.graph.turtle import pack, report_fragment
from kg.ingest.collect import document_from_bytes, read_document
from kg.link.link import link

log = logging.getLogger("kg")

#: A progress wrapper: ``progress(items, total)`` yields ``items`` as they are done.
Progress = Callable[[Iterable[Path], int], Iterable[Path]]

#: The longest cause of an :class:`ExtractionError` shown, in characters.
MAX_CAUSE = 200


class Packed:
    """A linked report as a build keeps it: pickled until it is needed.

    Sent between processes it stays pickled (the parent of ``-j N`` does not
    rebuild every report's objects: the graph's fragments carry what the
    output needs). ``citations`` — (文号, title, key) of each citation — is
    what the cross-report merge needs; ``path`` replaces the document's path
    on loading (a report from the cache).
    """

    __slots__ = ("_data", "_report", "citations", "path", "sha256")

    def __init__(self, report: LinkedReport | None = None, data: bytes | None = None,
                 citations: tuple[tuple[str | None, str | None, str], ...] | None = None,
                 path: str | None = None, sha256: str | None = None) -> None:
        self._report = report
        self._data = data
        self.path = path
        if citations is None or sha256 is None:
            loaded = self.load()
            citations = tuple((c.doc_number, c.title, c.key) for c in loaded.citations)
            sha256 = loaded.document.sha256
        self.citations = citations
        self.sha256 = sha256

    def load(self) -> LinkedReport:
        """The linked report (unpickled anew each time unless it is held)."""
        report = self._report
        if report is None:
            assert self._data is not None
            report = pickle.loads(self._data)
            assert isinstance(report, LinkedReport)
        if self.path is not None and report.document.path != self.path:
            report = replace(report, document=replace(report.document, path=self.path))
        return report

    def data(self) -> bytes:
        """The report pickled."""
        if self._data is None:
            assert self._report is not None
            self._data = pickle.dumps(self._report, pickle.HIGHEST_PROTOCOL)
        return self._data

    def __reduce__(self) -> tuple[type[Packed], tuple[None, bytes, Any, str | None, str]]:
        return Packed, (None, self.data(), self.citations, self.path, self.sha256)


@dataclass(frozen=True)
class Wanted:
    """What the output needs of each report besides its linked records."""

    #: Its graph as sorted N-Triples, zlib-compressed (for a store).
    triples: bool = False
    #: Its fragment of the canonical Turtle, packed (for a Turtle file).
    turtle: bool = False


#: Nothing besides the linked records.
PLAIN = Wanted()


@dataclass(frozen=True)
class ReportResult:
    """What one report's work gave: the linked report, or why it was skipped.

    Exactly one of ``report`` and ``error`` is set. ``triples`` and
    ``fragment`` are there when they were :class:`Wanted`; ``warnings`` are
    what was noticed about a report that was built: by the reader (a cut-off
    last character, UTF-16 without a byte-order mark, HTML in a ``.txt``
    file), by the linker (numbers whose place is unknown).
    """

    path: str
    report: Packed | None = None
    error: InputError | None = None
    triples: bytes | None = None
    fragment: bytes | None = None
    warnings: tuple[str, ...] = ()

    @property
    def sha256(self) -> str | None:
        """The SHA-256 of the report's bytes (None for a skipped file)."""
        return self.report.sha256 if self.report is not None else None


def one_line(exc: BaseException) -> str:
    """An exception as a short cause on one line: its class and message.

    >>> one_line(ValueError("bad\\n  value"))
    'ValueError: bad value'
    """
    text = " ".join(str(exc).split())
    cause = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return cause if len(cause) <= MAX_CAUSE else cause[: MAX_CAUSE - 1] + "…"


def linked(path: str | Path, data: bytes | None = None, given: Given = ()) -> LinkedReport:
    """Read (``data``: the file's bytes, read elsewhere), extract and link one report
    (``given``: what the user supplied about it, a manifest's row);
    raises :class:`InputError` for a file that is not a report."""
    document = (read_document(path, given) if data is None
                else document_from_bytes(data, path, given))
    # lazy: loads spaCy, which the parent of -j N (whose workers extract) never needs
    from kg.extract.pieces import extract_report

    return link(extract_report(document))


def process(path: str | Path, data: bytes | None = None,
            wanted: Wanted = PLAIN, given: Given = ()) -> ReportResult:
    """One report's work (see the module): never raises but for an interrupt."""
    name = str(path)
    try:
        report = linked(path, data, given)
        nt = frag = None
        if wanted.triples:
            # lazy: kg.store.store loads oxrdflib, which only a store needs
            from kg.store.store import report_ntriples

            nt = zlib.compress(report_ntriples(report), 1)
        if wanted.turtle:
            frag = pack(report_fragment(report))
    except InputError as exc:
        return ReportResult(name, error=exc)
    except Exception as exc:  # any failure inside one report costs that report only
        log.debug("%s: extraction failed", name, exc_info=True)
        problem = f"extraction failed ({one_line(exc)})"
        return ReportResult(name, error=ExtractionError(name, problem))
    return ReportResult(name, Packed(report), None, nt, frag,
                        report.document.warnings + report.warnings)


@contextlib.contextmanager
def pipeline_frozen() -> Iterator[None]:
    """The pipeline built and left out of the garbage collector's passes while
    reports are extracted in this process (as in a worker); afterwards the
    collector sees every object again."""
    # lazy: loads spaCy (see linked)
    from kg.extract.nlp import make_nlp

    make_nlp()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def process_all(files: Sequence[Path], wanted: Wanted = PLAIN,
                progress: Progress | None = None,
                given: Sequence[Given] | None = None) -> list[ReportResult]:
    """:func:`process` over ``files`` in this process, in order."""
    if not files:  # nothing to extract: no pipeline to build
        return []
    supplied = {p: g for p, g in zip(files, given or (), strict=False)}
    items: Iterable[Path] = progress(files, len(files)) if progress else files
    with pipeline_frozen():
        return [process(p, None, wanted, supplied.get(p, ())) for p in items]
