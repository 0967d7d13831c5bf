"""Where a report is, and which place each region mention means.

Pure Python on records (no spaCy, no rdflib). Two jobs:

* :func:`home_region` — the region a report is about (``dcterms:spatial``);
* :func:`resolve` — one GB/T 2260 code for a :class:`~kg.base.records.RegionMention`,
  or ``None`` when it cannot be decided safely: deictic references (全区, 我市,
  全省, 全国…) are resolved against the home region at the level they name,
  ambiguous names (城关区, 朝阳区, 新城区) and short forms (武进, 海北) by the
  home region's place in the tree.

Every word list is lexicon, not code: the deictic references and the level
word each points at are in ``ontology/lexicon/region_deixis.tsv``, region names
come from the gazetteer (:mod:`kg.base.regions`).

    >>> from kg.base.records import RegionMention, Sentence
    >>> s = Sentence(0, 4, "全区全市")
    >>> resolve(RegionMention("全区", 0, 2, s, deictic="区"), "320412")
    '320412'
    >>> resolve(RegionMention("全市", 2, 4, s, deictic="市"), "320412")
    '320400'
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.base.deixis import deictic_forms
from kg.base.records import Document, RegionMention
from kg.base.regions import CHINA, COUNTRY, COUNTY, PROVINCE, Gazetteer, gazetteer

#: The level word of national references (全国, 国家, 我国, 中央).
NATIONAL = "国"

#: How many non-empty lines from the top may hold the title when the reader found none.
LEADING_LINES = 15
#: How many non-empty lines at the bottom may hold the signature block.
SIGNATURE_LINES = 8
#: Longest line read as a title or a signature (characters).
TITLE_MAX = 60
SIGNATURE_MAX = 40
#: Characters that make a line prose (a sentence), not a title or a signature.
PROSE_MARKS = frozenset("。，,；;！？!?")
#: Characters of breadcrumb navigation lines (首页 > 政务公开 / 规划计划).
NAV_MARKS = frozenset(">/|»›")
#: County names this short are trusted only near home, like short forms (和县, 城区).
WEAK_NAME_MAX = 2
#: Fewest deictic mentions of one level word that make it the report's own level.
DOMINANT_DEIXIS = 2


# ---------------------------------------------------------------------------
# Deixis
# ---------------------------------------------------------------------------


def level_matches(level: str, name: str) -> bool:
    """True when a deictic level word can denote a region with official ``name``."""
    return level != NATIONAL and name.endswith(level)


def deictic_target(level: str, home: str | None, gaz: Gazetteer | None = None) -> str | None:
    """The region a deictic level word denotes in a report about ``home``.

    ``国`` is China. Any other word denotes the home region when its official
    name ends with the word, else the nearest ancestor whose name does (全市 in
    a 武进区 report → 常州市; 全区 in a 拉萨市 report → 西藏自治区); None when
    no region on the way up matches, or when there is no home region.
    """
    if level == NATIONAL:
        return CHINA
    gaz = gaz or gazetteer()
    if home is None or home not in gaz:
        return None
    for region in (gaz.get(home), *gaz.ancestors(home)):
        if region.level != COUNTRY and level_matches(level, region.name):
            return region.code
    return None


# ---------------------------------------------------------------------------
# One mention
# ---------------------------------------------------------------------------


def _candidates(surface: str, given: Iterable[str], gaz: Gazetteer) -> list[str]:
    codes = {c for c in given if c in gaz} or set(gaz.candidates(surface))
    return sorted(codes)


def _is_weak(surface: str, code: str, gaz: Gazetteer) -> bool:
    """A bare county-level short form (武进, 门源) or two-character county name (和县, 城区).

    Such names are everyday words or parts of them too often (县(区)级 → 和县) to
    be trusted outside the home region's province. A short form that ends like
    the official name (门源县 for 门源回族自治县, 管城区) is as strong as the name.
    """
    region = gaz.get(code)
    if region.level != COUNTY:
        return False
    if len(surface) <= WEAK_NAME_MAX:
        return True
    return gaz.is_short(surface, code) and surface[-1] != region.name[-1]


def _context_key(code: str, home: str, gaz: Gazetteer) -> tuple[bool, bool, int, bool]:
    """How close a candidate is to the home region (bigger is closer).

    (is the home region, lies inside it, depth of the deepest region holding
    both, is an ancestor of the home region).
    """
    shared = gaz.common_ancestor(code, home)
    return (
        code == home,
        code != home and gaz.is_within(code, home),
        shared.depth,
        code != home and shared.code == code,
    )


def _shallowest(codes: Sequence[str], gaz: Gazetteer) -> str | None:
    """The one candidate of the highest level, if exactly one is."""
    top = min(gaz.get(c).depth for c in codes)
    best = [c for c in codes if gaz.get(c).depth == top]
    return best[0] if len(best) == 1 else None


def choose(surface: str, candidates: Sequence[str], home: str, gaz: Gazetteer) -> str | None:
    """One of ``candidates`` for ``surface`` in a report about ``home``, or None.

    Bare county-level short forms and two-character county names (武进, 和县,
    城区) count only inside the home region's province.
    Among several candidates the one closest to the home region wins (the
    home region itself, then one inside it, then the one sharing the deepest
    ancestor with it, then an ancestor of it); when the context cannot
    separate them, the one candidate of the highest level wins (海南 → 海南省
    rather than 海南藏族自治州 in a report from elsewhere), else None.
    """
    province = gaz.ancestor_at(home, PROVINCE)
    kept = [
        c for c in candidates
        if not _is_weak(surface, c, gaz)
        or (province is not None and gaz.is_within(c, province.code))
    ]
    if len(kept) <= 1:
        return kept[0] if kept else None
    keys = {c: _context_key(c, home, gaz) for c in kept}
    best_key = max(keys.values())
    best = [c for c in kept if keys[c] == best_key]
    if len(best) == 1:
        return best[0]
    return _shallowest(best, gaz)


def resolve(mention: RegionMention, home: str | None, gaz: Gazetteer | None = None) -> str | None:
    """One code for ``mention`` in a report about ``home``, or None when unsafe.

    * deictic mentions (``mention.deictic`` set): :func:`deictic_target`;
    * without a home region: only an unambiguous official (or former) name,
      and not a two-character county name;
    * otherwise :func:`choose` among the candidates (``mention.candidates``,
      or the gazetteer's candidates for its text).
    """
    gaz = gaz or gazetteer()
    if mention.deictic:
        return deictic_target(mention.deictic, home, gaz)
    codes = _candidates(mention.text, mention.candidates, gaz)
    if not codes:
        return None
    if home is None or home not in gaz:
        code = codes[0]
        if len(codes) == 1 and not gaz.is_short(mention.text, code):
            return None if _is_weak(mention.text, code, gaz) else code
        return None
    return choose(mention.text, codes, home, gaz)


# ---------------------------------------------------------------------------
# Scanning short strings (title, header, signature) for names
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    surface: str
    codes: tuple[str, ...]
    level: str | None  # deictic level word, or None for a region name


class _Scanner:
    """Leftmost-longest matching of region names and deictic forms in a string."""

    def __init__(self, gaz: Gazetteer) -> None:
        table: dict[str, tuple[tuple[str, ...], str | None]] = {
            form: (codes, None) for form, codes in gaz.surface_forms().items()
        }
        for form, level in deictic_forms().items():
            table.setdefault(form, ((), level))
        self.table = table
        by_first: dict[str, list[str]] = {}
        for form in table:
            by_first.setdefault(form[0], []).append(form)
        self.by_first = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}

    def scan(self, text: str) -> list[_Hit]:
        hits: list[_Hit] = []
        i = 0
        while i < len(text):
            for form in self.by_first.get(text[i], ()):
                if text.startswith(form, i):
                    codes, level = self.table[form]
                    hits.append(_Hit(i, i + len(form), form, codes, level))
                    i += len(form)
                    break
            else:
                i += 1
        return hits


@functools.lru_cache(maxsize=4)
def _scanner(gaz: Gazetteer) -> _Scanner:
    return _Scanner(gaz)


def _outside_book_titles(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Hits outside 《…》 (a cited document's title), when there are any."""
    depth_before = [0] * (len(text) + 1)
    depth = 0
    for i, ch in enumerate(text):
        if ch == "《":
            depth += 1
        elif ch == "》":
            depth = max(depth - 1, 0)
        depth_before[i + 1] = depth
    outside = [h for h in hits if depth_before[h.start] == 0]
    return outside or hits


# ---------------------------------------------------------------------------
# The report's home region
# ---------------------------------------------------------------------------


class _Evidence:
    """What the body text says: how often each region is named, which deixis it uses."""

    def __init__(self, document: Document, mentions: Sequence[RegionMention], gaz: Gazetteer):
        self.gaz = gaz
        title = document.title_span
        body = [
            m for m in mentions
            if document.in_body(m.start, m.end)
            or (title is not None and title[0] <= m.start and m.end <= title[1])
        ]
        self.deixis: Counter[str] = Counter(m.deictic for m in body if m.deictic)
        self.tally: Counter[str] = Counter()
        later: list[tuple[str, list[str]]] = []
        for m in body:
            if m.deictic:
                continue
            codes = [c for c in _candidates(m.text, m.candidates, gaz) if c != CHINA]
            if len(codes) == 1 and not _is_weak(m.text, codes[0], gaz):
                self.tally[codes[0]] += 1
            elif codes:
                later.append((m.text, codes))
        first_pass = Counter(self.tally)
        for surface, codes in later:
            code = self._by_support(surface, codes, first_pass)
            if code is not None:
                self.tally[code] += 1

    def province_support(self, code: str, tally: Counter[str] | None = None) -> int:
        """How often the text names ``code``'s province or anything inside it."""
        tally = self.tally if tally is None else tally
        province = self.gaz.ancestor_at(code, PROVINCE)
        if province is None:
            return 0
        return sum(n for c, n in tally.items() if self.gaz.is_within(c, province.code))

    def _by_support(self, surface: str, codes: Sequence[str],
                    tally: Counter[str] | None = None) -> str | None:
        """The candidate whose province the text supports most (a strict winner)."""
        counts = self.tally if tally is None else tally
        keys = {c: (self.province_support(c, counts), counts[c], -self.gaz.get(c).depth)
                for c in codes}
        best_key = max(keys.values())
        best = [c for c in codes if keys[c] == best_key]
        if best_key[0] == 0 or len(best) != 1:
            return None
        return best[0]

    def pick(self, surface: str, codes: Sequence[str]) -> str | None:
        """One code for a name read in a title, header or signature line."""
        codes = [c for c in codes if c in self.gaz]
        if len(codes) == 1:
            code = codes[0]
            if _is_weak(surface, code, self.gaz) and not self.province_support(code):
                return None
            return code
        return self._by_support(surface, codes) if codes else None

    def score(self, code: str) -> int:
        """Mentions of ``code`` plus the deictic mentions whose level word fits its name."""
        name = self.gaz.get(code).name
        bonus = sum(n for level, n in self.deixis.items() if level_matches(level, name))
        return self.tally[code] + bonus

    def best(self) -> str | None:
        """The text signal: the most named region, weighted by the deixis that fits it."""
        if not self.tally:
            own = [lv for lv in self.deixis if lv != NATIONAL]
            return CHINA if self.deixis[NATIONAL] and not own else None
        return min(self.tally, key=lambda c: (-self.score(c), -self.tally[c],
                                              -self.gaz.get(c).depth, c))

    def dominant_level(self) -> str | None:
        """The most used non-national deictic level word, if used often enough."""
        levels = [(n, lv) for lv, n in self.deixis.items() if lv != NATIONAL]
        if not levels:
            return None
        n, level = max(levels)
        return level if n >= DOMINANT_DEIXIS else None

    def refine(self, code: str) -> str:
        """A more specific region than ``code`` when the text's deixis points at it.

        A title naming 江苏省 over a text that says 全市 and names 常州市 is a
        常州市 report; a title naming 海北 over a text saying 全州 stays 海北.
        """
        level = self.dominant_level()
        if level is None or code not in self.gaz or level_matches(level, self.gaz.get(code).name):
            return code
        best = self.best()
        if (best is not None and best != code and self.gaz.is_within(best, code)
                and level_matches(level, self.gaz.get(best).name)):
            return best
        return code


def _pick_in(text: str, evidence: _Evidence, national: bool) -> str | None:
    """The region a short string (title, source, signature) names.

    Region names outside 《》 are preferred; of the names read, the first one
    wins unless a later one lies inside it (常州市武进区 → 武进区). With no
    region name, a national reference (国家医疗保障局, 全国) gives China when
    ``national`` is allowed.
    """
    hits = _scanner(evidence.gaz).scan(text)
    if not hits:
        return None
    hits = _outside_book_titles(text, hits)
    current: str | None = None
    for h in hits:
        if h.level is not None:
            continue
        code = evidence.pick(h.surface, h.codes)
        if code is None:
            continue
        if current is None or (code != current and evidence.gaz.is_within(code, current)):
            current = code
    if current is None and national and any(h.level == NATIONAL for h in hits):
        return CHINA
    return current


def _lines(document: Document) -> list[tuple[int, int, str]]:
    """Non-empty lines of the body: (start, end, stripped text)."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for raw in document.text.splitlines(keepends=True):
        start, end = pos, pos + len(raw)
        pos = end
        text = raw.strip()
        if text and document.in_body(start, end):
            out.append((start, end, text))
    return out


def _is_prose(line: str) -> bool:
    return any(ch in PROSE_MARKS for ch in line)


def _from_title(document: Document, evidence: _Evidence) -> str | None:
    """Signal 1, the title: the region the report's title names (拉萨市医疗保障局2021年工作总结)."""
    if not document.title:
        return None
    return _pick_in(document.title, evidence, national=True)


def _from_leading_line(document: Document, evidence: _Evidence) -> str | None:
    """Signal 1b, a leading line: a title-like line at the top (for a missing title).

    Lines from the top of the body up to the first prose line (one with 。，；
    or longer than :data:`TITLE_MAX`); navigation lines (首页 > …, / …) and
    header fields are passed over.
    """
    fields = [(h.start, h.end) for h in document.header]
    for start, end, text in _lines(document)[:LEADING_LINES]:
        if _is_prose(text) or len(text) > TITLE_MAX:
            return None
        if any(ch in NAV_MARKS for ch in text) or any(s < end and start < e for s, e in fields):
            continue
        if text == document.title:
            continue
        code = _pick_in(text, evidence, national=False)
        if code is not None:
            return code
    return None


def _from_header(document: Document, evidence: _Evidence) -> str | None:
    """Signal 2, the header: the agency in ``来源：`` (来源：遂宁市医疗保障局)."""
    source = document.header_value("source")
    return _pick_in(source, evidence, national=True) if source else None


def _from_signature(document: Document, evidence: _Evidence) -> str | None:
    """Signal 3, the signature block: one of the last lines starting with a region's name.

    Read bottom-up over the last :data:`SIGNATURE_LINES` body lines; a line
    qualifies when it is short (≤ :data:`SIGNATURE_MAX`), not prose, and its
    first word is a region name or a national reference (遂宁市医疗保障局,
    国家医疗保障局).
    """
    scanner = _scanner(evidence.gaz)
    for _start, _end, text in reversed(_lines(document)[-SIGNATURE_LINES:]):
        if len(text) > SIGNATURE_MAX or _is_prose(text):
            continue
        hits = scanner.scan(text)
        if not hits or hits[0].start != 0:
            continue
        if hits[0].level is not None and hits[0].level != NATIONAL:
            continue
        code = _pick_in(text, evidence, national=True)
        if code is not None:
            return code
    return None


def home_region(
    document: Document, mentions: Sequence[RegionMention], gaz: Gazetteer | None = None
) -> str | None:
    """The region the report is about, or None.

    Signals, in order of weight; the first that names a region decides:

    1. **title** — the region named in ``document.title`` (拉萨市医疗保障局2021年
       工作总结 → 540100; a national title such as 全国医疗保障事业发展统计公报 → China);
       when there is no title or it names no region, a **leading line**: a title-like line
       above the first sentence (navigation and header lines skipped);
    2. **header** — the agency in the ``source`` header field (来源：遂宁市医疗保障局);
    3. **signature** — a line at the end starting with a region's name;
    4. **text** — the region named most often in the body, plus the number of
       deictic references whose level word fits its name (a text saying 全区
       thirty times and naming 武进 and 常州市 five times each is about 武进区;
       全州 favours an autonomous prefecture; 全区 a district, or an autonomous
       region when the named places say so).

    A region from signals 1–3 is refined to a region inside it when the text's
    dominant deixis fits that region and not the named one (title 江苏省…, text
    全市 and 常州市 → 常州市). Ambiguous names are settled by the other regions
    the text names (their provinces); county short forms and two-character county
    names count only when the text also names their province or something in it.
    """
    gaz = gaz or gazetteer()
    evidence = _Evidence(document, mentions, gaz)
    for signal in (_from_title, _from_leading_line, _from_header, _from_signature):
        code = signal(document, evidence)
        if code is not None:
            return evidence.refine(code)
    return evidence.best()
