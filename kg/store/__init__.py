"""Stage 5, store: the graph kept and served.

:mod:`kg.store.store` writes each report's graph (and their union) into an
on-disk Oxigraph store, incrementally, and opens it for rdflib's API;
:mod:`kg.store.serve` runs Oxigraph's read-only SPARQL server on a store or a
graph file; :mod:`kg.store.push` sends the graphs of a TriG file or a store
to any SPARQL Graph Store Protocol endpoint.

Hands on a store folder, an ``rdflib.Graph`` backed by Oxigraph, or a
SPARQL endpoint.
"""
