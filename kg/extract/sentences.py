"""Chinese sentence splitting as a spaCy component.

Sentences end after 。！？!? (and any closing quotes or brackets right after
them), and at line breaks: reports put headings, list items and table rows on
lines of their own, and a line break inside a sentence is rare in the genre.

    >>> import spacy
    >>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    >>> _ = nlp.add_pipe("yb_sentences")
    >>> [s.text for s in nlp("参保人数达10万人。基金运行平稳！\\n二、明年工作").sents]
    ['参保人数达10万人。', '基金运行平稳！', '\\n', '二、明年工作']
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.base.records import Sentence

#: Characters that end a sentence.
FINAL = frozenset("。！？!?")
#: Closing punctuation that stays with the sentence it closes.
CLOSING = frozenset("”’」』）)】〕》\"'")
_SPECIAL = re.compile("[" + "".join(re.escape(c) for c in sorted(FINAL | CLOSING | {"\n", "\r"}))
                      + "]")


#: ``Doc.user_data`` keys: the text the doc was made from (set by the pipeline's
#: tokenizer, :func:`kg.extract.nlp.make_nlp`: ``Doc.text`` joins every token anew) and
#: the sentences' character spans (set by :class:`SentenceSplitter`).
TEXT_KEY = "yb_text"
SENTS_KEY = "yb_sents"


def doc_text(doc: Doc) -> str:
    """``doc.text``, without rebuilding it when the tokenizer kept it."""
    text = doc.user_data.get(TEXT_KEY)
    return text if isinstance(text, str) else doc.text


class SentenceSplitter:
    """Sets ``Token.is_sent_start`` from sentence-final punctuation and line breaks,
    and keeps the sentences' character spans (see :func:`sentence_records`)."""

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            doc.user_data[SENTS_KEY] = []
            return doc
        text = doc_text(doc)
        offsets = doc.to_array([IDX, LENGTH])  # no Token objects: one array
        starts_at: list[int] = offsets[:, 0].tolist()
        lengths: list[int] = offsets[:, 1].tolist()

        def word(i: int) -> str:
            return text[starts_at[i]:starts_at[i] + lengths[i]]

        # only tokens holding a line break, a closing mark or a final mark decide
        # anything (every other character than " " lies inside a token's text)
        special = sorted({bisect.bisect_right(starts_at, m.start()) - 1
                          for m in _SPECIAL.finditer(text)})
        starts = numpy.full((n, 1), -1, dtype="int32")
        start_next = True
        prev = -1
        for i in special:
            if i > prev + 1:  # a run of ordinary tokens: its first starts a sentence if due
                if start_next:
                    starts[prev + 1, 0] = 1
                start_next = False
            prev = i
            w = word(i)
            if "\n" in w or "\r" in w:
                # a line break is a sentence of its own, the next token starts anew
                starts[i, 0] = 1
                start_next = True
                continue
            closing = w[:1] in CLOSING and all(c in CLOSING for c in w)
            if closing and _prev_final(word, i):
                # 。” — the quote closes the sentence that just ended
                starts[i, 0] = 1 if i == 0 else -1
                start_next = True
                continue
            starts[i, 0] = 1 if start_next else -1
            start_next = False
            if w and w[-1] in FINAL:
                start_next = True
        if n > prev + 1 and start_next:
            starts[prev + 1, 0] = 1
        # one array write: setting Token.is_sent_start one by one is quadratic
        values: Any = starts.astype("uint64")  # thinc types it Ints2d; numpy is what it takes
        doc.from_array([SENT_START], values)
        # the sentences as Doc.sents gives them: from each start to the next
        firsts = [0, *(numpy.flatnonzero(starts[1:, 0] == 1) + 1).tolist(), n]
        doc.user_data[SENTS_KEY] = [
            (starts_at[a], starts_at[b - 1] + lengths[b - 1])
            for a, b in itertools.pairwise(firsts)]
        return doc


def _prev_final(word: Callable[[int], str], i: int) -> bool:
    """True when the closing marks before token ``i`` follow a sentence-final mark (。”）)."""
    j = i - 1
    while j >= 0 and word(j) and all(c in CLOSING for c in word(j)):
        j -= 1
    return j >= 0 and bool(word(j)) and word(j)[-1] in FINAL


@Language.factory("yb_sentences")
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    """spaCy factory: ``nlp.add_pipe("yb_sentences")``."""
    return SentenceSplitter()


def sentence_records(doc: Doc) -> Iterator[Sentence]:
    """The doc's sentences as records, trimmed of surrounding whitespace.

    Whitespace-only sentences (line breaks) are dropped; offsets index
    ``doc.text``.
    """
    text = doc_text(doc)
    spans = doc.user_data.get(SENTS_KEY)
    if spans is None:
        spans = [(sent.start_char, sent.end_char) for sent in doc.sents]
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            yield Sentence(start, end, text[start:end])
