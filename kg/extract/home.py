"""The report's home region: the place it is about (``dcterms:spatial``), found once.

Pure Python on records (no spaCy, no rdflib), run on the region mentions the
pipeline found and the layout ingest read (title, header fields, lines,
signature block); the report's frame (:mod:`kg.extract.frame`) holds the
result and where it came from. Linking resolves every other mention against
it (:mod:`kg.link.locate`).

    >>> from kg.base.records import Document
    >>> d = Document("a.txt", "a.txt", "拉萨市医疗保障局2021年工作总结", "0", "utf-8",
    ...              "text/plain", title="拉萨市医疗保障局2021年工作总结")
    >>> find_home(d, ())
    ('540100', 'title')
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kg.base.deixis import NATIONAL, deictic_forms, level_matches
from kg.base.records import Document, RegionMention
from kg.base.regions import CHINA, PROVINCE, Gazetteer, gazetteer

#: How many body lines from the top may hold a title-like line when the reader found no title.
LEADING_LINES = 15
#: How many lines at the bottom may hold the signature block when the reader found none.
SIGNATURE_LINES = 8
#: Longest line read as a title or a signature (characters).
TITLE_MAX = 60
SIGNATURE_MAX = 40
#: Characters that make a line prose (a sentence), not a title or a signature.
PROSE_MARKS = frozenset("。，,；;！？!?")
#: Characters of breadcrumb navigation lines (首页 > 政务公开 / 规划计划).
NAV_MARKS = frozenset(">/|»›")
#: Fewest deictic mentions of one level word that make it the report's own level.
DOMINANT_DEIXIS = 2
#: How many times as often as any place a text without deixis of its own must say 全国/国家
#: for it to be about China.
NATIONAL_LEAD = 2


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
            codes = [c for c in gaz.codes_for(m.text, m.candidates) if c != CHINA]
            if len(codes) == 1 and not gaz.is_weak(m.text, codes[0]):
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
            if self.gaz.is_weak(surface, code) and not self.province_support(code):
                return None
            return code
        return self._by_support(surface, codes) if codes else None

    def score(self, code: str) -> int:
        """Mentions of ``code`` plus the deictic mentions whose level word fits its name."""
        name = self.gaz.get(code).name
        bonus = sum(n for level, n in self.deixis.items() if level_matches(level, name))
        return self.tally[code] + bonus

    def best(self) -> str | None:
        """The text signal: the most named region, weighted by the deixis that fits it; China
        for a text that refers to no level of its own and says 全国/国家/我国 far more
        often (at least :data:`NATIONAL_LEAD` times as often) than it names any place."""
        own = [lv for lv in self.deixis if lv != NATIONAL]
        if not self.tally:
            return CHINA if self.deixis[NATIONAL] and not own else None
        code = min(self.tally, key=lambda c: (-self.score(c), -self.tally[c],
                                              -self.gaz.get(c).depth, c))
        if not own and self.deixis[NATIONAL] >= NATIONAL_LEAD * self.score(code):
            return CHINA
        return code

    def dominant_level(self, least: int = DOMINANT_DEIXIS) -> str | None:
        """The most used non-national deictic level word, if used at least ``least`` times."""
        levels = [(n, lv) for lv, n in self.deixis.items() if lv != NATIONAL]
        if not levels:
            return None
        n, level = max(levels)
        return level if n >= least else None

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


def _is_prose(line: str) -> bool:
    return any(ch in PROSE_MARKS for ch in line)


def _from_title(document: Document, evidence: _Evidence) -> str | None:
    """Signal 1, the title: the region the report's title names (拉萨市医疗保障局2021年工作总结)."""
    if not document.title:
        return None
    return _pick_in(document.title, evidence, national=True)


def _from_leading_line(document: Document, evidence: _Evidence) -> str | None:
    """Signal 1b, a leading line: a title-like line at the top (for a missing title).

    Body lines from the top up to the first prose line (one with 。，；
    or longer than :data:`TITLE_MAX`); navigation lines (首页 > …, / …) are
    passed over; header lines are not body lines.
    """
    for line in document.body_lines()[:LEADING_LINES]:
        text = document.line_text(line)
        if _is_prose(text) or len(text) > TITLE_MAX:
            return None
        if any(ch in NAV_MARKS for ch in text) or text == document.title:
            continue
        code = _pick_in(text, evidence, national=False)
        if code is not None:
            return code
    return None


def _from_header(document: Document, evidence: _Evidence) -> str | None:
    """Signal 2, the header: the body or medium in ``来源`` / ``作者`` (来源：遂宁市医疗保障局,
    来源：今日某某). A local medium is named after its place: a county's short name
    there counts when it is the only place the value names and the text's own deixis
    fits it (我市 for a 县级市)."""
    for key in ("source", "author"):
        for value in (h.value for h in document.header if h.key == key and h.value):
            code = _pick_in(value, evidence, national=key == "source") or _medium_place(
                value, evidence)
            if code is not None:
                return code
    return None


def _medium_place(value: str, evidence: _Evidence) -> str | None:
    """The one place a medium's name holds (今日某某 → 某某市), when the text's deixis fits it."""
    hits = [h for h in _scanner(evidence.gaz).scan(value) if h.level is None]
    codes = {c for h in hits for c in h.codes if c in evidence.gaz}
    if len(codes) != 1:
        return None
    code = codes.pop()
    level = evidence.dominant_level(least=1)
    if level is None or not level_matches(level, evidence.gaz.get(code).name):
        return None
    return code


def _from_signature(document: Document, evidence: _Evidence) -> str | None:
    """Signal 3, the signature block: one of its lines starting with a region's name.

    The block ingest found (:attr:`~kg.base.records.Document.signature`), else the
    last :data:`SIGNATURE_LINES` body lines, read bottom-up; a line qualifies when
    it is short (≤ :data:`SIGNATURE_MAX`), not prose, and its first word is a
    region name or a national reference (遂宁市医疗保障局, 国家医疗保障局).
    """
    scanner = _scanner(evidence.gaz)
    lines = document.body_lines()
    if document.signature is not None:
        s, e = document.signature
        lines = [ln for ln in lines if s <= ln.start and ln.end <= e]
    for line in reversed(lines[-SIGNATURE_LINES:]):
        text = document.line_text(line)
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


#: The home-region signals in order of weight, each with the name the frame records.
SIGNALS = (("title", _from_title), ("leading line", _from_leading_line),
           ("header", _from_header), ("signature", _from_signature))


def find_home(document: Document, mentions: Sequence[RegionMention],
              gaz: Gazetteer | None = None) -> tuple[str | None, str]:
    """The region the report is about and the signal that found it (``none`` if none did).

    Signals, in order of weight; the first that names a region decides:

    1. **title** — the region named in ``document.title`` (拉萨市医疗保障局2021年
       工作总结 → 540100; a national title such as 全国医疗保障事业发展统计公报 → China);
       when there is no title or it names no region, a **leading line**: a title-like line
       above the first sentence;
    2. **header** — the body or medium in the ``source``/``author`` header fields
       (来源：遂宁市医疗保障局; 来源：今日某某 for a 县级市 whose text says 我市);
    3. **signature** — a line of the signature block starting with a region's name;
    4. **text** — the region named most often in the body, plus the number of
       deictic references whose level word fits its name (a text saying 全区
       thirty times and naming 武进 and 常州市 five times each is about 武进区;
       全州 favours an autonomous prefecture; 全区 a district, or an autonomous
       region when the named places say so); a text naming no place but 全国 is
       about China. A news dateline's place (本报北京…电) is not body text.

    A region from signals 1–3 is refined to a region inside it when the text's
    dominant deixis fits that region and not the named one (title 江苏省…, text
    全市 and 常州市 → 常州市). Ambiguous names are settled by the other regions
    the text names (their provinces); county short forms and two-character county
    names count only when the text also names their province or something in it.
    """
    gaz = gaz or gazetteer()
    evidence = _Evidence(document, mentions, gaz)
    for name, signal in SIGNALS:
        code = signal(document, evidence)
        if code is not None:
            return evidence.refine(code), name
    best = evidence.best()
    return best, "text" if best is not None else "none"
