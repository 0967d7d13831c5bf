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

import itertools
from collections.abc import Iterator
from typing import Any

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.records import Sentence

#: Characters that end a sentence.
FINAL = frozenset("。！？!?")
#: Closing punctuation that stays with the sentence it closes.
CLOSING = frozenset("”’」』）)】〕》\"'")


#: ``Doc.user_data`` keys: the text the doc was made from (set by the pipeline's
#: tokenizer, :func:`kg.nlp.make_nlp`: ``Doc.text`` joins every token anew) and
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
        offsets = doc.to_array([IDX, LENGTH]).tolist()  # no Token objects: one array
        words = [text[i:i + length] for i, length in offsets]
        starts = numpy.full((n, 1), -1, dtype="int32")
        start_next = True
        for i, word in enumerate(words):
            if "\n" in word or "\r" in word:
                # a line break is a sentence of its own, the next token starts anew
                starts[i, 0] = 1
                start_next = True
                continue
            closing = word[:1] in CLOSING and all(c in CLOSING for c in word)
            if closing and _prev_final(words, i):
                # 。” — the quote closes the sentence that just ended
                starts[i, 0] = 1 if i == 0 else -1
                start_next = True
                continue
            starts[i, 0] = 1 if start_next else -1
            start_next = False
            if word and word[-1] in FINAL:
                start_next = True
        # one array write: setting Token.is_sent_start one by one is quadratic
        values: Any = starts.astype("uint64")  # thinc types it Ints2d; numpy is what it takes
        doc.from_array([SENT_START], values)
        # the sentences as Doc.sents gives them: from each start to the next
        firsts = [0, *(i for i in range(1, n) if starts[i, 0] == 1), n]
        doc.user_data[SENTS_KEY] = [
            (offsets[a][0], offsets[b - 1][0] + offsets[b - 1][1])
            for a, b in itertools.pairwise(firsts)]
        return doc


def _prev_final(words: list[str], i: int) -> bool:
    """True when the closing marks before token ``i`` follow a sentence-final mark (。”）)."""
    j = i - 1
    while j >= 0 and words[j] and all(c in CLOSING for c in words[j]):
        j -= 1
    return j >= 0 and bool(words[j]) and words[j][-1] in FINAL


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
