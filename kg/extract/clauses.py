"""Clauses: the parts of a sentence between commas, semicolons and colons.

    >>> from kg.base.records import Sentence
    >>> s = Sentence(10, 26, "截至12月，参保人数达10万人。")
    >>> [(a, b) for a, b in clauses(s)]
    [(10, 15), (16, 25)]
"""

from __future__ import annotations

import re

from kg.base.records import Sentence

#: Clause boundaries inside a sentence.
CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?]")


def clause_around(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause (between commas/semicolons) of ``sentence`` around a span."""
    text = sentence.text
    lo = start - sentence.start
    hi = end - sentence.start
    left = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, max(lo, 0))), default=0)
    right_m = CLAUSE_BREAK.search(text, max(hi, 0))
    right = right_m.start() if right_m else len(text)
    return sentence.start + left, sentence.start + right


def clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """The clauses of a sentence as absolute offsets."""
    out, left = [], 0
    for m in CLAUSE_BREAK.finditer(sentence.text):
        out.append((sentence.start + left, sentence.start + m.start()))
        left = m.end()
    out.append((sentence.start + left, sentence.end))
    return [(a, b) for a, b in out if a < b]
