"""Per-report extraction on a Dask distributed cluster.

The parent reads each file's bytes and sends them with the file's path to the
cluster's workers (no shared file system needed); each worker runs the one
per-report unit of work, :func:`kg.run.work.process`, with its own pipeline
(built once per worker process, on its first report) and sends the
:class:`~kg.run.work.ReportResult` back. The cross-report merge and
the graph stay in the parent, exactly as in a local build, so the output is
the same.

Workers need Yibao KG installed (``pip install 'yibao-kg[scale]'``). Start a
cluster with ``dask scheduler`` and ``dask worker ADDRESS --nthreads 1`` on
each machine (one thread per worker process: the pipeline is CPU-bound), then
``kg build --scheduler tcp://HOST:8786 ...``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kg.base.errors import ExtractionError, KgError
from kg.base.records import Given
from kg.ingest.collect import MAX_BYTES
from kg.run.work import PLAIN, Progress, ReportResult, Wanted, one_line, process


class SchedulerError(KgError):
    """The Dask scheduler cannot be reached or the cluster failed."""

    exit_code = 2


def _read(path: Path) -> bytes | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def process_on_cluster(files: Sequence[Path], address: str, wanted: Wanted = PLAIN,
                       progress: Progress | None = None,
                       given: Sequence[Given] | None = None) -> list[ReportResult]:
    """:func:`~kg.run.work.process` over ``files`` on the cluster whose scheduler is
    at ``address``; results in the order of ``files`` (as
    :func:`kg.run.parallel.process_in_workers`). A task the cluster loses (its
    worker died again and again) is that report's error, not the build's."""
    try:  # lazy: dask is optional (the scale extra)
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SchedulerError("--scheduler needs dask: pip install 'yibao-kg[scale]'") from exc

    results: list[ReportResult | None] = [None] * len(files)
    try:
        # how long to try: dask's setting distributed.comm.timeouts.connect (30s by default)
        client = Client(address)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({exc})") from exc
    with client:
        futures: dict[Any, int] = {}
        for i, path in enumerate(files):
            data = _read(path)
            if data is None:  # let the local reader give the precise error
                results[i] = process(path, None, wanted, given[i] if given else ())
                continue
            fut = client.submit(process, str(path), data, wanted, given[i] if given else (),
                                pure=False)
            futures[fut] = i

        def done() -> Iterator[Path]:
            for i, result in enumerate(results):
                if result is not None:
                    yield files[i]
            for fut in as_completed(list(futures)):  # type: ignore[no-untyped-call]
                i = futures[fut]
                try:
                    results[i] = fut.result()
                except (OSError, TimeoutError) as exc:  # the scheduler is gone
                    raise SchedulerError(f"{files[i]}: lost the Dask cluster "
                                         f"({one_line(exc)})") from exc
                except Exception as exc:  # the task failed or its workers died
                    results[i] = ReportResult(str(files[i]), error=ExtractionError(
                        files[i], f"failed on the cluster ({one_line(exc)})"))
                yield files[i]

        for _ in progress(done(), len(files)) if progress else done():
            pass
    return [r for r in results if r is not None]
