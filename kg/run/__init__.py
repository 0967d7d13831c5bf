"""Executors: the stages run over many reports.

:mod:`kg.run.work` is one report's work, the unit every executor runs (read,
extract, link: a :class:`~kg.run.work.ReportResult`, a failure costing that
report only); :mod:`kg.run.build` runs it over every report (in this
process, in worker processes: :mod:`kg.run.parallel`, ``-j N``, or on a Dask
cluster: :mod:`kg.run.cluster`; reports cached by content are skipped:
:mod:`kg.run.incremental`), then what looks across reports (duplicates, one
identity per cited document) and writes the graph; :mod:`kg.run.summary`
counts what ``kg build`` prints. Every way gives the same output, byte for byte.
:mod:`kg.run.bench` measures builds and queries on the synthetic corpus of
:mod:`kg.run.corpus`.

Hands on a :class:`~kg.run.build.BuildResult` (linked reports, their
per-report fragments and triples, the inputs skipped), and from it the graph,
the Turtle file or the store.
"""
