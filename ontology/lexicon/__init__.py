"""Lexicon data files (TSV), installed as ``kg.ontology_data.lexicon``."""
