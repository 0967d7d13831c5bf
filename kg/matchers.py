"""spaCy components that find regions, concepts and citations.

Each component is a small class built by a ``@Language.factory``; its phrases
come from data, never from code: region names from the administrative
divisions table (:mod:`kg.regions`) and the deixis lexicon
(``ontology/lexicon/region_deixis.tsv``), concept labels from the SKOS schemes
in ``ontology/`` (:mod:`kg.ontology`). The same phrases are added to jieba's
dictionary by :mod:`kg.nlp`, so segmentation keeps them whole and the
token-based :class:`spacy.matcher.PhraseMatcher` finds them.

Results are written to ``doc.spans``:

* ``doc.spans["yb_regions"]`` — label ``REGION`` (``kb_id_``: candidate codes,
  comma-separated) or ``DEIXIS`` (``kb_id_``: the level word, e.g. ``区``);
* ``doc.spans["yb_prog"]``, ``["yb_ind"]``, ``["yb_ins"]`` — label = scheme,
  ``kb_id_`` = the concept's local name;
* ``doc._.yb_citations`` — :class:`kg.citations.Citation` records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.citations import Citation, find_citations

if not Doc.has_extension("yb_citations"):
    Doc.set_extension("yb_citations", default=None)


def _phrase_matcher(nlp: Language, phrases: Iterable[str]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab)
    docs = [nlp.make_doc(p) for p in sorted(set(phrases)) if p.strip()]
    for doc in docs:
        matcher.add(doc.text, [doc])
    return matcher


class LexiconMatcher:
    """Finds phrases of a ``{phrase: (label, kb_id)}`` table; longest match wins."""

    def __init__(self, nlp: Language, key: str, table: Mapping[str, tuple[str, str]]) -> None:
        self.key = key
        self.table = dict(table)
        self.matcher = _phrase_matcher(nlp, self.table)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            phrase = doc.vocab.strings[match_id]
            label, kb_id = self.table[phrase]
            spans.append(Span(doc, start, end, label=label, kb_id=kb_id))
        doc.spans[self.key] = sorted(filter_spans(spans), key=lambda s: s.start)
        return doc


@Language.factory("yb_regions")
def make_region_matcher(nlp: Language, name: str) -> LexiconMatcher:
    """Region names (official and short) and deictic references (全区, 我市)."""
    from kg.locate import deictic_forms
    from kg.regions import gazetteer

    table: dict[str, tuple[str, str]] = {
        form: ("REGION", ",".join(codes)) for form, codes in gazetteer().surface_forms().items()
    }
    for form, level in deictic_forms().items():
        table[form] = ("DEIXIS", level)
    return LexiconMatcher(nlp, "yb_regions", table)


@Language.factory("yb_concepts", default_config={"schemes": ["prog", "ind", "ins"]})
def make_concept_matcher(nlp: Language, name: str, schemes: list[str]) -> ConceptMatcher:
    """SKOS concepts of the given schemes, by their zh prefLabel and altLabels."""
    return ConceptMatcher(nlp, schemes)


class ConceptMatcher:
    """One :class:`LexiconMatcher` per concept scheme, writing ``doc.spans["yb_<scheme>"]``."""

    def __init__(self, nlp: Language, schemes: Iterable[str]) -> None:
        from kg.ontology import label_index

        self.matchers = [
            LexiconMatcher(
                nlp,
                f"yb_{scheme}",
                {label: (scheme, name) for label, name in label_index(scheme).items()},
            )
            for scheme in schemes
        ]

    def __call__(self, doc: Doc) -> Doc:
        for matcher in self.matchers:
            matcher(doc)
        return doc


class CitationFinder:
    """Runs :func:`kg.citations.find_citations` over the doc's text."""

    def __call__(self, doc: Doc) -> Doc:
        found: list[Citation] = find_citations(doc.text)
        doc._.yb_citations = found
        return doc


@Language.factory("yb_citations")
def make_citation_finder(nlp: Language, name: str) -> CitationFinder:
    """Cited documents: 《titles》 and 发文字号."""
    return CitationFinder()
