"""Sections of a report and what they say about the numbers inside them: scopes.

A heading opens a scope (the headings are read once at ingest:
:attr:`kg.base.records.Document.headings` — 一、…, （二）…, 1., 第X部分, 【…】, a
short line above a paragraph); the scope reaches to the next heading of the
same or a higher level. What the heading says becomes the scope's defaults for
the numbers inside it, until a sentence or a clause says otherwise:

* ``scheme`` — the insurance scheme it names (（一）职工医保基金 → Employee);
* ``indicator`` — the indicator it names (一、参保人数 → InsuredPersons), for
  numbers whose own words name none (a table row 城乡居民基本医疗保险万人412.36);
* ``period`` — the time it names (二、2023年度基金运行情况; “十三五”成就);
* ``status`` — ``Target`` for a section of plans or goals (二、2024年工作思路,
  “十四五”展望, 下一步工作打算: its year is the heading's, else the latest its
  opening words name), ``Actual`` for one that reviews (一、发展基础, 目标任务完成情况);
* ``place`` — a region it names (二、2023年度新余市…).

Observations take each field from the innermost scope that sets it
(:mod:`kg.extract.fields`). Words are rows of
``ontology/lexicon/observation_words.tsv`` (``plan_heading``, ``review_heading``,
``review_section``); labels come from the SKOS schemes.

    >>> from kg.base.records import Document, Frame
    >>> from kg.ingest.layout import with_layout
    >>> text = "一、职工医疗保险\\n全县参保3.1万人。\\n二、2024年工作思路\\n力争参保率达到96%。"
    >>> d = with_layout(Document("a.txt", "a.txt", text, "0", "utf-8", "text/plain"))
    >>> scopes = read_scopes(d, Frame("WorkSummary", covers="2023"), ())
    >>> [(s.heading, s.scheme, s.status, s.year) for s in scopes.scopes]
    [('职工医疗保险', 'Employee', None, None), ('2024年工作思路', None, 'Target', 2024)]
    >>> scopes.first(text.index("全县"), "scheme")
    'Employee'
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from kg.base.records import Document, Frame, Heading, RegionMention
from kg.base.regions import Gazetteer, gazetteer
from kg.extract.labels import find_label, has_word, last_scheme, scheme_labels, unnoted
from kg.extract.periods import TimeRef, find_time_refs

#: How far into a section a goal heading without a year looks for its horizon.
OPENING = 120


@dataclass(frozen=True)
class Scope:
    """A section of the report and the defaults its heading sets (None: not set)."""

    start: int
    end: int
    level: int
    heading: str
    scheme: str | None = None
    indicator: str | None = None
    period: TimeRef | None = None
    status: str | None = None
    place: RegionMention | None = None
    review: bool = False  # the heading reviews the past (一、发展基础, 目标任务完成情况)

    @property
    def year(self) -> int | None:
        """The year of :attr:`period`."""
        if self.period is None or not self.period.period[:4].isdigit():
            return None
        return int(self.period.period[:4])


class Scopes:
    """The scopes of a report, with lookups by position (innermost scope first)."""

    def __init__(self, scopes: Sequence[Scope]) -> None:
        self.scopes = tuple(scopes)
        self._starts = [s.start for s in self.scopes]

    def chain(self, pos: int) -> list[Scope]:
        """The scopes that hold ``pos``, innermost first."""
        k = bisect.bisect_right(self._starts, pos)
        return sorted((s for s in self.scopes[:k] if s.start <= pos < s.end),
                      key=lambda s: -s.level)

    def first(self, pos: int, attr: str) -> object:
        """The value of ``attr`` in the innermost scope at ``pos`` that sets it, or None."""
        for s in self.chain(pos):
            value = getattr(s, attr)
            if value is not None and value is not False:
                return value
        return None

    def under_review(self, pos: int) -> bool:
        """Whether ``pos`` lies in a section that reviews the past, directly or through a
        section around it (第一章 发展基础 → 一、…)."""
        return any(s.review for s in self.chain(pos))

    def goal_year(self, pos: int) -> int | None:
        """The year of the innermost section of goals at ``pos`` (二、2024年工作思路)."""
        for s in self.chain(pos):
            if s.review:
                return None
            if s.status == "Target":
                return s.year
        return None


def _ends(headings: Sequence[Heading], length: int) -> list[int]:
    """Where each heading's scope ends: at the next heading of the same or a higher level."""
    out = []
    for i, h in enumerate(headings):
        end = length
        for nxt in headings[i + 1:]:
            if nxt.level <= h.level:
                end = nxt.start
                break
        out.append(end)
    return out


def _goal_year(text: str, h: Heading, end: int, base: int | None) -> TimeRef | None:
    """The year of a section of goals: its heading's, else the latest its opening words
    name (五、总体目标 / “十四五”时期，… → 2025)."""
    years = [t for t in find_time_refs(h.text, base, base) if t.period[:4].isdigit()]
    if years:
        t = years[-1]
        return TimeRef(h.start, h.end, t.text, t.period[:4])
    opening = text[h.end:min(end, h.end + OPENING)]
    found = sorted((t for t in find_time_refs(opening, base, base) if t.period[:4].isdigit()),
                   key=lambda t: t.period[:4])
    if not found:
        return None
    return TimeRef(h.start, h.end, found[-1].text, found[-1].period[:4])


def _time_named(h: Heading, base: int | None) -> TimeRef | None:
    """The period a heading names for the numbers under it (2023年度…, “十三五”成就)."""
    for t in find_time_refs(h.text, base, base):
        if t.cue in (None, "until") and t.period[:4].isdigit():
            return TimeRef(h.start, h.end, t.text, t.period, t.period_start, t.cue)
    return None


#: What a heading that names only an indicator family may hold besides its label (2023年度
#: 新余市基本医疗保险参保人数, 一、参保人员情况): at most this many other characters.
FAMILY_REST = 2


def _family(words: str, named: Sequence[RegionMention], period: TimeRef | None) -> str | None:
    """The indicator a heading names when it names nothing else (一、参保人数; 二、2023年度
    某市基本医疗保险基金收入): a section of a release whose rows are that indicator's.
    A heading about a task that happens to hold a label (贯彻执行国家药品目录…) names none."""
    found = find_label("ind", words)
    if found is None:
        return None
    rest = words
    for part in [period.text if period else "", *(m.text for m in named)]:
        rest = rest.replace(part, "", 1) if part else rest
    scheme = last_scheme(rest)
    hit = find_label("ind", rest)
    for cut in (hit, scheme):
        if cut is not None:
            label_end = cut[1]
            rest = rest[:label_end - _label_length(rest, label_end)] + rest[label_end:]
    rest = rest.strip(" \t\u3000：:").replace("情况", "").replace("统计", "")
    return found[0] if len(rest) <= FAMILY_REST else None


def _label_length(text: str, end: int) -> int:
    """The length of the longest label of any scheme that ends at ``end`` in ``text``."""
    best = 0
    for scheme in ("ind", "ins"):
        for label, _name in scheme_labels(scheme):
            if len(label) > best and text.endswith(label, 0, end):
                best = len(label)
    return best


def _inside(m: RegionMention, home: str | None, gaz: Gazetteer) -> bool:
    """Whether a region a heading names is the home region or lies in it (a district's
    section of a city's report), not a parent or a neighbour."""
    if home is None:
        return False
    return any(c == home or gaz.is_within(c, home) for c in m.candidates if c in gaz)


def read_scopes(document: Document, frame: Frame,
                regions: Sequence[RegionMention]) -> Scopes:
    """The scopes of ``document``: one per heading, with the defaults its words set."""
    gaz = gazetteer()
    text = document.text
    base = frame.year
    headings = document.headings
    out = []
    for h, end in zip(headings, _ends(headings, len(text)), strict=True):
        words = unnoted(h.text)
        review = has_word("review_heading", words) or has_word("review_section", words)
        goals = has_word("plan_heading", words) and not review
        scheme = last_scheme(words)
        period = _goal_year(text, h, end, base) if goals else _time_named(h, base)
        named = [m for m in regions if h.start <= m.start and m.end <= h.end]
        place = next((m for m in named if not m.deictic and _inside(m, frame.home, gaz)), None)
        indicator = _family(words, named, period)
        out.append(Scope(
            start=h.start, end=end, level=h.level, heading=h.text,
            scheme=scheme[0] if scheme else None,
            indicator=indicator,
            period=period, status="Target" if goals and period is not None else (
                "Actual" if review else None),
            place=place, review=review))
    return Scopes(out)


def line_before(text: str, pos: int) -> str:
    """The text of ``pos``'s line before it (the paragraph's own words so far)."""
    return text[text.rfind("\n", 0, pos) + 1:pos]
