"""Indicator tables of plans and releases, in the forms plain text gives them.

Three layouts are read, all with a header row that has year columns
(2020年, 2025年目标, 2020年基数):

* cells separated by tabs;
* cells separated by runs of two or more spaces (aligned columns);
* one cell per line — an HTML table flattened to text: the header cells on
  consecutive lines, then the rows, as many lines each as the header has cells.

Each numeric cell becomes a :class:`TableCell`: the row's label (the measure),
the column's year, whether the column is a goal (目标, or a year after the
first year column), the unit written in the row label's brackets (（%）,
（家）, （万人）) and the cell's offsets, so that observations keep evidence
that slices back into the text::

    >>> table = "指标\\t2020年\\t2025年\\t属性\\n参保率（%）\\t95.1\\t≥95\\t约束性\\n"
    >>> cells = find_table_cells(table)
    >>> [(c.label, c.year, c.goal, c.text, c.unit_text) for c in cells]
    [('参保率', 2020, False, '95.1', '%'), ('参保率', 2025, True, '≥95', '%')]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.base.resources import lexicon_rows


@functools.cache
def _year_cell() -> re.Pattern[str]:
    """A header cell naming a year column; its words are ``table_column`` rows of
    ``ontology/lexicon/observation_words.tsv``."""
    words = sorted(_column_words(), key=len, reverse=True)
    return re.compile(r"^\s*((?:19|20)\d\d)\s*年?\s*(?:[（(]?("
                      + "|".join(map(re.escape, words)) + r")[)）]?)?\s*$")


@functools.cache
def _column_words() -> dict[str, str]:
    return {row[1]: row[2] for row in lexicon_rows("observation_words.tsv")
            if row[0] == "table_column"}
#: The unit in a row label: 参保率（%）, 定点医药机构数（家）.
_LABEL_UNIT = re.compile(r"[（(]\s*([^（）()]{1,6})\s*[)）]\s*$")
_NUMBER = re.compile(r"\d")
_SPLIT_SPACES = re.compile(r"[ \u3000]{2,}")
#: Longest cell of a one-cell-per-line table.
_MAX_CELL = 60


@dataclass(frozen=True)
class TableCell:
    """A numeric cell of an indicator table, with its row and column."""

    label: str
    year: int
    goal: bool
    start: int
    end: int
    text: str
    unit_text: str


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def _split(line: str) -> list[tuple[int, str]] | None:
    """Cells of a tab- or space-aligned row as (offset in line, text), or None."""
    sep = re.compile("\t+") if "\t" in line else _SPLIT_SPACES
    cells, pos = [], 0
    for m in sep.finditer(line):
        cells.append((pos, line[pos:m.start()]))
        pos = m.end()
    cells.append((pos, line[pos:]))
    cells = [(p + len(c) - len(c.lstrip()), c.strip()) for p, c in cells if c.strip()]
    return cells if len(cells) >= 3 else None


def _header(cells: list[str]) -> list[tuple[int, int, bool]] | None:
    """The year columns of a header row: (column index, year, goal), or None."""
    cols = []
    for i, c in enumerate(cells):
        m = _year_cell().match(c)
        if m:
            goal = m.group(2) is not None and _column_words().get(m.group(2)) == "goal"
            cols.append((i, int(m.group(1)), goal))
    if not cols or cols[0][0] == 0:
        return None
    first = cols[0][1]
    return [(i, y, goal or y > first) for i, y, goal in cols]


def _label(cell: str) -> tuple[str, str]:
    label = re.sub(r"^\s*\d+[.、．]\s*", "", cell)  # 1.基本医疗保险参保覆盖率
    m = _LABEL_UNIT.search(label)
    unit = m.group(1) if m else ""
    return (label[: m.start()].strip() if m else label.strip()), unit


def find_table_cells(text: str) -> list[TableCell]:
    """Every numeric cell of the indicator tables in ``text``."""
    lines = _lines(text)
    out: list[TableCell] = []
    i = 0
    while i < len(lines):
        _, line = lines[i]
        cells = _split(line) if ("\t" in line or "  " in line) else None
        header = _header([c for _, c in cells]) if cells else None
        if cells and header:
            i += 1
            while i < len(lines):
                row_start, row = lines[i]
                row_cells = _split(row)
                if not row_cells:
                    break
                out += _row(row_cells, row_start, header, len(cells))
                i += 1
            continue
        found = _flat_table(lines, i)
        if found:
            cells_out, i = found
            out += cells_out
            continue
        i += 1
    return out


def _row(cells: list[tuple[int, str]], line_start: int,
         header: list[tuple[int, int, bool]], width: int | None = None) -> list[TableCell]:
    """The numeric cells of a row; ``width``: how many cells the header has."""
    if width is None:
        width = header[-1][0] + 1
    if len(cells) < width:
        # 职工医保…比例（%） 84.5: one space only between the label and its first value
        pos, first = cells[0]
        m = re.match(r"^(.*\S)\s+([≥≤><＞＜约]?\d\S*)$", first)
        if m:
            cells = [(pos, m.group(1)), (pos + m.start(2), m.group(2)), *cells[1:]]
    # the row label is the cell before the first year column (类别 | 指标 | 2020年 …)
    label_col = max(0, min(header[0][0] - 1 - (width - len(cells)), len(cells) - 1))
    label, unit = _label(cells[label_col][1])
    out = []
    for col, year, goal in header:
        if col < len(cells) and _NUMBER.search(cells[col][1]):
            pos, value = cells[col]
            out.append(TableCell(label, year, goal, line_start + pos,
                                 line_start + pos + len(value), value, unit))
    return out


def _flat_table(lines: list[tuple[int, str]], i: int) -> tuple[list[TableCell], int] | None:
    """A one-cell-per-line table starting at line ``i`` (blank lines between cells allowed)."""
    if len(lines[i][1].strip()) > 20 or not lines[i][1].strip():
        return None
    cells = [(s, ln.strip(), s + len(ln) - len(ln.lstrip())) for s, ln in lines[i : i + 800]
             if ln.strip()]
    # the header: a first cell, then year cells, then optional others, all short
    header_texts = []
    for _, c, _ in cells[:8]:
        if len(c) > 20:
            break
        header_texts.append(c)
    for n in range(len(header_texts), 2, -1):
        header = _header(header_texts[:n])
        if header and header[-1][0] >= n - 2:
            break
    else:
        return None
    width = n
    out: list[TableCell] = []
    k = width
    while k + width <= len(cells):
        row = cells[k : k + width]
        if any(len(c) > _MAX_CELL for _, c, _ in row) or not any(
                _NUMBER.search(row[col][1]) for col, _, _ in header):
            break
        label, unit = _label(row[0][1])
        for col, year, goal in header:
            _, value, pos = row[col]
            if _NUMBER.search(value):
                out.append(TableCell(label, year, goal, pos, pos + len(value), value, unit))
        k += width
    if not out:
        return None
    # skip the consumed lines
    last = cells[k - 1][0]
    j = i
    while j < len(lines) and lines[j][0] <= last:
        j += 1
    return out, j
