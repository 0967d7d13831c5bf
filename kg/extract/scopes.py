"""Sections of a report and what they say about the numbers inside them.

Placeholder for the section logic of the observation extractor (headings of
plans and their goal sections); the headings themselves are read once at
ingest (:attr:`kg.base.records.Document.headings`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.extract.labels import has_word
from kg.extract.periods import find_time_refs

#: A heading line: 第一章  发展基础, 一、“十三五”时期发展成就 (short, on its own line).
_SECTION_HEAD = re.compile(
    r"^[ \t\u3000]*(?:第[一二三四五六七八九十]+章|[一二三四五六七八九十]+、)[^\n。]{0,40}$", re.M)


def section_heads(text: str) -> list[tuple[int, bool, bool]]:
    """(start, is a chapter, reviews the past) of each heading line, in order."""
    out = []
    for m in _SECTION_HEAD.finditer(text):
        line = m.group(0).strip()
        out.append((m.start(), line.startswith("第"), has_word("review_section", line)))
    return out


def under_review(heads: Sequence[tuple[int, bool, bool]], pos: int) -> bool:
    """Whether ``pos`` lies under a heading that reviews the past (一、发展基础), directly
    or through its chapter (第一章 发展基础)."""
    section = chapter = None
    for start, is_chapter, review in heads:
        if start > pos:
            break
        if is_chapter:
            chapter, section = review, None
        else:
            section = review
    return bool(section) or (section is None and bool(chapter))


#: A short line with no sentence end is a heading (城镇职工医疗保险：, （二）居民医保).
_HEADING_MAX = 40


def paragraph_before(text: str, pos: int) -> str:
    """The paragraph's text before ``pos``, and the heading line above it if there is one."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    prev_end = line_start - 1
    while prev_end > 0 and text[prev_end - 1] in "\r\n \t\u3000":
        prev_end -= 1
    prev_start = text.rfind("\n", 0, prev_end) + 1
    heading = text[prev_start:prev_end].strip()
    if heading and len(heading) <= _HEADING_MAX and "。" not in heading:
        before = heading + "\n" + before
    return before


#: A top-level heading: 二、2024年工作思路 (short, on a line of its own).
_HEADING = re.compile(r"^[ \t\u3000]*[一二三四五六七八九十]+、(?P<title>[^\n]{0,40})$", re.M)


def plan_sections(text: str) -> list[tuple[int, int, int]]:
    """Sections under a heading that names a plan (二、2024年工作思路, 五、总体目标):
    ``(start, end, year)``, up to the next top-level heading. The year is the
    heading's, else the latest one the section's opening words name (“十四五”
    时期 → 2025); a heading that reviews (目标任务完成情况) opens no such section."""
    heads = list(_HEADING.finditer(text))
    out = []
    for i, m in enumerate(heads):
        title = m.group("title")
        if "。" in title or not has_word("plan_heading", title) \
                or has_word("review_heading", title):
            continue
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        years = re.findall(r"((?:19|20)\d\d)年", title)
        if not years:
            # 五、总体目标 / “十四五”时期，…: the horizon its opening words name
            opening = text[m.end():min(end, m.end() + _OPENING)]
            years = [t.period[:4] for t in find_time_refs(opening) if t.period[:4].isdigit()]
            years = sorted(years)[-1:]
        if years:
            out.append((m.end(), end, int(years[-1])))
    return out


#: How far into a section a heading without a year looks for its horizon.
_OPENING = 120
