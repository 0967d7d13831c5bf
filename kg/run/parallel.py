"""Per-report extraction over worker processes.

Extraction and linking of one report depend on that report alone, so they
run in workers; everything that looks across reports (the merge of document
identities, :func:`kg.graph.rdfgraph.merge_citation_keys`, and the graph) stays in
the parent. Outcomes come back in input order whatever order the workers
finish in, so ``-j N`` gives the same output as ``-j 1``.

Workers are started with ``spawn`` (safe wherever the parent runs threads) and
each builds its spaCy pipeline once, in its initializer.

    >>> outcomes = extract_all([])
    >>> outcomes
    []
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import Any

from kg.base import errors
from kg.base.errors import InputError
from kg.base.records import LinkedReport
from kg.graph.turtle import pack, report_fragment
from kg.ingest.collect import read_document
from kg.link.link import link

#: What extracting one file gives: its linked report, or why it was skipped.
Outcome = LinkedReport | InputError


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


#: An outcome with, when asked for, the report's own triples as sorted
#: N-Triples, zlib-compressed (for a store), and its fragment of the canonical
#: Turtle (:mod:`kg.graph.turtle`, packed), both built where the report was extracted,
#: before the cross-report merge.
Extracted = tuple[Packed | InputError, bytes | None, bytes | None]

#: A progress wrapper: ``progress(items, total)`` yields ``items`` as they are done.
Progress = Callable[[Iterable[Path], int], Iterable[Path]]

#: An error sent back from a worker: (class name, path, problem). Our errors
#: take two arguments and do not pickle by themselves.
_WireError = tuple[str, str, str]


def default_jobs() -> int:
    """The number of worker processes ``-j 0`` means: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def extract_one(path: str | Path) -> Outcome:
    """Read, extract and link one report; an :class:`InputError` is returned, not raised."""
    # lazy: loads spaCy, which the parent of -j N (whose workers extract) never needs
    from kg.extract.extract import extract

    try:
        return link(extract(read_document(path)))
    except InputError as exc:
        return exc


def to_wire(outcome: Packed | InputError) -> Packed | _WireError:
    """An outcome in a form that pickles (errors as plain tuples)."""
    if isinstance(outcome, InputError):
        return (type(outcome).__name__, outcome.path, outcome.problem)
    return outcome


def from_wire(item: Packed | _WireError) -> Packed | InputError:
    """The outcome :func:`to_wire` sent, with the error's own class again."""
    if isinstance(item, Packed):
        return item
    name, path, problem = item
    cls = getattr(errors, name, InputError)
    if not (isinstance(cls, type) and issubclass(cls, InputError)):
        cls = InputError
    return cls(path, problem)


def with_artefacts(outcome: Outcome, triples: bool = False, turtle: bool = False) -> Extracted:
    """``outcome`` packed, with its report's N-Triples when ``triples`` and its
    Turtle fragment when ``turtle``."""
    if isinstance(outcome, InputError):
        return outcome, None, None
    nt = frag = None
    if triples:
        # lazy: kg.store.store loads oxrdflib, which only a store needs
        from kg.store.store import report_ntriples

        nt = zlib.compress(report_ntriples(outcome), 1)
    if turtle:
        frag = pack(report_fragment(outcome))
    return Packed(outcome), nt, frag


def _work(path: str, triples: bool, turtle: bool
          ) -> tuple[Packed | _WireError, bytes | None, bytes | None]:
    outcome, nt, frag = with_artefacts(extract_one(path), triples, turtle)
    return to_wire(outcome), nt, frag


def _init_worker() -> None:
    # lazy: loads spaCy (see extract_one)
    from kg.extract.nlp import make_nlp

    logging.getLogger("kg").setLevel(logging.ERROR)
    make_nlp()
    # the pipeline lives as long as the worker: the garbage collector's full
    # passes need not walk its lexicons again and again (5 % of extraction)
    gc.freeze()


@contextlib.contextmanager
def _pipeline_frozen() -> Iterator[None]:
    """The pipeline built and left out of the garbage collector's passes while
    reports are extracted in this process (as in a worker); afterwards the
    collector sees every object again."""
    # lazy: loads spaCy (see extract_one)
    from kg.extract.nlp import make_nlp

    make_nlp()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def extract_all(files: Sequence[Path], jobs: int = 1, progress: Progress | None = None,
                triples: bool = False, turtle: bool = False,
                meanwhile: Callable[[], object] | None = None) -> list[Extracted]:
    """Extract every file, in ``jobs`` processes (this one when ``jobs <= 1``).

    Returns one outcome per file, in the order of ``files``, with the report's
    N-Triples when ``triples`` and its Turtle fragment when ``turtle``.
    ``meanwhile`` is work of this process for after the extraction (warming a
    cache): with workers it runs while they start and extract, off the build's
    serial path.
    """
    if not files:  # nothing to extract (an incremental build with every report cached)
        return []
    if jobs <= 1 or len(files) <= 1:
        items: Iterable[Path] = progress(files, len(files)) if progress else files
        with _pipeline_frozen():
            return [with_artefacts(extract_one(p), triples, turtle) for p in items]
    results: list[Extracted | None] = [None] * len(files)
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=ctx,
                               initializer=_init_worker)
    try:
        futures: dict[Future[tuple[Packed | _WireError, bytes | None, bytes | None]], int] = {
            pool.submit(_work, str(p), triples, turtle): i for i, p in enumerate(files)
        }
        if meanwhile is not None:
            meanwhile()

        def done() -> Iterator[Path]:
            for fut in as_completed(futures):
                i = futures[fut]
                wire, nt, frag = fut.result()
                results[i] = (from_wire(wire), nt, frag)
                yield files[i]

        for _ in progress(done(), len(files)) if progress else done():
            pass
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    # every report is back: the workers wind down while this process goes on
    pool.shutdown(wait=False)
    return [r for r in results if r is not None]
