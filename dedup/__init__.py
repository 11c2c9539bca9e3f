"""dedup: near-duplicate news article detection.

Finds the copies of one underlying text among scraped articles, verifies every
match on the real text, and elects the copy to keep with a reason.

Example:
    >>> import dedup
    >>> result = dedup.deduplicate([dedup.Article("a", "Some article text here.")])
    >>> result.stats["articles"]
    1
"""

from dedup.config import DedupConfig
from dedup.errors import ConfigError, DedupError, InputError, OutputError, StorageError
from dedup.explain import Explanation, explain_pair
from dedup.index import Index
from dedup.io.fields import FieldMap
from dedup.io.readers import ArticleFiles, read_articles
from dedup.models import Article, Cluster, Member, Rejection, Removed, Result, Verdict
from dedup.pipeline import Deduplicator, deduplicate

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleFiles",
    "Cluster",
    "ConfigError",
    "DedupConfig",
    "DedupError",
    "Deduplicator",
    "Explanation",
    "FieldMap",
    "Index",
    "InputError",
    "Member",
    "OutputError",
    "Rejection",
    "Removed",
    "Result",
    "StorageError",
    "Verdict",
    "__version__",
    "deduplicate",
    "explain_pair",
    "read_articles",
]
