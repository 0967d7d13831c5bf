"""Stage 2, extract: ``Document → Extraction``.

The spaCy pipeline (:mod:`kg.extract.nlp`: ``spacy.blank("zh")`` with jieba,
sentence splitting in :mod:`kg.extract.sentences`, the lexicon matchers of
:mod:`kg.extract.matchers`) reads a report's text; :mod:`kg.extract.extract`
turns the spaCy ``Doc`` into records, with the finders that read the
sentences: 《titles》 and 文号 (:mod:`kg.extract.citations`,
:mod:`kg.extract.docnumber`), numbers with units, time expressions, indicator
tables and the observations made of them (:mod:`kg.extract.quantities`,
:mod:`kg.extract.periods`, :mod:`kg.extract.dates`, :mod:`kg.extract.tables`,
:mod:`kg.extract.observations`), agencies, organisations and people
(:mod:`kg.extract.agencies`, :mod:`kg.extract.organizations`), clauses
(:mod:`kg.extract.clauses`). The report's frame — its kind, dates, home
region, the period it looks back on and the year it looks ahead to — is read
once (:mod:`kg.extract.frame`, :mod:`kg.extract.home`) right after the
pipeline has found its region mentions, and every later step reads it. A long
text is extracted in bounded pieces (:mod:`kg.extract.pieces`) with the frame
of the whole report.

Hands on an :class:`~kg.base.records.Extraction`: plain records of mentions
with offsets into the document's text. spaCy objects stop here.
"""
