"""Cited documents in running text: 《title》, 发文字号, or both.

Rules (the words live in ``ontology/lexicon/citation_words.tsv``):

* A 《title》 is a document when its last word, after trailing （试行）-style
  parentheses are stripped, is a ``doc_type`` word (条例, 办法, 通知, 意见…);
  《人民日报》 or 《新闻联播》 are not. 〈〉 and <> inside a title and nested
  《…《…》…》 stay part of one title.
* A 文号 in parentheses right after the title (``《…的通知》（医保办发〔2018〕22号）``,
  also after a （试行） group) pairs with it, and the title is a document
  whatever its last word. A 文号 written right before a document title
  (``医保发〔2020〕1号《…的通知》``) pairs too.
* Titles are 2–120 characters: 《宪法》 and 《民法典》 are documents too.
* A 文号 not paired with a title is a citation of its own (``title=None``).
* ``alias`` marks short references: a title that is only a doc_type word
  (《条例》), or a 简称 declared with an ``alias_marker`` (（以下简称《条例》）,
  （以下简称“两定办法”）). For a declared 简称, ``alias_of`` is the full title
  of the citation it was declared after.

    >>> [(c.title, c.doc_number, c.text) for c in find_citations(
    ...     "按照《关于印发欺诈骗保行为举报奖励暂行办法的通知》（医保办发〔2018〕22号）要求")]
    [('关于印发欺诈骗保行为举报奖励暂行办法的通知', '医保办发〔2018〕22号', \
'《关于印发欺诈骗保行为举报奖励暂行办法的通知》（医保办发〔2018〕22号）')]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kg.extract import docnumber
from kg.extract.docnumber import DocNumber

__all__ = ["Citation", "find_citations"]

MAX_TITLE = 120  # longest title (characters inside 《》, stripped)
MIN_SHORT_TITLE = 2  # shortest title (《宪法》, 《民法典》, 《条例》)
_MAX_SCAN = 160  # how far a 《 looks for its 》
_MAX_PAREN = 100  # longest parenthesis searched for a paired 文号
_MAX_QUALIFIER = 12  # longest （试行）/（2021年版） group skipped before a 文号
_MAX_GAP = 3  # whitespace allowed between a title and its 文号
_MAX_ALIAS_GAP = 30  # a 简称 declaration follows its document this closely
_MAX_ALIAS = 20

_OPEN_PARENS = "（(［[【〔〈﹝〖"
_CLOSE_PARENS = "）)］]】〕〉﹞〗"
_PAIR_OPENERS = "（(［[【"
_TRAILING_QUALIFIER = re.compile(r"\s*[（(][^（）()]{1,12}[）)]\s*$")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_QUOTES = '《》“”"「」『』‘’'


@dataclass(frozen=True)
class Citation:
    """One cited document.

    ``title`` is without 《》 (stripped, inner whitespace as written),
    ``doc_number`` normalised (``医保办发〔2018〕22号``); ``start``/``end`` cover
    the 《title》 and its paired 文号 (with the closing parenthesis when nothing
    else follows the 文号 inside it), and ``text == source[start:end]``.
    """

    title: str | None
    doc_number: str | None
    start: int
    end: int
    text: str
    alias: bool = False
    alias_of: str | None = None


@dataclass
class _Title:
    start: int  # at 《
    end: int  # after 》
    title: str
    number: tuple[int, int, DocNumber] | None = None
    cite_start: int = 0
    cite_end: int = 0


def _words(kind: str) -> tuple[str, ...]:
    return docnumber.lexicon().get(kind, ())


def _scan_titles(text: str) -> list[tuple[int, int]]:
    """Spans of outermost balanced 《…》 (nesting allowed, stray 》 ignored)."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = text.find("《")
    while i != -1:
        depth = 0
        j = i
        close = -1
        limit = min(n, i + _MAX_SCAN + 2)
        while j < limit:
            c = text[j]
            if c == "《":
                depth += 1
            elif c == "》":
                depth -= 1
                if depth == 0:
                    close = j
                    break
            elif c == "\n" and text.startswith("\n", j + 1):
                break  # a blank line ends any title
            j += 1
        if close == -1:
            i = text.find("《", i + 1)
            continue
        spans.append((i, close + 1))
        i = text.find("《", close + 1)
    return spans


def _core(title: str) -> str:
    """The title without trailing （试行）/(2021-2025年) qualifiers."""
    core = title
    while True:
        stripped = _TRAILING_QUALIFIER.sub("", core)
        if stripped == core or not stripped:
            return core.strip()
        core = stripped


def _is_doc_title(core: str) -> bool:
    return core.endswith(_words("doc_type"))


def _is_bare_type(core: str) -> bool:
    return core in _words("doc_type")


def _match_paren(text: str, i: int) -> int | None:
    """Index of the parenthesis closing the one at ``i``, within _MAX_PAREN."""
    depth = 0
    for j in range(i, min(len(text), i + _MAX_PAREN)):
        c = text[j]
        if c in _OPEN_PARENS:
            depth += 1
        elif c in _CLOSE_PARENS:
            depth -= 1
            if depth == 0:
                return j
        elif c == "\n":
            return None
    return None


def _skip_space(text: str, i: int, most: int) -> int | None:
    j = i
    while j < len(text) and text[j].isspace() and text[j] != "\n":
        j += 1
    return j if j - i <= most else None


def _pair_after(
    text: str, pos: int, numbers: list[tuple[int, int, DocNumber]], used: set[int]
) -> tuple[int, int] | None:
    """(index into numbers, citation end) of a 文号 in parentheses after ``pos``."""
    starts = [n[0] for n in numbers]
    skipped = 0
    while True:
        i = _skip_space(text, pos, _MAX_GAP)
        if i is None or i >= len(text) or text[i] not in _PAIR_OPENERS:
            return None
        close = _match_paren(text, i)
        if close is None:
            return None
        k = bisect.bisect_right(starts, i)
        while k < len(numbers) and numbers[k][0] < close:
            e = numbers[k][1]
            if k not in used and e <= close:
                return k, close + 1 if not text[e:close].strip() else e
            k += 1
        inner = text[i + 1 : close]
        if skipped >= 2 or len(inner) > _MAX_QUALIFIER or "《" in inner:
            return None
        skipped += 1
        pos = close + 1


def _pair_before(
    text: str, start: int, numbers: list[tuple[int, int, DocNumber]], used: set[int]
) -> int | None:
    """Index into numbers of a 文号 ending right before ``start`` (spaces between)."""
    k = bisect.bisect_right([n[1] for n in numbers], start) - 1
    if k < 0 or k in used:
        return None
    gap = text[numbers[k][1] : start]
    return k if len(gap) <= _MAX_GAP and not gap.strip() else None


def _declarations(text: str) -> list[tuple[int, str]]:
    """(position, name) of every 简称 declared with an alias marker."""
    markers = _words("alias_marker")
    if not markers:
        return []
    pattern = re.compile(
        "(?:" + "|".join(re.escape(m) for m in markers) + ")"
        r"[:：\s]*为?[:：\s]*"
        f"[{_QUOTES}](?P<name>[^{_QUOTES}\\n]{{1,{_MAX_ALIAS}}})[{_QUOTES}]"
    )
    return [(m.start(), m["name"].strip()) for m in pattern.finditer(text)]


def _inside(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the sorted, disjoint ``spans``."""
    k = bisect.bisect_left(starts, start) - 1
    return k >= 0 and end <= spans[k][1]


def find_citations(text: str) -> list[Citation]:
    """Every cited document in ``text``, in text order."""
    spans = [(s, e) for s, e in _scan_titles(text) if len(text[s + 1 : e - 1].strip()) <= MAX_TITLE]
    span_starts = [s for s, _ in spans]
    numbers = [n for n in docnumber.find(text) if not _inside(spans, span_starts, n[0], n[1])]
    used: set[int] = set()
    titles: list[_Title] = []
    for s, e in spans:
        t = _Title(s, e, text[s + 1 : e - 1].strip(), cite_start=s, cite_end=e)
        if not t.title:
            continue
        k = -1
        after = _pair_after(text, e, numbers, used)
        if after is not None:
            k, t.cite_end = after
        elif _is_doc_title(_core(t.title)):
            before = _pair_before(text, s, numbers, used)
            if before is not None:
                k, t.cite_start = before, numbers[before][0]
        if k >= 0:
            used.add(k)
            t.number = numbers[k]
        titles.append(t)

    declarations = _declarations(text)
    declared: dict[str, str | None] = {}
    last_full: _Title | None = None
    d = 0
    out: list[Citation] = []
    for t in titles:
        while d < len(declarations) and declarations[d][0] < t.start:
            pos, name = declarations[d]
            full = None
            if (
                last_full is not None
                and 0 <= pos - last_full.end <= _MAX_ALIAS_GAP
                and not _SENTENCE_END.search(text[last_full.end : pos])
            ):
                full = last_full.title
            declared[name] = full
            d += 1
        core = _core(t.title)
        number = None if t.number is None else str(t.number[2])
        alias = False
        alias_of: str | None = None
        if number is None and (t.title in declared or core in declared):
            alias = True
            alias_of = declared.get(t.title, declared.get(core))
        elif number is None and _is_bare_type(core):
            alias = True
        elif number is None and not (len(core) >= MIN_SHORT_TITLE and _is_doc_title(core)):
            continue
        out.append(
            Citation(
                t.title,
                number,
                t.cite_start,
                t.cite_end,
                text[t.cite_start : t.cite_end],
                alias,
                alias_of,
            )
        )
        if not alias:
            last_full = t

    for k, (s, e, doc) in enumerate(numbers):
        if k not in used:
            out.append(Citation(None, str(doc), s, e, text[s:e]))
    out.sort(key=lambda c: (c.start, c.end))
    return out
