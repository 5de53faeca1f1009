"""A message for a person as a value: a code and its parameters, rendered where it is read.

The engine, the rules adapters and the validator never build a sentence for a person: they raise or
return a :class:`Message`, e.g. ``Message("skp.weights_total", total=95)``. The web layer and the CLI
render it in the reader's language through the gettext catalogues (``web/messages.py``); an English
sentence for logs is :meth:`Message.english`.

A parameter that names something of a cycle (an indicator, a state, a trigger, a result, a role, a
deadline kind) is passed as a :class:`Label`: its key for logs and APIs, its cycle label for people.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from engine.messages.registry import TEXTS
from engine.messages.text import MessageText


@runtime_checkable
class Localized(Protocol):
    """A text with a version per language (a cycle label, :class:`engine.definition.Text`)."""

    def get(self, locale: str | None) -> str: ...


def is_localized(value: Any) -> bool:
    """Whether ``value`` is :class:`Localized` (has a ``get``), as ``isinstance`` would say: a runtime
    protocol check costs tens of microseconds, and messages are rendered by the thousand (notices)."""
    return callable(getattr(value, "get", None))


@dataclass(frozen=True)
class Label:
    """Something of a cycle named by its key (``iki_1``) and shown by its label (``IKI 1``).

    ``text`` is a cycle label (``Text``), a ``{"id": ..., "en": ...}`` mapping or None when the cycle
    gives none (then the key is all there is).
    """

    key: str
    text: Any = None

    def shown(self, lang: str) -> str:
        """The label in ``lang``, or the key when there is no label."""
        return _localized(self.text, lang) or self.key


class UnknownMessage(KeyError):
    """A message code that no catalogue module of :mod:`engine.messages` declares."""


class Message:
    """A code and its parameters. Equal messages have equal codes and parameters."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: Any) -> None:
        if code not in TEXTS:
            raise UnknownMessage(f"no message '{code}' is declared in engine/messages")
        self.code = code
        self.params: Mapping[str, Any] = params

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.code, dict(self.params)) == (other.code, dict(other.params))

    def __hash__(self) -> int:
        return hash(self.code)

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {dict(self.params)!r})"

    @property
    def text(self) -> MessageText:
        return TEXTS[self.code]

    def english(self) -> str:
        """The English sentence for logs and the CLI's English: keys, not labels; plain numbers; UTC."""
        return render(self, "en", lambda m: TEXTS[m.code].en, _plain, keys=True)

    def as_json(self, *, moments: bool = False) -> dict[str, Any]:
        """``{"code", "params"}`` for an API client: labels as ``{"key", "label": {id, en}}``, times as ISO text.

        With ``moments``, a time is kept as ``{"moment": ISO text}``, which :meth:`from_json` gives back as a time
        (for a message kept to be rendered later, in its reader's time zone: a job's findings)."""
        return {"code": self.code, "params": {k: _json(v, moments) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message | None:
        """A message kept as :meth:`as_json` (a job item's refusal), or None when its code is gone.

        Labels come back as labels; times kept with ``moments`` as times, other times and dates as their ISO text.
        """
        if not isinstance(data, Mapping) or data.get("code") not in TEXTS:
            return None
        return cls(str(data["code"]), **{str(k): _from_json(v) for k, v in (data.get("params") or {}).items()})


@dataclass(frozen=True)
class Bilingual:
    """A text already written in both languages (e.g. an engine refusal, rendered), usable as a message
    parameter and in sets; ``str()`` is the English, for logs."""

    id: str
    en: str

    def get(self, locale: str | None) -> str:
        return self.en if locale == "en" else self.id

    def __str__(self) -> str:
        return self.en

    @classmethod
    def join(cls, items: Sequence[Bilingual], separator: str = "; ") -> Bilingual:
        return cls(separator.join(i.id for i in items), separator.join(i.en for i in items))


def one_of(items: Sequence[Any]) -> Any:
    """Alternatives as a phrase: ``A``, ``A atau B``, ``A, B atau C``; ``tidak seorang pun`` when there are none."""
    if not items:
        return Message("access.nobody")
    if len(items) == 1:
        return items[0]
    return Message("access.or", first=list(items[:-1]), second=items[-1])


def joined(texts: Sequence[Any], separator: str = "; ") -> dict[str, str]:
    """Texts in both languages (``{"id", "en"}`` or cycle labels) joined into one, e.g. a guard's reasons."""
    return {lang: separator.join(_localized(t, lang) for t in texts) for lang in ("id", "en")}


# How a template is found (the catalogue's translation) and how a plain value is written (number,
# time) in a language; the web layer passes gettext and Babel's formats.
Template = Callable[[Message], str]
Format = Callable[[Any, str], str]


def render(message: Message, lang: str, template: Template, fmt: Format, *, keys: bool = False) -> str:
    """``message`` in ``lang``: its template with every parameter written for the reader.

    Labels show their label (their key when ``keys``), nested messages are rendered the same way,
    sequences are joined with commas, and other values go through ``fmt``.
    """
    values = {name: _value(value, lang, template, fmt, keys) for name, value in message.params.items()}
    return template(message) % values


def _value(value: Any, lang: str, template: Template, fmt: Format, keys: bool) -> str:
    if isinstance(value, Message):
        return render(value, lang, template, fmt, keys=keys)
    if isinstance(value, Label):
        return value.key if keys else value.shown(lang)
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) or is_localized(value):
        return _localized(value, lang)
    if isinstance(value, Sequence):
        return ", ".join(_value(v, lang, template, fmt, keys) for v in value)
    return fmt(value, lang)


def _localized(text: Any, lang: str) -> str:
    if text is None:
        return ""
    if isinstance(text, Mapping):
        return str(text.get(lang) or text.get("id") or text.get("en") or "")
    if is_localized(text):
        return str(text.get(lang))
    return str(text)


def _plain(value: Any, _lang: str) -> str:
    """A value for the log: numbers as Python writes them briefly, times in ISO 8601."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _from_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "code" in value and "params" in value:
            return Message.from_json(value) or ""
        if len(value) == 1 and isinstance(value.get("moment"), str):
            try:
                return datetime.fromisoformat(value["moment"])
            except ValueError:
                return value["moment"]
        if "key" in value and isinstance(value.get("label"), Mapping):
            return Label(str(value["key"]), dict(value["label"]))
        return dict(value)
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


def _json(value: Any, moments: bool = False) -> Any:
    if isinstance(value, Message):
        return value.as_json(moments=moments)
    if isinstance(value, Label):
        return {"key": value.key, "label": {"id": value.shown("id"), "en": value.shown("en")}}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): _json(v, moments) for k, v in value.items()}
    if is_localized(value):
        return {"id": value.get("id"), "en": value.get("en")}
    if isinstance(value, Sequence):
        return [_json(v, moments) for v in value]
    if moments and isinstance(value, datetime):
        return {"moment": value.isoformat()}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
