"""The lines of a report's text: header fields, page chrome, title.

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
    (南昌市医疗保障事业发展 / “十四五”规划; 宜春市医疗保障局 / 2023年工作总结, a short
    second line ending with a kind word of ``report_kinds.tsv``) is joined: ``title`` is then the
    joined string and ``title_span`` covers both lines (with the line break).

A text with too little Chinese or none of the medical-security words of
``domain_terms.tsv`` outside those lines is no report (:func:`_check_content`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Final

from kg.base.errors import NoContentError, OntologyError
from kg.base.records import Document, HeaderField, Heading, Line, Span
from kg.base.resources import lexicon_rows
from kg.ingest.decode import _ZERO_WIDTH, MIN_HAN_CHARS, _han_count, _words

__all__ = ["MAX_TITLE_CHARS", "with_layout"]

MAX_TITLE_CHARS: Final = 80
"""Longest line taken as a report's title."""

MAX_HEADER_VALUE_CHARS: Final = 80
"""Longest value of a header field (来源：…); a longer one means the line is prose."""

MAX_CHROME_LINE_CHARS: Final = 200
"""Longest line that can be page chrome."""

_CHROME_FILE: Final = "page_chrome.tsv"
_DOMAIN_FILE: Final = "domain_terms.tsv"


_WHERE_VALUES: Final = frozenset({"any", "edge", "head", "tail"})
_HEADER_KEYS: Final = _words(
    "source published author editor reviewer views doc_number issuer written_date "
    "index_no font other dateline place"
)

_TITLE_SEPARATOR = re.compile(r"\s*(?:[|｜_]|(?<!-)-(?!-)|\s[—–]+\s)\s*")


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
    lines: tuple[_Chrome, ...] = ()  # press header lines: whole-line patterns with named fields
    datelines: tuple[re.Pattern[str], ...] = ()  # news datelines at a paragraph's start


def _tsv_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Data rows of a lexicon file (comments and the header row left out)."""
    try:
        return lexicon_rows(name)
    except (OSError, ModuleNotFoundError) as exc:
        raise OntologyError(f"lexicon file {name} cannot be read: {exc}") from None


#: Spaces that may stand between the characters of a header label (``来 源：``): any run of
#: ``[ \u3000\xa0]``, written so that compiling it is cheap (re builds a 64 k bitmap for
#: a character class that mixes U+3000 with Latin-1 characters, once for each of the
#: several hundred places the labels' alternation puts it: 40 ms of every start); it
#: matches the same runs, and always the whole run (a label character or the colon follows).
_PAD = "[ \xa0]*(?:\u3000[ \xa0]*)*"


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    labels: dict[str, _Label] = {}
    chrome: list[_Chrome] = []
    press_lines: list[_Chrome] = []
    datelines: list[re.Pattern[str]] = []
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
        elif kind in ("chrome", "cutoff", "line", "dateline"):
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise OntologyError(f"{_CHROME_FILE} row {number}: bad pattern: {exc}") from None
            unknown = set(compiled.groupindex) - _HEADER_KEYS
            if unknown:
                raise OntologyError(f"{_CHROME_FILE} row {number}: unknown field {sorted(unknown)}")
            if kind == "line":
                press_lines.append(_Chrome(compiled, False, where))
            elif kind == "dateline":
                datelines.append(compiled)
            else:
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
    return _Lexicon(labels, field_re, tuple(chrome), terms, tuple(press_lines), tuple(datelines))


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
_STATEMENT_PUNCT = re.compile(r"[。；;]")
_ASKING_PUNCT = re.compile(r"[！？!?]")
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
#: A publication time written without a label before a line's header fields.
_LEADING_STAMP = re.compile(
    r"^\s*((?:19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*")
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
    lines: tuple[Line, ...] = ()
    headings: tuple[Heading, ...] = ()
    signature: Span | None = None


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
    if _STATEMENT_PUNCT.search(text) and n >= 10:
        return True
    if _ASKING_PUNCT.search(text) and n >= 10 and _COMMA.search(text):
        return True  # a headline may ask (“看病钱”谁在乱花？全市…被约谈): without a comma, no prose
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
    wheres: list[str] = []
    fields: list[HeaderField] = []
    stamp = _LEADING_STAMP.match(lead)
    if stamp:
        # 2021年7月6日 10:32 来源：某某日报: the publication time, written without its label
        fields.append(HeaderField("published", "", stamp.group(1), base + s + stamp.start(1),
                                  base + s + stamp.end(1)))
        lead = lead[stamp.end():]
    if lead.strip(_VALUE_EDGE + "【[（("):
        return None
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
        fields = _parse_fields(line, lex, zones, i) or _press_line(line, lex, zones, i)
        if fields is not None:
            line.kind = "header"
            line.fields = fields
    # Pass 3b: a news dateline opening one of the first paragraphs (本报讯, …日报6月17日讯).
    datelines: list[Span] = []
    for i in prose[:_DATELINE_PARAGRAPHS]:
        found = _dateline(lines[i], lex)
        if found is not None:
            lines[i].fields = found
            datelines.append((found[0].start, found[0].end))
            break
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
    records, headings, signature = _structure(text, lines, title_span)
    return _Layout(title, title_span, header, _merge_spans(text, spans + datelines),
                   records, headings, signature)


# ---------------------------------------------------------------------------
# Press lines and datelines
# ---------------------------------------------------------------------------

#: How many of the first paragraphs may open with a news dateline.
_DATELINE_PARAGRAPHS = 3


def _press_line(line: _Line, lex: _Lexicon, zones: _Zones,
                index: int) -> tuple[HeaderField, ...] | None:
    """The fields of a press header line (某某日报 2023-05-06 10:12, 《某某日报》（2021年3月
    2日 第5版）, a byline 记者 张三), matched whole by a ``line`` pattern of the lexicon."""
    for p in lex.lines:
        if not zones.zone_ok(index, p.where):
            continue
        m = p.pattern.fullmatch(line.text)
        if m is not None:
            return _group_fields(m, line.start, "")
    return None


def _dateline(line: _Line, lex: _Lexicon) -> tuple[HeaderField, ...] | None:
    """The fields of a news dateline at the start of ``line`` (本报北京10月13日电（记者 李四）):
    the whole dateline first (key ``dateline``), then its parts."""
    for pattern in lex.datelines:
        m = pattern.match(line.text)
        if m is not None and m.end() < len(line.text):
            whole = HeaderField("dateline", "", m.group(0), line.start, line.start + m.end())
            return (whole, *_group_fields(m, line.start, "dateline"))
    return None


def _group_fields(m: re.Match[str], base: int, label: str) -> tuple[HeaderField, ...]:
    """One header field per named group of ``m`` that matched something."""
    return tuple(
        HeaderField(key, label, m.group(key).strip(), base + m.start(key), base + m.end(key))
        for key in sorted(m.re.groupindex, key=lambda k: m.re.groupindex[k])
        if m.group(key) and m.group(key).strip()
    )


# ---------------------------------------------------------------------------
# Structure: headings, the signature block, the public line records
# ---------------------------------------------------------------------------

#: Heading numberings, by style (see :class:`~kg.base.records.Heading`).
_MARKERS: Final = (
    ("chapter", re.compile(r"第[一二三四五六七八九十百零〇\d]{1,3}\s*(?:章|节|部分|篇)\s*")),
    ("cn", re.compile(r"[一二三四五六七八九十]{1,3}\s*(?:、|[．.](?!\d))\s*")),
    ("pcn", re.compile(r"[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]\s*")),
    ("num", re.compile(r"\d{1,2}\s*(?:、|[．.](?!\d))\s*")),
    ("pnum", re.compile(r"[（(]\s*\d{1,2}\s*[）)]\s*")),
    ("circled", re.compile(r"[①-⑳]\s*")),
    ("bracket", re.compile(r"【(?=[^】]{1,24}】)")),
)
#: Longest heading (its words up to the first 。 or the line's end).
_HEADING_MAX = 40
#: A number that is no year, month or day: a heading holds none (1.全市参保95万人。 is a list item).
_QUANTITY_IN = re.compile(r"\d+(?:\.\d+)?(?![\d.]*\s*(?:年|月|日|号|季度))")
_HEADING_END = re.compile(r"[。！？；;!?]")
#: A short line with these is a salutation (某某委员：), an address list or a lead-in
#: (根据检查结果——), not a heading of its own.
_NOT_BARE = re.compile(r"[，,、：:—/|]")
#: Longest signature line, and how many lines a signature block holds at most.
_SIGNATURE_MAX = 40
_SIGNATURE_LINES = 4


def _heading_of(line: _Line, prose_next: bool) -> tuple[str, int, int, bool] | None:
    """(marker, start, end, inline) of a heading on ``line``, offsets into the text."""
    text = line.text
    for marker, pattern in _MARKERS:
        m = pattern.match(text)
        if m is None:
            continue
        if marker == "bracket":
            close = text.index("】")
            words, end = text[1:close], close + 1
        else:
            stop = _HEADING_END.search(text, m.end())
            end = stop.start() if stop else len(text)
            words = text[m.end():end]
        if not words.strip() or len(words) > _HEADING_MAX or _QUANTITY_IN.search(words):
            return None
        inline = bool(text[end:].strip(" \t\u3000。：:"))
        return marker, line.start, line.start + end, inline
    if (line.prose or len(text) > _HEADING_MAX or not prose_next or _han_count(text) < 2
            or _QUANTITY_IN.search(text) or _DATE_LINE.match(text) or _NOT_BARE.search(text)):
        return None
    return "bare", line.start, line.end, False


def _structure(text: str, lines: list[_Line], title_span: Span | None
               ) -> tuple[tuple[Line, ...], tuple[Heading, ...], Span | None]:
    """The public line records, the headings with their levels, and the signature block."""
    kinds = ["blank" if not ln.text else ("body" if not ln.kind else "header"
             if ln.kind == "header" else "chrome") for ln in lines]
    if title_span is not None:
        for i, ln in enumerate(lines):
            if ln.text and title_span[0] <= ln.start and ln.end <= title_span[1]:
                kinds[i] = "title"
    body = [i for i, k in enumerate(kinds) if k == "body"]
    signature = _signature(lines, kinds, body)
    headings: list[Heading] = []
    styles: list[str] = []  # the open numbering styles, outermost first
    for n, i in enumerate(body):
        nxt = body[n + 1] if n + 1 < len(body) else None
        found = _heading_of(lines[i], nxt is not None and lines[nxt].prose)
        if found is None:
            continue
        marker, start, end, inline = found
        if marker in styles:
            del styles[styles.index(marker) + 1:]
        else:
            styles.append(marker)
        words = text[start:end]
        m = dict(_MARKERS).get(marker)
        lead = m.match(words) if m is not None else None
        bare = words[lead.end():] if lead else words
        headings.append(Heading(start, end, len(styles), marker,
                                bare.strip(" \t\u3000【】：:|｜"), inline))
        if not inline:
            kinds[i] = "heading"
    records = tuple(Line(ln.start, ln.end, k) for ln, k in zip(lines, kinds, strict=True))
    return records, tuple(headings), signature


def _signature(lines: list[_Line], kinds: list[str], body: list[int]) -> Span | None:
    """The signature block: the short lines after the last paragraph (the signing body,
    its date), at most :data:`_SIGNATURE_LINES`; they become ``signature`` lines."""
    block: list[int] = []
    for i in reversed(body):
        ln = lines[i]
        if ln.prose or len(ln.text) > _SIGNATURE_MAX or len(block) >= _SIGNATURE_LINES:
            break
        block.append(i)
    if not block or not any(_DATE_LINE.match(lines[i].text) for i in block):
        return None
    for i in block:
        kinds[i] = "signature"
    return lines[block[-1]].start, lines[block[0]].end


def with_layout(document: Document) -> Document:
    """``document`` with the lines, headings and signature block of its text (for
    documents made by hand; :func:`kg.ingest.collect.read_document` fills them itself).

        >>> d = with_layout(Document("a.txt", "a.txt", "一、概况\\n全市参保人数12万人。", "0",
        ...                          "utf-8", "text/plain"))
        >>> [(h.marker, h.text) for h in d.headings]
        [('cn', '概况')]
    """
    layout = _analyse(document.text, markdown=document.media_type == "text/markdown", hints=())
    return replace(document, lines=layout.lines, headings=layout.headings,
                   signature=layout.signature)


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
            # 宜春市医疗保障局 / 2023年工作总结: the second line names the kind, the first not
            joinable = joinable or (
                len(second) <= MAX_KIND_LINE_CHARS and _reads_like_title(second)
                and second.endswith(_kind_words()) and not title.endswith(_kind_words()))
            if joinable and len(title) + len(second) <= MAX_TITLE_CHARS:
                return title + second, (s, e2)
        return title, (s, e)
    return None, None


#: Longest second line of a split title that is joined for the kind word it ends with.
MAX_KIND_LINE_CHARS: Final = 20


@lru_cache(maxsize=1)
def _kind_words() -> tuple[str, ...]:
    """The words a report's title names its kind with (``report_kinds.tsv``, title/name)."""
    return tuple(sorted({cols[1] for cols in _tsv_rows("report_kinds.tsv")
                         if len(cols) >= 4 and cols[3] in ("title", "name")
                         and cols[0] not in ("agency", "media")}))


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
