"""Publication dates: reading the forms feeds and archives use, and one UTC time line.

Read forms (anything else is not a date, never a guess):

* ISO-8601 (``2023-07-13``, ``2023-07-13T23:14:00Z``, with an offset);
* RFC 2822, as in RSS ``pubDate`` (``Thu, 13 Jul 2023 23:14:00 GMT``);
* wire-archive style ``13-JUL-2023 23:14:00.79`` (Reuters-21578), text after the
  time ignored;
* the forms news pages print, with an English month name: ``July 13, 2023``,
  ``Jul. 13, 2023 11:14 PM``, ``13 July 2023 23:14 UTC``; and ``2023/07/13 23:14``.
  Numeric day/month forms such as ``07/13/2023`` are ambiguous and not read.

A time without a zone is taken as UTC, so every date compares with every other.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH_NAMES = {
    **_MONTHS, "sept": 9,
    **{name: i for i, name in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                         "september", "october", "november", "december"), 1)},
}
_CLOCK = r"(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?(?:\s*(?:UTC|GMT|Z))?"
_PRINTED = (
    re.compile(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})" + _CLOCK, re.IGNORECASE),  # July 13, 2023
    re.compile(r"(\d{1,2}) ([A-Za-z]+)\.?,? (\d{4})" + _CLOCK, re.IGNORECASE),  # 13 July 2023
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})" + _CLOCK, re.IGNORECASE),  # 2023/07/13
)
_ARCHIVE = re.compile(
    r"(\d{1,2})-([A-Za-z]{3})-(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(?!\d)"
)


def parse_published(value: Any) -> datetime | None:
    """A publication date in one of the read forms, or None if it is not one.

    Example:
        >>> parse_published("2023-07-13T23:14:00Z").isoformat()
        '2023-07-13T23:14:00+00:00'
        >>> parse_published("Thu, 13 Jul 2023 23:14:00 GMT").isoformat()
        '2023-07-13T23:14:00+00:00'
        >>> parse_published("26-FEB-1987 15:01:01.79").isoformat()
        '1987-02-26T15:01:01.790000'
        >>> parse_published("yesterday") is None
        True
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    iso = _iso(text)
    if iso is not None:
        return iso
    printed = _printed_form(text)
    if printed is not None:  # a printed form decides, valid or not ("13:00 PM" is no time)
        return _printed(*printed)
    return _rfc2822(text) or _archive(text)


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive time is taken as UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def iso_utc(moment: datetime) -> str:
    """``moment`` in UTC as ISO-8601 text ending in ``Z`` (what reports print).

    Example:
        >>> iso_utc(datetime(2024, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))))
        '2024-05-01T07:30:00Z'
    """
    return utc(moment).isoformat().replace("+00:00", "Z")


def epoch_hours(moment: datetime | None) -> float:
    """Hours since 1970-01-01 UTC, or NaN when there is no date."""
    return float("nan") if moment is None else utc(moment).timestamp() / 3600.0


def _iso(text: str) -> datetime | None:
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"  # Python 3.10's fromisoformat does not read "Z"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    if not text[:1].isalpha() and not text[:1].isdigit():
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _archive(text: str) -> datetime | None:
    match = _ARCHIVE.match(text)
    if match is None:
        return None
    day, month_name, year, hour, minute, second, fraction = match.groups()
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    try:
        return datetime(int(year), month, int(day), int(hour or 0), int(minute or 0), int(second or 0), micro)
    except ValueError:
        return None


def _printed_form(text: str) -> tuple[int, re.Match[str]] | None:
    """Which printed form (see the module docs) ``text`` is in, and its match; None if none."""
    for number, pattern in enumerate(_PRINTED):
        match = pattern.fullmatch(text)
        if match is not None:
            return number, match
    return None


def _printed(number: int, match: re.Match[str]) -> datetime | None:
    """A printed form's date as UTC, or None when its parts are no date."""
    first, second, third, hour, minute, second_of_minute, half = match.groups()
    if number == 0:
        month, day, year = _MONTH_NAMES.get(first.lower()), int(second), int(third)
    elif number == 1:
        day, month, year = int(first), _MONTH_NAMES.get(second.lower()), int(third)
    else:
        year, month, day = int(first), int(second), int(third)
    if month is None:
        return None
    hours = int(hour or 0)
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half.lower().startswith("p") else 0)
    try:
        return datetime(year, month, day, hours, int(minute or 0), int(second_of_minute or 0), tzinfo=timezone.utc)
    except ValueError:
        return None
