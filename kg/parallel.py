"""Per-report extraction over worker processes.

Extraction and linking of one report depend on that report alone, so they
run in workers; everything that looks across reports (the merge of document
identities, :func:`kg.rdfgraph.merge_citation_keys`, and the graph) stays in
the parent. Outcomes come back in input order whatever order the workers
finish in, so ``-j N`` gives the same output as ``-j 1``.

Workers are started with ``spawn`` (safe wherever the parent runs threads) and
each builds its spaCy pipeline once, in its initializer.

    >>> outcomes = extract_all([])
    >>> outcomes
    []
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path

from kg.errors import InputError
from kg.records import LinkedReport

#: What extracting one file gives: its linked report, or why it was skipped.
Outcome = LinkedReport | InputError
#: An outcome with, when asked for, the report's own triples as sorted N-Triples,
#: zlib-compressed (built where the report was extracted, before the
#: cross-report merge; compressed, they cost a tenth of the memory and transfer).
Extracted = tuple[Outcome, bytes | None]

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
    from kg.extract import extract
    from kg.ingest import read_document
    from kg.link import link

    try:
        return link(extract(read_document(path)))
    except InputError as exc:
        return exc


def to_wire(outcome: Outcome) -> LinkedReport | _WireError:
    """An outcome in a form that pickles (errors as plain tuples)."""
    if isinstance(outcome, InputError):
        return (type(outcome).__name__, outcome.path, outcome.problem)
    return outcome


def from_wire(item: LinkedReport | _WireError) -> Outcome:
    """The outcome :func:`to_wire` sent, with the error's own class again."""
    if isinstance(item, LinkedReport):
        return item
    from kg import errors

    name, path, problem = item
    cls = getattr(errors, name, InputError)
    if not (isinstance(cls, type) and issubclass(cls, InputError)):
        cls = InputError
    return cls(path, problem)


def with_triples(outcome: Outcome, triples: bool) -> Extracted:
    """``outcome``, with its report's N-Triples when ``triples``."""
    if triples and isinstance(outcome, LinkedReport):
        import zlib

        from kg.store import report_ntriples

        return outcome, zlib.compress(report_ntriples(outcome), 1)
    return outcome, None


def _work(path: str, triples: bool) -> tuple[LinkedReport | _WireError, bytes | None]:
    outcome, nt = with_triples(extract_one(path), triples)
    return to_wire(outcome), nt


def _init_worker() -> None:
    import logging

    from kg.nlp import make_nlp

    logging.getLogger("kg").setLevel(logging.ERROR)
    make_nlp()


def extract_all(files: Sequence[Path], jobs: int = 1, progress: Progress | None = None,
                triples: bool = False) -> list[Extracted]:
    """Extract every file, in ``jobs`` processes (this one when ``jobs <= 1``).

    Returns one outcome per file, in the order of ``files``, with the report's
    N-Triples when ``triples``.
    """
    if jobs <= 1 or len(files) <= 1:
        items: Iterable[Path] = progress(files, len(files)) if progress else files
        return [with_triples(extract_one(p), triples) for p in items]
    results: list[Extracted | None] = [None] * len(files)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=ctx,
                             initializer=_init_worker) as pool:
        futures: dict[Future[tuple[LinkedReport | _WireError, bytes | None]], int] = {
            pool.submit(_work, str(p), triples): i for i, p in enumerate(files)
        }

        def done() -> Iterator[Path]:
            for fut in as_completed(futures):
                i = futures[fut]
                wire, nt = fut.result()
                results[i] = (from_wire(wire), nt)
                yield files[i]

        for _ in progress(done(), len(files)) if progress else done():
            pass
    return [r for r in results if r is not None]
