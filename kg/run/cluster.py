"""Per-report extraction on a Dask distributed cluster.

The parent reads each file's bytes and sends them with the file's path to the
cluster's workers (no shared file system needed); each worker extracts and
links the report with its own pipeline (built once per worker process, on its
first report) and sends the linked records back. The cross-report merge and
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

from kg.base.errors import InputError, KgError
from kg.ingest.collect import MAX_BYTES, document_from_bytes
from kg.link.link import link
from kg.run.parallel import (
    Extracted,
    Outcome,
    Progress,
    extract_one,
    from_wire,
    to_wire,
    with_artefacts,
)


class SchedulerError(KgError):
    """The Dask scheduler cannot be reached or the cluster failed."""

    exit_code = 2


def _remote(path: str, data: bytes, triples: bool, turtle: bool = False) -> Any:
    """Run on a worker: bytes → document → linked report (errors as tuples)."""
    # lazy: loads spaCy, which the parent (whose workers extract) never needs
    from kg.extract.extract import extract

    outcome: Outcome
    try:
        outcome = link(extract(document_from_bytes(data, path)))
    except InputError as exc:
        outcome = exc
    done, nt, frag = with_artefacts(outcome, triples, turtle)
    return to_wire(done), nt, frag


def _read(path: Path) -> bytes | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def extract_on_cluster(files: Sequence[Path], address: str, progress: Progress | None = None,
                       triples: bool = False, turtle: bool = False) -> list[Extracted]:
    """Extract every file on the cluster whose scheduler is at ``address``.

    Returns one outcome per file, in the order of ``files`` (as
    :func:`kg.run.parallel.extract_all`).
    """
    try:  # lazy: dask is optional (the scale extra)
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SchedulerError("--scheduler needs dask: pip install 'yibao-kg[scale]'") from exc

    results: list[Extracted | None] = [None] * len(files)
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
                results[i] = with_artefacts(extract_one(path), triples, turtle)
                continue
            fut = client.submit(_remote, str(path), data, triples, turtle, pure=False)
            futures[fut] = i

        def done() -> Iterator[Path]:
            for i, outcome in enumerate(results):
                if outcome is not None:
                    yield files[i]
            for fut in as_completed(list(futures)):  # type: ignore[no-untyped-call]
                i = futures[fut]
                try:
                    wire, nt, frag = fut.result()
                    results[i] = (from_wire(wire), nt, frag)
                except Exception as exc:  # a worker died or the task failed
                    raise SchedulerError(f"{files[i]}: extraction failed on the cluster "
                                         f"({type(exc).__name__}: {exc})") from exc
                yield files[i]

        for _ in progress(done(), len(files)) if progress else done():
            pass
    return [r for r in results if r is not None]
