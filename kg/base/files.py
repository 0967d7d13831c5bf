"""Atomic file writes: readers see the old file or the whole new one, never a part.

Every file the project writes goes through here: graphs (:mod:`kg.graph.serialize`,
:mod:`kg.graph.turtle`), exports, the store's manifest, caches (the jieba dictionary
of :mod:`kg.extract.nlp`, the incremental build's reports) and the bench corpus.

The new content goes to a hidden temporary file beside the target,
``.NAME.PID.XXXXXXXX.tmp`` (PID: the writing process), which replaces the
target when it is complete. The file gets the mode of the file it replaces, or
for a new file the mode the umask gives (as ``open`` would). A write that was
killed (``kill -9``, a power cut) leaves its temporary file behind; the next
write to the same path removes every such file whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kg.base.errors import OutputError

#: A temporary file of a write of another version, without the writer's PID, is
#: taken as abandoned when it is this old (seconds).
LEGACY_STALE_AFTER = 3600


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells it."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere: set and restore (not thread-safe, briefly)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """The mode a new version of ``path`` gets: the old file's, else 0666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_temporaries(path: str | Path) -> int:
    """Remove the temporary files that killed writes to ``path`` left behind (their
    process is gone); returns how many were removed."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    shape = re.compile(re.escape(f".{path.name}.") + r"(?:(\d+)\.)?[A-Za-z0-9_]{8}\.tmp")
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        m = shape.fullmatch(entry.name)
        if m is None:
            continue
        with contextlib.suppress(OSError):
            if m.group(1) is not None:
                stale = int(m.group(1)) != os.getpid() and not _alive(int(m.group(1)))
            else:
                stale = time.time() - entry.stat().st_mtime > LEGACY_STALE_AFTER
            if stale:
                os.unlink(entry.path)
                removed += 1
    return removed


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
        remove_stale_temporaries(path)
        mode = _mode_for(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from exc
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            os.fchmod(fh.fileno(), mode)
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
