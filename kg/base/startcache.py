"""The start-up cache: what a process compiles from the data files, pickled on disk.

One mechanism for every such cache (the pipeline's phrase matchers,
:mod:`kg.extract.nlp`; the ontology's concepts and canonical triples,
:mod:`kg.base.ontology`): a file ``NAME-KEY.pickle`` under
:func:`kg.base.regions.cache_dir` (``~/.cache/yibao-kg``, ``$YIBAO_KG_CACHE_DIR``),
where KEY hashes everything the content depends on (:func:`cache_key`: the data
files, the code that compiles them, the versions of Python and of the libraries).
A change to any input gives another key, so another file; an old file is never
read again. Files are written atomically (temp file + ``os.replace``,
:func:`kg.base.files.write_atomic`), so that two processes writing at once leave
one whole file; a file that is missing, broken or of another format reads as None
(the caller compiles anew and writes it again); a read-only cache is no error.

    >>> import tempfile
    >>> from pathlib import Path
    >>> file = Path(tempfile.mkdtemp()) / "demo-0123.pickle"
    >>> read_cached(file, 1) is None
    True
    >>> write_cached(file, 1, {"words": ["医保"]})
    >>> read_cached(file, 1), read_cached(file, 2)
    ({'format': 1, 'words': ['医保']}, None)
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from kg.base.files import write_atomic
from kg.base.regions import cache_dir

__all__ = ["cache_file", "cache_key", "read_cached", "write_cached"]


def cache_key(parts: Iterable[str], modules: Iterable[ModuleType] = ()) -> str:
    """A hash of ``parts`` (versions, digests of data…) and of the source of ``modules``
    (the code that compiles what is cached)."""
    digest = hashlib.sha256("\n".join(parts).encode())
    for module in modules:
        with contextlib.suppress(OSError, TypeError):
            digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


def cache_file(name: str, key: str) -> Path:
    """The cache file of ``name`` under ``key``."""
    return cache_dir() / f"{name}-{key}.pickle"


def read_cached(file: Path, fmt: int) -> dict[str, Any] | None:
    """The dictionary pickled in ``file``; None when the file is missing, unreadable or
    not of format ``fmt`` (the caller checks the rest of its shape)."""
    try:
        data = pickle.loads(file.read_bytes())
    except Exception:  # any broken cache is rebuilt
        return None
    if not isinstance(data, dict) or data.get("format") != fmt:
        return None
    return data


def write_cached(file: Path, fmt: int, data: dict[str, Any]) -> None:
    """Pickle ``data`` (with its format ``fmt``) to ``file``, atomically; an unwritable
    cache is no error (the next start compiles again)."""
    with contextlib.suppress(Exception):
        payload = pickle.dumps({"format": fmt, **data}, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(file, payload, durable=False)
