"""Which place each region mention means.

Pure Python on records (no spaCy, no rdflib). :func:`resolve` gives one GB/T
2260 code for a :class:`~kg.base.records.RegionMention`, or ``None`` when it
cannot be decided safely: deictic references (全区, 我市, 全省, 全国…) are
resolved against the report's home region (found once, in its frame:
:mod:`kg.extract.home`) at the level they name, ambiguous names (城关区, 朝阳区,
新城区) and short forms (武进, 海北) by the home region's place in the tree.

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

from collections.abc import Sequence

from kg.base.deixis import NATIONAL, level_matches
from kg.base.records import RegionMention
from kg.base.regions import CHINA, COUNTRY, PROVINCE, Gazetteer, gazetteer

# ---------------------------------------------------------------------------
# Deixis
# ---------------------------------------------------------------------------


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
        if not gaz.is_weak(surface, c)
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
    codes = gaz.codes_for(mention.text, mention.candidates)
    if not codes:
        return None
    if home is None or home not in gaz:
        code = codes[0]
        if len(codes) == 1 and not gaz.is_short(mention.text, code):
            return None if gaz.is_weak(mention.text, code) else code
        return None
    return choose(mention.text, codes, home, gaz)
