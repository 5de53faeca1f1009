"""How an appraisal's live rows differ from what its audit chain derives (:func:`differences`), in words.

:mod:`engine.replay` replays the chain; this module compares the replayed appraisal with the rows field by field
(state, version, whose appraisal it is, when it entered each state and its deadline, saved data, SKP, realisations,
results, development, feedback and the rows other modules register), each difference named as
``siklus audit verify`` reports it (docs/audit.md).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from engine.audit_findings import Finding, Names, finding, moment
from engine.definition import CycleDefinition
from engine.feedback_seal import NAMED
from engine.messages import Label, Message
from engine.messages.registry import TEXTS
from engine.moments import utc
from engine.replay import (
    DEVELOPMENT_FIELDS,
    EVENT_MOMENTS,
    EXTRA_ROWS,
    INDICATOR_FIELDS,
    REALISATION_FIELDS,
    RECORDED_AT_SLACK,
    ChainEvent,
    Live,
    ReplayContext,
    Replayed,
    replay,
)
from engine.replay_live import LiveReader


def _shown(value: Any, width: int = 80) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"'{value}'" if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True,
                                                                  default=str)
    return text if len(text) <= width else text[:width - 1] + "…"


def _said(value: Any) -> Message | str:
    """A value as a finding gives it: a missing one (None, empty text) in words, any other as :func:`_shown`."""
    return Message("audit.value_empty") if value is None or value == "" else _shown(value)


#: Fields that name an account (the nominee of a nomination: an employee), a role of the cycle, a moment.
_PEOPLE = frozenset({"set_by_id", "recorded_by_id", "proposed_by_id", "decided_by_id", "nominee_id"})
_ROLES = frozenset({"set_role", "supplied_role", "role"})
_MOMENTS = frozenset({"set_at", "recorded_at", "proposed_at", "decided_at", "completed_at"})


class _Words:
    """A row's field value as the HR officer reads it: a person by name (:class:`Names`), a role by its label in
    the appraisal's cycle (its key in the log), a moment as a moment, a value the catalogue has words for
    (``<field codes><field>.<value>``: a status) in words, nothing as nothing."""

    def __init__(self, names: Names, definition: CycleDefinition | None) -> None:
        self.names, self.definition = names, definition

    def __call__(self, field: str, value: Any, codes: str = "audit.field.") -> Any:
        if field in _PEOPLE:
            if value is None:
                return Message("access.nobody")
            if not isinstance(value, int):
                return str(value)  # already a person (engine.nomination_chain.Person)
            if field == "nominee_id":
                return self.names.employee(value) or Message("audit.employee_gone", id=str(value))
            return self.names.user(value) or Message("audit.login_gone", id=str(value))
        if field in _MOMENTS:
            if value is None:
                return Message("audit.no_moment")
            try:
                return moment(utc(value).replace(microsecond=0))
            except (TypeError, ValueError):
                return _shown(value)
        if field in _ROLES and isinstance(value, str) and value:
            roles = self.definition.roles if self.definition is not None else {}
            return Label(value, roles[value].label if value in roles else None)
        if isinstance(value, str) and f"{codes}{field}.{value}" in TEXTS:
            return Message(f"{codes}{field}.{value}")
        return _said(value)

    def state(self, key: str | None) -> Label | Message:
        """A state by its label in the appraisal's cycle (its key in the log); none as empty."""
        if key is None or key == "":
            return Message("audit.value_empty")
        states = self.definition.states if self.definition is not None else {}
        return Label(str(key), states[key].label if key in states else None)


def _same_moment(stored: Any, chained: Any) -> bool:
    """A row's moment against its event's: both missing, the same text, or near (see _near)."""
    return stored == chained or (stored is not None and chained is not None and _near(stored, chained))


def _same(a: Any, b: Any) -> bool:
    """Equal as stored JSON (1 and 1.0 alike; tuples as lists).

    Values equal by ``==`` are the same here, so :func:`differences` looks closer only where ``==`` fails.
    """
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _rows(live: Sequence[tuple[int, dict[str, Any]]], derived: Sequence[dict[str, Any]],
          fields: Sequence[str], name: Callable[[int | None, dict[str, Any]], Message], words: _Words,
          field_codes: str = "audit.field.") -> list[Finding]:
    """Rows of one kind against the chain's; ``name`` names a row (with its id, or as the chain recorded it),
    ``field_codes`` its fields (see _field), ``words`` their values."""
    if not live and not derived:
        return []
    if len(live) == len(derived) and all(row == chained or _equal_but_id(row, chained)
                                         for (_id, row), chained in zip(live, derived, strict=True)):
        return []  # equal rows (as dicts) have equal fields; see _same
    out = []

    def named(row_id: int | None, row: dict[str, Any]) -> Message:  # its roles by their labels
        return name(row_id, {**row, **{f: words(f, row[f], field_codes) for f in _ROLES.intersection(row)
                                       if isinstance(row[f], str) and row[f]}})

    for mine, theirs in _aligned([row for _id, row in live], derived, fields):
        if mine is None:
            if theirs is not None:
                out.append(finding("audit.row_missing", row=named(None, derived[theirs])))
        elif theirs is None:
            row_id, row = live[mine]
            out.append(finding("audit.row_extra", row=named(row_id, row)))
        else:
            (row_id, row), chained = live[mine], derived[theirs]
            out.extend(finding("audit.row_differs", row=named(row_id, row), field=_field(f, field_codes),
                               live=words(f, row.get(f), field_codes),
                               chain=words(f, chained.get(f), field_codes))
                       for f in fields if not (_same_moment(row.get(f), chained.get(f)) if f in EVENT_MOMENTS
                                               else _same(row.get(f), chained.get(f))))
    return out


def _equal_but_id(row: dict[str, Any], chained: dict[str, Any]) -> bool:
    """Whether a live row equals its chained row but for the chained row's ``_id`` (the id a development
    activity's later events name it by, which replay keeps with the row and the live row has no field for)."""
    return (len(chained) == len(row) + 1 and "_id" in chained and "_id" not in row
            and row.items() <= chained.items())


def _field(name: str, codes: str = "audit.field.") -> Message | str:
    """A row's field as a problem names it: its column, in Bahasa Indonesia where the catalogue has it (under
    ``codes``)."""
    code = f"{codes}{name}"
    return Message(code) if code in TEXTS else name


def _realisation(row_id: int | None, row: Mapping[str, Any]) -> Message:
    key = str(row.get("indicator_key"))
    if row_id is None:
        return Message("audit.realisation", key=key)
    return Message("audit.realisation_row", id=str(row_id), key=key)


def _development(row_id: int | None, row: Mapping[str, Any]) -> Message:
    title = str(row.get("title"))
    if row_id is None:
        return Message("audit.development", title=title)
    return Message("audit.development_row", id=str(row_id), title=title)


def _aligned(live: Sequence[Mapping[str, Any]], derived: Sequence[Mapping[str, Any]],
             fields: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """The live rows paired with the chain's, in order: a row deleted from (or added to) the middle is named
    alone, not as every later row differing from its neighbour's event. As many rows as events pair in order (a
    changed row is named field by field); otherwise rows equal in every field pair first, between them rows pair
    up in order, and the rest stand alone."""
    if len(live) == len(derived):
        return [(i, i) for i in range(len(live))]

    # A row's moment may lie near its event's without being it: rows pair by what they say.
    said = [f for f in fields if f not in EVENT_MOMENTS]

    def key(row: Mapping[str, Any]) -> str:
        return json.dumps([row.get(f) for f in said], sort_keys=True, default=str)

    matcher = difflib.SequenceMatcher(None, [key(r) for r in live], [key(r) for r in derived], autojunk=False)
    pairs: list[tuple[int | None, int | None]] = []
    for _tag, a_low, a_high, b_low, b_high in matcher.get_opcodes():
        common = min(a_high - a_low, b_high - b_low)
        pairs.extend((a_low + i, b_low + i) for i in range(common))
        pairs.extend((a, None) for a in range(a_low + common, a_high))
        pairs.extend((None, b) for b in range(b_low + common, b_high))
    return pairs


def _keys_to_compare(live: Mapping[str, Any], chained: Mapping[str, Any]) -> list[str]:
    """The keys of both, in order, to compare one by one; none when the two are equal (see _same)."""
    return [] if live == chained else sorted(set(live) | set(chained))


def _same_results(live: Live, replayed: Replayed) -> bool:
    """Whether every result has the value and the missing inputs the chain says (by ``==``; see _same)."""
    chained = replayed.results
    if live.results.keys() != chained.keys():
        return False
    for key, row in live.results.items():
        found = chained[key]
        if not (row["value"] == found.get("value") and row["missing"] == (found.get("missing") or [])
                and row.get("explanation") == found.get("explanation")
                and row.get("details", {}) == (found.get("details") or {})):
            return False
    return True


def _result_times(live: Live, replayed: Replayed) -> list[Finding]:
    """When each result says it was computed, against the moment of the last event that carried it (the writer
    stores every result an event carries at the event's moment); one the chain never carried is named as such
    (audit.result_extra) and has no moment to hold to."""
    chained = replayed.computed_at
    out = []
    for key, row in live.results.items():
        stored, at = row.get("computed_at"), chained.get(key)
        if stored != at and at is not None and not _same_moment(stored, at):
            out.append(finding("audit.result_time", key=key, stored=_when(stored), chain=_when(at)))
    return out


def _realisation_times(live: Live, replayed: Replayed) -> list[Finding]:
    """When each realisation says it was recorded, against its event's moment. The rows' moments are read as the
    chain reader gives an event's (engine.replay_live): where every row's is its event's text, nothing is parsed."""
    if live.recorded_at == replayed.recorded_at:
        return []
    out = []
    # A pair with one side missing is passed over: with either side empty, every pair is.
    pairs = (_aligned([row for _id, row in live.realisations], replayed.realisations, REALISATION_FIELDS)
             if live.realisations and replayed.realisations else [])
    for mine, theirs in pairs:
        if mine is None or theirs is None or mine >= len(live.recorded_at) or theirs >= len(replayed.recorded_at):
            continue
        row_id, stored_at, chained_at = live.realisations[mine][0], live.recorded_at[mine], replayed.recorded_at[theirs]
        if stored_at != chained_at and not _near(stored_at, chained_at):
            out.append(finding("audit.realisation_time", id=row_id, stored=_when(stored_at), chain=_when(chained_at)))
    return out


def _when(at: datetime | str | None) -> str | Message:
    """A moment of the timeline as the HR audit page shows every moment (the agency's time; UTC in the log)."""
    try:
        return moment(utc(at).replace(microsecond=0)) if at is not None else Message("audit.no_moment")
    except (TypeError, ValueError):
        return _shown(str(at))


def _near(stored: datetime | str | None, chained: datetime | str) -> bool:
    """Whether a row's moment is its event's (taken in the same unit of work)."""
    try:
        return stored is not None and abs(utc(stored) - utc(chained)) <= RECORDED_AT_SLACK
    except (TypeError, ValueError):
        return False


def _expected_due(live: Live, replayed: Replayed, defn: CycleDefinition | None) -> tuple[bool, datetime | None]:
    """When the current state's deadline falls by the chain: (known, moment). Not known for a deadline counted
    in working days (the holiday calendar may have changed since) or without the definition or the state's entry."""
    if live.closed_kind is not None or replayed.closed_kind is not None:
        return False, None  # no sweep reads a closed appraisal's deadline (one closed before events may keep it)
    state = defn.states.get(live.state) if defn is not None else None
    entered = replayed.entered.get(live.state)
    if state is None or entered is None:
        return False, None
    deadline = state.deadline
    if deadline is None:
        return True, None
    if deadline.within is not None:
        if deadline.within.working_days:
            return False, None
        return True, utc(entered) + timedelta(hours=deadline.within.hours)
    if live.run_bounds is None or (deadline.offset is not None and deadline.offset.working_days):
        return False, None
    base = utc(live.run_bounds[1] if deadline.at == "period_end" else live.run_bounds[0])
    return True, base + timedelta(hours=deadline.offset.hours) if deadline.offset is not None else base


def _timing_differences(live: Live, replayed: Replayed, context: ReplayContext, words: _Words) -> list[Finding]:
    """When the row says it entered each state (what a time window such as the appeal's counts from), its
    current one, and when its deadline falls (what the sweep fires on), against the chain's moments."""
    out = []
    for state in sorted(set(replayed.entered) | (set(live.state_entries) if replayed.began else set())):
        stored, chained = live.state_entries.get(state), replayed.entered.get(state)
        if chained is None:
            out.append(finding("audit.entered_never", state=words.state(state), stored=_when(stored)))
        elif stored is None:
            out.append(finding("audit.entered_untimed", state=words.state(state), chain=_when(chained)))
        elif not (_same_text(stored, chained) or _near(_moment(stored), chained)):
            out.append(finding("audit.entered_at", state=words.state(state), stored=_when(stored),
                               chain=_when(chained)))
    current = replayed.entered.get(live.state)
    if (current is not None and live.entered_at is not None
            and not (_same_text(live.entered_at, current) or _near(_moment(live.entered_at), current))):
        out.append(finding("audit.entered_current", stored=_when(live.entered_at), chain=_when(current)))
    known, due = _expected_due(live, replayed, context.definition(replayed.content_hash))
    stored_due = _moment(live.due_at)
    if known and (stored_due is not None if due is None else not _near(stored_due, due)):
        none = Message("audit.no_deadline")
        out.append(finding("audit.deadline", stored=_when(live.due_at) if live.due_at else none,
                           chain=_when(due) if due is not None else none))
    defn = context.definition(replayed.content_hash)
    spec = defn.states.get(live.state) if defn is not None else None
    if (replayed.claimed is not None and live.handled != replayed.claimed and live.closed_kind is None
            and live.due_at is not None and spec is not None and spec.deadline is not None):
        # Claimed without a recorded reminder, escalation or fire: the sweep passes it by for ever (the step
        # it fires never happens). Unclaimed after one: it is reminded, escalated or fired again.
        out.append(finding("audit.deadline_claimed" if live.handled else "audit.deadline_unclaimed",
                           due=_when(live.due_at)))
    return out


def _same_text(stored: str, chained: Any) -> bool:
    """Whether a row's ISO text in UTC (``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``, as the rows are read) names exactly
    the moment of the chain's text (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC, as a hashed event gives it): the two
    then read as one moment, which is near itself (what :func:`_near` says of them, without reading both)."""
    if type(chained) is not str or len(chained) != 26 or type(stored) is not str or len(stored) != 32:
        return False
    if not (stored[26:] == "+00:00" and stored[10] == "T" and chained[10] == " " and stored[:10] == chained[:10]
            and stored[11:26] == chained[11:]):
        return False
    try:
        _parse(chained)  # a moment (then the row's text is one too)
    except ValueError:
        return False
    return True


_parse = datetime.fromisoformat


def _moment(text: str | None) -> datetime | None:
    try:
        return utc(text) if text else None
    except (TypeError, ValueError):
        return None


def _identity_differences(live: Live, replayed: Replayed, reader: LiveReader) -> list[Finding]:
    """Whose appraisal it is, in which run, period and cycle: the row against its chain and its run."""
    out = []
    if replayed.employee_id is not None and live.employee_id != replayed.employee_id:
        names = reader.names
        out.append(finding("audit.employee", live=names.employee(live.employee_id) or f"#{live.employee_id}",
                           chain=names.employee(replayed.employee_id) or f"#{replayed.employee_id}"))
    if replayed.run_id is not None and live.run_id != replayed.run_id:
        out.append(finding("audit.run", live=live.run_id, chain=replayed.run_id) if live.run_id is not None
                   else finding("audit.run_none", chain=replayed.run_id))
    if live.period != (replayed.period or live.run_period):
        out.append(finding("audit.period", live=_said(live.period), chain=_said(replayed.period or live.run_period)))
    if live.row_cycle_id != (replayed.cycle_id or live.cycle_id):
        out.append(finding("audit.cycle", live=_said(live.row_cycle_id),
                           chain=_said(replayed.cycle_id or live.cycle_id)))
    return out


def _closing(kind: str | None) -> Message:
    """Open, or closed and why: the kind in words where the catalogue has them (its key in the log)."""
    if kind is None:
        return Message("audit.open")
    code = next((c for c in (f"closed.{kind}", f"audit.closed_kind.{kind}") if c in TEXTS), None)
    text = TEXTS[code] if code is not None else None
    return Message("audit.closed_as", kind=Label(str(kind), {"id": text.id, "en": text.en} if text else None))


def differences(appraisal_id: int, events: Sequence[ChainEvent], live: Live | None,
                reader: LiveReader) -> list[Finding]:
    """Each way the appraisal's live rows differ from what its chain derives, in words."""
    if live is None:
        return []
    if not events:
        return [finding("audit.no_chain")]
    replayed = replay(appraisal_id, events, reader.context, live)
    words = _Words(reader.names, reader.context.definition(replayed.content_hash or live.content_hash))
    out = list(replayed.problems)
    if replayed.state != live.state:
        out.append(finding("audit.state", live=words.state(live.state), chain=words.state(replayed.state)))
    if replayed.closed_kind != live.closed_kind:
        out.append(finding("audit.closing", live=_closing(live.closed_kind), chain=_closing(replayed.closed_kind)))
    if (live.cycle_id, live.version, live.content_hash) != (replayed.cycle_id or live.cycle_id, replayed.version,
                                                            replayed.content_hash):
        out.append(finding("audit.version", cycle=live.cycle_id, version=live.version,
                           chain_cycle=replayed.cycle_id or live.cycle_id, chain_version=replayed.version))
    out.extend(_identity_differences(live, replayed, reader))
    out.extend(_timing_differences(live, replayed, reader.context, words))
    for key in _keys_to_compare(live.data, replayed.data):
        if key not in replayed.data:
            out.append(finding("audit.data_extra", key=key))
        elif key not in live.data:
            out.append(finding("audit.data_missing", key=key))
        elif not _same(live.data[key], replayed.data[key]):
            out.append(finding("audit.data_differs", key=key, live=_said(live.data[key]),
                               chain=_said(replayed.data[key])))
    for key in _keys_to_compare(live.indicators, replayed.indicators):
        row, chained = live.indicators.get(key), replayed.indicators.get(key)
        if chained is None:
            out.append(finding("audit.indicator_extra", key=key))
        elif row is None:
            out.append(finding("audit.indicator_missing", key=key))
        else:
            out.extend(finding("audit.indicator_differs", key=key, field=_field(f), live=words(f, row[f]),
                               chain=words(f, chained[f]))
                       for f in INDICATOR_FIELDS if not _same(row[f], chained[f]))
    out.extend(_rows(live.realisations, replayed.realisations, REALISATION_FIELDS, _realisation, words))
    out.extend(_realisation_times(live, replayed))
    for key in [] if _same_results(live, replayed) else sorted(set(live.results) | set(replayed.results)):
        row, chained = live.results.get(key), replayed.results.get(key)
        if chained is None:
            out.append(finding("audit.result_extra", key=key))
        elif row is None:
            out.append(finding("audit.result_missing", key=key))
        else:
            if not _same(row["value"], chained.get("value")):
                out.append(finding("audit.result_value", key=key, live=_said(row["value"]),
                                   chain=_said(chained.get("value"))))
            if not _same(row["missing"], chained.get("missing") or []):
                out.append(finding("audit.result_lacks", key=key, live=_shown(row["missing"]),
                                   chain=_shown(chained.get("missing") or [])))
            for part, chain_part in (("explanation", chained.get("explanation")),
                                     ("details", chained.get("details") or {})):
                if part in row and not _same(row[part], chain_part):
                    out.append(finding("audit.result_said", key=key, part=Message(f"audit.result_{part}"),
                                       live=_said(row[part]), chain=_said(chain_part)))
    out.extend(_result_times(live, replayed))
    out.extend(_rows(live.development, replayed.development, DEVELOPMENT_FIELDS, _development, words))
    for what, extra in EXTRA_ROWS.items():
        out.extend(_rows(live.extra.get(what, []), replayed.extra.get(what, []), extra.fields, extra.name, words,
                         extra.field_codes))
    for window in _keys_to_compare(live.feedback, replayed.feedback):
        if live.feedback[window] != replayed.feedback[window]:
            out.append(finding("audit.feedback", window=window, live=live.feedback[window],
                               chain=replayed.feedback[window]))
    out.extend(replayed.seals.differences(live.seals))
    out.extend(_answer_times(live, replayed, words))
    return out


def _answer_times(live: Live, replayed: Replayed, words: _Words) -> list[Finding]:
    """When each named 360 answer says it was given (what the appraised employee reads beside it), against the
    moment of the event that stored it (the writer stores both at one moment). An answer whose seal the chain does
    not hold is named as altered (engine.feedback_seal) and has no moment to hold to; an anonymous window's answers
    show no moment and are passed by."""
    out = []
    given_at = replayed.seals.given_at
    for row_id, window, seal, user_id, stored in live.named_answers:
        chained = given_at.get((window, seal[:-1])) if seal.endswith(NAMED) else None
        if chained is not None and stored != chained and not _same_moment(stored, chained):
            found = words.definition.feedback_window(window) if words.definition is not None else None
            out.append(finding("audit.feedback_time", id=row_id,
                               window=Label(window, found.label if found is not None else None),
                               respondent=words("recorded_by_id", user_id), stored=_when(stored),
                               chain=_when(chained)))
    return out


__all__ = ["differences"]
