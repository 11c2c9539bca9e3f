"""Records (JSONL objects, CSV rows, Parquet rows) -> :class:`Article`, through a field map.

Example:
    >>> fields = FieldMap(id="doc_id", text="body")
    >>> article_from_record({"doc_id": 7, "body": "Hello", "lang": "en"}, fields, "feed.csv:2")
    Article(id='7', text='Hello', title=None, url=None, source=None, published=None)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dedup.dates import parse_published
from dedup.models import Article, Rejection

DATE_FORMS = (
    "use ISO-8601 such as 2023-07-13 or 2023-07-13T23:14:00Z, or RFC 2822 such as Thu, 13 Jul 2023 23:14:00 GMT"
)


@dataclass(frozen=True)
class FieldMap:
    """Which field of a record holds what.

    Args:
        id: The unique id (a string or an integer).
        text: The article text.
        title: The headline (optional in records).
        published: The publication date (optional); None reads ``published``, or else ``date``.
        source: The publisher or feed (optional).
        url: Where the article was found (optional).
    """

    id: str = "id"
    text: str = "text"
    title: str = "title"
    published: str | None = None
    source: str = "source"
    url: str = "url"

    def date_field(self, record: Mapping[str, Any]) -> str:
        """The field a record's date is read from."""
        if self.published is not None:
            return self.published
        return "published" if record.get("published") is not None else "date"

    def required(self) -> tuple[str, str]:
        """The fields every record must have."""
        return (self.id, self.text)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _published(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return parse_published(value)


def article_from_record(record: Mapping[str, Any], fields: FieldMap, origin: str) -> Article | Rejection:
    """One record as an Article, or a Rejection naming what is wrong and where.

    Empty strings count as missing (CSV has no null). Fields not mapped pass through as ``meta``.
    """
    raw_id = record.get(fields.id)
    if raw_id is None:
        return Rejection(origin, f"missing '{fields.id}' field", origin)
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        return Rejection(origin, f"'{fields.id}' must be a string or an integer, got {type(raw_id).__name__}", origin)
    article_id = str(raw_id)
    if not article_id.strip():
        return Rejection(origin, f"'{fields.id}' is empty", origin)
    text = record.get(fields.text)
    if text is None:
        return Rejection(article_id, f"missing '{fields.text}' field", origin)
    if not isinstance(text, str):
        return Rejection(article_id, f"'{fields.text}' must be a string, got {type(text).__name__}", origin)
    values: dict[str, Any] = {}
    for name, key in (("title", fields.title), ("url", fields.url), ("source", fields.source)):
        value = record.get(key)
        if _is_missing(value):
            value = None
        elif not isinstance(value, str):
            return Rejection(article_id, f"'{key}' must be a string, got {type(value).__name__}", origin)
        values[name] = value
    date_field = fields.date_field(record)
    raw_date = record.get(date_field)
    if not _is_missing(raw_date):
        published = _published(raw_date)
        if published is None:
            return Rejection(article_id, f"'{date_field}' is not a date: {raw_date!r} ({DATE_FORMS})", origin)
        values["published"] = published
    used = {fields.id, fields.text, fields.title, fields.url, fields.source, date_field}
    meta = {k: v for k, v in record.items() if k not in used}
    return Article(id=article_id, text=text, meta=meta, origin=origin, **values)
