"""The pipeline's tokenizer (``kg.extract.nlp``): spaCy's words and spaces, and its cached dictionary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.util import get_words_and_spaces

from kg.extract.nlp import _segmenter, make_nlp, words_and_spaces

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


def test_the_cached_dictionary_is_the_one_built(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIBAO_KG_CACHE_DIR", str(tmp_path))
    words = ["兰州新区", "长期护理保险", "门诊共济保障"]
    built = _segmenter(words)
    assert len(list(tmp_path.glob("jieba-*.marshal"))) == 1
    read = _segmenter(words)
    assert read.FREQ == built.FREQ and read.total == built.total
    assert list(read.cut("兰州新区推进长期护理保险")) == ["兰州新区", "推进", "长期护理保险"]


def test_a_broken_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIBAO_KG_CACHE_DIR", str(tmp_path))
    words = ["门诊共济保障"]
    built = _segmenter(words)
    (file,) = tmp_path.glob("jieba-*.marshal")
    file.write_bytes(b"not marshal")
    assert _segmenter(words).FREQ == built.FREQ


@pytest.mark.slow
def test_a_warm_start_never_loads_jiebas_global_dictionary() -> None:
    make_nlp()  # the cache is warm after this
    code = ("import jieba; from kg.extract.nlp import make_nlp; nlp = make_nlp(); "
            "assert [t.text for t in nlp('长期护理保险')] == ['长期护理保险']; "
            "print(jieba.dt.initialized)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
