"""Errors a person can cause, as values with a message for a person.

Every error the engine raises on bad input derives from :class:`SiklusError`; the web layer and the
CLI turn them into a page, a problem+json response or a line on stderr, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.messages import Message


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a file, located by line and column (both 1-based).

    ``message`` is English (logs, ``siklus validate``); ``msg`` is the same problem as a coded message,
    rendered in the reader's language on screens, in the API's ``text`` and by ``siklus --lang id
    validate``. Every problem carries one: a problem without a code is refused here.
    """

    file: str
    line: int
    col: int
    message: str
    msg: Message = field(compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.msg, Message):
            raise TypeError(f"a cycle-file problem needs a coded message, not {self.msg!r}: {self.message}")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class UncodedRefusal(TypeError):
    """A refusal built without a coded message: a defect in Siklus, never a person's mistake."""


class SiklusError(Exception):
    """Base of every error a user can cause. ``code`` names the kind for APIs.

    What a person reads is ``msg``, a coded :class:`engine.messages.Message` that the web layer and
    the CLI render in the reader's language (docs/i18n.md). ``message`` is the English sentence for
    logs and the API's ``detail``. Raise ``InvalidInput(Message("code", name=value))`` and the English
    is the message's; or pass an English sentence of your own and ``msg=`` beside it.

    A refusal without a coded message cannot be built: the constructor raises :class:`UncodedRefusal`
    (an English sentence alone), and tests/engine/test_refusals_coded.py reads every refusal in the
    source, naming any without ``Message(...)`` or ``msg=`` by file and line.
    """

    code: str = "error"
    http_status: int = 400

    def __init__(self, message: str | Message, /, **details: Any) -> None:
        msg: Message | None = details.pop("msg", None)
        if isinstance(message, Message):
            msg = msg or message
            message = message.english()
        if not isinstance(msg, Message):
            raise UncodedRefusal(f"{type(self).__name__}({message!r}) has no coded message: raise it with "
                                 "Message(code, **params) (docs/i18n.md)")
        super().__init__(message)
        self.message = message
        self.msg = msg
        self.details = details


class DefinitionError(SiklusError):
    """A cycle file that does not validate; carries every problem found."""

    code = "invalid-definition"
    http_status = 422

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0] if self.problems else None
        msg = (Message("cycle.problems", count=len(self.problems), line=first.line, col=first.col, first=first.msg)
               if first is not None else Message("definition.problems", count=0))
        super().__init__("\n".join(str(p) for p in self.problems), msg=msg)


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

    def __init__(self, message: str | Message, errors: list[dict[str, str]], *, msg: Message | None = None) -> None:
        super().__init__(message, msg=msg, errors=errors)
        self.errors = errors


def payload_fields(errors: list[dict[str, str]]) -> list[str] | Message:
    """The fields named by a payload's errors, for a person (the whole form when none is named)."""
    fields = sorted({e["path"] for e in errors if e.get("path")})
    return fields or Message("payload.whole")


class WaitingForInputs(SiklusError):
    """A result the transition requires cannot be computed yet."""

    code = "waiting-for-inputs"
    http_status = 409


class Conflict(SiklusError):
    """Someone else changed the appraisal since it was read; reload and try again."""

    code = "conflict"
    http_status = 409


class Clash(Conflict):
    """A write refused by a uniqueness or reference rule another change satisfied first (two people
    saving the same thing at once); nothing was written. Reload and try again."""

    def __init__(self, message: str = "the change clashed with another saved a moment ago; nothing was saved; "
                                      "reload and try again", **details: Any) -> None:
        super().__init__(message, msg=details.pop("msg", None) or Message("db.clash"), **details)


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
        super().__init__(message, msg=details.pop("msg", None) or Message("db.busy"), **details)
