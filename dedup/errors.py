"""Exceptions raised by dedup.

Every error a user can cause derives from :class:`DedupError` and carries the
process exit code the CLI should use, so the CLI needs no error table of its own.
"""

from __future__ import annotations


class DedupError(Exception):
    """Base class for every error dedup raises on purpose."""

    exit_code: int = 1


class ConfigError(DedupError, ValueError):
    """A configuration value is invalid; the message names the value and the fix."""

    exit_code = 2


class InputError(DedupError, ValueError):
    """Input cannot be used at all (missing path, nothing readable, bad format).

    Single bad records are not errors: they are listed as rejected with a reason.
    """

    exit_code = 2


class StorageError(DedupError):
    """An index's storage cannot be opened or used (missing server, wrong file,
    settings that differ from the ones the index was built with)."""

    exit_code = 2


class OutputError(DedupError, OSError):
    """An output file cannot be written (missing folder, no permission, disk full);
    nothing that looks complete is left behind."""

    exit_code = 1
