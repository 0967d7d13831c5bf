"""Finding report files and reading each one: ``Path → Document``.

:func:`collect` expands the files and folders given into the report files to
read; :func:`read_document` (or :func:`document_from_bytes`, for bytes read
elsewhere) makes one :class:`~kg.base.records.Document` of each: bytes to text
(:mod:`kg.ingest.decode`), an HTML page to its text (:mod:`kg.ingest.html`),
then the text's header fields, page chrome and title
(:mod:`kg.ingest.layout`).

Limits
    :data:`MAX_BYTES` (8 MiB) per file, checked before the file is read;
    :data:`~kg.ingest.decode.MIN_HAN_CHARS` Chinese characters of body text;
    titles are at most :data:`~kg.ingest.layout.MAX_TITLE_CHARS` characters long.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from kg.base.errors import (
    FileTooLargeError,
    InputError,
    MissingPathError,
    NoContentError,
    NoReportsError,
    UnsupportedFileError,
)
from kg.base.filetypes import REPORT_SUFFIXES
from kg.base.records import Document, Given
from kg.ingest.decode import decode
from kg.ingest.html import _looks_like_html, html_to_text
from kg.ingest.layout import _analyse, _check_content

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "collect",
    "document_from_bytes",
    "read_document",
]

SUPPORTED_SUFFIXES: Final = REPORT_SUFFIXES
"""File extensions read as reports (compared case-insensitively)."""

MAX_BYTES: int = 8 * 1024 * 1024
"""Largest report file read, in bytes; a larger file is a FileTooLargeError."""

_MEDIA_TYPES: Final = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}

# ---------------------------------------------------------------------------
# Finding report files
# ---------------------------------------------------------------------------


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _supported_list() -> str:
    return ", ".join(SUPPORTED_SUFFIXES)


def collect(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Expand files and folders into the list of report files to read.

    Folders are searched recursively in a deterministic (sorted) order; hidden
    files and folders (name starting with ``.``) and files with other
    extensions inside them are skipped, and symbolic links to folders are not
    followed. A file named explicitly must have a supported extension. The same
    file (same resolved path) is listed once, where it first appears.

    Problems do not stop the search: they are returned as the second list
    (:class:`MissingPathError`, :class:`NoReportsError` for a folder without
    reports or an empty input, :class:`UnsupportedFileError`, or a plain
    :class:`InputError` for an unreadable folder).
    """
    files: list[Path] = []
    errors: list[InputError] = []
    seen: set[Path] = set()
    given = False

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for raw in paths:
        given = True
        p = Path(raw)
        try:
            st = p.stat()
        except (FileNotFoundError, NotADirectoryError):
            errors.append(MissingPathError(raw, "no such file or folder"))
            continue
        except OSError as exc:
            errors.append(InputError(raw, f"cannot access: {exc.strerror or exc}"))
            continue
        if stat.S_ISDIR(st.st_mode):
            found, others, walk_errors = _walk(p)
            errors.extend(walk_errors)
            if not found and not walk_errors:
                extra = f"; {others} other file(s) skipped" if others else ""
                problem = f"folder holds no report files ({_supported_list()}){extra}"
                errors.append(NoReportsError(raw, problem))
            for f in found:
                add(f)
        elif _suffix(p) not in SUPPORTED_SUFFIXES:
            errors.append(UnsupportedFileError(raw, _unsupported_problem(p)))
        elif not stat.S_ISREG(st.st_mode):
            errors.append(UnsupportedFileError(raw, "not a regular file"))
        else:
            add(p)
    if not given:
        errors.append(NoReportsError("(input)", "no files or folders given"))
    return files, errors


def _unsupported_problem(p: Path) -> str:
    shown = p.suffix or "no extension"
    return f"unsupported file type ({shown}); supported: {_supported_list()}"


def _walk(root: Path) -> tuple[list[Path], int, list[InputError]]:
    """Report files under ``root`` (sorted), the count of other files, walk errors."""
    found: list[Path] = []
    others = 0
    errors: list[InputError] = []

    def on_error(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else root
        errors.append(InputError(where, f"cannot read folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            f = Path(dirpath) / name
            if _suffix(f) in SUPPORTED_SUFFIXES and f.is_file():
                found.append(f)
            else:
                others += 1
    found.sort(key=lambda f: f.relative_to(root).parts)
    return found, others, errors


# ---------------------------------------------------------------------------
# Reading one report
# ---------------------------------------------------------------------------


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / (1024 * 1024):.1f} MiB"


def read_document(path: str | Path, given: Given = ()) -> Document:
    """Read one report file into a :class:`~kg.base.records.Document`.

    Raises an :class:`~kg.base.errors.InputError` subclass whose message is one line
    naming the file: :class:`MissingPathError`, :class:`UnsupportedFileError`
    (extension, folder, not a regular file), :class:`FileTooLargeError`
    (over :data:`MAX_BYTES`, detected before reading), :class:`EmptyFileError`,
    :class:`BinaryFileError`, :class:`DecodeError`, :class:`NoContentError`, or
    a plain :class:`InputError` when the operating system refuses the read.
    ``given`` is what the user supplied about the report (a manifest's row,
    ``--region``): :attr:`~kg.base.records.Document.given`.
    """
    p = Path(path)
    try:
        st = p.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise MissingPathError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise UnsupportedFileError(path, "is a folder, not a report file")
    if _suffix(p) not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileError(path, _unsupported_problem(p))
    if not stat.S_ISREG(st.st_mode):
        raise UnsupportedFileError(path, "not a regular file")
    limit = MAX_BYTES
    if st.st_size > limit:
        raise FileTooLargeError(path, _too_large(st.st_size, limit))
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    return document_from_bytes(data, path, given)


def _too_large(size: int, limit: int) -> str:
    """
    >>> _too_large(8 * 1024 * 1024 + 1, 8 * 1024 * 1024)
    'file is 8,388,609 bytes, over the limit of 8 MiB (8,388,608 bytes) for one report'
    """
    return (f"file is {size:,} bytes, over the limit of {_size(limit).replace('.0 ', ' ')} "
            f"({limit:,} bytes) for one report")


def document_from_bytes(data: bytes, path: str | Path, given: Given = ()) -> Document:
    """Build the :class:`~kg.base.records.Document` of a report whose bytes are ``data``.

    ``path`` names the report (its extension selects plain text, Markdown or
    HTML); the file itself is not touched. Raises like :func:`read_document`.
    """
    p = Path(path)
    suffix = _suffix(p)
    if suffix not in _MEDIA_TYPES:
        raise UnsupportedFileError(path, _unsupported_problem(p))
    if len(data) > MAX_BYTES:
        raise FileTooLargeError(path, _too_large(len(data), MAX_BYTES))
    text, encoding, decode_warnings = decode(data, path)
    warnings = list(decode_warnings)
    media_type = _MEDIA_TYPES[suffix]
    hints: tuple[str, ...] = ()
    if media_type != "text/html" and _looks_like_html(text):
        warnings.append(f"the {suffix} file holds an HTML page; read it as HTML")
        media_type = "text/html"
    if media_type == "text/html":
        page = html_to_text(text)
        if page.links_only:
            raise NoContentError(path, "the page holds only navigation and links, no report text")
        text = page.text
        hints = page.title_hints
    layout = _analyse(text, markdown=media_type == "text/markdown", hints=hints)
    _check_content(text, layout.skip, path)
    return Document(
        source_file=p.name,
        path=str(path),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        media_type=media_type,
        title=layout.title,
        title_span=layout.title_span,
        header=layout.header,
        skip=layout.skip,
        warnings=tuple(warnings),
        lines=layout.lines,
        headings=layout.headings,
        signature=layout.signature,
        given=given,
    )
