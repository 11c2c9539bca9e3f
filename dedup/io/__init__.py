"""Readers (and later writers) of articles."""

from dedup.io.readers import ArticleFiles, read_articles

__all__ = ["ArticleFiles", "read_articles"]
