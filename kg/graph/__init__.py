"""Stage 4, graph: linked reports → RDF.

:mod:`kg.graph.rdfgraph` maps linked records to triples with content-derived
IRIs (and merges cited documents' identities across reports);
:mod:`kg.graph.turtle` writes the canonical Turtle from per-report fragments,
without holding the whole graph; :mod:`kg.graph.serialize` writes every
format deterministically; :mod:`kg.graph.validate` checks a graph against the
SHACL shapes.

Hands on an ``rdflib.Graph`` or ``Dataset`` (one named graph per report), or
the bytes of a graph file. rdflib appears from here on.
"""
