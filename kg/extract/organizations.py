"""Organisations and people: hospitals, pharmacies, insurers, companies; named officials.

Word lists are data: ``ontology/lexicon/organizations.tsv`` (name endings
such as 人民医院, 大药房, 保险公司 with their ``yb:orgType``, and whole names
of insurers such as 人保财险) and ``person_roles.tsv`` (roles and surnames).

* An **organisation** ending in a listed suffix is named from a region name
  (武进人民医院) or a level word (市第一人民医院) up to the suffix; words such as
  定点医院 or 二级以上医院 name no one and are left out. Whole names (中国人寿)
  stand alone.
* A **person** is a surname and one or two characters between a role and
  同志 or a clause break (分管副市长袁冰同志带领…), or before a role at a
  clause start (彭哲志委员：…).

    >>> from kg.base.records import Sentence
    >>> text = "市第一人民医院和人保财险参与，分管副市长袁冰同志带领检查。"
    >>> s = [Sentence(0, len(text), text)]
    >>> [(o.text, o.org_type, o.level) for o in find_organizations(text, s, [])]
    [('市第一人民医院', 'Hospital', '市'), ('人保财险', 'Insurer', None)]
    >>> [(p.name, p.role) for p in find_persons(text, s)]
    [('袁冰', '副市长')]
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

from kg.base.records import (
    AgencyMention,
    OrganizationMention,
    PersonMention,
    RegionMention,
    Sentence,
)
from kg.base.resources import lexicon_rows, lexicon_words

_MAX_NAME = 12


@functools.cache
def _stop() -> re.Pattern[str]:
    """Characters that end an organisation's name going backwards: not Chinese, or a
    function word of ``agency_words.tsv`` (的, 和, 对…)."""
    chars = "".join(lexicon_words("agency_words.tsv").get("org_stop", ()))
    return re.compile(r"[^\u4e00-\u9fff]|[" + re.escape(chars) + "]")


def _levels() -> tuple[str, ...]:
    """Level words that may begin an organisation's name (市第一人民医院)."""
    return lexicon_words("agency_words.tsv").get("org_level", ())


@functools.cache
def _generic() -> re.Pattern[str]:
    """Words that make a name generic (定点医院, 公立医院, 城区大医院): a kind, not one body."""
    words = lexicon_words("agency_words.tsv")
    anywhere = "|".join(map(re.escape, words.get("org_generic", ())))
    at_end = "|".join(re.escape(w) + "$" for w in words.get("org_generic_end", ()))
    return re.compile("|".join(p for p in (anywhere, at_end) if p))


@functools.cache
def _org_rows() -> tuple[tuple[str, str, str, str | None], ...]:
    rows = [(r[0], r[1], r[2], None if r[3] == "-" else r[3])
            for r in lexicon_rows("organizations.tsv")]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


@functools.cache
def _brand_types() -> frozenset[str]:
    """orgTypes whose names hold a region as part of a brand (``place`` brand)."""
    return frozenset(r[2] for r in lexicon_rows("organizations.tsv") if r[4] == "brand")


#: A parenthesised part of a company's name skipped going backwards ((集团)).
_PAREN_GROUP = re.compile(r"[（(][\u4e00-\u9fff]{1,6}[）)]$")


@functools.cache
def _person_words() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for word, kind in lexicon_rows("person_roles.tsv"):
        out.setdefault(kind, []).append(word)
    return {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in out.items()}


def _sentence_at(sentences: Sequence[Sentence], starts: Sequence[int],
                 start: int, end: int) -> Sentence | None:
    k = bisect.bisect_right(starts, start) - 1
    if k >= 0 and sentences[k].start <= start and end <= sentences[k].end:
        return sentences[k]
    return None


@functools.cache
def _org_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, str, str, str | None]]]:
    """Any organisation form, and each form's row."""
    rows = _org_rows()
    return re.compile("|".join(re.escape(r[0]) for r in rows)), {r[0]: r for r in rows}


def find_organizations(text: str, sentences: Sequence[Sentence],
                       regions: Sequence[RegionMention]) -> list[OrganizationMention]:
    """Every organisation named in ``text`` (see the module's docstring)."""
    starts = [s.start for s in sentences]
    region_starts = sorted(regions, key=lambda r: r.start)
    pattern, by_form = _org_pattern()
    out: list[OrganizationMention] = []
    last_end = 0
    for hit in pattern.finditer(text):
        form, kind, org_type, full = by_form[hit.group(0)]
        start, end = hit.start(), hit.end()
        if start < last_end:
            continue
        region: RegionMention | None = None
        level: str | None = None
        if kind == "suffix":
            lo = start
            while lo > last_end and start - lo <= _MAX_NAME:
                group = _PAREN_GROUP.search(text, max(last_end, lo - 8), lo)
                if group is not None and not any(group.start() <= r.start < lo
                                                 for r in region_starts):
                    lo = group.start()  # 上海某某医疗器械(集团)有限公司
                    continue
                if _stop().match(text[lo - 1]):
                    break
                lo -= 1
            if start - lo > _MAX_NAME:
                continue  # no boundary in reach: part of a longer phrase
            # a region name may hold a stop character itself (无为市)
            region = next((r for r in region_starts if r.start < start and lo <= r.end <= start
                           and r.start >= lo - 4 and not r.deictic), None)
            if region is not None:
                lo = region.start
            else:
                level = next((w for w in _levels() if text.startswith(w, lo)), None)
                if level is None or text[lo + len(level)] in "级域内外属":
                    continue  # 县级医院, 市属医院: a kind of hospital, not one
            head = region.end if region is not None else lo + len(level or "")
            if _generic().search(text[head:start]):
                continue
            if out and out[-1].start < lo and form == "分公司" \
                    and not _stop().search(text[out[-1].end:lo]):
                # 中国人寿保险股份有限公司拉萨市分公司: a branch of the body named before it
                prev = out.pop()
                lo, org_type = prev.start, prev.org_type if form == "分公司" else org_type
                region, level = prev.region or region, prev.level or level
            elif out and out[-1].start >= lo:
                prev = out.pop()  # 中国人寿 inside 中国人寿保险股份有限公司
                org_type = prev.org_type
        else:
            lo = start
        sent = _sentence_at(sentences, starts, lo, end)
        if sent is None:
            continue
        out.append(OrganizationMention(text[lo:end], lo, end, sent, org_type, full, region,
                                       level))
        last_end = end
    return out


#: How far after a parenthesised region a company's name may end (乐普(北京)医疗器械股份有限公司).
_COMPANY_TAIL = 16


@functools.cache
def _company_end() -> re.Pattern[str]:
    """The rest of a business's name after a parenthesised region: name characters
    up to a ``brand`` ending of ``organizations.tsv`` (有限公司, 大药房)."""
    ends = "|".join(re.escape(r[0]) for r in _org_rows()
                    if r[1] == "suffix" and r[2] in _brand_types())
    return re.compile(rf"[）)][\u4e00-\u9fffA-Za-z（()）]{{0,{_COMPANY_TAIL}}}?(?:{ends})")


def regions_outside_names(text: str, regions: Sequence[RegionMention],
                          organizations: Sequence[OrganizationMention],
                          agencies: Sequence[AgencyMention]) -> tuple[RegionMention, ...]:
    """The region mentions that are not part of a name: a region inside a
    business's name (山东某某医疗制品有限公司, 某某科技(北京)有限公司, 中国人寿; the
    ``brand`` rows of ``organizations.tsv``) or the 国家 of a national body's name
    (国家医疗保障局) names the business or the body, not the region; the report
    does not mention that region by it. A region's own hospital (门源县中医院) or
    body (遂宁市医疗保障局) is a mention: it serves that region.

        >>> from kg.base.records import Sentence
        >>> text = "山东某某医疗制品有限公司、某某科技(北京)有限公司参与，上海市医保局会同。"
        >>> s = Sentence(0, len(text), text)
        >>> regions = [RegionMention(w, text.index(w), text.index(w) + len(w), s)
        ...            for w in ("山东", "北京", "上海市")]
        >>> orgs = find_organizations(text, [s], regions)
        >>> [r.text for r in regions_outside_names(text, regions, orgs, [])]
        ['上海市']
    """
    names = [(o.start, o.end) for o in organizations if o.org_type in _brand_types()]
    names += [(a.start, a.end) for a in agencies if a.national is not None
              or (a.regions and all(r.deictic == "国" for r in a.regions))]
    out = []
    for r in regions:
        if any(s <= r.start and r.end <= e for s, e in names):
            continue
        if r.start > 0 and text[r.start - 1] in "（(" and _company_end().match(text, r.end):
            continue  # 易生科技(北京)有限公司
        out.append(r)
    return tuple(out)


@functools.cache
def _person_patterns() -> tuple[tuple[re.Pattern[str], int, int], ...]:
    """(pattern, role group, name group): a role before the name (局长张三), or after it."""
    words = _person_words()
    before = "|".join(map(re.escape, words.get("role_before", ())))
    after = "|".join(map(re.escape, words.get("role_after", ())))
    family = "|".join(map(re.escape, words.get("surname", ())))
    verbs = "|".join(map(re.escape, words.get("verb_after", ())))
    # a name starts with a surname's character: looking ahead for one first keeps the
    # pattern from trying every surname at every position
    firsts = "".join(sorted({re.escape(w[0]) for w in words.get("surname", ()) if w}))
    lead = f"(?=[{firsts}])" if firsts else ""
    return (
        (re.compile(rf"({before})((?:{family})[\u4e00-\u9fff]{{1,2}}?)(?={verbs}|[，,、。：:])"),
         1, 2),
        (re.compile(rf"{lead}(?:^|(?<=[\s，,。：:；;、校局院委]))((?:{family})[\u4e00-\u9fff]{{1,2}}?)"
                    rf"({after})(?=[\s，,。：:；;]|$|{verbs})", re.M), 2, 1),
    )


def find_persons(text: str, sentences: Sequence[Sentence]) -> list[PersonMention]:
    """Every named person with a role (see the module's docstring)."""
    starts = [s.start for s in sentences]
    out: list[PersonMention] = []
    seen: set[tuple[int, int]] = set()
    for pattern, role_group, name_group in _person_patterns():
        for m in pattern.finditer(text):
            start, end = m.start(name_group), m.end(name_group)
            sent = _sentence_at(sentences, starts, start, end)
            if sent is None or (start, end) in seen:
                continue
            seen.add((start, end))
            out.append(PersonMention(m.group(name_group), start, end, sent,
                                     m.group(role_group)))
    return sorted(out, key=lambda p: p.start)
