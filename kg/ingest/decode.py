"""Bytes to text (:func:`decode`), and the count of Chinese characters the
other ingest modules share.

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
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import Final

from charset_normalizer import from_bytes

from kg.base.errors import BinaryFileError, DecodeError, EmptyFileError

__all__ = ["MIN_HAN_CHARS", "decode"]

MIN_HAN_CHARS: Final = 30
"""Fewest Chinese characters a report's body (outside skipped lines) must hold."""

SNIFF_BYTES: Final = 8192
"""How many leading bytes binary detection looks at for control bytes."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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


#: Characters every report has, as UTF-16 code units in each byte order: a line
#: end, 。，、 (a character such as 一, U+4E00, puts a NUL byte where ASCII does not,
#: so NUL bytes alone do not tell the order).
_UTF16_MARKS: Final = {
    "utf-16-le": frozenset({b"\n\x00", b"\x02\x30", b"\x0c\xff", b"\x01\x30"}),
    "utf-16-be": frozenset({b"\x00\n", b"\x30\x02", b"\xff\x0c", b"\x30\x01"}),
}


def _bomless_utf16(data: bytes) -> tuple[str, str, int] | None:
    """Text, codec and dropped bytes of UTF-16 data without a byte-order mark, if it is that.

    The byte order is the one in which line ends and Chinese punctuation occur
    (other bytes with NULs, as ASCII pairs, decode to plausible-looking CJK in
    either order); the text must then decode without control characters and
    read as Chinese.
    """
    sniff = data[:SNIFF_BYTES]
    units = [sniff[i:i + 2] for i in range(0, len(sniff) - 1, 2)]
    marks = {codec: sum(u in found for u in units) for codec, found in _UTF16_MARKS.items()}
    codec = max(marks, key=lambda c: marks[c])
    if marks[codec] == 0 or list(marks.values()).count(marks[codec]) > 1:
        return None
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


def _han_count(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
