"""A persistent, incremental index for ingestion pipelines (see :class:`Index`).

Storage: a SQLite file by default (:mod:`dedup.index.sqlite`), PostgreSQL for many
workers sharing one index (:mod:`dedup.index.postgres`).
"""

from dedup.index.core import Index

__all__ = ["Index"]
