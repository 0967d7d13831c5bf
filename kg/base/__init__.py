"""Below every stage: what several stages share.

The records handed from stage to stage (:mod:`kg.base.records`), the errors
(:mod:`kg.base.errors`), the installed data files (:mod:`kg.base.resources`)
and the reference data read from them: the region gazetteer
(:mod:`kg.base.regions`), the ontology, its SKOS labels and its namespaces
(:mod:`kg.base.ontology`, :mod:`kg.base.namespaces`), the deictic region
references (:mod:`kg.base.deixis`); and a cited title's identity form
(:mod:`kg.base.titles`), atomic file writes (:mod:`kg.base.files`) and the
package's version (:mod:`kg.base.version`).

Nothing here imports a stage: every stage may import from here, and no
stage reaches up to a later one for something it shares.
"""
