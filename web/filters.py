"""How values are written on a page, in its language: cycle labels, numbers, times, deadlines and who
supplied a value. Each is a Jinja filter (``{{ value|number }}``) and a plain function the views and
the PDF call; :func:`init_app` registers them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from engine.calendar import local_zone
from engine.definition import Text
from engine.errors import Problem, SiklusError
from engine.messages import Message
from engine.models import utcnow
from engine.provenance import CYCLE_SOURCE, Provenance, source_label
from web import messages
from web.messages import N_

__all__ = ["N_", "current_language", "local_time", "localized", "message", "number", "provenance_text",
           "time_left", "zone"]


def current_language() -> str:
    """The page's language code ("id" or "en")."""
    return str(get_locale() or "id")


def message(value: Message | SiklusError | Problem | str | None) -> str:
    """An engine message, a refusal, a cycle-file problem or a problem the audit verification found
    (:class:`engine.audit_findings.Finding`) in the page's language."""
    if value is None:
        return ""
    lang = current_language()
    if isinstance(value, Message):
        return messages.message_text(value, lang)
    if isinstance(value, Problem):
        return messages.problem_text(value, lang)
    if isinstance(value, str):
        return messages.finding_text(value, lang)
    return messages.error_message(value, lang) or value.message


def zone() -> str:
    """The local name of the agency's zone now (WIB, WITA, WIT), for "times in WITA" notes."""
    return messages.zone_name(datetime.now(UTC).astimezone(local_zone()))


def localized(value: Any) -> str:
    """A cycle label (Text), an explanation ({id, en}), a coded message or a plain string, in the page's
    language."""
    if value is None:
        return ""
    lang = current_language()
    if isinstance(value, Message):
        return messages.message_text(value, lang)
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or value.get("en") or "")
    return str(value)


def number(value: Any) -> str:
    """A number as people write it in the page's language (70,5 in Indonesian); a range as a – b."""
    if value is None or value == "":
        return "–"
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            return " – ".join(number(v) for v in value)
        return "; ".join(number(v) for v in value) if value else "–"
    if isinstance(value, dict):
        # A structured result (e.g. a recommended course): its title, or its fields as "name: value".
        for key in ("title", "label", "name"):
            if key in value:
                return localized(value[key])
        if set(value) <= {"id", "en"}:
            return localized(value)
        return "; ".join(f"{k}: {number(v)}" for k, v in value.items())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return messages.number_text(value, current_language())


def local_time(moment: datetime | None, with_time: bool = True) -> str:
    """A moment in the agency's zone, ``SIKLUS_TIMEZONE`` ("3 Mar 2026, 10.00 WITA"), or only its date."""
    return messages.local_time(moment, current_language(), with_time)


def time_left(moment: datetime | None, now: datetime | None = None) -> dict[str, Any] | None:
    """Days left before a deadline, or days overdue, as a short sentence and a flag."""
    if moment is None:
        return None
    now = now or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = (moment - now).total_seconds()
    days = int(abs(seconds) // 86400)
    if seconds < 0:
        words = ngettext("terlambat %(num)d hari", "terlambat %(num)d hari", days) if days else _("lewat hari ini")
        return {"text": words, "overdue": True}
    if days == 0:
        return {"text": _("berakhir hari ini"), "overdue": False}
    return {"text": ngettext("%(num)d hari lagi", "%(num)d hari lagi", days), "overdue": False}


def provenance_text(found: Provenance | None) -> str:
    """Who or what supplied a value, as a person reads it: "oleh Rina (Pegawai), 3 Mar 2026, 10.00 WIB"."""
    if found is None:
        return ""
    if found.source == CYCLE_SOURCE:
        return _("ditetapkan dalam berkas siklus")
    if found.source is not None:
        return _("sistem: %(source)s", source=localized(source_label(found.source)))
    who = found.name or _("pengguna tidak dikenal")
    if found.role_label is not None:
        who = f"{who} ({localized(found.role_label)})"
    if found.at is None:
        return _("oleh %(who)s", who=who)
    return _("oleh %(who)s, %(when)s", who=who, when=local_time(found.at))


def current_page() -> str:
    """Where the language switch returns to: this page, or for a form post the page it came from."""
    if request.method == "GET":
        query = request.query_string.decode()
        return request.path + (f"?{query}" if query else "")
    return str(g.get("page_url") or request.path)


def has_page(endpoint: str) -> bool:
    """Whether the app serves ``endpoint`` (the menu shows only areas that exist)."""
    return endpoint in current_app.view_functions


# Filter name -> function; templates may also call each by the same name.
FILTERS = {"t": localized, "number": number, "local_time": local_time, "time_left": time_left,
           "provenance": provenance_text, "message": message}


def init_app(app: Flask) -> None:
    """Register the filters, and give every template the page's language, its address and the menu test."""
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(FILTERS, has_page=has_page, zone=zone)

    @app.context_processor
    def page_context() -> dict[str, Any]:
        return {"lang": current_language(), "here": current_page()}
