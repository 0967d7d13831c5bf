"""Statistics and indicator tables, in the forms plain text gives them.

A table is a header row naming its columns, then rows: a label, maybe a unit,
and values. The header's cells say what each column holds:

* a **year** (2020年, 2025年目标, 2020年基数): levels of that year; a goal when
  the words after the year say so (目标, ``table_column`` rows of
  ``observation_words.tsv``) or the year is after the first year column;
* a **value word** (本期, 本月, 累计, 同比增长(%), 上年同期, 比上年同期增减) or a
  measure with its unit in brackets (起付线(元)): the column's ``role`` is
  ``change`` when its words name a change (同比, 增长, 增减…), ``base`` when they
  name the comparison period (上年同期), else ``level``;
* the **row labels** (指标名称, or any cell right before the first value or unit
  column), the **unit** (单位), remarks (备注, 属性) and row numbers (序号).

The words are in ``ontology/lexicon/table_words.tsv``; units are the ``ybu:``
labels, with scale words (万, 亿) and denominators (元/人) from
``quantity_words.tsv``.

Layouts read:

* cells separated by tabs or by runs of two or more spaces (aligned columns);
* cells separated by ``|`` on one line (``指标名称 | 单位 | 本期 | ||``), markdown
  tables included;
* no separator at all: a header such as ``指标名称单位本期`` or ``指标名称 单位
  本期 同比增长`` made of the lexicon's words, then rows ``基本医疗保险万人1848.99``
  whose values are read from the end of the line (a sign belongs to its value);
* one cell per line: an HTML table flattened to text, each cell on its own
  line, ending with `` |`` (an empty cell is a bare ``|``; ``||`` is two of
  them) or written alone between blank lines.

Between the rows, a line without values (一、参保人数) is a **section** row when
rows follow it; a row starting with 其中 is a part of the row above it, and so
is a row indented under a less-indented row when the table's indentation is an
outline (each section's first row is its least indented). The line above the
header (past 日期:/来源: lines and blank lines) is the table's **title** when it
reads like one.

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
    >>> cell = find_table_cells(page)[2]
    >>> page[cell.parent:].split("\\n")[0], cell.title
    ('基本医疗保险万人120.50 2.1', '2024年二季度医疗保障主要指标')
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from kg.base.ontology import label_index
from kg.base.resources import lexicon_rows, lexicon_words

#: Longest cell of a one-cell-per-line table written without ``|``.
_MAX_CELL = 60
#: Longest header cell of such a table.
_MAX_HEADER_CELL = 20
#: Longest row label of a table written without separators, and of a section row.
_MAX_LABEL = 40
_MAX_SECTION = 30
#: Longest title line.
_MAX_TITLE = 60
#: Blank lines allowed inside a table.
_MAX_BLANKS = 2
#: Cells looked at to find the header of a one-cell-per-line table, and to try its widths on.
_MAX_HEADER_CELLS = 14
_SAMPLE_CELLS = 48

_SIGN = r"[-−－﹣+＋]"
_NUM = r"\d[\d,，]*(?:\.\d+)?"
_COMPARE = r"(?:[≥≤><＞＜]=?|约|不低于|不少于|不超过|不高于|超过|达到|稳定在|保持在|控制在)"
_APPROX_AFTER = r"(?:左右|及以上|及以下|以上|以下|以内|之内)"
_PLACEHOLDER = r"(?:[—–－\-/／…]+|无|暂无)"
_SENTENCE_PUNCT = re.compile(r"[。！？；;!?，,]")
_DIGIT = re.compile(r"\d")
_SPLIT_SPACES = re.compile(r"[ \u3000]{2,}")
_TABS = re.compile(r"\t+")
#: Outline numbering at a label's start: 1. 1、 （1） (一) 一、 ①.
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]\s*[、.．]?"
    r"|\d+(?:\.\d+)*\s*[、.．](?!\d)|[①-⑳])\s*")
#: A page's key: value line above a table (日期:2021-01-04, 来源: …).
_META = re.compile(r"^[^\s:：|，。]{1,8}\s*[:：]")
#: A markdown table's rule line.
_RULE_CELL = re.compile(r"^:?-{2,}:?$")


@dataclass(frozen=True)
class TableCell:
    """A numeric cell of a table, with its row and column.

    ``label`` is the row label (numbering, the 其中 prefix and the unit removed);
    ``start``/``end``/``text`` the value cell as written (``text[start:end] == text``,
    sign and comparison words included); ``unit_text`` the unit written for this
    value wherever the table puts it (in the cell, the column header's brackets,
    the unit column or a unit word before the value, the label's brackets, the
    section row's brackets, a 单位： line above the table); ``year`` the column's
    year (None: the column names none); ``goal`` a goal column.

    ``column`` is the column header as written ('' when the table has none);
    ``role`` ``level``, ``change`` (the value is a change of the row's level) or
    ``base`` (the level of the comparison period); ``row_start`` the offset of
    the row label as written (after the indentation; numbering and 其中 included);
    ``parent`` the ``row_start`` of the row this row is a part of (None: none);
    ``section`` the section row above it in the table (numbering stripped);
    ``title``/``title_start`` the table's title line.
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
    row with a value; ``notes`` are the spans of its remark cells (备注), which
    are running text.
    """

    start: int
    end: int
    header_start: int
    title: str | None
    title_start: int | None
    columns: tuple[str, ...]
    cells: tuple[TableCell, ...]
    notes: tuple[tuple[int, int], ...] = ()


# --- words ------------------------------------------------------------------------------


@functools.cache
def _words() -> dict[str, tuple[str, ...]]:
    return lexicon_words("table_words.tsv")


def _kind_words(kind: str) -> tuple[str, ...]:
    return _words().get(kind, ())


@functools.cache
def _year_words() -> dict[str, str]:
    """Words after the year of a year column (目标 → goal, 基数 → base)."""
    return {row[1]: row[2] for row in lexicon_rows("observation_words.tsv")
            if row[0] == "table_column"}


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def _unit_pattern() -> str:
    """A unit word: an optional scale, a ``ybu:`` label, optional denominators (元/人·年)."""
    rows = lexicon_rows("quantity_words.tsv")
    scales = [r[1] for r in rows if r[0] == "scale"]
    per = [r[1] for r in rows if r[0] == "per_word"]
    labels = [w for w in label_index("ybu") if not w.endswith("分之") and w != "其他单位"]
    per_alt = _alternation(per)
    return (f"(?:(?:{_alternation(scales)})?(?:{_alternation([*labels, '‰'])})"
            f"(?:[/／](?:{per_alt})(?:[·•/／](?:{per_alt}))*)?|(?:{_alternation(scales)}))")


@functools.cache
def _unit_re() -> re.Pattern[str]:
    return re.compile(f"^(?:{_unit_pattern()})$")


@functools.cache
def _unit_suffix() -> re.Pattern[str]:
    """A unit word ending a row's text (基本医疗保险万人): the longest one."""
    return re.compile(f"(?:{_unit_pattern()})$")


@functools.cache
def _bracket_unit() -> re.Pattern[str]:
    """A unit in brackets at the end of a label or header: 参保率（%）, 起付线(单位：元)."""
    return re.compile(r"\s*[（(]\s*(?:(?:" + _alternation(_kind_words("unit_column"))
                      + r")\s*[:：]\s*)?(" + _unit_pattern() + r")\s*[)）]\s*$")


@functools.cache
def _table_unit_re() -> re.Pattern[str]:
    """单位：万人 (or （单位：亿元）) written above a table or in its title."""
    return re.compile(r"[（(]?\s*(?:" + _alternation(_kind_words("unit_column"))
                      + r")\s*[:：]\s*(" + _unit_pattern() + r")\s*[)）]?\s*$")


@functools.cache
def _value_cell() -> re.Pattern[str]:
    """A cell that is a value alone: 1848.99, -3.81, ≥95, 60%, 3000元/年, 70%以上."""
    return re.compile(rf"^{_COMPARE}?\s*{_SIGN}?\s*{_NUM}\s*(?:{_unit_pattern()})?\s*"
                      rf"{_APPROX_AFTER}?$")


@functools.cache
def _cell_number_unit() -> re.Pattern[str]:
    """The unit written right after a cell's first number."""
    return re.compile(rf"{_NUM}\s*({_unit_pattern()})?")


@functools.cache
def _value_chain() -> re.Pattern[str]:
    """The values ending a row written without cell separators, whitespace between them."""
    token = rf"(?:{_COMPARE}?{_SIGN}?{_NUM}(?:{_unit_pattern()})?{_APPROX_AFTER}?)"
    return re.compile(rf"(?:{token}|(?<=\s){_PLACEHOLDER})(?:\s+(?:{token}|{_PLACEHOLDER}))*\s*$")


@functools.cache
def _value_token() -> re.Pattern[str]:
    token = rf"(?:{_COMPARE}?{_SIGN}?{_NUM}(?:{_unit_pattern()})?{_APPROX_AFTER}?)"
    return re.compile(rf"{token}|{_PLACEHOLDER}")


@functools.cache
def _compact_header() -> re.Pattern[str]:
    """A header written with no or single spaces, in the lexicon's words only."""
    year = r"(?:19|20)\d\d年?(?:" + _alternation(list(_year_words())) + r")?"
    value = (r"(?:" + _alternation(_kind_words("value_column")) + r"|" + year + r")"
             r"(?:[（(][^（）()]{1,8}[)）])?")
    label = _alternation(_kind_words("label_column"))
    unit = _alternation(_kind_words("unit_column"))
    return re.compile(rf"^(?:(?:{_alternation(_kind_words('index_column'))}))?"
                      rf"(?P<label>{label})?(?P<unit>{unit})?(?P<values>(?:{value})+)$")


@functools.cache
def _compact_value() -> re.Pattern[str]:
    year = r"(?:19|20)\d\d年?(?:" + _alternation(list(_year_words())) + r")?"
    return re.compile(r"(?:" + _alternation(_kind_words("value_column")) + r"|" + year + r")"
                      r"(?:[（(][^（）()]{1,8}[)）])?")


#: A year column: the year, an optional period within it, then words.
_YEAR_CELL = re.compile(
    r"^((?:19|20)\d\d)年?(?:\d{1,2}(?:[-—~至]\d{1,2})?月份?|[一二三四1-4]季度|[上下]半年|全年|年初|年末|底)?"
    r"(.*)$")


# --- columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    text: str
    kind: str  # label, unit, value, note, index, other
    role: str = "level"
    year: int | None = None
    goal: bool = False
    unit: str = ""
    named: bool = False  # a year, a value word or a unit in brackets names it


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _role(words: str) -> str | None:
    if any(w in words for w in _kind_words("change_cue")):
        return "change"
    if any(w in words for w in _kind_words("base_cue")):
        return "base"
    if words in _kind_words("value_column") or any(w in words for w in _kind_words("level_cue")):
        return "level"
    return None


def _classify(text: str) -> _Column:
    """What a header cell names."""
    t = _compact(text)
    if not t:
        return _Column(text, "other")
    for kind in ("label", "unit", "note", "index"):
        if t in _kind_words(f"{kind}_column"):
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
    role = _role(t)
    if role is not None and len(t) <= 12:
        return _Column(text, "value", role, None, False, unit, True)
    if unit:
        return _Column(text, "value", "level", None, False, unit, True)
    return _Column(text, "other")


@dataclass(frozen=True)
class _Header:
    columns: tuple[_Column, ...]
    label: int  # the label column's index
    unit: int | None  # the unit column's index
    values: tuple[int, ...]  # the value columns' indexes
    notes: tuple[int, ...]
    start: int  # offset of the header's first cell
    end: int


def _header(texts: Sequence[str], start: int, end: int, strict: bool = True) -> _Header | None:
    """The header these cells make, or None.

    The label column is the one right before the first unit or value column. In a
    table with year columns other unnamed columns hold attributes; in one without,
    every column after the label holds values (报销比例). ``strict``: two cells make
    a header only when the first is a label word.
    """
    cols = [_classify(t) for t in texts]
    first = next((i for i, c in enumerate(cols) if c.kind in ("value", "unit")), None)
    if first is None or first == 0:
        return None
    if strict and len(cols) < 3 and cols[0].kind != "label":
        return None
    if cols[first].kind == "unit" and not any(c.named for c in cols[first:]):
        return None
    years = [c.year for c in cols if c.year is not None]
    if years:
        # a later year than the first year column is a goal
        cols = [c if c.year is None or c.goal else _Column(
            c.text, c.kind, c.role, c.year, c.year > years[0], c.unit, c.named) for c in cols]
    else:
        cols = [_Column(c.text, "value") if i > first and c.kind == "other" and c.text.strip()
                else c for i, c in enumerate(cols)]
    values = tuple(i for i, c in enumerate(cols) if c.kind == "value" and i >= first)
    if not values or not any(cols[i].named for i in values):
        return None
    unit = next((i for i, c in enumerate(cols) if c.kind == "unit" and i >= first), None)
    notes = tuple(i for i, c in enumerate(cols) if c.kind == "note" and i >= first)
    return _Header(tuple(cols), first - 1, unit, values, notes, start, end)


# --- rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    start: int  # the label as written
    end: int  # the end of the row's last cell
    indent: int
    label: str
    unit: str
    values: tuple[tuple[int, int, str], ...]  # (column index, start, text)
    notes: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class _Section:
    start: int
    text: str


_Item = _Row | _Section


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


def _header_word(cell: str) -> bool:
    t = _compact(cell)
    return bool(t) and (_classify(t).kind in ("label", "unit", "note", "index")
                        or _compact_value().fullmatch(t) is not None)


def _section(start: int, cell: str) -> _Section | None:
    """A section row (一、参保人数): short, no value, no sentence."""
    s = cell.strip()
    if not s or len(s) > _MAX_SECTION or _SENTENCE_PUNCT.search(s) or _is_value(s):
        return None
    if _note_line(s) or (_DIGIT.search(_NUMBERING.sub("", s)) and _value_chain().search(s)):
        return None
    return _Section(start + len(cell) - len(cell.lstrip()), s)


def _note_line(s: str) -> bool:
    s = s.lstrip()
    return any(s.startswith(w) and s[len(w):len(w) + 1] in (":", "：", "", " ", "\u3000")
               for w in _kind_words("note_lead"))


def _split(line: str) -> list[tuple[int, str]]:
    """Cells of a tab- or space-aligned row as (offset in line, text), empty ones left out."""
    sep = _TABS if "\t" in line else _SPLIT_SPACES
    cells, pos = [], 0
    for m in sep.finditer(line):
        cells.append((pos, line[pos:m.start()]))
        pos = m.end()
    cells.append((pos, line[pos:]))
    return [(p + len(c) - len(c.lstrip()), c.strip()) for p, c in cells if c.strip()]


def _bar_cells(line: str) -> list[tuple[int, str]]:
    """Cells of a ``|`` row as (offset in line, text), empty ones kept: each cell ends
    with ``|`` (the text after the last ``|`` is no cell); a leading ``|`` opens a
    markdown row."""
    pieces, pos = [], 0
    for m in re.finditer(r"\|", line):
        pieces.append((pos, line[pos:m.start()]))
        pos = m.end()
    if line[pos:].strip():
        pieces.append((pos, line[pos:]))
    if (line.lstrip().startswith("|") and not pieces[0][1].strip()
            and sum(1 for _, c in pieces if c.strip()) >= 2):
        pieces = pieces[1:]
    return [(p + len(c) - len(c.lstrip()), c.strip()) for p, c in pieces]


def _row_from_cells(line_start: int, line: str, cells: list[tuple[int, str]],
                    header: _Header, keep_empty: bool) -> _Row | None:
    """A row from cells mapped to the header's columns (``keep_empty``: cells keep
    their places, as ``|`` rows write them; otherwise a short row is aligned on its
    first value)."""
    width = len(header.columns)
    first_value = header.values[0]
    shift = 0
    if not keep_empty and len(cells) < width:
        pos, first = cells[0]
        if header.unit == header.label + 1:
            # 基本医疗保险万人  1848.99: the unit written onto the label
            m = _unit_suffix().search(first)
            if m and m.start() > 0 and len(cells) < width:
                cells = [(pos, first[: m.start()].rstrip()), (pos + m.start(), m.group()),
                         *cells[1:]]
        if len(cells) < width:
            # 职工医保…比例（%） 84.5: one space only between the label and its first value
            m = re.match(r"^(.*\S)\s+(" + _COMPARE + r"?" + _SIGN + r"?\d\S*)$", cells[0][1])
            if m:
                pos, first = cells[0]
                cells = [(pos, m.group(1)), (pos + m.start(2), m.group(2)), *cells[1:]]
        f = next((i for i, (_, c) in enumerate(cells) if i > 0 and _is_value(c)), None)
        if f is not None and len(cells) < width:
            shift = max(0, min(first_value - f, width - len(cells)))

    def at(col: int) -> tuple[int, str] | None:
        i = col - shift
        return cells[i] if 0 <= i < len(cells) else None

    label_cell = at(header.label) or cells[0]
    if _is_value(label_cell[1]):
        return None
    unit_cell = at(header.unit) if header.unit is not None else None
    unit = unit_cell[1] if unit_cell and not _is_value(unit_cell[1]) else ""
    values = []
    for col in header.values:
        cell = at(col)
        if cell and cell is not label_cell and _DIGIT.search(cell[1]):
            values.append((col, line_start + cell[0], cell[1]))
    notes = []
    for col in header.notes:
        cell = at(col)
        if cell and cell[1]:
            notes.append((line_start + cell[0], line_start + cell[0] + len(cell[1])))
    ends = [line_start + p + len(c) for p, c in cells if c]
    before = line[: label_cell[0]]
    bar = before.rfind("|")
    space = before[bar + 1:]
    indent = _indent(space) - (1 if bar >= 0 and space.startswith(" ") else 0)
    return _Row(line_start + label_cell[0], max(ends), max(indent, 0), label_cell[1], unit,
                tuple(values), tuple(notes))


def _row_from_tokens(line_start: int, line: str, header: _Header) -> _Row | None:
    """A row written without cell separators: label, unit, values read from the line's end."""
    body = line.rstrip()
    lead = len(body) - len(body.lstrip())
    unit_after = header.unit is not None and header.unit > header.values[-1]
    unit = ""
    if unit_after:
        m = re.search(r"(?:(?<=\s)|(?<=\d))(" + _unit_pattern() + r")$", body)
        if m:
            unit, body = m.group(1), body[: m.start()].rstrip()
    chain = _value_chain().search(body, lead)
    if chain is None or not _DIGIT.search(chain.group()):
        return None
    tokens = [(m.start(), m.group()) for m in _value_token().finditer(body, chain.start())]
    if len(tokens) > len(header.values):
        tokens = tokens[len(tokens) - len(header.values):]
    rest = body[lead: tokens[0][0]]
    if (header.unit is not None and not unit_after) or re.search(r"\s$", rest):
        m = _unit_suffix().search(rest.rstrip())
        if m and m.start() > 0 and (header.unit is not None or rest[m.start() - 1].isspace()):
            unit, rest = m.group(), rest[: m.start()]
    label = rest.strip()
    if (not label or len(label) > _MAX_LABEL or _SENTENCE_PUNCT.search(label)
            or _is_value(label) or _note_line(label)):
        return None
    values = tuple((col, line_start + pos, tok) for col, (pos, tok)
                   in zip(header.values, tokens, strict=False) if _DIGIT.search(tok))
    return _Row(line_start + lead, line_start + tokens[-1][0] + len(tokens[-1][1]),
                _indent(line), label, unit, values)


# --- tables -----------------------------------------------------------------------------


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


@dataclass
class _Found:
    header: _Header
    items: list[_Item]
    next_line: int  # the first line after the table
    first_line: int  # the table's first line (the header's)
    unit: str = ""  # a unit for every row (单位：万人 above the table)
    extra_notes: list[tuple[int, int]] = field(default_factory=list)


def _read_lines(lines: list[tuple[int, str]], i: int,
                parse: Callable[[int, str], _Item | str | None]) -> tuple[list[_Item], int]:
    """Rows and sections from line ``i`` on; a section counts only when a row follows.
    Returns the items and the index of the line after the last row."""
    items: list[_Item] = []
    pending: list[_Item] = []
    last, blanks, j = i - 1, 0, i
    while j < len(lines):
        start, line = lines[j]
        if not line.strip():
            blanks += 1
            if blanks > _MAX_BLANKS:
                break
            j += 1
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
        j += 1
    return items, last + 1


def _line_table(lines: list[tuple[int, str]], i: int) -> _Found | None:
    """A table whose header is line ``i`` and whose rows are lines."""
    start, line = lines[i]
    s = line.strip()
    if not s or len(s) > 200:
        return None
    if "|" in line:
        cells = _bar_cells(line)
        if sum(1 for _, c in cells if c) < 2:
            return None
        bar_header = _header([c for _, c in cells], start + cells[0][0],
                             start + len(line.rstrip()))
        if bar_header is None:
            return None
        header_ = bar_header

        def parse_bar(line_start: int, row: str) -> _Item | str | None:
            if "|" not in row:
                return None
            cells = _bar_cells(row)
            if all(_RULE_CELL.match(c) or not c for _, c in cells):
                return "rule"
            full = [(p, c) for p, c in cells if c]
            if _line_header(row):
                return None
            if len(full) == 1 and full[0][0] == cells[min(header_.label, len(cells) - 1)][0]:
                return _section(line_start + full[0][0], full[0][1])
            return _row_from_cells(line_start, row, cells, header_, keep_empty=True)

        items, nxt = _read_lines(lines, i + 1, parse_bar)
        return _Found(header_, items, nxt, i) if items else None
    split = _split(line)
    header = None
    if len(split) >= 2 and ("\t" in line or _SPLIT_SPACES.search(line.strip())):
        header = _header([c for _, c in split], start + split[0][0], start + len(line.rstrip()))
    tokens_only = False
    if header is None:
        header = _token_header(start, line)
        tokens_only = True
    if header is None:
        return None
    after = [header.columns[k].kind for k in range(header.label + 1, len(header.columns))]
    tokens_ok = all(k in ("unit", "value") for k in after)
    hdr = header

    def parse(line_start: int, row: str) -> _Item | str | None:
        if _line_header(row):
            return None
        cells = _split(row)
        if not tokens_only and len(cells) >= 2:
            return _row_from_cells(line_start, row, cells, hdr, keep_empty=False)
        if tokens_ok:
            got = _row_from_tokens(line_start, row, hdr)
            if got is not None:
                return got
        if len(cells) == 1:
            return _section(line_start + cells[0][0], cells[0][1])
        return None

    items, nxt = _read_lines(lines, i + 1, parse)
    return _Found(header, items, nxt, i) if items else None


def _token_header(start: int, line: str) -> _Header | None:
    """A header written without separators (指标名称单位本期, 指标 单位 本期 同比增长)."""
    s = line.strip()
    if len(s) > 80:
        return None
    compact, where = [], []
    for k, ch in enumerate(line):
        if not ch.isspace():
            compact.append(ch)
            where.append(k)
    text = "".join(compact)
    m = _compact_header().match(text)
    if m is None or not (m.group("label") or m.group("unit")):
        return None
    spans: list[tuple[int, int]] = []
    for name in ("label", "unit"):
        if m.group(name):
            spans.append(m.span(name))
    label_present = bool(m.group("label"))
    for v in _compact_value().finditer(text, m.start("values")):
        spans.append(v.span())
    cells = [line[where[a]: where[b - 1] + 1] for a, b in spans]
    if not label_present:
        cells.insert(0, "")
    return _header(cells, start + where[0], start + len(line.rstrip()), strict=False)


def _line_header(line: str) -> bool:
    """Is this line a table header (it ends the table above it)?"""
    s = line.strip()
    if not s or len(s) > 200:
        return False
    if "|" in line:
        cells = [c for _, c in _bar_cells(line)]
    elif "\t" in line or _SPLIT_SPACES.search(s):
        cells = [c for _, c in _split(line)]
    else:
        return _token_header(0, line) is not None
    if len([c for c in cells if c]) < 2 or any(_is_value(c) for c in cells):
        return False
    return _header(cells, 0, 0) is not None


@dataclass(frozen=True)
class _StreamCell:
    start: int  # offset of the text
    text: str
    line: int  # index of its line
    indent: int


def _stream_cells(lines: list[tuple[int, str]], i: int, bars: bool,
                  limit: int | None = None) -> Iterator[_StreamCell]:
    """The cells of a one-cell-per-line table from line ``i`` on."""
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
                yield _StreamCell(start + p, c, j, _indent(line))
        else:
            if len(s) > _MAX_CELL or "|" in s:
                return
            yield _StreamCell(start + len(line) - len(line.lstrip()), s, j, _indent(line))


def _stream_table(lines: list[tuple[int, str]], i: int) -> _Found | None:
    """A one-cell-per-line table whose header starts at line ``i``.

    The header's width is not written: each width the cells before the first value
    allow is tried on the first cells, and the one that reads most values wins.
    """
    s = lines[i][1].strip()
    bars = s.endswith("|")
    if not s or (not bars and len(s) > _MAX_HEADER_CELL):
        return None
    head = list(itertools.islice(_stream_cells(lines, i, bars), _MAX_HEADER_CELLS))
    k = next((n for n, c in enumerate(head) if _is_value(c.text)), None)
    if k is None or k < 3:
        return None
    sample: list[_StreamCell] | None = None
    best: tuple[int, _Header] | None = None
    for width in range(2, k):
        texts = [c.text for c in head[:width]]
        if not bars and any(len(t) > _MAX_HEADER_CELL for t in texts):
            break
        h = _header(texts, head[0].start, head[width - 1].start + len(head[width - 1].text),
                    strict=not bars)
        if h is None:
            continue
        if sample is None:
            sample = list(itertools.islice(_stream_cells(lines, i, bars), _SAMPLE_CELLS))
        n = sum(len(it.values) for it in _stream_rows(sample, h, bars) if isinstance(it, _Row))
        if n and (best is None or n > best[0]):
            best = (n, h)
    if best is None:
        return None
    header = best[1]
    items = _stream_rows(list(_stream_cells(lines, i, bars)), header, bars)
    last = max(it.end for it in items if isinstance(it, _Row))
    nxt = next((j for j in range(i, len(lines)) if lines[j][0] >= last), len(lines))
    return _Found(header, items, nxt, i)


def _stream_rows(cells: Sequence[_StreamCell], header: _Header, bars: bool) -> list[_Item]:
    """The rows and sections of a one-cell-per-line table, its header's cells first."""
    width = len(header.columns)
    items: list[_Item] = []
    k = width
    while k < len(cells):
        row = cells[k: k + width]
        label = row[0] if header.label >= len(row) else row[header.label]
        if not bars and any(len(c.text) > _MAX_CELL for c in row):
            break
        if _is_value(label.text) or _unit_re().match(label.text) or any(
                _header_word(c.text) for c in row):
            break
        rest = [c for n, c in enumerate(row) if n != header.label]
        if bars and label.text and all(not c.text for c in rest) and len(row) == width:
            sec = _section(label.start, label.text)
            if sec is None:
                break
            items.append(sec)
            k += width
            continue
        if len(row) < width and (not bars or len(row) < 2):
            break
        values = _stream_values(row, header)
        if not values:
            # a section written as one cell (a merged cell) above full rows
            sec = _section(label.start, label.text) if header.label == 0 else None
            if sec is None or not _stream_values(cells[k + 1: k + 1 + width], header):
                break
            items.append(sec)
            k += 1
            continue
        unit = ""
        if header.unit is not None and header.unit < len(row) and not _is_value(
                row[header.unit].text):
            unit = row[header.unit].text
        notes = tuple((row[col].start, row[col].start + len(row[col].text))
                      for col in header.notes if col < len(row) and row[col].text)
        ends = [c.start + len(c.text) for c in row if c.text]
        items.append(_Row(label.start, max(ends), label.indent, label.text, unit, values, notes))
        k += width
    while items and isinstance(items[-1], _Section):
        items.pop()
    return items


def _stream_values(row: Sequence[_StreamCell], header: _Header) -> tuple[tuple[int, int, str], ...]:
    return tuple((col, row[col].start, row[col].text) for col in header.values
                 if col < len(row) and _DIGIT.search(row[col].text))


# --- titles, units, parents -------------------------------------------------------------


def _title(lines: list[tuple[int, str]], i: int, floor: int) -> tuple[str | None, int | None, str]:
    """The title above the header at line ``i`` (not before offset ``floor``), its offset,
    and a unit for the whole table (单位：万人)."""
    unit = ""
    j, seen = i - 1, 0
    while j >= 0 and lines[j][0] >= floor and seen < 4:
        start, line = lines[j]
        j -= 1
        if not line.strip():
            continue
        seen += 1
        m = _table_unit_re().search(line.strip())
        if m and not unit:
            unit = m.group(1)
        if _META.match(line.strip()):
            continue
        if "|" in line:
            full = [(p, c) for p, c in _bar_cells(line) if c]
            if len(full) != 1:
                return None, None, unit
            pos, cell = full[0]
        else:
            pos, cell = len(line) - len(line.lstrip()), line.strip()
        if (len(cell) > _MAX_TITLE or _SENTENCE_PUNCT.search(cell) or cell.endswith((":", "："))
                or _note_line(cell) or _is_value(cell)):
            return None, None, unit
        return cell, start + pos, unit
    return None, None, unit


def _clean_label(raw: str) -> tuple[str, str, bool]:
    """The label without numbering, 其中 and unit; the unit; is it a part (其中)?"""
    label = _NUMBERING.sub("", raw, count=1).strip()
    part = False
    for w in _kind_words("part_prefix"):
        if label.startswith(w):
            rest = label[len(w):]
            if not rest or rest[0] in ":：,，、 \u3000":
                label, part = rest.lstrip(":：,，、 \u3000"), True
                break
    m = _bracket_unit().search(label)
    unit = ""
    if m and m.start() > 0:
        unit, label = m.group(1), label[: m.start()].rstrip()
    return label, unit, part


def _parents(rows: list[tuple[_Row, bool, int]]) -> list[int | None]:
    """The parent of each row: (row, is a 其中 part, section number)."""
    out: list[int | None] = []
    # indentation is an outline when, in every section, no row is less indented than
    # the section's first row, and some row is more indented
    outline = True
    first: dict[int, int] = {}
    for row, _, sec in rows:
        base = first.setdefault(sec, row.indent)
        if row.indent < base:
            outline = False
    outline = outline and len({r.indent for r, _, _ in rows}) > 1
    for n, (row, part, sec) in enumerate(rows):
        parent = None
        back = [(r, p) for r, p, s in reversed(rows[:n]) if s == sec]
        if part:
            parent_row = next((r for r, p in back if not p and (
                not outline or r.indent <= row.indent)), None)
            parent = parent_row.start if parent_row else None
        elif outline:
            for r, p in back:
                if r.indent < row.indent:
                    if p:
                        # a row indented under a 其中 part continues the list of parts
                        k = rows.index((r, p, sec))
                        parent = out[k]
                    else:
                        parent = r.start
                    break
        out.append(parent)
    return out


def _cells(text: str, found: _Found, title: str | None, title_start: int | None) -> list[TableCell]:
    header = found.header
    section: str | None = None
    section_unit = ""
    section_no = 0
    prepared: list[tuple[_Row, bool, int]] = []
    labels: list[tuple[str, str, str | None, str]] = []
    for it in found.items:
        if isinstance(it, _Section):
            s, unit, _ = _clean_label(it.text)
            section = s.rstrip(":：") or None
            section_unit = unit
            section_no += 1
            continue
        label, unit, part = _clean_label(it.label)
        prepared.append((it, part, section_no))
        labels.append((label, unit, section, section_unit))
    parents = _parents(prepared)
    out = []
    for (row, _, _), (label, label_unit, sec, sec_unit), parent in zip(
            prepared, labels, parents, strict=True):
        for col, start, value in row.values:
            column = header.columns[col]
            m = _cell_number_unit().search(value)
            in_cell = m.group(1) if m and m.group(1) else ""
            unit = (in_cell or column.unit or row.unit or label_unit or sec_unit or found.unit)
            out.append(TableCell(
                label=label, year=column.year, goal=column.goal, start=start,
                end=start + len(value), text=value, unit_text=unit,
                column=column.text.strip(), role=column.role, row_start=row.start,
                parent=parent, section=sec, title=title, title_start=title_start))
    return out


def find_tables(text: str) -> list[Table]:
    """Every table of ``text`` with at least one numeric cell, in text order."""
    lines = _lines(text)
    out: list[Table] = []
    floor = 0
    i = 0
    while i < len(lines):
        found = _line_table(lines, i) or _stream_table(lines, i)
        if found is None or not any(isinstance(it, _Row) and it.values for it in found.items):
            i += 1
            continue
        title, title_start, unit = _title(lines, found.first_line, floor)
        found.unit = unit
        cells = _cells(text, found, title, title_start)
        rows = [it for it in found.items if isinstance(it, _Row) and it.values]
        start = title_start if title_start is not None else found.header.start
        end = max(r.end for r in rows)
        notes = tuple(n for it in found.items if isinstance(it, _Row) for n in it.notes)
        out.append(Table(start, end, found.header.start, title, title_start,
                         tuple(c.text.strip() for c in found.header.columns), tuple(cells),
                         notes))
        floor = end
        i = max(found.next_line, i + 1)
    return out


def find_table_cells(text: str) -> list[TableCell]:
    """Every numeric cell of the tables in ``text``, in text order."""
    return [c for t in find_tables(text) for c in t.cells]


def table_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the tables of ``text`` (title or header to the last row), with
    their remark cells (备注, running text) cut out: the sentence extractor skips
    the numbers inside them.

    >>> text = ("全年参保人数稳定。\\n指标名称\\t单位\\t本期\\n参保人数\\t万人\\t12.5\\n"
    ...         "下一步，继续扩面。\\n")
    >>> [text[s:e] for s, e in table_spans(text)]
    ['指标名称\\t单位\\t本期\\n参保人数\\t万人\\t12.5']
    """
    out: list[tuple[int, int]] = []
    for t in find_tables(text):
        pos = t.start
        for s, e in sorted(t.notes):
            if s > pos:
                out.append((pos, s))
            pos = max(pos, e)
        if pos < t.end:
            out.append((pos, t.end))
    return out


__all__ = ["Table", "TableCell", "find_table_cells", "find_tables", "table_spans"]
