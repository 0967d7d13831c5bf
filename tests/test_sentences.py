"""The sentence splitter on seed text and on sentences written in the genre."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.sentences import sentence_records

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("yb_sentences")
    return nlp


def test_splits_at_final_punctuation_and_line_breaks(nlp: spacy.language.Language) -> None:
    text = ("截至2023年底，全县参保人数达45.6万人。基金运行平稳！\n"
            "二、2024年工作安排\n（一）深化改革？是的。")
    sents = [s.text for s in sentence_records(nlp(text))]
    assert sents == [
        "截至2023年底，全县参保人数达45.6万人。",
        "基金运行平稳！",
        "二、2024年工作安排",
        "（一）深化改革？",
        "是的。",
    ]


def test_closing_quote_stays_with_its_sentence(nlp: spacy.language.Language) -> None:
    text = "他说：“全面推进医保电子凭证应用。”随后开展宣传。"
    sents = [s.text for s in sentence_records(nlp(text))]
    assert sents == ["他说：“全面推进医保电子凭证应用。”", "随后开展宣传。"]


def test_seed_sentences_slice_back(nlp: spacy.language.Language) -> None:
    text = (SEEDS / "000_c4441f776c3e1348.txt").read_text(encoding="utf-8")
    sents = list(sentence_records(nlp(text)))
    assert len(sents) > 100
    for s in sents:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    first = sents[0].text
    assert first.startswith("2023年,全区医疗保障系统")
    assert first.endswith("较好地完成了全年工作目标。")


@pytest.mark.slow
@given(st.text(alphabet="医保参保人数达万元。！？\n ，,123abc“”", max_size=80))
def test_offsets_round_trip(text: str) -> None:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.add_pipe("yb_sentences")
    sents = list(sentence_records(nlp(text)))
    for s in sents:
        assert text[s.start : s.end] == s.text and s.text.strip()
    # sentences are ordered and do not overlap
    assert all(a.end <= b.start for a, b in itertools.pairwise(sents))
