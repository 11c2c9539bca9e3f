"""Worker processes: tasks mapped in order, a bounded few ahead, Ctrl-C left to the main process.

Example:
    >>> list(ordered_map(abs, [-1, -2, -3], workers=1))
    [1, 2, 3]
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ignore_interrupts() -> None:
    """In a worker process: Ctrl-C is the main process's to handle (it stops the pool),
    so a worker neither dies mid-task nor prints a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def ordered_map(task: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """``task(item)`` of every item, in order: in ``workers`` processes (when more than
    one), with at most ``2 * workers + 1`` tasks in flight, so memory stays bounded
    however long the input is. ``task`` must be picklable (a module-level function)."""
    if workers <= 1:
        yield from map(task, items)
        return
    with ProcessPoolExecutor(workers, initializer=ignore_interrupts) as pool:
        in_flight: deque[Future[R]] = deque()
        for item in items:
            in_flight.append(pool.submit(task, item))
            if len(in_flight) > 2 * workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
