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
from tests.process_helpers import run_fresh

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


#: A text with a region, a deixis and a program: what the compiled matchers find.
SAMPLE = "全区DRG付费改革覆盖武进区所有医院。"

#: Prints the spans of :data:`SAMPLE`; argv[1] = "cached" forbids compiling
#: (the matchers must come from the cache), "changed" makes the data look changed.
_START = f"""
import sys
import kg.extract.matchers as m
import kg.extract.nlp as n
if sys.argv[1] == "cached":
    def forbidden(*args, **kwargs):
        raise AssertionError("compiled anew")
    m._phrase_matcher = forbidden
    n.lexicon_phrases = forbidden
if sys.argv[1] == "changed":
    n.data_digest = lambda root=None: "changed"
doc = n.make_nlp()({SAMPLE!r})
print([(s.text, s.label_, s.kb_id_) for key in ("yb_regions", "yb_prog") for s in doc.spans[key]])
"""


def _start(mode: str, cache: Path) -> str:
    return run_fresh(_START, mode, cache)


def test_the_compiled_matchers_are_cached_across_processes_and_rebuilt(tmp_path: Path) -> None:
    built = _start("build", tmp_path)
    assert built == ("[('全区', 'DEIXIS', '区'), ('武进区', 'REGION', '320412'), "
                     "('DRG付费改革', 'prog', 'DRG')]")
    (first,) = tmp_path.glob("pipeline-*.pickle")
    written = first.read_bytes()
    # a second start reads the matchers (compiling them would fail) and writes nothing
    assert _start("cached", tmp_path) == built
    assert first.read_bytes() == written and len(list(tmp_path.glob("pipeline-*"))) == 1
    # changed data: another key, compiled anew; the old file is left alone
    assert _start("changed", tmp_path) == built
    assert len(list(tmp_path.glob("pipeline-*.pickle"))) == 2
    # a broken file is rebuilt in place
    first.write_bytes(b"not a pickle")
    assert _start("build", tmp_path) == built
    assert first.read_bytes() != b"not a pickle"
    assert _start("cached", tmp_path) == built
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temp file, renamed


def test_the_cache_key_follows_the_content_of_every_data_file(tmp_path: Path) -> None:
    import shutil

    from kg.base.resources import ontology_dir
    from kg.extract.nlp import compiled_key

    data = tmp_path / "ontology"
    shutil.copytree(str(ontology_dir()), data, ignore=shutil.ignore_patterns("__pycache__"))
    key = compiled_key(data)
    assert compiled_key(data) == key == compiled_key()  # the copy hashes as the original
    lexicon = data / "lexicon" / "region_deixis.tsv"
    text = lexicon.read_text(encoding="utf-8")
    lexicon.write_text(text.replace("区", "县", 1), encoding="utf-8")  # same size, new content
    assert lexicon.stat().st_size == len(text.encode())
    changed = compiled_key(data)
    assert changed != key
    (data / "programs.ttl").write_text("# new\n" + (data / "programs.ttl").read_text("utf-8"),
                                       encoding="utf-8")
    assert compiled_key(data) not in {key, changed}
    lexicon.write_text(text, encoding="utf-8")
    (data / "programs.ttl").write_text((data / "programs.ttl").read_text("utf-8")[6:],
                                       encoding="utf-8")
    assert compiled_key(data) == key


def test_a_compiled_component_is_only_taken_where_it_fits() -> None:
    import spacy

    from kg.extract.matchers import prebuilt

    nlp = make_nlp()
    concepts = nlp.get_pipe("yb_concepts")
    other = spacy.blank("zh", vocab=nlp.vocab)
    with prebuilt({"yb_concepts": concepts}):
        assert other.add_pipe("yb_concepts", name="a", config={"schemes": ["prog", "ins"]}) \
            is not concepts  # other settings: compiled anew
        assert other.add_pipe("yb_concepts", name="b") is concepts
        assert other.add_pipe("yb_concepts", name="c") is not concepts  # handed out once
    fresh = spacy.blank("zh")
    with prebuilt({"yb_concepts": concepts}):
        assert fresh.add_pipe("yb_concepts") is not concepts  # another vocab
