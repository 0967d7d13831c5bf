"""Long texts in bounded pieces: extraction in time linear in the text's length.

spaCy refuses a text longer than ``nlp.max_length`` (1,000,000 characters),
and some finders look at a number's whole paragraph or at every other number
of the text, so that a very long text — above all one long line with no
newline — costs time that grows faster than its length. A text longer than
:data:`MAX_PIECE` characters is therefore extracted piece by piece
(:func:`extract_report`):

* a piece ends at a line end (the last one in the second half of the piece's
  window); where there is none, the text is a long line, and its pieces are
  at most :data:`LINE_PIECE` characters, ending at a sentence end, else after
  a character that jieba never joins to the next (so that the words are the
  same as in the whole text); only a run of Chinese characters with no
  punctuation at all is cut inside;
* the report's frame (its kind, dates, home region…) is read once from the
  whole text and the region mentions of all its pieces (a first pass over the
  pieces finds them), and each piece is then extracted as a document of its
  own (its skipped spans, title, lines and headings clipped to it) with that
  frame (:func:`kg.extract.extract.extract`'s ``frame``);
* the records of each piece are moved back to the whole text's offsets
  (:func:`shifted`) and joined in text order.

A text of at most :data:`MAX_PIECE` characters is extracted whole, exactly as
before; what a longer text loses is only context across a cut (a heading's
scope, a short title declared in another piece).

    >>> text = "第一段。\\n" * 3
    >>> piece_bounds(text, 10)
    [(0, 10), (10, 15)]
    >>> text = "一二三。四五六。七八九十"
    >>> [text[s:e] for s, e in piece_bounds(text, 6)]
    ['一二三。', '四五六。', '七八九十']
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Final, TypeVar

from spacy.language import Language

from kg.base.records import Document, Extraction, RegionMention, Span
from kg.extract.extract import extract, region_mentions
from kg.extract.frame import read_frame
from kg.extract.nlp import make_nlp

#: The longest text extracted whole, in characters; a longer one is extracted in
#: pieces of at most this length. Reports are far shorter (the seeds: 3,000–15,000).
MAX_PIECE: Final = 50_000
#: The longest piece of a long line (no line end in the second half of a piece).
LINE_PIECE: Final = 5_000

_LINE_END: Final = re.compile(r"\n")
_SENTENCE_END: Final = re.compile(r"[。！？；!?;]")
# jieba segments runs of these characters (its ``re_han_default``); a cut after
# any other character leaves every word whole
_JOINED: Final = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")

R = TypeVar("R")


def _last_end(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """The position after the last match of ``pattern`` in ``text[lo:hi]``, if any."""
    found = None
    for m in pattern.finditer(text, lo, hi):
        found = m.end()
    return found


def _cut(text: str, start: int, limit: int) -> int:
    hi = start + limit
    end = _last_end(_LINE_END, text, start + limit // 2, hi)
    if end is not None:
        return end
    # no line end near the limit: a long line, cut in short pieces (a number's
    # paragraph, which some finders read whole, is then at most that long)
    small = min(LINE_PIECE, limit)
    hi, lo = start + small, start + small // 2
    end = _last_end(_SENTENCE_END, text, lo, hi)
    if end is not None:
        return end
    for i in range(hi - 1, lo - 1, -1):
        if not _JOINED.match(text, i):
            return i + 1
    return hi


def piece_bounds(text: str, limit: int = MAX_PIECE) -> list[Span]:
    """The ``(start, end)`` of each piece of ``text``: consecutive, covering it
    whole, each at most ``limit`` characters (see the module's rules)."""
    bounds: list[Span] = []
    start = 0
    n = len(text)
    while n - start > limit:
        end = _cut(text, start, limit)
        bounds.append((start, end))
        start = end
    bounds.append((start, n))
    return bounds


def _clip(spans: tuple[Span, ...], start: int, end: int) -> tuple[Span, ...]:
    return tuple((max(s, start) - start, min(e, end) - start)
                 for s, e in spans if s < end and start < e)


def piece_document(document: Document, start: int, end: int) -> Document:
    """The part ``[start, end)`` of ``document`` as a document of its own: its
    text, and the skipped spans, title span and header fields inside it, at
    offsets into that text."""
    title = document.title_span
    inside = title is not None and start <= title[0] and title[1] <= end
    signature = document.signature
    return dataclasses.replace(
        document,
        text=document.text[start:end],
        title_span=(title[0] - start, title[1] - start) if inside and title else None,
        header=tuple(dataclasses.replace(h, start=h.start - start, end=h.end - start)
                     for h in document.header if start <= h.start and h.end <= end),
        skip=_clip(document.skip, start, end),
        lines=tuple(dataclasses.replace(ln, start=ln.start - start, end=ln.end - start)
                    for ln in document.lines if start <= ln.start and ln.end <= end),
        headings=tuple(dataclasses.replace(h, start=h.start - start, end=h.end - start)
                       for h in document.headings if start <= h.start and h.end <= end),
        signature=(signature[0] - start, signature[1] - start)
        if signature is not None and start <= signature[0] and signature[1] <= end else None,
    )


def _is_span(annotation: object) -> bool:
    """Whether a field's annotation (a string: the records' module postpones them)
    is :data:`~kg.base.records.Span` (or optional)."""
    return isinstance(annotation, str) and annotation.replace(" ", "") in ("Span", "Span|None")


def shifted(record: R, delta: int) -> R:
    """``record`` (a record, or a tuple of them) with every offset moved by ``delta``.

    Offsets are, in the records of :mod:`kg.base.records`, the ``start`` and
    ``end`` fields and the fields typed :data:`~kg.base.records.Span`, at any
    depth (a mention's sentence, an agency's regions); a document is left as it is.

    >>> from kg.base.records import Sentence, RegionMention
    >>> m = RegionMention("武进区", 2, 5, Sentence(0, 6, "全区武进区。"), ("320412",))
    >>> moved = shifted(m, 100)
    >>> moved.start, moved.end, moved.sentence.start, moved.sentence.end
    (102, 105, 100, 106)
    """
    memo: dict[int, Any] = {}

    def is_record(value: Any) -> bool:
        return (dataclasses.is_dataclass(value) and not isinstance(value, type)
                and not isinstance(value, Document))

    def move(value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(move(v) for v in value)
        if not is_record(value):
            return value
        key = id(value)
        if key not in memo:
            changes: dict[str, Any] = {}
            for f in dataclasses.fields(value):
                v = getattr(value, f.name)
                if f.name in ("start", "end") and type(v) is int:
                    changes[f.name] = v + delta
                elif _is_span(f.type) and v is not None:
                    changes[f.name] = (v[0] + delta, v[1] + delta)
                elif isinstance(v, tuple) or is_record(v):
                    changes[f.name] = move(v)
            memo[key] = dataclasses.replace(value, **changes)
        return memo[key]

    moved: R = move(record)
    return moved


def extract_report(document: Document, nlp: Language | None = None,
                   limit: int = MAX_PIECE) -> Extraction:
    """Extract ``document``: whole when it is at most ``limit`` characters long,
    else piece by piece (see the module), with every record's offsets into
    ``document.text``."""
    bounds = piece_bounds(document.text, limit)
    if len(bounds) == 1:
        return extract(document, nlp)
    if nlp is None:
        nlp = make_nlp()
    regions: list[RegionMention] = []
    for start, end in bounds:  # first pass: what the report's frame is read from
        piece = piece_document(document, start, end)
        regions.extend(shifted(region_mentions(piece, nlp(piece.text)), start))
    frame = read_frame(document, regions)
    parts: dict[str, list[Any]] = {f.name: [] for f in dataclasses.fields(Extraction)
                                   if f.name not in ("document", "frame")}
    for start, end in bounds:
        found = extract(piece_document(document, start, end), nlp, frame=frame)
        for name, records in parts.items():
            records.extend(shifted(getattr(found, name), start))
    return Extraction(document, **{name: tuple(records) for name, records in parts.items()},
                      frame=frame)
