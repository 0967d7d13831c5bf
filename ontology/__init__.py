"""Ontology files of Yibao KG, installed as the package ``kg.ontology_data``."""
