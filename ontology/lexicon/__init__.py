"""Lexicon data files (TSV), installed as ``kg.ontology.lexicon``."""
