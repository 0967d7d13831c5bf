"""Stage 1, ingest: ``Path → Document``.

Finds the report files among the paths given and reads each one
(:mod:`kg.ingest.collect`): its bytes to text (:mod:`kg.ingest.decode`), an
HTML page to the text it shows (:mod:`kg.ingest.html`), and the text's lines
read for header fields (来源：…, 发布时间：…), page chrome and the title
(:mod:`kg.ingest.layout`).

Hands on a :class:`~kg.base.records.Document`: the decoded ``text`` that every
later offset points into, with its header, title and skipped spans. No spaCy
and no rdflib here.
"""
