"""Deictic region references: the words that point at a region by its level.

全区, 我市, 本省, 全国…: each form and the level word it points at (全区 → 区,
全国 → 国) are lexicon, ``ontology/lexicon/region_deixis.tsv``. Extraction
matches the forms (:mod:`kg.extract.matchers`, and jieba keeps them whole:
:mod:`kg.extract.nlp`); linking resolves them against a report's home region
(:mod:`kg.link.locate`).

    >>> deictic_forms()["全区"], deictic_forms()["全国"]
    ('区', '国')
"""

from __future__ import annotations

import functools

from kg.base.resources import lexicon_rows

#: The lexicon file of deictic references.
DEIXIS_FILE = "region_deixis.tsv"
#: The level word of national references (全国, 国家, 我国, 中央).
NATIONAL = "国"


def level_matches(level: str, name: str) -> bool:
    """True when a deictic level word can denote a region with official ``name``.

        >>> level_matches("市", "常州市"), level_matches("州", "常州市")
        (True, False)
    """
    return level != NATIONAL and name.endswith(level)


@functools.cache
def _deixis() -> tuple[tuple[str, str], ...]:
    return tuple((row[0], row[1]) for row in lexicon_rows(DEIXIS_FILE) if len(row) >= 2 and row[0])


def deictic_forms() -> dict[str, str]:
    """Deictic surface → the level word it points at (全区 → 区, 全国 → 国)."""
    return dict(_deixis())
