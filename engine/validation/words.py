"""How values, names and counts are written in validation messages, for an HR officer rather than a programmer."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, TypeGuard

from engine.messages import Message

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def type_words(declared: Any) -> str:
    """A JSON Schema ``type`` (one or a list) in words: ``a list or a mapping``."""
    wanted = declared if isinstance(declared, list) else [declared]
    return " or ".join(TYPE_WORDS.get(str(w), str(w)) for w in wanted)


def type_message(declared: Any) -> Message:
    """:func:`type_words` as a coded phrase (``a list or a mapping``)."""
    wanted = declared if isinstance(declared, list) else [declared]
    phrases = [Message(f"cycle.type.{w}") if w in TYPE_WORDS else Message("cycle.type.other", name=str(w))
               for w in wanted]
    return either(phrases)


def either(phrases: Sequence[Any]) -> Message:
    """Phrases joined with "or" (``a, b or c``), as one coded phrase."""
    if len(phrases) == 1:
        return Message("cycle.phrase", text=phrases[0])
    return Message("cycle.either", some=list(phrases[:-1]), last=phrases[-1])


def shown(value: Any) -> str:
    """A value as :func:`show` writes it, without the quotes (the templates quote)."""
    text = show(value)
    return text[1:-1] if isinstance(value, str) else text


def value_message(value: Any) -> Message:
    """:func:`describe_value` as a coded phrase."""
    if value is None:
        return Message("cycle.value.empty")
    if isinstance(value, bool):
        return Message("cycle.value.literal", value="true" if value else "false")
    if isinstance(value, (int, float)):
        return Message("cycle.value.number", value=str(value))
    if isinstance(value, str):
        return Message("cycle.value.text", value=shown(value))
    if isinstance(value, list):
        return Message("cycle.value.list")
    if isinstance(value, dict):
        return Message("cycle.value.mapping")
    if isinstance(value, (date, datetime)):
        return Message("cycle.value.date", value=value.isoformat())
    if isinstance(value, bytes):
        return Message("cycle.value.binary")
    return Message("cycle.value.other", kind=type(value).__name__)


def hint_message(name: Any, candidates: Collection[str]) -> Message | str:
    """:func:`suggest` as a coded phrase (`` (did you mean 'x'?)``), or an empty text."""
    if not isinstance(name, str):
        return ""
    match = difflib.get_close_matches(name, [c for c in candidates if isinstance(c, str)], n=1, cutoff=0.6)
    return Message("cycle.did_you_mean", name=match[0]) if match else ""


def show(value: Any) -> str:
    """A value as it would appear in a message: texts quoted, long ones shortened."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        text = text.replace("\n", "\\n")
        return f"'{text}'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def describe_value(value: Any) -> str:
    """What kind of value an author wrote, for "must be X, not Y"."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {show(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (date, datetime)):
        return f"the date {value.isoformat()} (quote it to make it a text)"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"


def suggest(name: str, candidates: Collection[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or nothing."""
    if not isinstance(name, str):
        return ""
    match = difflib.get_close_matches(name, [c for c in candidates if isinstance(c, str)], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def unknown(kind: str, name: str, known: Sequence[str], plural: str) -> str:
    """``unknown state 'reveiw' (did you mean 'review'?)``, or the list of known names when it is short."""
    hint = suggest(name, known)
    if hint:
        return f"unknown {kind} '{name}'{hint}"
    if not known:
        return f"unknown {kind} '{name}'; the cycle declares no {plural}"
    if len(known) <= 8:
        return f"unknown {kind} '{name}'; the {plural} are {', '.join(known)}"
    return f"unknown {kind} '{name}'"


_NOUNS = {"state": "cycle.noun.state", "role": "cycle.noun.role", "result": "cycle.noun.result",
          "trigger": "cycle.noun.trigger", "feedback window": "cycle.noun.feedback_window",
          "indicator": "cycle.noun.indicator"}


def unknown_message(kind: str, name: Any, known: Sequence[str]) -> Message:
    """:func:`unknown` as a coded message."""
    noun = Message(_NOUNS[kind])
    name = str(name)
    match = difflib.get_close_matches(name, [c for c in known if isinstance(c, str)], n=1, cutoff=0.6)
    if match:
        return Message("cycle.unknown_name_hint", kind=noun, name=name, hint=match[0])
    if known and len(known) <= 8:
        return Message("cycle.unknown_name_known", kind=noun, name=name, known=list(known))
    return Message("cycle.unknown_name", kind=noun, name=name)


def is_name(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is a valid name (state, role, trigger...); invalid ones are the schema's."""
    return isinstance(value, str) and _NAME.match(value) is not None


def is_number(value: Any) -> bool:
    """A finite number that is not a boolean."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def plural(count: int, word: str) -> str:
    """``1 item``, ``2 items``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def internal_error(what: str, exc: BaseException, *, others_ran: bool = True) -> str:
    """The problem a bug in a check becomes: honest about what happened, and no traceback."""
    ran = "the other checks still ran; " if others_ran else ""
    return (f"internal error while checking {what} ({type(exc).__name__}: {exc}); "
            f"{ran}please report this to the Siklus developers")

