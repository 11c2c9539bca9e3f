"""Freed memory handed back to the system between the passes of a batch.

glibc keeps the pages of freed heap blocks (numpy arrays of up to 32 MB among them)
for reuse, so a pass that frees a few hundred MB of chunk arrays, one chunk at a
time, leaves the process that large until the holes happen to be reused.
``malloc_trim`` hands the free pages back. Elsewhere (musl, macOS, Windows) nothing
is done.

Example:
    >>> release_freed_memory()
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return getattr(libc, "malloc_trim", None)


def release_freed_memory() -> None:
    """Give the heap pages freed so far back to the system (glibc only)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


__all__ = ["release_freed_memory"]
