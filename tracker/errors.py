"""Errors a user can cause. Each carries one Chinese line for stderr and an exit code.

Anything that is not a TrackerError is a bug and may show a traceback; a user mistake never should.
"""

from __future__ import annotations


class TrackerError(Exception):
    """A problem the user can act on. ``str(err)`` is the Chinese message shown to them."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(TrackerError):
    """Wrong arguments: exit code 2 like click's own usage errors."""

    exit_code = 2


class NotFoundError(TrackerError):
    """An unknown task, plan, department or user."""


class ValidationError(TrackerError):
    """A value the user gave is out of range or malformed (percent 120, bad date...)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(TrackerError):
    """The acting user may not do this; nothing was written."""


class ConflictError(TrackerError):
    """Someone else changed the task since the user loaded it (optimistic concurrency)."""

    def __init__(self, message: str, *, changes: list[str] | None = None, current_version: int = 0) -> None:
        super().__init__(message)
        self.changes = changes or []
        self.current_version = current_version


class DuplicateError(TrackerError):
    """The thing already exists (e.g. the same report imported twice)."""


class ImportFailed(TrackerError):
    """A file could not be read or no plan could be found in it."""

    def __init__(self, message: str, *, headings: list[str] | None = None) -> None:
        super().__init__(message)
        self.headings = headings or []


class DatabaseError(TrackerError):
    """The database cannot be used: locked, unreachable, or from a newer version of tracker."""
