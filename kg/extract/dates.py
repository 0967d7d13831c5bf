"""Dates as the genre writes them, to ISO strings at the precision given.

    >>> parse_date("2021-12-27 18:54")
    '2021-12-27'
    >>> parse_date("2019年7月11日")
    '2019-07-11'
    >>> parse_date("二〇二一年九月")
    '2021-09'
    >>> parse_date("2023年")
    '2023'
    >>> [d[2] for d in find_dates("截至2023年12月，2019年7月11日，２０２０年３月")]
    ['2023-12', '2019-07-11', '2020-03']
"""

from __future__ import annotations

import re

from kg.base.chars import halfwidth

_CN_DIGITS = "〇零一二三四五六七八九十"
_YEAR = rf"(?:(?:19|20)\d\d|[{_CN_DIGITS}]{{4}})"
_NUM = rf"(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})"
DATE_RE = re.compile(
    rf"(?P<y>{_YEAR})\s*(?:年\s*(?:(?P<m>{_NUM})\s*月\s*(?:(?P<d>{_NUM})\s*[日号])?)?"
    rf"|[-/.](?P<m2>\d{{1,2}})(?:[-/.](?P<d2>\d{{1,2}}))?(?!\d))"
)


def _int(part: str | None) -> int | None:
    if not part:
        return None
    if part.isdigit():
        return int(part)
    if all(c in _CN_DIGITS for c in part):
        if len(part) == 4 and "十" not in part:  # 二〇二一: digit by digit
            return int("".join(str("〇一二三四五六七八九".index(c)) if c != "零" else "0"
                               for c in part))
        import cn2an  # imported here: it takes a tenth of a second to load

        try:
            return int(cn2an.cn2an(part, "smart"))
        except (ValueError, KeyError):
            return None
    return None


def _iso(y: int | None, m: int | None, d: int | None) -> str | None:
    if y is None or not 1900 <= y <= 2100:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= 31:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every date in ``text`` as ``(start, end, iso)``; a bare year needs 年."""
    found = []
    for m in DATE_RE.finditer(halfwidth(text)):  # ２０２０年: offsets unchanged
        year = _int(m.group("y"))
        month = _int(m.group("m") or m.group("m2"))
        day = _int(m.group("d") or m.group("d2"))
        iso = _iso(year, month, day)
        if iso is not None:
            found.append((m.start(), m.end(), iso))
    return found


def parse_date(text: str) -> str | None:
    """The first date in ``text`` (ISO: YYYY, YYYY-MM or YYYY-MM-DD), or None."""
    found = find_dates(text)
    return found[0][2] if found else None
