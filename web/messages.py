"""Engine messages, numbers and times in the reader's language: the one renderer of the screens, the
PDF, the API's ``text`` and the CLI.

A :class:`engine.messages.Message` names its Indonesian template (the catalogue's msgid); English comes
from the compiled English catalogue (``web/translations``), so a translator's correction there wins.
Numbers are written as the language writes them (1.234,5 in Indonesian), times in the agency's zone
(``SIKLUS_TIMEZONE``) with its local name (WIB, WITA, WIT). Nothing here needs a request: the CLI
renders with the language of its ``--lang`` option.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from engine.audit_findings import message_of
from engine.calendar import local_zone
from engine.errors import Problem, SiklusError
from engine.messages import Message, render
from rules.numbers import is_number, round_half_up

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("id", "en")


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


_YES, _NO = N_("ya"), N_("tidak")


@cache
def catalogue(lang: str) -> NullTranslations:
    """The compiled catalogue of ``lang`` (Indonesian is the msgid itself: no catalogue)."""
    if lang == "id":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [lang])


def _template(lang: str) -> Any:
    def template(message: Message) -> str:
        return catalogue(lang).ugettext(message.text.id)
    return template


def message_text(message: Message, lang: str) -> str:
    """``message`` in ``lang``, its parameters written for the reader (labels, numbers, local times)."""
    return render(message, lang, _template(lang), format_value)


def error_message(exc: SiklusError, lang: str) -> str | None:
    """The sentence of an engine error in ``lang`` when it carries one (a coded message or ``text``)."""
    if exc.msg is not None:
        return message_text(exc.msg, lang)
    text = exc.details.get("text")
    if isinstance(text, dict):
        return str(text.get(lang) or text.get("id") or text.get("en") or "")
    return None


def problem_text(problem: Problem, lang: str) -> str:
    """A cycle-file problem's sentence in ``lang``."""
    return message_text(problem.msg, lang)


def finding_text(problem: str | None, lang: str) -> str:
    """A problem the audit verification found (:class:`engine.audit_findings.Finding`) in ``lang``; a plain
    sentence as it is."""
    if problem is None:
        return ""
    message = message_of(problem)
    return message_text(message, lang) if isinstance(message, Message) else message


def coded_json(message: Message) -> dict[str, Any]:
    """``{"code", "params", "text": {id, en}}`` of a coded message, for an API client."""
    return {**message.as_json(), "text": {lang: message_text(message, lang) for lang in LANGUAGES}}


def problem_json(problem: Problem) -> dict[str, Any]:
    """A cycle-file problem for the API: where, the English ``message`` (as ``siklus validate`` prints it),
    its code and parameters, and its sentence in each language."""
    return {"line": problem.line, "col": problem.col, "message": problem.message, **coded_json(problem.msg)}


def number_text(value: int | float | Decimal, lang: str) -> str:
    """A number as ``lang`` writes it, at most two decimals rounded half up as the engine's explanations write
    them (rules.numbers.fmt; Babel alone rounds half to even, 100,005 to 100): 1.234,5 (id), 1,234.5 (en)."""
    if not is_number(value):  # infinity or not-a-number: Babel writes its sign
        return format_decimal(value, format="#,##0.##", locale=lang)
    rounded = round_half_up(value, 2)
    return format_decimal(rounded if rounded else abs(rounded), format="#,##0.##", locale=lang)  # never "-0"


def zone_name(moment: datetime) -> str:
    """The local name of the zone at ``moment`` (WIB, WITA, WIT), or its UTC offset elsewhere."""
    name = moment.tzname() or ""
    return name if name.isalpha() else "UTC" + (name if name.startswith(("+", "-")) else "")


def local_time(moment: datetime | None, lang: str, with_time: bool = True) -> str:
    """A moment in the agency's zone with its name ("3 Mar 2026, 10.00 WITA"), or only its date."""
    if moment is None:
        return "–"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shown = moment.astimezone(local_zone())
    if not with_time:
        return format_datetime(shown, "d MMM yyyy", locale=lang)
    return f"{format_datetime(shown, 'd MMM yyyy, HH.mm', locale=lang)} {zone_name(shown)}"


def format_value(value: Any, lang: str) -> str:
    """A message parameter that is not a text: a number, a moment, a date."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return catalogue(lang).ugettext(_YES if value else _NO)
    if isinstance(value, (int, float, Decimal)):
        return number_text(value, lang)
    if isinstance(value, datetime):
        return local_time(value, lang)
    if isinstance(value, date):
        return format_date(value, "d MMM yyyy", locale=lang)
    return str(value)
