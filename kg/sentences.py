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

from collections.abc import Iterator
from typing import Any

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.records import Sentence

#: Characters that end a sentence.
FINAL = frozenset("。！？!?")
#: Closing punctuation that stays with the sentence it closes.
CLOSING = frozenset("”’」』）)】〕》\"'")


class SentenceSplitter:
    """Sets ``Token.is_sent_start`` from sentence-final punctuation and line breaks."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        starts = numpy.full((len(doc), 1), -1, dtype="int32")
        start_next = True
        for token in doc:
            text = token.text
            if "\n" in text or "\r" in text:
                # a line break is a sentence of its own, the next token starts anew
                starts[token.i, 0] = 1
                start_next = True
                continue
            closing = text[:1] in CLOSING and all(c in CLOSING for c in text)
            if closing and _prev_final(doc, token.i):
                # 。” — the quote closes the sentence that just ended
                starts[token.i, 0] = 1 if token.i == 0 else -1
                start_next = True
                continue
            starts[token.i, 0] = 1 if start_next else -1
            start_next = False
            if text and text[-1] in FINAL:
                start_next = True
        # one array write: setting Token.is_sent_start one by one is quadratic
        values: Any = starts.astype("uint64")  # thinc types it Ints2d; numpy is what it takes
        doc.from_array([SENT_START], values)
        return doc


def _prev_final(doc: Doc, i: int) -> bool:
    """True when the closing marks before token ``i`` follow a sentence-final mark (。”）)."""
    j = i - 1
    while j >= 0 and doc[j].text and all(c in CLOSING for c in doc[j].text):
        j -= 1
    return j >= 0 and bool(doc[j].text) and doc[j].text[-1] in FINAL


@Language.factory("yb_sentences")
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    """spaCy factory: ``nlp.add_pipe("yb_sentences")``."""
    return SentenceSplitter()


def sentence_records(doc: Doc) -> Iterator[Sentence]:
    """The doc's sentences as records, trimmed of surrounding whitespace.

    Whitespace-only sentences (line breaks) are dropped; offsets index
    ``doc.text``.
    """
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            yield Sentence(start, end, text[start:end])
