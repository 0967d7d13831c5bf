"""Data of kg bench: sentence patterns and queries, installed as ``kg.bench_data``."""
