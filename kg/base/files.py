"""Atomic file writes: readers see the old file or the whole new one, never a part.

Every file the project writes goes through here: graphs (:mod:`kg.graph.serialize`,
:mod:`kg.graph.turtle`), exports, the store's manifest, caches (the jieba dictionary
of :mod:`kg.extract.nlp`, the incremental build's reports) and the bench corpus.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kg.base.errors import OutputError


@contextmanager
def atomic_stream(path: str | Path, *, durable: bool = True) -> Iterator[IO[bytes]]:
    """A binary stream that replaces ``path`` when the ``with`` block ends without
    an exception (readers see the old file or the whole new one); on an exception
    the old file stays and nothing is left behind.

    With ``durable`` (the default) the data is on disk before the file is
    replaced; without, a crash may leave the file empty or short (for caches,
    whose readers check what they read)."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from exc
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            yield fh
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one
    (see :func:`atomic_stream`)."""
    with atomic_stream(path, durable=durable) as fh:
        fh.write(data)
