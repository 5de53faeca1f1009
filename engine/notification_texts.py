"""What a notice says, kept as a message code and its parameters (``notification.code`` and ``.params``)
and rendered when it is read, in the reader's language of the moment.

A notice's code names a kind of notice (``notice.action_needed``); its subject is the message
``<code>.subject`` and its body ``<code>.body`` (the templates are in :mod:`engine.messages.notices`),
followed by the message the parameters carry as ``step`` when there is one. Parameters are kept as
JSON: a cycle's thing as ``{"key", "label": {"id", "en"}}`` (so it is shown by its label in either
language, as the cycle version named it), a two-language text as ``{"id", "en"}``, a moment as
``{"at": ISO 8601}``, a phrase as ``{"code", "params"}``, lists as lists.

Notices written before codes existed have no code: their stored subject and body are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from engine.calendar import local_zone
from engine.messages import Label, Message, render
from engine.messages.model import is_localized
from engine.messages.registry import TEXTS
from engine.models import Notification

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class NoticeText:
    """A notice as messages: its subject and the lines of its body."""

    subject: Message
    body: tuple[Message, ...]


def notice_columns(code: str, lang: str, **params: Any) -> dict[str, Any]:
    """The columns of a notice of kind ``code``: its ``code`` and ``params``, and its ``subject`` and
    ``body`` in ``lang`` (the recipient's language now), kept for what cannot render a code."""
    text = _text(code, params)
    return {"code": code, "params": {name: encode(value) for name, value in params.items()},
            "subject": plain_text(text.subject, lang)[:255],
            "body": "\n".join(plain_text(line, lang) for line in text.body)}


def _text(code: str, params: Mapping[str, Any]) -> NoticeText:
    body = [Message(f"{code}.body", **params)]
    if isinstance(params.get("step"), Message):
        body.append(params["step"])
    return NoticeText(Message(f"{code}.subject", **params), tuple(body))


def encode(value: Any) -> Any:
    """A message parameter as JSON that :func:`decode` turns back into the same parameter."""
    if isinstance(value, Message):
        return {"code": value.code, "params": {k: encode(v) for k, v in value.params.items()}}
    if isinstance(value, Label):
        return {"key": value.key, "label": {lang: value.shown(lang) for lang in LANGUAGES}}
    if isinstance(value, datetime):
        return {"at": (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Mapping):
        return {lang: str(value.get(lang) or value.get("id") or "") for lang in LANGUAGES}
    if is_localized(value):
        return {lang: str(value.get(lang)) for lang in LANGUAGES}
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Sequence):
        return [encode(v) for v in value]
    return str(value)


def decode(value: Any) -> Any:
    """A stored parameter as the message parameter it was (an unknown phrase code raises KeyError)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "code" in value:
        if value["code"] not in TEXTS:
            raise KeyError(value["code"])
        return Message(str(value["code"]), **{str(k): decode(v) for k, v in (value.get("params") or {}).items()})
    if "key" in value:
        return Label(str(value["key"]), value.get("label"))
    if "at" in value:
        return datetime.fromisoformat(str(value["at"]))
    return {str(k): str(v) for k, v in value.items()}


def notice_text(row: Notification) -> NoticeText | None:
    """The notice's subject and body as messages, or None for a notice without a code (or with a code
    no longer declared): then its stored ``subject`` and ``body`` are what it says."""
    code = row.code
    if not code or f"{code}.subject" not in TEXTS or f"{code}.body" not in TEXTS:
        return None
    try:
        params = {str(k): decode(v) for k, v in (row.params or {}).items()}
    except (KeyError, TypeError, ValueError):
        return None
    return _text(code, params)


Renderer = Callable[[Message, str], str]


def plain_text(message: Message, lang: str) -> str:
    """``message`` in ``lang`` from the engine's own templates, for what leaves without a screen (the
    e-mail, the stored fallback text): labels by their label, times in the agency's zone."""
    return render(message, lang, lambda m: getattr(TEXTS[m.code], "en" if lang == "en" else "id"), _plain_value)


def rendered(row: Notification, lang: str, text: Renderer = plain_text) -> tuple[str, str]:
    """The notice's subject and body in ``lang`` (its stored text when it has no code)."""
    found = notice_text(row)
    if found is None:
        return row.subject, row.body
    return text(found.subject, lang), "\n".join(text(line, lang) for line in found.body)


def _plain_value(value: Any, lang: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        moment = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(local_zone())
        name = moment.tzname() or ""
        return moment.strftime("%d-%m-%Y %H.%M ") + (name if name.isalpha() else "UTC" + name)
    if isinstance(value, bool):
        return ("ya" if value else "tidak") if lang == "id" else ("yes" if value else "no")
    return str(value)
