"""A baseline to beat: the numbers a short regular expression finds, scored like the extractor.

Nine unit words and the 万/亿 multipliers, nothing else (no sentences, no tables, no
words): on eight real reports such a finder once found numbers as well as the
extractor did. The tests compare the extractor's quantity recall with this
finder's on every annotated set, so that a change that loses numbers shows at once.
This is test tooling, not part of the product.

    >>> [(str(v), u) for v, u, _ in find("参保人数达到286.4万人，基金支出1.2亿元，参保率95%")]
    [('2864000', 'Person'), ('120000000', 'Yuan'), ('95', 'Percent')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from tests.obs_scoring import _same

#: The nine unit words, longest first, and the unit each stands for.
UNITS = {"人次": "PersonTime", "人": "Person", "元": "Yuan", "家": "Institution",
         "个": "Item", "%": "Percent", "项": "Item", "批次": "Batch", "种": "Item"}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿)?\s*(" + "|".join(
    re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + ")")
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000), None: Decimal(1)}


def find(text: str) -> Iterator[tuple[Decimal, str, int]]:
    """(value, unit, start) of each number with a unit word."""
    for m in _NUMBER.finditer(text):
        value = Decimal(m.group(1)) * _SCALE[m.group(2)]
        if value == value.to_integral_value():
            value = value.to_integral_value()
        yield value, UNITS[m.group(3)], m.start()


def recall(texts: Mapping[str, str], expected: Sequence[Mapping[str, object]]) -> float:
    """Share of expected numbers (``doc``, ``value``, ``unit``) the finder finds."""
    found = {doc: list(find(text)) for doc, text in texts.items()}
    hits = total = 0
    for e in expected:
        doc = str(e["doc"])
        if doc not in found:
            continue
        total += 1
        value = Decimal(str(e["value"]))
        for k, (v, unit, _) in enumerate(found[doc]):
            if unit == e["unit"] and _same(v, value):
                del found[doc][k]
                hits += 1
                break
    return hits / total if total else 0.0
