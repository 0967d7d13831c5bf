"""Executors: the stages run over many reports.

:mod:`kg.run.build` reads, extracts and links each report (in this process),
then runs what looks across reports (one identity per cited document) and
writes the graph; the per-report work can run in worker processes
(:mod:`kg.run.parallel`, ``-j N``) or on a Dask cluster
(:mod:`kg.run.cluster`), and skip reports cached by content
(:mod:`kg.run.incremental`). Every way gives the same output, byte for byte.
:mod:`kg.run.bench` measures builds and queries on the synthetic corpus of
:mod:`kg.run.corpus`.

Hands on a :class:`~kg.run.build.BuildResult` (linked reports, their
per-report fragments and triples, the inputs skipped), and from it the graph,
the Turtle file or the store.
"""
