"""``-j N``: the per-report work (:func:`kg.run.work.process`) in worker processes.

Extraction and linking of one report depend on that report alone, so they
run in workers; everything that looks across reports (the merge of document
identities, the graph) stays in the parent (:mod:`kg.run.build`). Results come
back in input order whatever order the workers finish in, so ``-j N`` gives
the same output as ``-j 1``.

Workers are started with ``spawn`` (safe wherever the parent runs threads) and
each builds its spaCy pipeline once, in its initializer. A few more reports
than workers are in flight at a time. A worker that dies (killed for memory,
a crash in a library) takes down the pool: the reports it was working on are
given again to a new pool, and one that a pool dies on twice is run alone;
the report that kills even a pool of its own is skipped with one line, and
the others are built.

    >>> process_in_workers([], jobs=2)
    []
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from kg.base.errors import ExtractionError
from kg.base.records import Given
from kg.run.work import PLAIN, Progress, ReportResult, Wanted, process, process_all

#: Reports in flight per worker (queued in the pool or being extracted).
IN_FLIGHT_PER_WORKER = 2
#: Why a report that kills even a pool of its own is skipped.
WORKER_DIED = "the worker process extracting it died (out of memory?)"


def default_jobs() -> int:
    """The number of worker processes ``-j 0`` means: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _init_worker() -> None:
    # lazy: loads spaCy, which the parent (whose workers extract) never needs
    from kg.extract.nlp import make_nlp

    logging.getLogger("kg").setLevel(logging.ERROR)
    make_nlp()
    # the pipeline lives as long as the worker: the garbage collector's full
    # passes need not walk its lexicons again and again (5 % of extraction)
    gc.freeze()


class _PoolDied(Exception):
    """A worker died; ``in_flight`` are the reports the pool held then."""

    def __init__(self, in_flight: list[int]) -> None:
        super().__init__(in_flight)
        self.in_flight = in_flight


def _run_pool(files: Sequence[Path], todo: list[int], workers: int, wanted: Wanted,
              results: list[ReportResult | None],
              meanwhile: Callable[[], object] | None = None,
              given: Sequence[Given] | None = None) -> Iterator[int]:
    """Process ``todo`` (indices of ``files``) in a new pool of ``workers``; yields
    each index as its result is stored; ``meanwhile`` runs once the first reports
    are submitted. Raises :class:`_PoolDied` if a worker dies."""
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker)
    queue = list(reversed(todo))
    running: dict[Future[ReportResult], int] = {}
    try:
        while queue or running:
            while queue and len(running) < workers * IN_FLIGHT_PER_WORKER:
                i = queue.pop()
                running[pool.submit(process, str(files[i]), None, wanted,
                                    given[i] if given else ())] = i
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                i = running.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    raise _PoolDied(sorted([i, *running.values()])) from None
                results[i] = result
                yield i
    except BaseException:
        # an interrupt or a dead worker: what is queued is dropped, and this process
        # goes on at once (the workers end after their current report)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    # every report is back: the workers wind down while this process goes on
    pool.shutdown(wait=False)


def process_in_workers(files: Sequence[Path], jobs: int = 2, wanted: Wanted = PLAIN,
                       progress: Progress | None = None,
                       meanwhile: Callable[[], object] | None = None,
                       given: Sequence[Given] | None = None) -> list[ReportResult]:
    """:func:`~kg.run.work.process` over ``files`` in ``jobs`` worker processes (in
    this one when ``jobs <= 1`` or there is one file); results in the order of ``files``.
    ``given`` is what the user supplied about each file (in the order of ``files``).

    ``meanwhile`` is work of this process for after the extraction (warming a
    cache): with workers it runs while they start and extract, off the build's
    serial path.
    """
    if not files:  # nothing to extract (an incremental build with every report cached)
        return []
    if jobs <= 1 or len(files) <= 1:
        done = process_all(files, wanted, progress, given)
        if meanwhile is not None:
            meanwhile()
        return done
    results: list[ReportResult | None] = [None] * len(files)
    strikes: Counter[int] = Counter()

    def rounds() -> Iterator[Path]:
        warm = meanwhile
        while True:
            todo = [i for i, r in enumerate(results) if r is None]
            if not todo:
                return
            # a report a pool died on twice goes alone, in a pool of its own
            alone = [i for i in todo if strikes[i] >= 2]
            batch, workers = ([alone[0]], 1) if alone else (todo, min(jobs, len(todo)))
            try:
                for i in _run_pool(files, batch, workers, wanted, results, warm, given):
                    warm = None
                    yield files[i]
            except _PoolDied as died:
                warm = None
                if alone:
                    i = alone[0]
                    results[i] = ReportResult(str(files[i]),
                                              error=ExtractionError(files[i], WORKER_DIED))
                    yield files[i]
                    continue
                strikes.update(died.in_flight)

    for _ in progress(rounds(), len(files)) if progress else rounds():
        pass
    return [r for r in results if r is not None]
