"""Readers (and later writers) of articles."""

from dedup.io.readers import read_articles

__all__ = ["read_articles"]
