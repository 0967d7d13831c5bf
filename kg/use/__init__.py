"""Using a built graph: questions, views and exports.

:mod:`kg.use.sparql` runs SPARQL with the project's prefixes and bound
parameters on a graph, a graph file or a store, and formats the results
(``kg.query``); :mod:`kg.use.queries` holds the named queries (``*.rq``)
and their parameter rules; :mod:`kg.use.views` makes networkx views of a
graph (``kg.to_networkx``); :mod:`kg.use.export` writes them as GraphML,
GEXF or node-link JSON.

Hands on result rows, tables, networkx graphs and files for other tools.
"""
