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
import functools
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.base.records import (
    CitationMention,
    ConceptMention,
    Document,
    Extraction,
    RegionMention,
    Sentence,
)
from kg.extract.agencies import find_agencies
from kg.extract.nlp import make_nlp
from kg.extract.observations import find_observations
from kg.extract.organizations import find_organizations, find_persons
from kg.extract.reportmeta import issued, report_kind, report_year
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


def _header_number_year(document: Document) -> int | None:
    """The year of a document number on the report's first lines (柳政办发〔2022〕18号)."""
    head = "\n".join(document.text.splitlines()[:4])
    m = re.search(r"[〔\[(（]((?:19|20)\d\d)[〕\])）]\s*\d+\s*号", head)
    return int(m.group(1)) if m else None


@functools.lru_cache(maxsize=2)  # the pieces of one long report share it
def report_frame(document: Document) -> tuple[bool, int | None, int | None]:
    """What numbers are read against, from the whole report: whether it is a plan,
    the year it covers, and the year it was written."""
    date = issued(document)
    plan = report_kind(document) == "Plan"
    year = report_year(document)
    # goals are judged against the year the report was written; a plan without a
    # date is written before its horizon
    written = int(date[:4]) if date else (_header_number_year(document) if plan else year)
    return plan, year, written


def extract(document: Document, nlp: Language | None = None,
            frame: Document | None = None) -> Extraction:
    """Run the pipeline over one document and return its records.

    ``frame`` is the whole report when ``document`` is a piece of it
    (:mod:`kg.extract.pieces`): the report's kind, date and year are read from it.
    """
    if nlp is None:
        nlp = make_nlp()
    doc = nlp(document.text)
    return records_of(document, doc, frame)


def records_of(document: Document, doc: Doc, frame: Document | None = None) -> Extraction:
    """Turn a processed spaCy ``Doc`` of ``document`` into records (``frame``: as
    in :func:`extract`)."""
    sentences = tuple(sentence_records(doc))
    index = _SentenceIndex(sentences, document.text)

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
    plan, year, written = report_frame(frame or document)
    observations = find_observations(
        document, sentences, regions, year, written_year=written, plan=plan)
    agencies = tuple(
        m for m in find_agencies(document.text, sentences, regions)
        if _keep(document, m.start, m.end)
    )
    organizations = tuple(o for o in find_organizations(document.text, sentences, regions)
                          if _keep(document, o.start, o.end))
    persons = tuple(p for p in find_persons(document.text, sentences)
                    if _keep(document, p.start, p.end))
    return Extraction(document, sentences, regions, programs, citations, observations, agencies,
                      organizations, persons)
