"""spaCy components that find regions, concepts and citations.

Each component is a small class built by a ``@Language.factory``; its phrases
come from data, never from code: region names from the administrative
divisions table (:mod:`kg.base.regions`) and the deixis lexicon
(``ontology/lexicon/region_deixis.tsv``), concept labels from the SKOS schemes
in ``ontology/`` (:mod:`kg.base.ontology`). The same phrases are added to jieba's
dictionary by :mod:`kg.extract.nlp`, so segmentation keeps them whole and the
token-based :class:`spacy.matcher.PhraseMatcher` finds them.

Results are written to ``doc.spans``:

* ``doc.spans["yb_regions"]`` — label ``REGION`` (``kb_id_``: candidate codes,
  comma-separated) or ``DEIXIS`` (``kb_id_``: the level word, e.g. ``区``);
* ``doc.spans["yb_prog"]`` — label = scheme, ``kb_id_`` = the concept's local
  name (programs are the concepts whose mentions become records; the
  ``schemes`` setting of ``yb_concepts`` adds ``["yb_ind"]`` and ``["yb_ins"]``,
  e.g. ``nlp.add_pipe("yb_concepts", config={"schemes": ["prog", "ind", "ins"]})``:
  observations read indicator and scheme labels from their own clause instead);
* ``doc._.yb_citations`` — :class:`kg.extract.citations.Citation` records.

Compiling the phrase matchers (about 7,000 phrases) is most of a new
pipeline's cost; :func:`kg.extract.nlp.make_nlp` caches the compiled
components on disk and hands them back to the factories through
:func:`prebuilt`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.base.deixis import deictic_forms
from kg.base.ontology import concepts, label_index
from kg.base.regions import gazetteer
from kg.extract.citations import Citation, find_citations
from kg.extract.sentences import doc_text

if not Doc.has_extension("yb_citations"):
    Doc.set_extension("yb_citations", default=None)


#: Components compiled earlier (read from the cache), by factory name: see :func:`prebuilt`.
_PREBUILT: dict[str, Any] = {}


@contextlib.contextmanager
def prebuilt(components: Mapping[str, Any]) -> Iterator[None]:
    """While inside, the factories named in ``components`` return those components
    instead of compiling new ones, where they fit the pipeline (the same vocab,
    the same settings); each is handed out once."""
    _PREBUILT.clear()
    _PREBUILT.update(components)
    try:
        yield
    finally:
        _PREBUILT.clear()


def _take_prebuilt(factory: str, nlp: Language, **settings: Any) -> Any:
    component = _PREBUILT.get(factory)
    if component is None or component.vocab is not nlp.vocab:
        return None
    if any(getattr(component, key, None) != value for key, value in settings.items()):
        return None
    del _PREBUILT[factory]
    return component


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
        self.ids: dict[int, tuple[int, int]] = {}
        #: the vocab its matcher was compiled with (it must be the pipeline's)
        self.vocab = nlp.vocab

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.key] = self.spans(doc)
        return doc

    def spans(self, doc: Doc) -> list[Span]:
        """The matches, longest first where they overlap, in text order."""
        spans = []
        ids = self.ids
        for match_id, start, end in self.matcher(doc):
            try:
                label, kb_id = ids[match_id]
            except KeyError:  # label and kb_id as string-store hashes, made once
                strings = doc.vocab.strings
                name, kb = self.table[strings[match_id]]
                label, kb_id = ids[match_id] = strings.add(name), strings.add(kb)
            spans.append(Span(doc, start, end, label=label, kb_id=kb_id))
        return sorted(filter_spans(spans), key=lambda s: s.start)


@Language.factory("yb_regions")
def make_region_matcher(nlp: Language, name: str) -> LexiconMatcher:
    """Region names (official and short) and deictic references (全区, 我市)."""
    cached = _take_prebuilt("yb_regions", nlp)
    if isinstance(cached, LexiconMatcher):
        return cached
    table: dict[str, tuple[str, str]] = {
        form: ("REGION", ",".join(codes)) for form, codes in gazetteer().surface_forms().items()
    }
    for form, level in deictic_forms().items():
        table[form] = ("DEIXIS", level)
    return LexiconMatcher(nlp, "yb_regions", table)


@Language.factory("yb_concepts", default_config={"schemes": ["prog"]})
def make_concept_matcher(nlp: Language, name: str, schemes: list[str]) -> ConceptMatcher:
    """SKOS concepts of the given schemes, by their zh prefLabel and altLabels
    (by default programs only: the scheme whose spans become records)."""
    cached = _take_prebuilt("yb_concepts", nlp, schemes=list(schemes))
    if isinstance(cached, ConceptMatcher):
        return cached
    return ConceptMatcher(nlp, schemes)


#: Words that join coordinated modifiers (药品、耗材集中带量采购; 药品和耗材集采).
CONJUNCTIONS = frozenset({"、", "和", "及", "与", "以及", "或"})
#: How many modifiers before a head are looked at.
MAX_COORDINATED = 3


class ConceptMatcher:
    """One :class:`LexiconMatcher` per concept scheme, writing ``doc.spans["yb_<scheme>"]``.

    Two rules read the labels, never a word list of their own:

    * **broader named inside**: a match whose text contains a label of one of
      its concept's ancestors also mentions that ancestor (药品集中带量采购 →
      DrugVBP and VolumeBasedProcurement; DRG支付方式改革 → DRG and
      PaymentMethodReform);
    * **coordination**: modifiers coordinated before a match share its head
      (药品耗材集中带量采购 → 药品 + 集中带量采购 is a label of DrugVBP, so DrugVBP is
      mentioned too, on the token 药品).
    """

    def __init__(self, nlp: Language, schemes: Iterable[str]) -> None:
        #: the vocab its matchers were compiled with (it must be the pipeline's)
        self.vocab = nlp.vocab
        self.schemes = list(schemes)
        self.index = {scheme: label_index(scheme) for scheme in self.schemes}
        self.matchers = [
            LexiconMatcher(
                nlp,
                f"yb_{scheme}",
                {label: (scheme, name) for label, name in self.index[scheme].items()},
            )
            for scheme in self.schemes
        ]
        # for each label, the labels it ends with (itself included): the heads
        # that coordinated modifiers may share
        self.heads = {
            scheme: {
                label: tuple(h for h in self.index[scheme] if label.endswith(h))
                for label in self.index[scheme]
            }
            for scheme in self.schemes
        }
        self.labels: dict[str, dict[str, tuple[str, ...]]] = {}
        self.ancestors: dict[str, dict[str, tuple[str, ...]]] = {}
        for scheme in self.schemes:
            found = {c.name: c for c in concepts(scheme)}
            self.labels[scheme] = {n: c.labels_zh for n, c in found.items()}
            self.ancestors[scheme] = {n: _ancestors(n, found) for n in found}

    def __call__(self, doc: Doc) -> Doc:
        for scheme, matcher in zip(self.schemes, self.matchers, strict=True):
            key = f"yb_{scheme}"
            spans = matcher.spans(doc)
            extra = [*self._broader(scheme, spans), *self._coordinated(scheme, doc, spans)]
            if extra:
                seen = {(s.start, s.end, s.kb_id_) for s in spans}
                for span in extra:
                    if (span.start, span.end, span.kb_id_) not in seen:
                        seen.add((span.start, span.end, span.kb_id_))
                        spans.append(span)
                spans = sorted(spans, key=lambda s: (s.start, s.end, s.kb_id_))
            doc.spans[key] = spans
        return doc

    def _broader(self, scheme: str, spans: list[Span]) -> list[Span]:
        out = []
        ancestors, labels = self.ancestors[scheme], self.labels[scheme]
        full = doc_text(spans[0].doc) if spans else ""
        for span in spans:
            names = ancestors.get(span.kb_id_, ())
            if not names:
                continue
            text = full[span.start_char:span.end_char]  # Span.text joins its tokens
            for name in names:
                if any(label in text for label in labels[name]):
                    out.append(Span(span.doc, span.start, span.end, label=scheme, kb_id=name))
        return out

    def _coordinated(self, scheme: str, doc: Doc, spans: list[Span]) -> list[Span]:
        index = self.index[scheme]
        out = []
        full = doc_text(doc)
        for span in spans:
            text = full[span.start_char:span.end_char]  # Span.text joins its tokens
            heads = self.heads[scheme].get(text) or tuple(
                label for label in index if text.endswith(label))
            if not heads:  # nothing could be coordinated with it
                continue
            i, seen = span.start - 1, 0
            while i >= 0 and seen < MAX_COORDINATED:
                word = doc[i].text
                if word in CONJUNCTIONS:
                    i -= 1
                    continue
                names = {index[word + h] for h in heads if word + h in index}
                names.discard(span.kb_id_)
                if not names:
                    break
                out += [Span(doc, i, i + 1, label=scheme, kb_id=n) for n in sorted(names)]
                i -= 1
                seen += 1
        return out


def _ancestors(name: str, found: Mapping[str, object]) -> tuple[str, ...]:
    out: list[str] = []
    todo = list(getattr(found[name], "broader", ()))
    while todo:
        parent = todo.pop()
        if parent in found and parent not in out:
            out.append(parent)
            todo.extend(getattr(found[parent], "broader", ()))
    return tuple(out)


class CitationFinder:
    """Runs :func:`kg.extract.citations.find_citations` over the doc's text."""

    def __call__(self, doc: Doc) -> Doc:
        found: list[Citation] = find_citations(doc_text(doc))
        doc._.yb_citations = found
        return doc


@Language.factory("yb_citations")
def make_citation_finder(nlp: Language, name: str) -> CitationFinder:
    """Cited documents: 《titles》 and 发文字号."""
    return CitationFinder()
