"""File plumbing shared by readers and writers: gzip by name, and atomic output.

Output is written to a temporary file (or directory) beside the target and renamed
over it only when complete, so a failed or interrupted run never leaves a partial
file that looks finished.

Example:
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_output(target) as temporary:
    ...     _ = temporary.write_text("done")
    >>> target.read_text()
    'done'
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, cast

from dedup.errors import InputError, OutputError


def open_bytes(path: Path) -> IO[bytes]:
    """A file opened for reading bytes, decompressed when its name ends in ``.gz``."""
    if path.suffix.lower() == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(target: Path, directory: bool = False) -> Iterator[Path]:
    """A temporary path beside ``target`` to write; renamed to ``target`` on success,
    removed on failure. A device or a pipe is written straight into, and a symbolic
    link's target is written, not the link replaced.

    Args:
        target: The file (or directory) to produce; an existing one is replaced.
        directory: Produce a directory instead of a file.

    Raises:
        InputError: The target's folder does not exist (a usage error).
        OutputError: The folder is not writable, or writing failed (the disk is full, ...);
            the temporary output is removed.
    """
    if target.is_symlink():  # the link stays; what it points to is written
        target = Path(os.path.realpath(target))
    if not directory and target.exists() and not target.is_file() and not target.is_dir():
        yield target  # a device or a pipe (/dev/null, /dev/stdout, a FIFO): written straight into, never replaced
        return
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{target}: the folder {parent} does not exist; create it first")
    try:
        if directory:
            temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=parent))
        else:
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=parent)
            os.close(handle)
            temporary = Path(name)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {parent} ({exc.strerror or exc})") from None
    try:
        yield temporary
        temporary.chmod((0o777 if directory else 0o666) & ~_umask())
        if directory and target.is_dir():
            shutil.rmtree(target)
        os.replace(temporary, target)
    except BaseException as exc:
        if temporary.is_dir():
            shutil.rmtree(temporary, ignore_errors=True)
        else:
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"{target}: cannot write ({exc.strerror or exc}); nothing was written") from None
        raise
