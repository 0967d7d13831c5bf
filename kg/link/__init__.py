"""Stage 3, link: ``Extraction → LinkedReport``.

Gives the mentions identities (:mod:`kg.link.link`): each region mention one
GB/T 2260 code and the report its home region (:mod:`kg.link.locate`), each
agency mention the full official name of one body, with its region and the
relations between bodies (:mod:`kg.link.agencylink`, official names by level
in :mod:`kg.link.agencynames`), each cited document its identity key, and the
relations programs hold with the regions that carry them out.

Hands on a :class:`~kg.base.records.LinkedReport` of plain records: no spaCy
and no rdflib here.
"""
