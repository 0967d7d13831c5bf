"""Time expressions of the genre → reference periods of observations.

Each :class:`TimeRef` gives the period an expression denotes as ISO strings
at the precision written: ``period`` (the end, or the point) and, for spans,
``period_start``::

    >>> [(t.text, t.period, t.period_start, t.cue) for t in find_time_refs(
    ...     "截至2023年12月底，2019年1-5月，上半年，十三五期间，到2025年", 2023)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('截至2023年12月底', '2023-12', None, 'until'), ('2019年1-5月', '2019-05', '2019-01', None),
     ('上半年', '2019-06', '2019-01', None), ('十三五期间', '2020', '2016', None),
     ('到2025年', '2025', None, 'by')]

A month or a part of a year without its year takes the year written last
before it (here 2019), else the report's year. Relative years (今年, 去年),
parts of a year (上半年, 全年) and five-year plans (十四五) come from
``ontology/lexicon/time_words.tsv``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.base.chars import halfwidth
from kg.base.resources import lexicon
from kg.extract.dates import _int

_CN = "〇零一二三四五六七八九十"
_Y = rf"(?:(?:19|20)\d\d|[{_CN}]{{4}})"
_M = rf"(?:1[0-2]|0?[1-9]|[{_CN}]{{1,2}})"
_D = rf"(?:3[01]|[12]\d|0?[1-9]|[{_CN}]{{1,3}})"
_PREFIX = r"(?P<pre>截至|截止到|截止|截至到|到|至|力争到|力争|从|由)?"
_SUFFIX = r"(?P<suf>底前|末前|底|末|初|以来|期间|时|前)?"


_SENTENCE_END = re.compile(r"[。！？!?\n]")
#: Written before a time, these make it the base of a comparison (较上年, 比去年同期), not a period.
_COMPARED_BEFORE = ("较", "比", "与", "同")
_COMPARED_AFTER = ("同期", "相比", "同比")


def _comparison_base(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 1):start]
    return before in _COMPARED_BEFORE or text[end:end + 2] in _COMPARED_AFTER


def _dated_base(text: str, start: int, end: int) -> bool:
    """比2019年的财政补助596元: the base of a comparison that dates the number it names."""
    return text[max(0, start - 1):start] in _COMPARED_BEFORE and text[end:end + 1] == "的"


@dataclass(frozen=True)
class TimeRef:
    """A time expression: offsets, text, and the period it denotes.

    ``cue`` is ``until`` (截至/截止: a point in time), ``by`` (到/力争到: a
    deadline, typical of targets), ``since`` (以来: a span up to the report's
    year), ``from`` (从/由2019年9030元下降到…: the start of a change, dating only
    the number right after it), ``base`` (比2019年的596元: a comparison's base,
    dating only the number it names) or None.
    """

    start: int
    end: int
    text: str
    period: str
    period_start: str | None = None
    cue: str | None = None


def is_plan_period(text: str) -> bool:
    """Whether ``text`` names a five-year plan (“十三五”期间).

    >>> is_plan_period("“十三五”时期"), is_plan_period("2016年至2020年")
    (True, False)
    """
    return any(w in text for w in _words()["plan_period"])


@functools.cache
def _words() -> dict[str, dict[str, str]]:
    lex = lexicon("time_words.tsv")
    return {kind: lex.values(kind) for kind in sorted(lex.kinds)}


@functools.cache
def _pattern() -> re.Pattern[str]:
    words = _words()
    rel = "|".join(sorted(map(re.escape, words["relative_year"]), key=len, reverse=True))
    part = "|".join(sorted(map(re.escape, words["part_of_year"]), key=len, reverse=True))
    plan = "|".join(sorted(map(re.escape, words["plan_period"]), key=len, reverse=True))
    year = rf"(?:(?P<y>{_Y})\s*年(?:度)?|(?P<rel>{rel}))"
    months = (rf"(?P<m1>{_M})\s*(?:月?\s*[-－—~～至到]\s*(?P<m2>{_M}))?\s*月"
              rf"(?:\s*(?P<d>{_D})\s*[日号]"
              rf"(?:\s*[-－—~～至到]{{1,2}}\s*(?:(?P<m3>{_M})\s*月)?\s*(?P<d2>{_D})\s*[日号])?)?")
    # a time starts with a digit, a numeral, a quote, a cue or a time word:
    # looking ahead for one keeps the pattern from trying every position
    firsts = set("0123456789" + _CN + "“\"截到至力从由")
    for kind in ("relative_year", "part_of_year", "plan_period"):
        firsts.update(w[0] for w in words[kind])
    lead = "(?=[" + "".join(sorted(re.escape(c) for c in firsts)) + "])"
    # and a time is never empty: looking ahead for the start of one keeps every
    # digit of every other number from making an empty match
    ahead = (rf"(?=[“\"]?(?:{plan})|{_Y}\s*(?:[-－—~～至到]\s*{_Y}\s*)?年|{rel}"
             rf"|{_M}\s*(?:[-－—~～至到]\s*{_M})?\s*月|{part})")
    return re.compile(
        lead + _PREFIX + ahead + "(?:"
        rf"(?P<y1>{_Y})\s*年?\s*[-－—~～至到]\s*(?P<y2>{_Y})\s*年"  # 2021-2025年, 2018年至2020年
        rf"|[“\"]?(?P<plan>{plan})[”\"]?(?:时期|期间|末|规划期)?"        # 十三五期间
        rf"|(?:{year}\s*)?(?:{months}|(?P<part>{part}))?"  # 2019年1-5月, 上半年, 2023年
        ")" + _SUFFIX
    )


def find_time_refs(text: str, report_year: int | None = None,
                   now: int | None = None) -> list[TimeRef]:
    """Every time expression in ``text``, in order, with the period it denotes.

    Relative years (今年, 去年) count from ``now`` (the year the report was written;
    default ``report_year``); a month or a part of a year written without its year
    (1-8月, 全年) takes the year written last before it in its sentence, else
    ``report_year`` (the year the report looks back on), and so does a span
    自2019年以来.
    """
    words = _words()
    out: list[TimeRef] = []
    source, text = text, halfwidth(text)  # ２０２０年 is 2020年, one character for one
    if now is None:
        now = report_year
    current = report_year
    current_at = -1
    for m in _pattern().finditer(text):
        if not any(m.group("y1", "plan", "y", "rel", "m1", "part")):
            continue  # most matches are empty: no dict of every group for them
        g = m.groupdict()
        if current_at >= 0 and _SENTENCE_END.search(text, current_at, m.start()):
            # a year written in an earlier sentence does not date this one
            current, current_at = report_year, -1
        dated_base = _dated_base(text, m.start(), m.end())
        if not dated_base and _comparison_base(text, m.start(), m.end()):
            continue
        pre, suf = g["pre"], g["suf"]
        cue = {"截至": "until", "截止": "until", "截止到": "until", "截至到": "until",
               "到": "by", "至": "by", "力争到": "by", "力争": "by",
               "从": "from", "由": "from"}.get(pre or "")
        if suf == "以来":
            cue = "since"
        elif suf in ("前", "底前", "末前") and cue is None:
            cue = "by"  # 2022年底前: a deadline
        if cue == "by" and text[m.end():m.end() + 1] == "的":
            # 增加到2020年的389.1万人: a dated value, not a deadline
            cue = None
        if dated_base:
            cue = "base"
        period: str | None = None
        start: str | None = None
        if g["y1"]:
            y1, y2 = _int(g["y1"]), _int(g["y2"])
            if y1 and y2 and y1 < y2:
                period, start = f"{y2:04d}", f"{y1:04d}"
        elif g["plan"]:
            first, last = words["plan_period"][g["plan"]].split("-")
            period, start = last, first
            if suf in ("末",) or m.group(0).endswith("末"):
                start = None
        else:
            year = _int(g["y"]) if g["y"] else None
            if year is None and g["rel"]:
                if current is None and now is None:
                    continue
                base = now if now is not None else current
                assert base is not None
                year = base + int(words["relative_year"][g["rel"]])
            if year is not None and not 1900 <= year <= 2100:
                continue
            if year is not None and g["y"]:
                current, current_at = year, m.end()
            year = year if year is not None else current
            if year is None:
                continue
            if g["m1"]:
                m1, m2, day = _int(g["m1"]), _int(g["m2"]), _int(g["d"])
                if not m1 or not 1 <= m1 <= 12 or (m2 is not None and not m1 < m2 <= 12):
                    continue
                m3, day2 = _int(g["m3"]) if g["m3"] else m1, _int(g["d2"])
                if m2:
                    period, start = f"{year:04d}-{m2:02d}", f"{year:04d}-{m1:02d}"
                elif day and day2 and m3 and 1 <= day <= 31 and 1 <= day2 <= 31 \
                        and (m1, day) < (m3, day2) <= (12, 31):
                    # 3月1日至4月30日: a span of days
                    period = f"{year:04d}-{m3:02d}-{day2:02d}"
                    start = f"{year:04d}-{m1:02d}-{day:02d}"
                elif day and 1 <= day <= 31:
                    period = f"{year:04d}-{m1:02d}-{day:02d}"
                else:
                    period = f"{year:04d}-{m1:02d}"
            elif g["part"]:
                first, last = words["part_of_year"][g["part"]].split("-")
                period = f"{year:04d}-{last}"
                start = f"{year:04d}-{first}" if first != last else None
                if g["part"] == "全年":
                    period, start = f"{year:04d}", None
            else:
                period = f"{year:04d}"
                if suf in ("底", "末", "底前", "末前"):
                    period = f"{year:04d}-12"
        if period is None:
            continue
        if cue == "since" and start is None and report_year is not None \
                and period[:4].isdigit() and int(period[:4]) < report_year:
            # 自2019年以来: from then up to the report's year
            period, start = f"{report_year:04d}", period
        out.append(TimeRef(m.start(), m.end(), source[m.start():m.end()], period, start, cue))
    return out
