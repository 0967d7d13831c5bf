"""The tokenizer's word alignment gives spaCy's words and spaces (``kg.nlp``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from spacy.util import get_words_and_spaces

from kg.nlp import make_nlp, words_and_spaces

#: Pieces jieba emits: words, one space, runs of spaces, newlines, full-width spaces.
PIECES = st.sampled_from(["医保", "参保", "人数", "DRG", "2024", "年", "，", "。", " ", "  ",
                          "\n", "\r\n", "\u3000", "\t"])


@given(st.lists(PIECES, max_size=30))
def test_words_and_spaces_is_spacys_alignment(words: list[str]) -> None:
    text = "".join(words)
    assert words_and_spaces(words, text) == get_words_and_spaces(words, text)


@given(st.lists(PIECES, max_size=30), st.lists(PIECES, max_size=5))
def test_words_that_drop_whitespace_still_align_as_spacy(words: list[str],
                                                         extra: list[str]) -> None:
    # words without some of the text's whitespace (as a segmenter may give them)
    text = "".join(words + extra)
    kept = [w for w in words if not w.isspace()] + extra
    assert words_and_spaces(kept, text) == get_words_and_spaces(kept, text)


def test_the_pipeline_tokens_are_spacys_tokens() -> None:
    nlp = make_nlp()
    text = "2024年，全市 职工医保参保人数达到120万人。\n\n  推进DRG付费改革。"
    words = [w for w in nlp.tokenizer.inner.jieba_seg.cut(text) if w]
    expected_words, expected_spaces = get_words_and_spaces(words, text)
    doc = nlp.make_doc(text)
    assert [t.text for t in doc] == expected_words
    assert [bool(t.whitespace_) for t in doc] == expected_spaces
    assert doc.text == text
