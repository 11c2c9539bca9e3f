"""Progress on stderr for long runs: how many articles are read and prepared, and how fast.

Example:
    >>> import io
    >>> out = io.StringIO()
    >>> list(counting(range(3), out, every=0.0))
    [0, 1, 2]
    >>> out.getvalue().splitlines()[-1]
    'dedup: 3 articles read and prepared; matching...'
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")


def counting(items: Iterable[T], stream: IO[str], every: float = 1.0) -> Iterator[T]:
    """Pass ``items`` through, writing a progress line to ``stream`` at most every
    ``every`` seconds (rewritten in place with ``\\r``) and a last line at the end."""
    started = last = time.monotonic()
    count = 0
    for item in items:
        count += 1
        now = time.monotonic()
        if now - last >= every:
            rate = count / max(now - started, 1e-9)
            stream.write(f"\rdedup: {count:,} articles read and prepared ({rate:,.0f}/s)")
            stream.flush()
            last = now
        yield item
    stream.write(f"\rdedup: {count:,} articles read and prepared; matching...\n")
    stream.flush()
