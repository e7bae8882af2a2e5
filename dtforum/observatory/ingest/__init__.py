"""Ingestion of the raw statistics snapshot into the observation store.

``parsing`` turns publisher cells into numbers, ``readers`` turn each publisher format into a tidy frame,
``catalog`` lists the files and the mapping of their variables to indicator codes, and ``store`` writes
everything into the database in one transaction.
"""
from dtforum.observatory.ingest.parsing import IngestError

__all__ = ["IngestError"]
