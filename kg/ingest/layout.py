"""Reading reports: ``Path → Document``.

This is the pipeline's first stage. It finds the report files among the paths
it is given (:func:`collect`), reads each one (:func:`read_document`) and hands
on a :class:`~kg.base.records.Document` whose ``text`` every later offset points
into.

Bytes to text (:func:`decode`)
    UTF-8 first, strictly; UTF-8 with a byte-order mark (stripped, encoding
    ``utf-8-sig``); a file whose only defect is a character cut off at the very
    end (an interrupted download) loses the incomplete bytes, with a warning.
    Otherwise GB18030 (which covers GBK and GB2312) when the bytes decode
    cleanly as GB18030 and charset-normalizer or the text itself says Chinese,
    and UTF-16 with a byte-order mark. Anything else is a :class:`DecodeError`;
    NUL bytes or the magic number of an image, PDF or archive is a
    :class:`BinaryFileError`; no text at all is an :class:`EmptyFileError`.
    The decoded string is never normalised: no newline translation, no NFKC,
    no strip.

HTML to text
    ``.html``/``.htm`` files (and a ``.txt``/``.md`` that holds a whole HTML
    page) are parsed with selectolax (lexbor). Scripts, styles, hidden elements
    and obvious page chrome (``<nav>``, page-level ``<header>``/``<footer>``,
    elements whose class or id says nav/menu/breadcrumb/footer/share) are
    dropped; block elements become line breaks and table cells are separated by
    a tab. The resulting text *is* the document's text.

Header and page chrome
    Lines such as ``来源：… 发布时间：… 浏览次数：`` become
    :class:`~kg.base.records.HeaderField` records; they, breadcrumbs, print/share
    widgets and footer lines are listed in ``Document.skip``. The words live in
    the lexicon file ``ontology/lexicon/page_chrome.tsv``; the domain words that
    tell a report from an unrelated page live in ``domain_terms.tsv``.

Title
    The first line before the body that reads like a title (short, no 。, not
    a date, a subheading or a table-of-contents entry); for HTML, preferably the
    line that matches ``<title>``/``<h1>``. A title split over two lines
    (南昌市医疗保障事业发展 / “十四五”规划) is joined: ``title`` is then the
    joined string and ``title_span`` covers both lines (with the line break).

Limits
    :data:`MAX_BYTES` (8 MiB) per file, checked before the file is read;
    :data:`MIN_HAN_CHARS` Chinese characters of body text;
    titles are at most :data:`MAX_TITLE_CHARS` characters long.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from charset_normalizer import from_bytes

from kg.base.errors import (
    BinaryFileError,
    DecodeError,
    EmptyFileError,
    FileTooLargeError,
    InputError,
    MissingPathError,
    NoContentError,
    NoReportsError,
    OntologyError,
    UnsupportedFileError,
)
from kg.base.records import Document, HeaderField, Span
from kg.base.resources import lexicon_rows

try:
    from selectolax.lexbor import LexborHTMLParser as _HTMLParser
except ImportError:  # pragma: no cover - an old selectolax without the lexbor backend
    from selectolax.parser import (  # type: ignore[attr-defined, no-redef, assignment, unused-ignore]
        HTMLParser as _HTMLParser,
    )

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

__all__ = [
    "MAX_BYTES",
    "MAX_TITLE_CHARS",
    "MIN_HAN_CHARS",
    "SUPPORTED_SUFFIXES",
    "collect",
    "decode",
    "document_from_bytes",
    "html_to_text",
    "read_document",
]

SUPPORTED_SUFFIXES: Final = (".txt", ".md", ".markdown", ".html", ".htm")
"""File extensions read as reports (compared case-insensitively)."""

MAX_BYTES: int = 8 * 1024 * 1024
"""Largest report file read, in bytes; a larger file is a FileTooLargeError."""

MIN_HAN_CHARS: Final = 30
"""Fewest Chinese characters a report's body (outside skipped lines) must hold."""

MAX_TITLE_CHARS: Final = 80
"""Longest line taken as a report's title."""

SNIFF_BYTES: Final = 8192
"""How many leading bytes binary detection looks at for control bytes."""

MAX_HEADER_VALUE_CHARS: Final = 80
"""Longest value of a header field (来源：…); a longer one means the line is prose."""

MAX_CHROME_LINE_CHARS: Final = 200
"""Longest line that can be page chrome."""

_MEDIA_TYPES: Final = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}

_CHROME_FILE: Final = "page_chrome.tsv"
_DOMAIN_FILE: Final = "domain_terms.tsv"
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WHERE_VALUES: Final = frozenset({"any", "edge", "head", "tail"})
_HEADER_KEYS: Final = _words(
    "source published author editor reviewer views doc_number issuer written_date "
    "index_no font other"
)

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


def read_document(path: str | Path) -> Document:
    """Read one report file into a :class:`~kg.base.records.Document`.

    Raises an :class:`~kg.base.errors.InputError` subclass whose message is one line
    naming the file: :class:`MissingPathError`, :class:`UnsupportedFileError`
    (extension, folder, not a regular file), :class:`FileTooLargeError`
    (over :data:`MAX_BYTES`, detected before reading), :class:`EmptyFileError`,
    :class:`BinaryFileError`, :class:`DecodeError`, :class:`NoContentError`, or
    a plain :class:`InputError` when the operating system refuses the read.
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
    return document_from_bytes(data, path)


def _too_large(size: int, limit: int) -> str:
    return f"file is {_size(size)}, over the {_size(limit)} limit for one report"


def document_from_bytes(data: bytes, path: str | Path) -> Document:
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
    )


# ---------------------------------------------------------------------------
# Bytes to text
# ---------------------------------------------------------------------------

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_UTF32_BOMS: Final = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")

_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Office document (.docx/.xlsx/.ofd)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office or WPS document (.doc/.xls/.wps)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
)

# Bytes that never occur in UTF-8 or GB18030 text (C0 controls except tab, line
# breaks, form feed, ESC and the DOS end-of-file mark).
_CONTROL_BYTES: Final = frozenset([*range(0x01, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20)])

_GB_NAMES: Final = frozenset(
    {"gb18030", "gbk", "gb2312", "cp936", "x-gbk", "euc-cn", "euc_cn", "gb_2312-80", "ms936"}
)
# Encodings charset-normalizer reports for Chinese, Japanese and Korean text
# that GB18030 would also decode (into the wrong characters).
_CJK_RIVALS: Final = _words(
    "big5 big5hkscs cp950 cp932 shift_jis shift_jis_2004 shift_jisx0213 euc_jp "
    "euc_jis_2004 euc_jisx0213 cp949 euc_kr johab"
)
_RIVAL_MIN_BYTES: Final = 200
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_\-]+)""",
    re.IGNORECASE,
)


#: A UTF-8 text cut off mid-character is believed only when this many characters precede
#: the cut; shorter, GB18030 bytes can look the same (a few characters are ambiguous).
_MIN_CUT_TEXT = 16


def decode(data: bytes, path: str | Path) -> tuple[str, str, tuple[str, ...]]:
    """Decode a report's bytes: ``(text, encoding name, warnings)``.

    Encoding names: ``utf-8``, ``utf-8-sig``, ``gb18030``, ``utf-16-le``,
    ``utf-16-be``. Raises :class:`EmptyFileError` (no bytes, or only
    whitespace), :class:`BinaryFileError` (NUL bytes that are not UTF-16 text,
    control bytes, or the magic number of an image, PDF, archive...) and
    :class:`DecodeError` (not UTF-8, GB18030/GBK or UTF-16 text); ``path`` only
    names the file in those errors. The text is returned exactly as decoded.
    """
    if not data:
        raise EmptyFileError(path, "file is empty (0 bytes)")
    kind = _magic(data)
    if kind is not None:
        raise BinaryFileError(path, f"binary file ({kind}), not a text report")
    warnings: list[str] = []
    if data.startswith(_UTF8_BOM):
        text, dropped = _tolerant_or_error(data[3:], "utf-8", path, offset=3)
        encoding = "utf-8-sig"
    elif data.startswith(_UTF32_BOMS):
        raise DecodeError(path, "UTF-32 text is not supported; save the file as UTF-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        text, dropped = _tolerant_or_error(data[2:], encoding, path, offset=2)
    else:
        utf16 = _bomless_utf16(data) if b"\x00" in data else None
        if utf16 is not None:
            text, encoding, dropped = utf16
            warnings.append(f"UTF-16 text without a byte-order mark; read as {encoding}")
        else:
            data = _strip_nul_padding(data, path, warnings)
            _check_control_bytes(data, path)
            try:
                text, dropped = _decode_tolerant(data, "utf-8")
                encoding = "utf-8"
                if dropped and not (len(text) >= _MIN_CUT_TEXT and not text.isascii()
                                    and _plausible_chinese(text)):
                    # No (or too little) Chinese UTF-8 before the cut: short GBK text can
                    # look like UTF-8 with a cut-off last character.
                    gb = _gb18030_or_none(data)
                    if gb is not None:
                        text, encoding, dropped = gb, "gb18030", 0
            except UnicodeDecodeError as exc:
                text, encoding, dropped = _decode_legacy(data, path, exc)
    if dropped:
        warnings.append(
            f"file ends in the middle of a character (a cut-off download?): "
            f"dropped the last {dropped} byte(s)"
        )
    if "\x00" in text:
        raise BinaryFileError(path, "binary file (decoded text holds NUL characters)")
    if _is_blank(text):
        raise EmptyFileError(path, "file holds only whitespace")
    return text, encoding, tuple(warnings)


def _magic(data: bytes) -> str | None:
    for prefix, kind in _MAGIC:
        if data.startswith(prefix):
            return kind
    if data.startswith(b"BZh") and data[3:4].isdigit() and data[4:10] == b"1AY&SY":
        return "a bzip2 archive"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "a RIFF media file (WebP/WAV/AVI)"
    if data[4:8] == b"ftyp":
        return "an MP4/MOV/HEIC media file"
    return None


def _decode_tolerant(data: bytes, codec: str) -> tuple[str, int]:
    """Decode strictly, except that an incomplete character at the very end is dropped.

    Returns the text and how many trailing bytes were dropped; raises
    UnicodeDecodeError for any other defect.
    """
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    text = decoder.decode(data, final=False)
    pending = decoder.getstate()[0]
    return text, len(pending)


def _tolerant_or_error(data: bytes, codec: str, path: str | Path, offset: int) -> tuple[str, int]:
    try:
        return _decode_tolerant(data, codec)
    except UnicodeDecodeError as exc:
        name = codec.upper().replace("-LE", "").replace("-BE", "")
        raise DecodeError(
            path, f"not valid {name}: bad byte(s) at offset {exc.start + offset}"
        ) from None


def _strip_nul_padding(data: bytes, path: str | Path, warnings: list[str]) -> bytes:
    """Data without trailing NUL padding (an interrupted download); NULs elsewhere are binary."""
    first_nul = data.find(b"\x00")
    if first_nul < 0:
        return data
    stripped = data.rstrip(b"\x00")
    if stripped and b"\x00" not in stripped:
        padding = len(data) - len(stripped)
        warnings.append(
            f"file ends with {padding} NUL byte(s) (an incomplete download?); ignored them"
        )
        return stripped
    raise BinaryFileError(path, f"binary file (NUL byte at offset {first_nul}), not a text report")


def _check_control_bytes(data: bytes, path: str | Path) -> None:
    sniff = data[:SNIFF_BYTES]
    controls = sum(1 for b in sniff if b in _CONTROL_BYTES)
    if controls >= 4 and controls * 50 > len(sniff):
        raise BinaryFileError(
            path,
            f"binary file ({controls} control bytes in the first {len(sniff)} bytes), "
            "not a text report",
        )


def _bomless_utf16(data: bytes) -> tuple[str, str, int] | None:
    """Text, codec and dropped bytes of UTF-16 data without a byte-order mark, if it is that."""
    sniff = data[:SNIFF_BYTES]
    even = sniff[0::2].count(0)
    odd = sniff[1::2].count(0)
    if even and odd:
        return None
    codec = "utf-16-le" if odd else "utf-16-be"
    try:
        text, dropped = _decode_tolerant(data, codec)
    except UnicodeDecodeError:
        return None
    if not text or any(_is_control(c) for c in text):
        return None
    if not _plausible_chinese(text, allow_ascii_only=True):
        return None
    return text, codec, dropped


def _is_control(c: str) -> bool:
    return unicodedata.category(c) == "Cc" and c not in "\t\n\r\x0b\x0c\x1a\x1b\x1c\x1d\x1e\x85"


def _decode_legacy(
    data: bytes, path: str | Path, utf8_error: UnicodeDecodeError
) -> tuple[str, str, int]:
    """Decode data that is not UTF-8: GB18030 (GBK, GB2312) or BOM-less UTF-16."""
    if _damaged_utf8(data):
        bad = data[utf8_error.start]
        raise DecodeError(
            path,
            f"not valid UTF-8: byte 0x{bad:02x} at offset {utf8_error.start} "
            f"(the rest looks like UTF-8; the file may be damaged)",
        )
    gb_text: str | None = None
    gb_dropped = 0
    gb_error: UnicodeDecodeError | None = None
    try:
        gb_text, gb_dropped = _decode_tolerant(data, "gb18030")
    except UnicodeDecodeError as exc:
        gb_error = exc
    declared = _declared_charset(data)
    if gb_text is not None and declared in _GB_NAMES:
        return gb_text, "gb18030", gb_dropped

    matches = from_bytes(data)
    detected = [str(m.encoding).lower() for m in matches]
    best = detected[0] if detected else None
    if gb_text is not None:
        if any(e in _GB_NAMES for e in detected):
            return gb_text, "gb18030", gb_dropped
        rival = best in _CJK_RIVALS and len(data) >= _RIVAL_MIN_BYTES
        if not rival and _plausible_chinese(gb_text):
            return gb_text, "gb18030", gb_dropped
    for codec in ("utf_16_le", "utf_16_be"):
        if codec in detected:
            try:
                text, dropped = _decode_tolerant(data, codec.replace("_", "-"))
            except UnicodeDecodeError:
                continue
            if not any(_is_control(c) for c in text) and _plausible_chinese(text):
                return text, codec.replace("_", "-"), dropped
    if gb_error is not None and (declared in _GB_NAMES or any(e in _GB_NAMES for e in detected)):
        raise DecodeError(
            path,
            f"looks like GB18030/GBK text but byte 0x{data[gb_error.start]:02x} "
            f"at offset {gb_error.start} is not valid in it",
        )
    guess = f" (it looks like {best})" if best else ""
    raise DecodeError(path, f"cannot decode: not UTF-8 or GB18030/GBK text{guess}")


def _gb18030_or_none(data: bytes) -> str | None:
    """The data decoded as GB18030 when that works completely and reads as Chinese."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if _plausible_chinese(text) else None


def _damaged_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8 (a damaged UTF-8 file, not GBK)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f") - bad
    return good >= 8 and good >= 4 * bad


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    if b"<" not in head:
        return None
    m = _DECLARED_CHARSET.search(head)
    if m is None:
        return None
    raw = m.group(1) or m.group(2)
    return raw.decode("ascii", errors="replace").lower()


def _chinese_ok(c: str) -> bool:
    """A non-ASCII character that belongs in Chinese text."""
    o = ord(c)
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x3000 <= o <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation: “”‘’—…
        or 0x2150 <= o <= 0x218F  # number forms: Ⅰ Ⅱ
        or 0x2460 <= o <= 0x24FF  # enclosed numbers: ①
        or 0x2100 <= o <= 0x214F  # letterlike: ℃ №
        or 0x25A0 <= o <= 0x25FF  # geometric shapes: ■ ●
        or 0x2190 <= o <= 0x21FF  # arrows
        or c in "·×÷°±§¤¨\xa0"
    )


def _plausible_chinese(text: str, allow_ascii_only: bool = False) -> bool:
    """True when the text's non-ASCII characters are (nearly all) Chinese text."""
    non_ascii = 0
    ok = 0
    for c in text:
        if c > "\x7f":
            non_ascii += 1
            if _chinese_ok(c):
                ok += 1
    if non_ascii == 0:
        return allow_ascii_only
    return ok * 20 >= non_ascii * 19


_ZERO_WIDTH: Final = "\u200b\u200c\u200d\u2060\ufeff"


def _is_blank(text: str) -> bool:
    return not text.strip() or not text.strip().strip(_ZERO_WIDTH).strip()


# ---------------------------------------------------------------------------
# HTML to text
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HtmlText:
    """What :func:`html_to_text` makes of a page.

    ``text`` is the page's text; ``title_hints`` are title candidates from
    ``<meta name=ArticleTitle>``, ``<title>`` and ``<h1>`` (the title is taken
    from the text only where one of them appears there); ``links_only`` is set
    when the page's text is all navigation or link lists.
    """

    text: str
    title_hints: tuple[str, ...] = ()
    links_only: bool = False


_DROP_TAGS: Final = _words(
    "script style noscript template head iframe frame frameset object embed applet svg "
    "math canvas video audio map select option button textarea input datalist dialog"
)
_PARAGRAPH_TAGS: Final = _words(
    "p h1 h2 h3 h4 h5 h6 table ul ol dl blockquote pre section article main header footer "
    "aside figure hr"
)
_LINE_TAGS: Final = _words(
    "div li tr dt dd caption thead tbody tfoot address center details summary fieldset "
    "legend figcaption form nav hgroup body html"
)
_CHROME_WORDS: Final = _words(
    "nav navbar navigation menu menubar breadcrumb breadcrumbs crumb crumbs footer foot "
    "share sharebox sitemap toolbar topbar"
)
_CHROME_PREFIXES: Final = ("nav", "menu", "breadcrumb", "crumb", "footer", "bdshare", "share")
_CHROME_SUFFIXES: Final = ("nav", "navbar", "menu", "crumb", "crumbs", "footer", "share")
_CLASS_TOKEN = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WS_RUN = re.compile(r"[ \t\n\r\f\v\xa0]+")
_SOFT = "\x00"  # marks a whitespace run with a line break in the HTML source
_SPACE_RUN = re.compile(r"[ \x00]+")
_SPACE_AROUND_TAB = re.compile(r" *\t *")
_LINE_EDGE = " \t\u3000"
_TITLE_SEPARATOR = re.compile(r"\s*(?:[|｜_]|(?<!-)-(?!-)|\s[—–]+\s)\s*")


def _chrome_token(token: str) -> bool:
    t = token.lower()
    return (
        t in _CHROME_WORDS
        or t.startswith(_CHROME_PREFIXES)
        or t.endswith(_CHROME_SUFFIXES)
    )


def _says_chrome(node: LexborNode) -> bool:
    attrs = node.attributes
    if (attrs.get("role") or "").lower() == "navigation":
        return True
    for name in ("class", "id"):
        value = attrs.get(name)
        if value and any(_chrome_token(t) for t in _CLASS_TOKEN.findall(value)):
            return True
    return False


def _is_hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _han_count(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


class _Builder:
    """Accumulates the text of a page: inline text, line breaks, cell tabs."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.trailing_newlines = 0
        self.pending_newlines = 0
        self.pending_tab = False
        self.flat = 0  # > 0 inside a small table cell: breaks become spaces
        self.rows: list[int] = []

    def brk(self, n: int) -> None:
        if self.flat:
            self.out.append(" ")
        else:
            self.pending_newlines = max(self.pending_newlines, n)

    def newline(self) -> None:
        if self.flat:
            self.out.append(" ")
            return
        self._flush()
        self.out.append("\n")
        self.trailing_newlines += 1

    def cell(self) -> None:
        if self.rows:
            if self.rows[-1] > 0:
                self.pending_tab = True
            self.rows[-1] += 1

    def text(self, s: str) -> None:
        if not s:
            return
        if not s.strip(" " + _SOFT):
            if self.trailing_newlines == 0 and self.out:
                self.out.append(s)
            return
        self._flush()
        if self.pending_tab:
            if self.trailing_newlines == 0 and self.out:
                self.out.append("\t")
            self.pending_tab = False
        self.out.append(s)
        self.trailing_newlines = 0

    def _flush(self) -> None:
        if self.pending_newlines and self.out:
            missing = self.pending_newlines - self.trailing_newlines
            if missing > 0:
                self.out.append("\n" * missing)
                self.trailing_newlines += missing
                self.pending_tab = False
        self.pending_newlines = 0

    def result(self) -> str:
        raw = "".join(self.out)
        raw = _SPACE_RUN.sub(_space_replacement, raw)
        lines: list[str] = []
        blank = True
        for line in raw.split("\n"):
            line = _SPACE_AROUND_TAB.sub("\t", line.strip(_LINE_EDGE))
            if not line:
                if not blank:
                    lines.append("")
                blank = True
                continue
            lines.append(line)
            blank = False
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines)


def _space_replacement(m: re.Match[str]) -> str:
    run = m.group()
    if _SOFT not in run:
        return " "
    s = m.string
    before = s[m.start() - 1] if m.start() > 0 else ""
    after = s[m.end()] if m.end() < len(s) else ""
    if before and after and _wide(before) and _wide(after):
        return ""
    return " "


def _collapse_ws(s: str) -> str:
    return _WS_RUN.sub(lambda m: _SOFT if ("\n" in m.group() or "\r" in m.group()) else " ", s)


def html_to_text(html: str) -> HtmlText:
    """The text of an HTML page, without scripts, styles and page chrome.

    Block elements become line breaks (paragraphs, headings and tables are set
    off by a blank line), table cells are separated by a tab, runs of blank
    lines are collapsed and lines are stripped.
    """
    tree = _HTMLParser(html)
    root = tree.body if tree.body is not None else tree.root
    hints: list[str] = []
    for meta in tree.css("meta"):
        name = (meta.attributes.get("name") or meta.attributes.get("property") or "").lower()
        content = meta.attributes.get("content")
        if content and name in ("articletitle", "og:title"):
            hints.append(content)
    title_node = tree.css_first("title")
    if title_node is not None:
        hints.append(title_node.text())
    if root is None:
        return HtmlText("", tuple(_clean_hints(hints)), links_only=False)

    walker = _Walker(root, hints)
    walker.run()
    total, outside = walker.han_total, walker.han_outside_links
    links_only = outside < MIN_HAN_CHARS <= total
    return HtmlText(walker.builder.result(), tuple(_clean_hints(hints)), links_only=links_only)


class _Walker:
    """Walks a page's DOM depth-first (with an explicit stack) into a _Builder."""

    def __init__(self, root: LexborNode, hints: list[str]) -> None:
        self.root = root
        self.hints = hints
        self.builder = _Builder()
        self.page_han = _han_count(root.text())
        self.h1_count = len(root.css("h1"))
        self.han_total = 0
        self.han_outside_links = 0
        self.link_depth = 0
        self.article_depth = 0

    def run(self) -> None:
        # (node, entering, small table cell); deep pages must not exhaust recursion.
        stack: list[tuple[LexborNode, bool, bool]] = [(self.root, True, False)]
        while stack:
            node, entering, flat = stack.pop()
            tag = (node.tag or "").lower()
            if tag == "-text":
                self.text(node.text_content or "")
            elif tag.startswith(("-", "!", "_")):
                continue  # comments, doctype
            elif not entering:
                self.leave(node, tag, flat)
            elif node is self.root or not self.dropped(node, tag):
                if tag == "br":
                    self.builder.newline()
                    continue
                flat = self.enter(node, tag)
                stack.append((node, False, flat))
                children = list(node.iter(include_text=True))
                stack.extend((child, True, False) for child in reversed(children))

    def text(self, content: str) -> None:
        self.builder.text(_collapse_ws(content))
        han = _han_count(content)
        self.han_total += han
        if not self.link_depth:
            self.han_outside_links += han

    def dropped(self, node: LexborNode, tag: str) -> bool:
        if tag in _DROP_TAGS or _is_hidden(node):
            return True
        chrome = tag == "nav" or _says_chrome(node)
        if not chrome and tag in ("header", "footer") and self.article_depth == 0:
            holds_title = self.h1_count == 1 and node.css_first("h1") is not None
            chrome = not (tag == "header" and holds_title)
        if not chrome:
            return False
        # Conservative: never drop what holds most of the page's text.
        han = _han_count(node.text())
        return not (han >= 100 and han * 2 >= self.page_han)

    def enter(self, node: LexborNode, tag: str) -> bool:
        b = self.builder
        if tag in _PARAGRAPH_TAGS:
            b.brk(2)
        elif tag in _LINE_TAGS:
            b.brk(1)
        if tag == "h1":
            self.hints.append(node.text())
        elif tag == "a" and "href" in node.attributes:
            self.link_depth += 1
        elif tag in ("article", "main"):
            self.article_depth += 1
        elif tag == "tr":
            b.rows.append(0)
        elif tag in ("td", "th"):
            b.cell()
            # A small cell's paragraphs stay on the row's line; a layout cell keeps them.
            if node.css_first("table") is None and len(node.text()) <= 200:
                b.flat += 1
                return True
        return False

    def leave(self, node: LexborNode, tag: str, flat: bool) -> None:
        b = self.builder
        if flat:
            b.flat -= 1
        if tag == "a" and "href" in node.attributes:
            self.link_depth -= 1
        elif tag in ("article", "main"):
            self.article_depth -= 1
        elif tag == "tr" and b.rows:
            b.rows.pop()
        if tag in _PARAGRAPH_TAGS:
            b.brk(2)
        elif tag in _LINE_TAGS:
            b.brk(1)


def _clean_hints(hints: Sequence[str]) -> list[str]:
    out: list[str] = []
    for h in hints:
        h = _WS_RUN.sub(" ", h).strip(" \u3000")
        if h and h not in out:
            out.append(h)
    return out


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip("\ufeff \t\r\n")
    head = re.sub(r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*", "", head, flags=re.DOTALL)
    if re.match(r"<!doctype\s+html|<html[\s>]", head, re.IGNORECASE):
        return True
    return bool(
        re.match(r"<(?:head|meta|title|body)[\s>]", head, re.IGNORECASE)
        and re.search(r"</(?:body|html|head|title|p|div)>", text[:65536], re.IGNORECASE)
    )


# ---------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    key: str
    where: str


@dataclass(frozen=True)
class _Chrome:
    pattern: re.Pattern[str]
    cutoff: bool
    where: str


@dataclass(frozen=True)
class _Lexicon:
    labels: dict[str, _Label]
    field_re: re.Pattern[str]
    chrome: tuple[_Chrome, ...]
    domain_terms: tuple[str, ...]


def _tsv_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Data rows of a lexicon file (comments and the header row left out)."""
    try:
        return lexicon_rows(name)
    except (OSError, ModuleNotFoundError) as exc:
        raise OntologyError(f"lexicon file {name} cannot be read: {exc}") from None


_PAD = "[ \u3000\xa0]*"


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    labels: dict[str, _Label] = {}
    chrome: list[_Chrome] = []
    for number, cols in enumerate(_tsv_rows(_CHROME_FILE), start=1):
        if len(cols) != 4:
            raise OntologyError(f"{_CHROME_FILE} row {number}: expected 4 tab-separated columns")
        kind, key, pattern, where = cols
        if where not in _WHERE_VALUES:
            raise OntologyError(f"{_CHROME_FILE} row {number}: unknown where {where!r}")
        if kind == "header":
            if key not in _HEADER_KEYS:
                raise OntologyError(f"{_CHROME_FILE} row {number}: unknown header key {key!r}")
            labels[pattern] = _Label(key, where)
        elif kind in ("chrome", "cutoff"):
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise OntologyError(f"{_CHROME_FILE} row {number}: bad pattern: {exc}") from None
            chrome.append(_Chrome(compiled, kind == "cutoff", where))
        else:
            raise OntologyError(f"{_CHROME_FILE} row {number}: unknown kind {kind!r}")
    if not labels:
        raise OntologyError(f"{_CHROME_FILE} holds no header labels")
    alternatives = "|".join(
        _PAD.join(re.escape(ch) for ch in label)
        for label in sorted(labels, key=lambda s: (-len(s), s))
    )
    field_re = re.compile(
        rf"(?:\*\*|__)?(?P<label>{alternatives})(?:\*\*|__)?{_PAD}[:：]"
        rf"|(?:^|(?<=\t))(?P<cell>{alternatives}){_PAD}(?=\t|$)"
    )
    terms = tuple(cols[0].lower() for cols in _tsv_rows(_DOMAIN_FILE) if cols and cols[0])
    if not terms:
        raise OntologyError(f"{_DOMAIN_FILE} holds no terms")
    return _Lexicon(labels, field_re, tuple(chrome), terms)


# ---------------------------------------------------------------------------
# Lines: header fields, page chrome, title
# ---------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_EDGE_SPACE = f"\\s{_ZERO_WIDTH}"
_LEAD_SPACE = re.compile(f"^[{_EDGE_SPACE}]+")
_TRAIL_SPACE = re.compile(f"[{_EDGE_SPACE}]+$")
_VALUE_EDGE = " \t\u3000\xa0|｜丨·•"
_OPENERS: Final = "【[（(「『"
_CLOSERS: Final = "】]）)」』"
_TOKEN_SPLIT = re.compile(r"[ \t\u3000\xa0]+|(?<=[】\]])(?=[【\[])")

_SENTENCE_PUNCT = re.compile(r"[。！？；;!?]")
_COMMA = re.compile(r"[，,、]")
_SUBHEADING = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]+\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十百零〇\d]+\s*[）)]"
    r"|第[一二三四五六七八九十百零〇\d]+\s*[章节部分条篇编款]"
    r"|\d+(?:\.\d+)*\s*[、.．](?!\d)"
    r"|[①-⑳]"
    r"|附件\s*\d*\s*$)"
)
_TOC_ENTRY = re.compile(r"(?:\s\d{1,3}|[.…·．\-—]{3,}\s*\d{1,3})$")
_DATE_LINE = re.compile(
    r"^[（(]?\s*(?:"
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*"
    r"(?:[\d一二三四五六七八九十]{1,2}\s*月\s*(?:[\d一二三四五六七八九十]{1,3}\s*日)?)?"
    r"|\d{4}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{1,2})?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r")\s*[）)]?$"
)
_TITLE_TAIL = re.compile(
    r"^[（(].{0,20}(?:\d{4}\s*[-—–~至到]\s*\d{4}|试行|暂行|征求意见稿|送审稿|草案|修订).{0,10}[）)]$"
)
_TITLE_CONTINUATION = "“\"《「『—‘"
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+")
_MD_CLOSING = re.compile(r"[ \t]+#+$")


@dataclass
class _Line:
    start: int  # offsets of the stripped content
    end: int
    text: str
    kind: str = ""  # "", "header", "chrome", "cutoff"
    fields: tuple[HeaderField, ...] = ()
    prose: bool = False


@dataclass(frozen=True)
class _Layout:
    title: str | None = None
    title_span: Span | None = None
    header: tuple[HeaderField, ...] = ()
    skip: tuple[Span, ...] = ()


@dataclass(frozen=True)
class _Zones:
    """Where the body's paragraphs start and end (line indexes)."""

    first_prose: int
    last_prose: int

    def zone_ok(self, i: int, where: str) -> bool:
        head = i < self.first_prose
        tail = i > self.last_prose
        if where == "any":
            return True
        if where == "head":
            return head
        if where == "tail":
            return tail
        return head or tail


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    bounds: list[tuple[int, int]] = []
    for m in _LINE_BREAK.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    for start, end in bounds:
        raw = text[start:end]
        lead = _LEAD_SPACE.match(raw)
        s = start + (lead.end() if lead else 0)
        trail = _TRAIL_SPACE.search(raw)
        e = start + (trail.start() if trail else len(raw))
        if e < s:
            e = s
        lines.append(_Line(s, e, text[s:e]))
    return lines


def _is_prose(text: str) -> bool:
    n = len(text)
    if n > MAX_TITLE_CHARS:
        return True
    if _SENTENCE_PUNCT.search(text) and n >= 10:
        return True
    return bool(_COMMA.search(text) and n >= 30)


def _chrome_match(text: str, lex: _Lexicon, allowed: Iterable[str]) -> _Chrome | None:
    """The chrome entry matching the whole line, or every widget of it (【打印】【关闭】)."""
    if len(text) > MAX_CHROME_LINE_CHARS:
        return None
    wanted = set(allowed)
    for c in lex.chrome:
        if c.where in wanted and c.pattern.fullmatch(text):
            return c
    if "any" in wanted:
        tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
        if len(tokens) > 1:
            found = [_chrome_token_match(t, lex) for t in tokens]
            if all(found):
                return found[0]
    return None


def _chrome_token_match(token: str, lex: _Lexicon) -> _Chrome | None:
    """The chrome entry (one usable anywhere) that the widget token matches."""
    for c in lex.chrome:
        if c.where == "any" and c.pattern.fullmatch(token):
            return c
    return None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim separators and unbalanced brackets from text[s:e]."""
    while True:
        old = (s, e)
        while s < e and text[s] in _VALUE_EDGE:
            s += 1
        while e > s and text[e - 1] in _VALUE_EDGE:
            e -= 1
        if e > s and text[e - 1] in _OPENERS:
            e -= 1
        if e > s and text[s] in _CLOSERS:
            s += 1
        if e > s and text[e - 1] in _CLOSERS:
            close = text[e - 1]
            opener = _OPENERS[_CLOSERS.index(close)]
            if opener not in text[s : e - 1]:
                e -= 1
        if e > s and text[s] in _OPENERS:
            opener = text[s]
            close = _CLOSERS[_OPENERS.index(opener)]
            if close not in text[s + 1 : e]:
                s += 1
        if (s, e) == old:
            return s, e


def _strip_chrome_tokens(text: str, s: int, e: int, lex: _Lexicon) -> int:
    """New end of text[s:e] once trailing widget tokens (打印, 【关闭】) are cut off."""
    while e > s:
        value = text[s:e]
        cuts = [m.end() for m in _TOKEN_SPLIT.finditer(value) if m.end() < len(value)]
        last_start = cuts[-1] if cuts else 0
        token = value[last_start:]
        if _chrome_token_match(token.strip(), lex) is None:
            return e
        e = s + last_start
        _, e = _trim(text, s, e)
        e = max(e, s)
    return e


def _parse_fields(
    line: _Line, lex: _Lexicon, zones: _Zones, index: int
) -> tuple[HeaderField, ...] | None:
    """The header fields of a line made only of ``label：value`` fields, else None."""
    text = line.text
    base = line.start
    s, e = 0, len(text)
    if e - s >= 2 and text[s] in _OPENERS and text[e - 1] == _CLOSERS[_OPENERS.index(text[s])]:
        s, e = s + 1, e - 1
    matches = [m for m in lex.field_re.finditer(text, s, e)]
    if not matches:
        return None
    lead = text[s : matches[0].start()]
    if lead.strip(_VALUE_EDGE + "【[（("):
        return None
    wheres: list[str] = []
    fields: list[HeaderField] = []
    for k, m in enumerate(matches):
        group = "label" if m.group("label") is not None else "cell"
        label = m.group(group)
        compact = re.sub(r"[ \u3000\xa0]", "", label)
        info = lex.labels[compact]
        wheres.append(info.where)
        vs = m.end()
        ve = matches[k + 1].start() if k + 1 < len(matches) else e
        vs, ve = _trim(text, vs, ve)
        ve = _strip_chrome_tokens(text, vs, ve, lex)
        value = text[vs:ve]
        if len(value) > MAX_HEADER_VALUE_CHARS or "。" in value:
            return None
        if ve == vs:
            vs = ve = m.end()
        fields.append(HeaderField(info.key, label, value, base + vs, base + ve))
    if "any" not in wheres and not all(zones.zone_ok(index, w) for w in wheres):
        return None
    return tuple(fields)


def _analyse(text: str, markdown: bool, hints: Sequence[str]) -> _Layout:
    lex = _lexicon()
    lines = _split_lines(text)
    n = len(lines)
    # Pass 1: chrome and header lines that may stand anywhere.
    nowhere = _Zones(first_prose=-1, last_prose=n)  # no line is before or after the body
    for i, line in enumerate(lines):
        if not line.text:
            continue
        c = _chrome_match(line.text, lex, ("any",))
        if c is not None:
            line.kind = "cutoff" if c.cutoff else "chrome"
            continue
        fields = _parse_fields(line, lex, nowhere, i)
        if fields is not None:
            line.kind = "header"
            line.fields = fields
    # Pass 2: where the body's paragraphs start and end.
    prose = [i for i, ln in enumerate(lines) if not ln.kind and ln.text and _is_prose(ln.text)]
    for i in prose:
        lines[i].prose = True
    # Without paragraphs, every line is both before and after the body.
    zones = _Zones(prose[0], prose[-1]) if prose else _Zones(first_prose=n, last_prose=-1)
    # Pass 3: chrome and header lines that stand only before or after the body.
    for i, line in enumerate(lines):
        if line.kind or not line.text or line.prose:
            continue
        allowed = [w for w in ("head", "tail", "edge") if zones.zone_ok(i, w)]
        c = _chrome_match(line.text, lex, allowed) if allowed else None
        if c is not None:
            line.kind = "cutoff" if c.cutoff else "chrome"
            continue
        fields = _parse_fields(line, lex, zones, i)
        if fields is not None:
            line.kind = "header"
            line.fields = fields
    # Pass 4: lists opened by 相关新闻 and the like, after the body has started.
    if prose:
        i = 0
        while i < n:
            if lines[i].kind == "cutoff" and i > prose[0]:
                j = i + 1
                while j < n and not lines[j].prose:
                    if lines[j].text and not lines[j].kind:
                        lines[j].kind = "chrome"
                    j += 1
                i = j
            else:
                i += 1
    # Pass 5: after the body, once chrome has started, lines without Chinese are chrome too.
    chrome_seen = False
    for i, line in enumerate(lines):
        if not prose or not zones.zone_ok(i, "tail"):
            continue
        if line.kind in ("chrome", "cutoff"):
            chrome_seen = True
        elif chrome_seen and line.text and not line.kind and _han_count(line.text) == 0:
            line.kind = "chrome"

    title, title_span = _find_title(lines, zones, markdown, hints)
    header = tuple(f for line in lines for f in line.fields)
    spans = [(line.start, line.end) for line in lines if line.kind and line.end > line.start]
    return _Layout(title, title_span, header, _merge_spans(text, spans))


def _compact(label: str) -> str:
    return re.sub(r"[ \u3000\xa0]", "", label)


def _merge_spans(text: str, spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for s, e in sorted(spans):
        if merged and not text[merged[-1][1] : s].strip():
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return tuple(merged)


def _title_text(line: _Line, markdown: bool) -> tuple[int, int]:
    """Offsets of a line's title text (without Markdown heading marks)."""
    s, e = line.start, line.end
    if markdown:
        t = line.text
        m = _MD_HEADING.match(t)
        if m:
            s += m.end()
            t = t[m.end() :]
        m2 = _MD_CLOSING.search(t)
        if m2:
            e -= len(t) - m2.start()
            t = t[: m2.start()]
        while len(t) >= 4 and t[:2] in ("**", "__") and t.endswith(t[:2]):
            s, e, t = s + 2, e - 2, t[2:-2]
    return s, e


def _reads_like_title(t: str) -> bool:
    if not 2 <= len(t) <= MAX_TITLE_CHARS or "\t" in t:
        return False
    if _han_count(t) < 4 or "。" in t:
        return False
    if t[-1] in "。；;：:，,、":
        return False
    if t[0] in "（(" and t[-1] in "）)":
        return False
    if _DATE_LINE.match(t) or _SUBHEADING.match(t) or _TOC_ENTRY.search(t):
        return False
    return re.sub(r"\s", "", t) != "目录"


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _find_title(
    lines: list[_Line], zones: _Zones, markdown: bool, hints: Sequence[str]
) -> tuple[str | None, Span | None]:
    limit = min(zones.first_prose, len(lines))  # the title stands before the body
    candidates = [i for i in range(limit) if lines[i].text and not lines[i].kind]
    # HTML: a <title>/<h1>/ArticleTitle that appears as a line (or two) of the text.
    for hint in _hint_variants(hints):
        target = _norm(hint)
        if not target or _han_count(target) < 2:
            continue
        for k, i in enumerate(candidates):
            if _norm(lines[i].text) == target and _reads_like_title(lines[i].text):
                return lines[i].text, (lines[i].start, lines[i].end)
            if k + 1 < len(candidates):
                j = candidates[k + 1]
                joined = lines[i].text + lines[j].text
                if _norm(joined) == target and _only_blank_between(lines, i, j):
                    return joined, (lines[i].start, lines[j].end)
    for i in candidates:
        line = lines[i]
        s, e = _title_text(line, markdown)
        title = line.text[s - line.start : e - line.start]
        if not _reads_like_title(title):
            continue
        # A title split over two lines: 南昌市医疗保障事业发展 / “十四五”规划.
        nxt = _next_nonblank(lines, i)
        if nxt is not None and nxt < limit and not lines[nxt].kind:
            s2, e2 = _title_text(lines[nxt], markdown)
            second = lines[nxt].text[s2 - lines[nxt].start : e2 - lines[nxt].start]
            continues = second[:1] != "" and second[0] in _TITLE_CONTINUATION
            joinable = (continues and _reads_like_title(second)) or bool(_TITLE_TAIL.match(second))
            if joinable and len(title) + len(second) <= MAX_TITLE_CHARS:
                return title + second, (s, e2)
        return title, (s, e)
    return None, None


def _next_nonblank(lines: list[_Line], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].text:
            return j
    return None


def _only_blank_between(lines: list[_Line], i: int, j: int) -> bool:
    return all(not lines[k].text for k in range(i + 1, j))


def _hint_variants(hints: Sequence[str]) -> list[str]:
    """Hints, then the parts of a <title> around separators (标题-网站名)."""
    out: list[str] = []
    for h in hints:
        if h not in out:
            out.append(h)
    for h in hints:
        for m in _TITLE_SEPARATOR.finditer(h):
            for part in (h[: m.start()].strip(), h[m.end() :].strip()):
                if part and part not in out:
                    out.append(part)
    return out


# ---------------------------------------------------------------------------
# Is it a report at all?
# ---------------------------------------------------------------------------


def _check_content(text: str, skip: Sequence[Span], path: str | Path) -> None:
    pieces: list[str] = []
    pos = 0
    for s, e in skip:
        pieces.append(text[pos:s])
        pos = e
    pieces.append(text[pos:])
    body = "".join(pieces)
    han = _han_count(body)
    if han < MIN_HAN_CHARS:
        raise NoContentError(
            path,
            f"no report text: {han} Chinese characters outside header lines and page chrome "
            f"(at least {MIN_HAN_CHARS} needed)",
        )
    lowered = body.lower()
    terms = _lexicon().domain_terms
    if not any(t in lowered for t in terms):
        shown = "、".join(terms[:5])
        raise NoContentError(
            path, f"no report text: none of the medical-security words ({shown}…) occurs"
        )
