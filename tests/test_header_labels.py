"""The header labels' pattern (``kg.ingest.layout``): written to compile cheaply, it
finds what the plain form (each label's characters joined by ``[ \\u3000\\xa0]*``,
longest label first) finds, at the same places, with the same groups."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest.layout import _lexicon

_PLAIN_PAD = "[ \u3000\xa0]*"


def _plain() -> re.Pattern[str]:
    alternatives = "|".join(
        _PLAIN_PAD.join(re.escape(ch) for ch in label)
        for label in sorted(_lexicon().labels, key=lambda s: (-len(s), s)))
    return re.compile(
        rf"(?:\*\*|__)?(?P<label>{alternatives})(?:\*\*|__)?{_PLAIN_PAD}[:：]"
        rf"|(?:^|(?<=\t))(?P<cell>{alternatives}){_PLAIN_PAD}(?=\t|$)")


PLAIN = _plain()
LABELS = sorted(_lexicon().labels)
#: Pieces of header lines: labels, their characters, spaces of every kind, colons, tabs,
#: bold marks and a few other characters.
PIECES = st.one_of(
    st.sampled_from(LABELS),
    st.sampled_from(sorted(set("".join(LABELS)))),
    st.sampled_from([" ", "  ", "\u3000", "\xa0", " \u3000 ", ":", "：", "\t", "**", "__", "*",
                     "_", "2024年", "医保局", "\n"]))


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@settings(max_examples=3000)
@given(st.lists(PIECES, max_size=14))
def test_the_header_pattern_finds_what_the_plain_form_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _found(_lexicon().field_re, text) == _found(PLAIN, text)


def test_every_label_spaced_out_is_found_as_the_plain_form_finds_it() -> None:
    for label in LABELS:
        for pad in ("", " ", "\u3000", " \xa0\u3000 "):
            for text in (pad.join(label) + pad + "：某某", "\t" + pad.join(label) + pad + "\t"):
                assert _found(_lexicon().field_re, text) == _found(PLAIN, text) != []
