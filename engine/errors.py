"""Errors a person can cause, as values with a message for a person.

Every error the engine raises on bad input derives from :class:`SiklusError`; the web layer and the
CLI turn them into a page, a problem+json response or a line on stderr, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a file, located by line and column (both 1-based)."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class SiklusError(Exception):
    """Base of every error a user can cause. ``code`` names the kind for APIs.

    ``message`` is the English sentence (logs, API ``detail``, CLI); a refusal a person meets on a
    screen also passes ``text={"id": ..., "en": ...}`` so the screen speaks the reader's language.
    """

    code: str = "error"
    http_status: int = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class DefinitionError(SiklusError):
    """A cycle file that does not validate; carries every problem found."""

    code = "invalid-definition"
    http_status = 422

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFound(SiklusError):
    code = "not-found"
    http_status = 404


class UnknownTrigger(SiklusError):
    code = "unknown-trigger"
    http_status = 422


class TransitionNotAllowed(SiklusError):
    """The trigger exists but cannot fire now (wrong state, closed window, guard)."""

    code = "transition-not-allowed"
    http_status = 409


class Forbidden(SiklusError):
    code = "forbidden"
    http_status = 403


class InvalidPayload(SiklusError):
    code = "invalid-payload"
    http_status = 422

    def __init__(self, message: str, errors: list[dict[str, str]]) -> None:
        super().__init__(message, errors=errors)
        self.errors = errors


class WaitingForInputs(SiklusError):
    """A result the transition requires cannot be computed yet."""

    code = "waiting-for-inputs"
    http_status = 409


class Conflict(SiklusError):
    """Someone else changed the appraisal since it was read; reload and try again."""

    code = "conflict"
    http_status = 409


class InvalidInput(SiklusError):
    """Bad arguments to a service (period, unit, mapping, file rows...)."""

    code = "invalid-input"
    http_status = 422


class RateLimited(SiklusError):
    """Too many submissions from one source in a short time (e.g. public feedback); try again later."""

    code = "rate-limited"
    http_status = 429


class Unauthenticated(SiklusError):
    """No valid login or API token was given."""

    code = "unauthenticated"
    http_status = 401


class DatabaseBusy(SiklusError):
    """The database stayed busy with another writer (a long job on SQLite) for longer than a request may
    wait; nothing was written. Try again in a few seconds."""

    code = "database-busy"
    http_status = 503
    retry_after = 5  # seconds a client should wait before trying again

    def __init__(self, message: str = "the database is busy with another change; nothing was saved; "
                                      "try again in a few seconds", **details: Any) -> None:
        details.setdefault("text", {
            "id": "Basis data sedang sibuk dengan perubahan lain. Tidak ada yang disimpan; coba lagi beberapa "
                  "detik lagi.",
            "en": "The database is busy with another change. Nothing was saved; try again in a few seconds.",
        })
        super().__init__(message, **details)
