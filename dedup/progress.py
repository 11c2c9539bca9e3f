"""Progress on stderr for long runs: a bar (when the total is known), how many articles
are read and prepared, and how fast; and the one-line summary at the end.

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
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

from dedup.models import Pickable

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")


def counting(items: Iterable[T], stream: IO[str], every: float = 1.0, total: int | None = None) -> Iterable[T]:
    """Pass ``items`` through, writing a progress line to ``stream`` at most every
    ``every`` seconds (rewritten in place with ``\\r``) and a last line at the end.
    With a ``total``, the line has a bar and a percentage.

    An iterator in, an iterator out; an iterable that can be read again (the batch
    pipeline reads a large input twice) stays one, and only its first reading is counted;
    one that can pick items (:class:`dedup.models.Pickable`) still can.
    """
    counted = (_CountedPickable if isinstance(items, Pickable) else _Counted)(items, stream, every, total)
    return counted if iter(items) is not items else iter(counted)


class _Counted(Iterable[T]):
    def __init__(self, items: Iterable[T], stream: IO[str], every: float, total: int | None) -> None:
        self.items = items
        self.total = total
        self.stream = stream
        self.every = every
        self._counted = False

    def __iter__(self) -> Iterator[T]:
        return iter(self.items) if self._counted else self._count()

    def _count(self) -> Iterator[T]:
        self._counted = True  # on the first item asked for, not when iter() is called
        started = last = time.monotonic()
        count = 0
        for item in self.items:
            count += 1
            now = time.monotonic()
            if now - last >= self.every:
                rate = count / max(now - started, 1e-9)
                self.stream.write(f"\rdedup: {bar(count, self.total)}{count:,} articles read and prepared ({rate:,.0f}/s)")
                self.stream.flush()
                last = now
            yield item
        self.stream.write(f"\rdedup: {bar(count, self.total)}{count:,} articles read and prepared; matching...\n")
        self.stream.flush()


class _CountedPickable(_Counted[T]):
    """A counted input whose picking (:class:`dedup.models.Pickable`) is passed through, uncounted."""

    def pick(self, positions: np.ndarray) -> Iterator[tuple[int, Any]]:
        """The items at ``positions``, from the input itself."""
        return cast(Pickable, self.items).pick(positions)  # checked by counting()


def bar(done: int, total: int | None, width: int = 24) -> str:
    """A text progress bar with a percentage, or nothing when the total is unknown.

    Example:
        >>> bar(1, 4, width=8)
        '[##------]  25% '
    """
    if not total:
        return ""
    share = min(done / total, 1.0)
    filled = int(share * width)
    return f"[{'#' * filled}{'-' * (width - filled)}] {share:>4.0%} "
