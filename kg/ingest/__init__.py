"""Stage 1, ingest: ``Path → Document``."""
