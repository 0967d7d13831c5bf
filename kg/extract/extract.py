"""Extraction: Document → spaCy Doc → plain records.

spaCy objects stop here: :func:`extract` returns an :class:`~kg.base.records.Extraction`
of frozen dataclasses whose offsets index ``document.text``. Mentions inside
the document's skipped spans (page header, navigation, footer) are dropped,
except that the title is always kept.

    >>> from kg.base.records import Document
    >>> doc = Document("a.txt", "a.txt", "我市推进DRG付费改革。", "0", "utf-8", "text/plain")
    >>> [m.concept for m in extract(doc).programs]
    ['DRG']
"""

from __future__ import annotations

import bisect

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.base.records import (
    AgencyMention,
    CitationMention,
    ConceptMention,
    Document,
    Extraction,
    Frame,
    OrganizationMention,
    RegionMention,
    Sentence,
)
from kg.extract.agencies import find_agencies
from kg.extract.frame import read_frame
from kg.extract.nlp import make_nlp
from kg.extract.observations import find_observations
from kg.extract.organizations import find_organizations, find_persons, regions_outside_names
from kg.extract.sentences import sentence_records


class _SentenceIndex:
    """Finds the sentence that holds a character offset."""

    def __init__(self, sentences: tuple[Sentence, ...], text: str) -> None:
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.text = text

    def at(self, start: int, end: int) -> Sentence:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.sentences[i].end >= end:
            return self.sentences[i]
        # a mention across a sentence break: its own span is the best context
        return Sentence(start, end, self.text[start:end])


def _keep(document: Document, start: int, end: int) -> bool:
    if document.in_body(start, end):
        return True
    title = document.title_span
    return title is not None and title[0] <= start and end <= title[1]


def extract(document: Document, nlp: Language | None = None,
            frame: Frame | None = None) -> Extraction:
    """Run the pipeline over one document and return its records.

    ``frame`` is the report's frame when ``document`` is a piece of a long report
    (:mod:`kg.extract.pieces`): read once from the whole report, it is not read
    again from the piece.
    """
    if nlp is None:
        nlp = make_nlp()
    doc = nlp(document.text)
    return records_of(document, doc, frame)


def region_mentions(document: Document, doc: Doc) -> tuple[RegionMention, ...]:
    """The regions a processed ``Doc`` of ``document`` mentions (what a report's frame is
    read from, with the layout): the same as :func:`records_of` finds."""
    sentences = tuple(sentence_records(doc))
    return _mentions(document, doc, sentences, _SentenceIndex(sentences, document.text))[0]


def _mentions(document: Document, doc: Doc, sentences: tuple[Sentence, ...],
              index: _SentenceIndex) -> tuple[tuple[RegionMention, ...],
                                              tuple[AgencyMention, ...],
                                              tuple[OrganizationMention, ...]]:
    """The regions, bodies and organisations the document names (a region inside a
    name is none)."""
    text = document.text  # a span's text, without Span.text joining its tokens

    def region(span: Span, start: int, end: int) -> RegionMention:
        sent = index.at(start, end)
        if span.label_ == "DEIXIS":
            return RegionMention(text[start:end], start, end, sent, deictic=span.kb_id_)
        return RegionMention(text[start:end], start, end, sent,
                             candidates=tuple(span.kb_id_.split(",")))

    regions = tuple(
        region(s, start, end) for s in doc.spans.get("yb_regions", [])
        if _keep(document, start := s.start_char, end := s.end_char)
    )
    agencies = tuple(m for m in find_agencies(text, sentences, regions)
                     if _keep(document, m.start, m.end))
    organizations = tuple(o for o in find_organizations(text, sentences, regions)
                          if _keep(document, o.start, o.end))
    # a region inside a name (山东某某有限公司, 国家医疗保障局) is not one the report mentions
    return regions_outside_names(text, regions, organizations, agencies), agencies, organizations


def records_of(document: Document, doc: Doc, frame: Frame | None = None) -> Extraction:
    """Turn a processed spaCy ``Doc`` of ``document`` into records; ``frame`` as in
    :func:`extract`."""
    sentences = tuple(sentence_records(doc))
    index = _SentenceIndex(sentences, document.text)
    text = document.text
    regions, agencies, organizations = _mentions(document, doc, sentences, index)
    programs = tuple(
        ConceptMention(s.label_, s.kb_id_, text[start:end], start, end, index.at(start, end))
        for s in doc.spans.get("yb_prog", [])
        if _keep(document, start := s.start_char, end := s.end_char)
    )
    citations = tuple(
        CitationMention(c.title, c.doc_number, c.text, c.start, c.end,
                        index.at(c.start, c.end), c.alias, c.alias_of)
        for c in (doc._.yb_citations or [])
        if _keep(document, c.start, c.end)
    )
    if frame is None:
        frame = read_frame(document, regions)
    observations = find_observations(document, frame, sentences, regions, agencies)
    persons = tuple(p for p in find_persons(document.text, sentences)
                    if _keep(document, p.start, p.end))
    return Extraction(document, sentences, regions, programs, citations, observations, agencies,
                      organizations, persons, frame)
