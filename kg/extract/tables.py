"""Statistics and indicator tables, in the forms plain text gives them.

A table is a header row naming its columns, then rows: a label, maybe a unit,
and values. The header's cells say what each column holds:

* a **year** (2020年, 2025年目标, 2020年基数, 2024年1-6月): values of that year; a
  goal when the words after the year say so (目标: the ``table_column`` rows of
  ``observation_words.tsv``) or the year is after the first year column;
* a **value word** (本期, 本月, 累计, 1-6月, 同比增长(%), 上年同期, 比上年同期增减)
  or a measure with its unit in brackets (起付线(元)): the column's ``role`` is
  ``change`` when its words name a change (同比, 增长, 增减…), ``base`` when
  they name the comparison period (上年同期), else ``level``;
* the **row labels** (指标名称, 项目; else the column right before the first
  value or unit column), the **unit** (单位), remarks (备注, 属性: running text)
  and row numbers (序号). After a label word (项目 | 职工医保 | 居民医保) every
  column holds values.

The words are in ``ontology/lexicon/table_words.tsv``; the units are the
``ybu:`` labels, with the scale words (万, 亿) and denominators (元/人) of
``quantity_words.tsv``.

Layouts read:

* cells separated by tabs or by runs of two or more spaces (aligned columns);
* cells separated by ``|`` on one line (``指标名称 | 单位 | 本期 | ||``; each
  cell ends with ``|``, so ``||`` closes two empty cells), markdown tables too;
* no separator at all: a header made of the lexicon's words (``指标名称单位本期``,
  ``指标名称 单位 本期 同比增长``), then rows such as ``基本医疗保险万人1848.99``
  whose values are read from the line's end (a sign belongs to its value) and
  whose unit is the unit word before them;
* one cell per line, an HTML table flattened to text: each cell on its own
  line, ending with `` |`` (a bare ``|`` is an empty cell, ``||`` two), or
  alone between blank lines. The header's width is not written: the width that
  reads the most values from the first cells wins.

Inside a table a line without values (一、参保人数) is a **section** row when a
row follows it. A row whose label starts with 其中 is a **part** of the row
above it (the nearest row that is no part), and so is a row indented under a
less indented one when the table's indentation is an outline (no row of a
section is less indented than the section's first row). The line above the
header, past page lines (日期:, 来源:) and blank lines, is the table's
**title** when it reads like one; a 单位：万元 line there gives every row its
unit. A note line (注：) ends a table.

Each numeric cell becomes a :class:`TableCell` whose offsets slice back into
the text::

    >>> table = "指标\\t2020年\\t2025年\\t属性\\n参保率（%）\\t95.1\\t≥95\\t约束性\\n"
    >>> cells = find_table_cells(table)
    >>> [(c.label, c.year, c.goal, c.text, c.unit_text) for c in cells]
    [('参保率', 2020, False, '95.1', '%'), ('参保率', 2025, True, '≥95', '%')]
    >>> page = ("2024年二季度医疗保障主要指标\\n指标名称单位本期同比增长(%)\\n一、参保人数\\n"
    ...         "基本医疗保险万人120.50 2.1\\n其中:职工医保万人40.20 -0.8\\n")
    >>> [(c.label, c.unit_text, c.column, c.role, c.text, c.section)
    ...  for c in find_table_cells(page)]  # doctest: +NORMALIZE_WHITESPACE
    [('基本医疗保险', '万人', '本期', 'level', '120.50', '参保人数'),
     ('基本医疗保险', '%', '同比增长(%)', 'change', '2.1', '参保人数'),
     ('职工医保', '万人', '本期', 'level', '40.20', '参保人数'),
     ('职工医保', '%', '同比增长(%)', 'change', '-0.8', '参保人数')]
    >>> part = find_table_cells(page)[2]
    >>> page[part.parent:].split("\\n")[0], part.title, part.year
    ('基本医疗保险万人120.50 2.1', '2024年二季度医疗保障主要指标', None)
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from kg.base.ontology import label_index
from kg.base.resources import lexicon, lexicon_words

#: Longest cell of a one-cell-per-line table written without ``|``, and longest
#: header cell of such a table.
_MAX_CELL = 60
_MAX_HEADER_CELL = 20
#: Longest row label of a table written without separators; longest section row.
_MAX_LABEL = 40
_MAX_SECTION = 30
#: Longest title and longest header line.
_MAX_TITLE = 60
_MAX_HEADER_LINE = 200
#: Blank lines allowed inside a table.
_MAX_BLANKS = 2
#: Non-blank lines looked at above a header for its title.
_TITLE_LINES = 4
#: Cells of a one-cell-per-line table looked at for its header, and to try widths on.
_HEADER_CELLS = 14
_SAMPLE_CELLS = 48

_SIGN = r"[-−－﹣+＋]"
_NUM = r"\d[\d,，]*(?:\.\d+)?"
_COMPARE = r"(?:[≥≤><＞＜]=?|约|不低于|不少于|不超过|不高于|超过|达到|稳定在|保持在|控制在)"
_APPROX_AFTER = r"(?:左右|及以上|及以下|以上|以下|以内|之内)"
_PLACEHOLDER = r"(?:[—–－\-/／…]+|无|暂无)"
_SENTENCE_PUNCT = re.compile(r"[。！？；;!?，,]")
#: Running text in a value cell: a sentence, a clause, or a long cell.
_PROSE = re.compile(r"[。！？]|，|,(?!\d)|^.{31,}$")
_DIGIT = re.compile(r"\d")
_SPLIT_SPACES = re.compile(r"[ \u3000]{2,}")
_TABS = re.compile(r"\t+")
_BAR = re.compile(r"\|")
#: Outline numbering at a label's start: 1. 1、 （1） (一) 一、 ①.
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]\s*[、.．]?"
    r"|\d+(?:\.\d+)*\s*[、.．](?!\d)|[①-⑳])\s*")
#: A page line of key and value above a table (日期:2021-01-04, 来源: …).
_META = re.compile(r"^[^\s:：|，。]{1,8}\s*[:：]")
#: A markdown table's rule cell.
_RULE_CELL = re.compile(r"^:?-{2,}:?$")
#: A year column: the year, an optional period of it, then words.
_YEAR_CELL = re.compile(
    r"^((?:19|20)\d\d)年?(?:\d{1,2}(?:[-—~至]\d{1,2})?月份?|[一二三四1-4]季度|[上下]半年|全年"
    r"|年初|年末|底)?(.*)$")
#: A column of months without a year: 1-6月, 12月, 1-9月累计.
_MONTH_CELL = re.compile(r"^\d{1,2}(?:[-—~至]\d{1,2})?月份?(?:累计)?$")
#: What may stand between 其中 and the part's label.
_PART_SEP = ":：,，、 \u3000"


@dataclass(frozen=True)
class TableCell:
    """A numeric cell of a table, with its row and column.

    ``label`` is the row label (numbering, the 其中 prefix and a bracketed unit
    removed; an inclusion note such as (含生育保险) kept); ``start``/``end``/``text``
    the value cell as written (``text[start:end] == text``, sign and comparison
    words included); ``unit_text`` the unit written for this value wherever the
    table puts it: in the cell (60%), in the column header's brackets (起付线(元),
    同比增长(%)), in the unit column or as a unit word before the value (万人),
    in the label's brackets (（%）), in the section row's brackets, or on a
    单位：line above the table, in that order ('' when none); ``year`` the
    column's year (None: the column names none); ``goal`` a goal column.

    ``column`` is the column header as written ('' when the table has none);
    ``role`` ``level``, ``change`` (the value is a change of the row's level: 同比,
    增长, 增减, 环比 columns) or ``base`` (the level of the comparison period: 上年
    同期); ``row_start`` the offset where the row's label is written (numbering
    and 其中 included); ``parent`` the ``row_start`` of the row this row is a part
    of (a 其中 row, or a row indented under its total), else None; ``section``
    the text of the section row above it in the table (numbering stripped), else
    None; ``title``/``title_start`` the table's title line and its offset.
    """

    label: str
    year: int | None
    goal: bool
    start: int
    end: int
    text: str
    unit_text: str
    column: str = ""
    role: str = "level"
    row_start: int = 0
    parent: int | None = None
    section: str | None = None
    title: str | None = None
    title_start: int | None = None


@dataclass(frozen=True)
class Table:
    """One table of a text: its extent, title, header and numeric cells.

    ``start``/``end`` run from the title (or the header) to the end of the last
    row with a value; ``columns`` are the header's cells as written; ``notes``
    the spans of the cells that are running text (备注 cells, sentences), which
    the sentence extractor reads.
    """

    start: int
    end: int
    header_start: int
    title: str | None
    title_start: int | None
    columns: tuple[str, ...]
    cells: tuple[TableCell, ...]
    notes: tuple[tuple[int, int], ...] = ()


def find_tables(text: str) -> list[Table]:
    """Every table of ``text`` with a numeric cell, in text order."""
    lines = _lines(text)
    out: list[Table] = []
    floor = i = 0
    while i < len(lines):
        found = _line_table(lines, i) or _stream_table(lines, i)
        table = _assemble(lines, found, floor) if found is not None else None
        if found is None or table is None:
            i += 1
            continue
        out.append(table)
        floor = table.end
        i = max(found.next_line, i + 1)
    return out


def find_table_cells(text: str) -> list[TableCell]:
    """Every numeric cell of the tables in ``text``, in text order."""
    return [c for t in find_tables(text) for c in t.cells]


def table_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the tables of ``text`` (title or header to the last row), with
    the cells that are running text cut out: the sentence extractor skips the
    numbers inside them.

    >>> text = ("全年参保人数稳定。\\n指标名称\\t单位\\t本期\\n参保人数\\t万人\\t12.5\\n"
    ...         "下一步，继续扩面。\\n")
    >>> [text[s:e] for s, e in table_spans(text)]
    ['指标名称\\t单位\\t本期\\n参保人数\\t万人\\t12.5']
    """
    out: list[tuple[int, int]] = []
    for t in find_tables(text):
        pos = t.start
        for s, e in t.notes:
            if s > pos:
                out.append((pos, s))
            pos = max(pos, e)
        if pos < t.end:
            out.append((pos, t.end))
    return out


# --- words ------------------------------------------------------------------------------


def _words(kind: str) -> tuple[str, ...]:
    """The ``kind`` words of ``table_words.tsv``, longest first."""
    return lexicon_words("table_words.tsv").get(kind, ())


def table_value_words() -> tuple[str, ...]:
    """The words of a header that name a value column rather than a measured thing (本期,
    累计, 同比增长…): a column named otherwise (起付线(元)) names what its cells measure."""
    return _words("value_column")


@functools.cache
def _year_words() -> dict[str, str]:
    """Words after the year of a year column (目标 → goal, 基数 → base)."""
    return lexicon("observation_words.tsv").values("table_column")


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def _unit_pattern() -> str:
    """A unit: an optional scale word, a ``ybu:`` label, optional denominators (元/人·年);
    or a scale word alone (（万）)."""
    words = lexicon("quantity_words.tsv")
    scales = _alternation([r[1] for r in words.rows("scale")])
    per = _alternation([r[1] for r in words.rows("per_word")])
    labels = [w for w in label_index("ybu") if not w.endswith("分之") and w != "其他单位"]
    return (f"(?:(?:{scales})?(?:{_alternation([*labels, '‰'])})"
            f"(?:[/／](?:{per})(?:[·•/／](?:{per}))*)?|(?:{scales}))")


@functools.cache
def _unit_word() -> re.Pattern[str]:
    return re.compile(f"^(?:{_unit_pattern()})$")


@functools.cache
def _unit_suffix() -> re.Pattern[str]:
    """A unit ending a row's text (基本医疗保险万人): searched, the longest one matches."""
    return re.compile(f"(?:{_unit_pattern()})$")


@functools.cache
def _bracket_unit() -> re.Pattern[str]:
    """A unit in brackets ending a label or header: 参保率（%）, 起付线(元), 金额（单位：万元）."""
    return re.compile(r"\s*[（(]\s*(?:(?:" + _alternation(_words("unit_column"))
                      + r")\s*[:：]\s*)?(" + _unit_pattern() + r")\s*[)）]\s*$")


@functools.cache
def _table_unit() -> re.Pattern[str]:
    """单位：万人 or （单位：亿元）, on a line above a table or ending its title."""
    return re.compile(r"[（(]?\s*(?:" + _alternation(_words("unit_column"))
                      + r")\s*[:：]\s*(" + _unit_pattern() + r")\s*[)）]?\s*$")


@functools.cache
def _value_cell() -> re.Pattern[str]:
    """A cell that is a value alone: 1848.99, -3.81, ≥95, 60%, 3000元/年, 70%以上."""
    return re.compile(rf"^{_COMPARE}?\s*{_SIGN}?\s*{_NUM}\s*(?:{_unit_pattern()})?\s*"
                      rf"{_APPROX_AFTER}?$")


@functools.cache
def _cell_unit() -> re.Pattern[str]:
    """A cell's first number and the unit written right after it."""
    return re.compile(rf"{_NUM}\s*({_unit_pattern()})?")


def _token() -> str:
    return rf"(?:{_COMPARE}?{_SIGN}?{_NUM}(?:{_unit_pattern()})?{_APPROX_AFTER}?)"


@functools.cache
def _value_run() -> re.Pattern[str]:
    """The values ending a row written without cell separators, whitespace between them;
    a placeholder (—) only after whitespace."""
    return re.compile(rf"(?:{_token()}|(?<=\s){_PLACEHOLDER})"
                      rf"(?:\s+(?:{_token()}|{_PLACEHOLDER}))*\s*$")


@functools.cache
def _value_tokens() -> re.Pattern[str]:
    return re.compile(rf"{_token()}|{_PLACEHOLDER}")


def _value_column_words() -> str:
    year = r"(?:19|20)\d\d年?(?:" + _alternation(list(_year_words())) + r")?"
    return (r"(?:" + _alternation(_words("value_column")) + r"|" + year + r"|"
            + _MONTH_CELL.pattern.strip("^$") + r")(?:[（(][^（）()]{1,8}[)）])?")


@functools.cache
def _word_header() -> re.Pattern[str]:
    """A header written with no or single spaces, in the lexicon's words only (spaces
    removed): 序号? label? unit? values+ unit?."""
    unit = _alternation(_words("unit_column"))
    return re.compile(rf"^(?:{_alternation(_words('index_column'))})?"
                      rf"(?P<label>{_alternation(_words('label_column'))})?"
                      rf"(?P<unit>{unit})?(?P<values>(?:{_value_column_words()})+)"
                      rf"(?P<unit_after>{unit})?$")


@functools.cache
def _value_column_word() -> re.Pattern[str]:
    return re.compile(_value_column_words())


# --- the header -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    text: str
    kind: str  # label, unit, value, note, index, other
    role: str = "level"
    year: int | None = None
    goal: bool = False
    unit: str = ""
    named: bool = False  # a year, a value word or a unit in brackets says it holds values


@dataclass(frozen=True)
class _Header:
    columns: tuple[_Column, ...]
    label: int  # the label column's index
    unit: int | None  # the unit column's index
    values: tuple[int, ...]
    notes: tuple[int, ...]
    start: int  # offset of the header's first cell


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _role(words: str) -> str | None:
    """change, base or level: what a header's words say its column holds; None: nothing."""
    if any(w in words for w in _words("change_cue")):
        return "change"
    if any(w in words for w in _words("base_cue")):
        return "base"
    if words in _words("value_column") or any(w in words for w in _words("level_cue")):
        return "level"
    return None


def _classify(text: str) -> _Column:
    """What a header cell names."""
    t = _compact(text)
    if not t:
        return _Column(text, "other")
    for kind in ("label", "unit", "note", "index"):
        if t in _words(f"{kind}_column"):
            return _Column(text, kind)
    unit = ""
    m = _bracket_unit().search(t)
    if m:
        unit, t = m.group(1), t[: m.start()]
    y = _YEAR_CELL.match(t)
    if y:
        rest = y.group(2).strip("（()）")
        kind_word = _year_words().get(rest)
        if rest == "" or kind_word is not None:
            return _Column(text, "value", "level", int(y.group(1)), kind_word == "goal", unit, True)
        role = _role(rest)
        if role is not None and len(rest) <= 12:
            return _Column(text, "value", role, int(y.group(1)), False, unit, True)
        return _Column(text, "other")
    if _MONTH_CELL.match(t):
        return _Column(text, "value", "level", None, False, unit, True)
    role = _role(t)
    if role is not None and len(t) <= 12:
        return _Column(text, "value", role, None, False, unit, True)
    if unit:
        return _Column(text, "value", "level", None, False, unit, True)
    return _Column(text, "other")


def _header(texts: Sequence[str], start: int, strict: bool = True) -> _Header | None:
    """The header these cells make, or None.

    A table with year columns: the label column is the last label word (指标) before
    the first year, else the column right before it; other unnamed columns hold
    attributes. A table without: the label column is the last label word before the
    first named column (本期, 起付线(元)), else the first column (序号 aside), and
    every column after it holds values. ``strict``: two cells make a header only when
    the first is a label word.
    """
    cols = [_classify(t) for t in texts]
    if strict and len(cols) < 3 and cols[0].kind != "label":
        return None
    first = next((i for i, c in enumerate(cols) if c.kind in ("value", "unit")), len(cols))
    words = [i for i in range(first) if cols[i].kind == "label"]
    years = [c.year for c in cols if c.year is not None]
    if years:
        label = words[-1] if words else first - 1
        cols = [c if c.year is None or c.goal else _Column(
            c.text, c.kind, c.role, c.year, c.year > years[0], c.unit, c.named) for c in cols]
    else:
        if not words and first == len(cols):
            return None
        label = words[-1] if words else next(
            (i for i, c in enumerate(cols) if c.kind != "index"), 0)
        cols = [_Column(c.text, "value") if i > label and c.kind == "other" and c.text.strip()
                else c for i, c in enumerate(cols)]
    if label < 0 or label >= first:
        return None
    values = tuple(i for i, c in enumerate(cols) if c.kind == "value" and i > label)
    if not values or not (words or any(cols[i].named for i in values)):
        return None
    unit = next((i for i, c in enumerate(cols) if c.kind == "unit" and i > label), None)
    notes = tuple(i for i, c in enumerate(cols) if c.kind == "note" and i > label)
    return _Header(tuple(cols), label, unit, values, notes, start)


def _word_header_of(start: int, line: str) -> _Header | None:
    """A header written without separators (指标名称单位本期, 指标 单位 本期 同比增长)."""
    if len(line.strip()) > _MAX_TITLE:
        return None
    where = [k for k, ch in enumerate(line) if not ch.isspace()]
    compact = "".join(line[k] for k in where)
    m = _word_header().match(compact)
    if m is None or not (m.group("label") or m.group("unit") or m.group("unit_after")):
        return None
    spans = [m.span(name) for name in ("label", "unit") if m.group(name)]
    spans += [v.span() for v in _value_column_word().finditer(compact, m.start("values"),
                                                               m.end("values"))]
    if m.group("unit_after"):
        spans.append(m.span("unit_after"))
    cells = [line[where[a]: where[b - 1] + 1] for a, b in spans]
    if not m.group("label"):
        cells.insert(0, "")
    return _header(cells, start + where[0], strict=False)


def _is_header_line(line: str) -> bool:
    """Is this line a table's header (it ends the table above it)?"""
    s = line.strip()
    if not s or len(s) > _MAX_HEADER_LINE:
        return False
    if "|" in line:
        cells = [c for _, c in _bar_cells(line)]
    elif "\t" in line or _SPLIT_SPACES.search(s):
        cells = [c for _, c in _split(line)]
    else:
        return _word_header_of(0, line) is not None
    if len([c for c in cells if c]) < 2 or any(_is_value(c) for c in cells):
        return False
    return _header(cells, 0) is not None


# --- rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    start: int  # where the label is written
    end: int  # the end of the row's last cell
    indent: int
    label: str  # as written
    unit: str  # the unit column's cell, or the unit word before the values
    values: tuple[tuple[int, int, str], ...]  # (column index, start, text)
    notes: tuple[tuple[int, int], ...] = ()  # remark cells


@dataclass(frozen=True)
class _Section:
    start: int
    text: str


_Item = _Row | _Section
#: A line parser's answer: a row, a section, "skip" (a markdown rule), or None (the end).
_Parsed = _Row | _Section | str | None


def _indent(s: str) -> int:
    n = 0
    for ch in s:
        if ch == " ":
            n += 1
        elif ch == "\u3000":
            n += 2
        elif ch == "\t":
            n += 4
        else:
            break
    return n


def _is_value(cell: str) -> bool:
    return _value_cell().match(cell.strip()) is not None


def _is_header_word(cell: str) -> bool:
    t = _compact(cell)
    return bool(t) and (_classify(t).kind in ("label", "unit", "note", "index")
                        or _value_column_word().fullmatch(t) is not None)


def _is_note(s: str) -> bool:
    """A note under a table: 注：…, *注:…, 数据来源：…."""
    s = s.lstrip()
    return any(s.startswith(w) and s[len(w): len(w) + 1] in (":", "：", "", " ", "\u3000")
               for w in _words("note_lead"))


def _section(start: int, cell: str) -> _Section | None:
    """A section row (一、参保人数): short, no value, no sentence, no note."""
    s = cell.strip()
    if (not s or len(s) > _MAX_SECTION or _SENTENCE_PUNCT.search(s) or _is_value(s)
            or _is_note(s)):
        return None
    if _DIGIT.search(_NUMBERING.sub("", s)) and _value_run().search(s):
        return None
    return _Section(start + len(cell) - len(cell.lstrip()), s)


def _split(line: str) -> list[tuple[int, str]]:
    """Cells of a tab- or space-aligned row as (offset in line, text), empty ones left out."""
    sep = _TABS if "\t" in line else _SPLIT_SPACES
    cells, pos = [], 0
    for m in sep.finditer(line):
        cells.append((pos, line[pos: m.start()]))
        pos = m.end()
    cells.append((pos, line[pos:]))
    return [(p + len(c) - len(c.lstrip()), c.strip()) for p, c in cells if c.strip()]


def _bar_cells(line: str) -> list[tuple[int, str]]:
    """Cells of a ``|`` row as (offset in line, text), empty ones kept. Each cell ends
    with ``|``; text after the last ``|`` is a cell too (``a | b``); a ``|`` opening a
    line with cells after it opens a markdown row."""
    pieces, pos = [], 0
    for m in _BAR.finditer(line):
        pieces.append((pos, line[pos: m.start()]))
        pos = m.end()
    if line[pos:].strip():
        pieces.append((pos, line[pos:]))
    if (line.lstrip().startswith("|") and not pieces[0][1].strip()
            and sum(1 for _, c in pieces if c.strip()) >= 2):
        pieces = pieces[1:]
    return [(p + len(c) - len(c.lstrip()), c.strip()) for p, c in pieces]


def _cells_row(line_start: int, line: str, cells: list[tuple[int, str]], header: _Header,
               keep_places: bool) -> _Row | None:
    """A row of cells under ``header``. ``keep_places``: the cells stand in their
    columns (``|`` rows keep their empty cells); otherwise a short row is first
    completed (a unit or a value written onto the label with one space or none)
    and then aligned on its first value."""
    width = len(header.columns)
    shift = 0
    if not keep_places and len(cells) < width:
        cells = _complete(cells, header)
        f = next((i for i, (_, c) in enumerate(cells) if i > 0 and _is_value(c)), None)
        if f is not None and len(cells) < width:
            shift = max(0, min(header.values[0] - f, width - len(cells)))

    def at(col: int | None) -> tuple[int, str] | None:
        i = -1 if col is None else col - shift
        return cells[i] if 0 <= i < len(cells) else None

    label = at(header.label) or cells[0]
    if _is_value(label[1]):
        return None
    unit_cell = at(header.unit)
    unit = unit_cell[1] if unit_cell and not _is_value(unit_cell[1]) else ""
    values = []
    for col in header.values:
        cell = at(col)
        if cell and cell is not label and _DIGIT.search(cell[1]):
            values.append((col, line_start + cell[0], cell[1]))
    notes = []
    for col in header.notes:
        cell = at(col)
        if cell and cell[1]:
            notes.append((line_start + cell[0], line_start + cell[0] + len(cell[1])))
    end = max(line_start + p + len(c) for p, c in cells if c)
    before = line[: label[0]]
    bar = before.rfind("|")
    space = before[bar + 1:]
    indent = _indent(space) - (1 if bar >= 0 and space.startswith(" ") else 0)
    return _Row(line_start + label[0], end, max(indent, 0), label[1], unit, tuple(values),
                tuple(notes))


def _complete(cells: list[tuple[int, str]], header: _Header) -> list[tuple[int, str]]:
    """A short aligned row with its first cell split: 基本医疗保险万人 (the unit written
    onto the label), 职工医保…比例（%） 84.5 (one space only before the first value)."""
    pos, first = cells[0]
    if header.unit == header.label + 1:
        m = _unit_suffix().search(first)
        if m and m.start() > 0:
            cells = [(pos, first[: m.start()].rstrip()), (pos + m.start(), m.group()), *cells[1:]]
    if len(cells) < len(header.columns):
        pos, first = cells[0]
        m = re.match(r"^(.*\S)\s+(" + _COMPARE + r"?" + _SIGN + r"?\d\S*)$", first)
        if m:
            cells = [(pos, m.group(1)), (pos + m.start(2), m.group(2)), *cells[1:]]
    return cells


def _tokens_row(line_start: int, line: str, header: _Header) -> _Row | None:
    """A row written without cell separators: its values read from the line's end (as
    many as the header has value columns, aligned from the first), then the unit word
    before them, then the label."""
    body = line.rstrip()
    lead = len(body) - len(body.lstrip())
    unit_after = header.unit is not None and header.unit > header.values[-1]
    unit = ""
    if unit_after:
        m = re.search(r"(?:(?<=\s)|(?<=\d))(" + _unit_pattern() + r")$", body)
        if m:
            unit, body = m.group(1), body[: m.start()].rstrip()
    run = _value_run().search(body, lead)
    if run is None or not _DIGIT.search(run.group()):
        return None
    tokens = [(m.start(), m.group()) for m in _value_tokens().finditer(body, run.start())]
    tokens = tokens[: len(header.values)]
    rest = body[lead: tokens[0][0]]
    if (header.unit is not None and not unit_after) or rest[-1:].isspace():
        m = _unit_suffix().search(rest.rstrip())
        if m and m.start() > 0 and (header.unit is not None or rest[m.start() - 1].isspace()):
            unit, rest = m.group(), rest[: m.start()]
    label = rest.strip()
    if (not label or len(label) > _MAX_LABEL or _SENTENCE_PUNCT.search(label)
            or _is_value(label) or _is_note(label)):
        return None
    values = tuple((col, line_start + pos, tok) for col, (pos, tok)
                   in zip(header.values, tokens, strict=False) if _DIGIT.search(tok))
    return _Row(line_start + lead, line_start + tokens[-1][0] + len(tokens[-1][1]),
                _indent(line), label, unit, values)


# --- tables whose rows are lines --------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    header: _Header
    items: list[_Item]
    first_line: int  # the header's first line
    next_line: int  # the first line after the table


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def _line_table(lines: list[tuple[int, str]], i: int) -> _Found | None:
    """A table whose header is line ``i`` and whose rows are the lines after it."""
    start, line = lines[i]
    s = line.strip()
    if not s or len(s) > _MAX_HEADER_LINE:
        return None
    parse: Callable[[int, str], _Parsed]
    if "|" in line:
        cells = _bar_cells(line)
        if sum(1 for _, c in cells if c) < 2:
            return None
        header = _header([c for _, c in cells], start + cells[0][0])
        if header is None:
            return None
        parse = functools.partial(_bar_line, header)
    else:
        split = _split(line)
        header = None
        if len(split) >= 2:
            header = _header([c for _, c in split], start + split[0][0])
        words_only = header is None
        if header is None:
            header = _word_header_of(start, line)
        if header is None:
            return None
        parse = functools.partial(_aligned_line, header, words_only)
    items, after = _read_lines(lines, i + 1, parse)
    return _Found(header, items, i, after) if items else None


def _bar_line(header: _Header, line_start: int, line: str) -> _Parsed:
    """A line under a ``|`` header: a row, a section, a markdown rule, or the end."""
    if "|" not in line or _is_header_line(line):
        return None
    cells = _bar_cells(line)
    if all(not c or _RULE_CELL.match(c) for _, c in cells):
        return "skip"
    full = [(p, c) for p, c in cells if c]
    if len(full) == 1 and full[0][0] == cells[min(header.label, len(cells) - 1)][0]:
        return _section(line_start + full[0][0], full[0][1])
    return _cells_row(line_start, line, cells, header, keep_places=True)


def _aligned_line(header: _Header, words_only: bool, line_start: int, line: str) -> _Parsed:
    """A line under an aligned header: a row of cells, a row written without separators
    (values read from the end), a section, or the end."""
    if _is_header_line(line):
        return None
    cells = _split(line)
    if not words_only and len(cells) >= 2:
        return _cells_row(line_start, line, cells, header, keep_places=False)
    after = header.columns[header.label + 1:]
    if all(c.kind in ("unit", "value") for c in after):
        row = _tokens_row(line_start, line, header)
        if row is not None:
            return row
    if len(cells) == 1:
        return _section(line_start + cells[0][0], cells[0][1])
    return None


def _read_lines(lines: list[tuple[int, str]], i: int,
                parse: Callable[[int, str], _Parsed]) -> tuple[list[_Item], int]:
    """Rows and sections from line ``i`` on, up to the first line ``parse`` ends the
    table at; a section counts only when a row follows it. Returns the items and the
    index of the line after the last row."""
    items: list[_Item] = []
    pending: list[_Item] = []
    last, blanks = i - 1, 0
    for j in range(i, len(lines)):
        start, line = lines[j]
        if not line.strip():
            blanks += 1
            if blanks > _MAX_BLANKS:
                break
            continue
        blanks = 0
        got = parse(start, line)
        if got is None:
            break
        if isinstance(got, _Section):
            pending.append(got)
        elif isinstance(got, _Row):
            items += [*pending, got]
            pending = []
            last = j
    return items, last + 1


# --- tables of one cell per line --------------------------------------------------------


@dataclass(frozen=True)
class _StreamCell:
    start: int
    text: str
    indent: int  # its line's


def _stream_cells(lines: list[tuple[int, str]], i: int, bars: bool) -> Iterator[_StreamCell]:
    """The cells of a one-cell-per-line table from line ``i`` on: lines ending with
    ``|`` (one cell with text at most), or short lines without ``|``."""
    blanks = 0
    for j in range(i, len(lines)):
        start, line = lines[j]
        s = line.strip()
        if not s:
            blanks += 1
            if bars and blanks > _MAX_BLANKS:
                return
            continue
        blanks = 0
        if bars:
            if not s.endswith("|"):
                return
            cells = _bar_cells(line)
            if sum(1 for _, c in cells if c) > 1:
                return
            for p, c in cells:
                yield _StreamCell(start + p, c, _indent(line))
        else:
            if len(s) > _MAX_CELL or "|" in s:
                return
            yield _StreamCell(start + len(line) - len(line.lstrip()), s, _indent(line))


def _stream_table(lines: list[tuple[int, str]], i: int) -> _Found | None:
    """A one-cell-per-line table whose header starts at line ``i``.

    The header's width is not written: each width that the cells before the first
    value allow is tried on the first cells, and the one that reads most values wins.
    """
    s = lines[i][1].strip()
    bars = s.endswith("|")
    if not s or (not bars and len(s) > _MAX_HEADER_CELL):
        return None
    head = list(itertools.islice(_stream_cells(lines, i, bars), _HEADER_CELLS))
    k = next((n for n, c in enumerate(head) if _is_value(c.text)), None)
    if k is None or k < 3:
        return None
    sample: list[_StreamCell] = []
    best: tuple[int, _Header] | None = None
    for width in range(2, k):
        texts = [c.text for c in head[:width]]
        if not bars and any(len(t) > _MAX_HEADER_CELL for t in texts):
            break
        header = _header(texts, head[0].start, strict=not bars)
        if header is None:
            continue
        sample = sample or list(itertools.islice(_stream_cells(lines, i, bars), _SAMPLE_CELLS))
        n = sum(len(it.values) for it in _stream_rows(sample, header, bars)
                if isinstance(it, _Row))
        if n and (best is None or n > best[0]):
            best = (n, header)
    if best is None:
        return None
    items = _stream_rows(list(_stream_cells(lines, i, bars)), best[1], bars)
    last = max(it.end for it in items if isinstance(it, _Row))
    after = next((j for j in range(i, len(lines)) if lines[j][0] >= last), len(lines))
    return _Found(best[1], items, i, after)


def _stream_rows(cells: Sequence[_StreamCell], header: _Header, bars: bool) -> list[_Item]:
    """The rows and sections of a one-cell-per-line table (its header's cells first)."""
    width = len(header.columns)
    items: list[_Item] = []
    k = width
    while k < len(cells):
        row = cells[k: k + width]
        label = row[min(header.label, len(row) - 1)]
        if not bars and any(len(c.text) > _MAX_CELL for c in row):
            break
        if (_is_value(label.text) or _unit_word().match(label.text)
                or any(_is_header_word(c.text) and not _is_value(c.text) for c in row)):
            break  # (a value that reads like a year, 1900 or 2023, is still a value)
        others = [c for n, c in enumerate(row) if n != header.label]
        if bars and label.text and len(row) == width and not any(c.text for c in others):
            section = _section(label.start, label.text)
            if section is None:
                break
            items.append(section)
            k += width
            continue
        if len(row) < width and (not bars or len(row) < 2):
            break
        values = _stream_values(row, header)
        if not values:
            # a section written as one cell (merged) above full rows
            section = _section(label.start, label.text) if header.label == 0 else None
            if section is None or not _stream_values(cells[k + 1: k + 1 + width], header):
                break
            items.append(section)
            k += 1
            continue
        unit_cell = row[header.unit] if header.unit is not None and header.unit < len(row) else None
        unit = unit_cell.text if unit_cell and not _is_value(unit_cell.text) else ""
        notes = tuple((row[col].start, row[col].start + len(row[col].text))
                      for col in header.notes if col < len(row) and row[col].text)
        end = max(c.start + len(c.text) for c in row if c.text)
        items.append(_Row(label.start, end, label.indent, label.text, unit, values, notes))
        k += width
    while items and isinstance(items[-1], _Section):
        items.pop()
    return items


def _stream_values(row: Sequence[_StreamCell], header: _Header) -> tuple[tuple[int, int, str], ...]:
    return tuple((col, row[col].start, row[col].text) for col in header.values
                 if col < len(row) and _DIGIT.search(row[col].text))


# --- the table's record -----------------------------------------------------------------


def _assemble(lines: list[tuple[int, str]], found: _Found, floor: int) -> Table | None:
    """The table's record: title, labels, units, sections, parents; None when it has no
    numeric cell (running-text cells aside)."""
    title, title_start, table_unit = _title(lines, found.first_line, floor)
    header = found.header
    rows: list[tuple[_Row, bool, int]] = []
    context: list[tuple[str, str, str | None, str]] = []  # label, its unit, section, its unit
    section: str | None = None
    section_unit = ""
    sections = 0
    for item in found.items:
        if isinstance(item, _Section):
            text, section_unit, _ = _clean_label(item.text)
            section = text or None
            sections += 1
            continue
        label, unit, part = _clean_label(item.label)
        rows.append((item, part, sections))
        context.append((label, unit, section, section_unit))
    parents = _parents(rows)
    cells: list[TableCell] = []
    notes: list[tuple[int, int]] = []
    for (row, _, _), (label, label_unit, sec, sec_unit), parent in zip(
            rows, context, parents, strict=True):
        notes += row.notes
        for col, start, value in row.values:
            if _PROSE.search(value):
                notes.append((start, start + len(value)))
                continue
            column = header.columns[col]
            m = _cell_unit().search(value)
            unit = ((m.group(1) if m else None) or column.unit or row.unit or label_unit
                    or sec_unit or table_unit)
            cells.append(TableCell(
                label=label, year=column.year, goal=column.goal, start=start,
                end=start + len(value), text=value, unit_text=unit,
                column=column.text.strip(), role=column.role, row_start=row.start,
                parent=parent, section=sec, title=title, title_start=title_start))
    if not cells:
        return None
    end = max(row.end for row, _, _ in rows if row.values)
    start = title_start if title_start is not None else header.start
    return Table(start, end, header.start, title, title_start,
                 tuple(c.text.strip() for c in header.columns), tuple(cells),
                 tuple(sorted(notes)))


def _title(lines: list[tuple[int, str]], i: int,
           floor: int) -> tuple[str | None, int | None, str]:
    """The title above the header at line ``i`` (not before offset ``floor``), its offset,
    and a unit for every row (单位：万人)."""
    unit = ""
    seen = 0
    for j in range(i - 1, -1, -1):
        start, line = lines[j]
        s = line.strip()
        if start < floor or seen >= _TITLE_LINES:
            break
        if not s:
            continue
        seen += 1
        m = _table_unit().search(s)
        if m and not unit:
            unit = m.group(1)
        if _META.match(s):
            continue
        if "|" in line:
            full = [(p, c) for p, c in _bar_cells(line) if c]
            if len(full) != 1:
                break
            pos, cell = full[0]
        else:
            pos, cell = len(line) - len(line.lstrip()), s
        if (len(cell) > _MAX_TITLE or _SENTENCE_PUNCT.search(cell) or cell.endswith((":", "："))
                or _is_note(cell) or _is_value(cell)):
            break
        return cell, start + pos, unit
    return None, None, unit


def _clean_label(raw: str) -> tuple[str, str, bool]:
    """A row label without its numbering, 其中 and bracketed unit; the unit; and whether
    the row is a part (其中)."""
    label = _NUMBERING.sub("", raw, count=1).strip()
    part = False
    for word in _words("part_prefix"):
        if label.startswith(word) and len(label) > len(word):
            label, part = label[len(word):].lstrip(_PART_SEP), True
            break
    unit = ""
    m = _bracket_unit().search(label)
    if m and m.start() > 0:
        unit, label = m.group(1), label[: m.start()].rstrip()
    return label.rstrip(":："), unit, part


def _parents(rows: Sequence[tuple[_Row, bool, int]]) -> list[int | None]:
    """The parent of each (row, is a 其中 part, section number), as its ``row_start``.

    A part's parent is the nearest row before it in its section that is no part (in an
    outline, no deeper than the part). In an outline a row's parent is the nearest
    less indented row before it; when that row is a part, the row continues its list
    of parts and has its parent.
    """
    first: dict[int, int] = {}
    outline = True
    for row, _, sec in rows:
        outline = outline and row.indent >= first.setdefault(sec, row.indent)
    outline = outline and len({row.indent for row, _, _ in rows}) > 1
    out: list[int | None] = []
    # per section, stacks of rows strictly increasing in indent (a later row at the
    # same or a smaller indent hides the earlier ones): of rows that are no part, of all
    whole: list[tuple[int, int]] = []
    every: list[tuple[int, int]] = []
    section = None
    for n, (row, part, sec) in enumerate(rows):
        if sec != section:
            whole, every, section = [], [], sec
        indent = row.indent if outline else 0
        parent: int | None = None
        if part:
            k = bisect.bisect_right([d for d, _ in whole], indent) - 1
            parent = rows[whole[k][1]][0].start if k >= 0 else None
        elif outline:
            k = bisect.bisect_left([d for d, _ in every], indent) - 1
            if k >= 0:
                above = every[k][1]
                parent = out[above] if rows[above][1] else rows[above][0].start
        out.append(parent)
        for stack in ((every,) if part else (every, whole)):
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, n))
    return out
