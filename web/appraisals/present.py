"""The appraisal detail as the page shows it: labels in the reader's language, sentences for the
history and for what is missing, numbers as typed in the SKP editor.

Everything here reads an :class:`~engine.detail.AppraisalDetail`; nothing queries the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.checkpoints.chain import EVENT_KIND as CHECKPOINT_EVENT
from engine.definition import CycleDefinition
from engine.detail import AppealSides, AppraisalDetail, HistoryEntry, ResultRow, SkpRow
from web.appraisals.common import state_label
from web.checkpoints import history_detail as checkpoint_detail
from web.checkpoints import history_title as checkpoint_title
from web.filters import current_language, localized, number, provenance_text
from web.forms import BERAKHLAK, payload_fields, payload_items, walk_fields

SKP_FIELDS = ("key", "rhk", "parent_id", "parent_rhk", "label", "aspect", "target", "unit", "weight")
EVENT_KINDS = {"skp": _l("SKP diubah"), "realisation": _l("Realisasi dicatat"),
               "development": _l("Pengembangan kompetensi dicatat"), "feedback": _l("Umpan balik diberikan"),
               "migrate": _l("Dipindahkan ke versi siklus yang baru"), "create": _l("Penilaian dibuat"),
               "enrol": _l("Ditambahkan ke putaran oleh SDM"), "close": _l("Penilaian ditutup oleh SDM"),
               "deadline": _l("Tenggat"),
               "cascade": _l("IKI disusun oleh atasan (cascading)"),
               "expectation": _l("Ekspektasi khusus pimpinan dicatat")}
EDITS = {"skp": ("skp-editor", _l("menyusun SKP")), "realisation": ("realisasi", _l("mencatat realisasi")),
         "development": ("pengembangan", _l("mencatat pengembangan kompetensi"))}
STAGES = {"plan": _l("Perencanaan"), "monitor": _l("Pemantauan"), "rate": _l("Penilaian"), "review": _l("Pemeriksaan"),
          "appeal": _l("Keberatan"), "develop": _l("Pengembangan"), "closed": _l("Selesai")}
DEADLINE_ACTIONS = {"remind": _l("Pengingat: tenggat lewat"), "escalate": _l("Tenggat lewat: diteruskan ke atasan"),
                    "fire": _l("Tenggat lewat")}
COMMENT_KEYS = ("komentar", "alasan", "pertimbangan", "keputusan", "catatan", "note")


def stage_text(detail: AppraisalDetail) -> str:
    """The phase of the year the current state belongs to (perencanaan, pemantauan...), or ""."""
    state = detail.state
    return str(STAGES.get(state.stage, state.stage)) if state and state.stage else ""


def skp_rows(rows: Iterable[SkpRow]) -> list[dict[str, Any]]:
    """The SKP table: each IKI's values and, under them, who supplied each."""
    out = []
    for row in rows:
        live = row.achievement is None and row.live_achievement is not None
        out.append({
            "key": row.key, "label": localized(row.label), "rhk": row.rhk, "parent_rhk": row.parent_rhk or "",
            "parent_id": row.parent_id,
            "aspect": row.aspect, "target": row.target, "unit": row.unit, "weight": row.weight, "fixed": row.fixed,
            "target_by": provenance_text(row.target_by), "realisation": row.realisation,
            "realisation_by": provenance_text(row.realisation_by), "realisations": row.realisations,
            "achievement": row.live_achievement if live else row.achievement, "live": live,
            "achievement_note": localized(row.live_explanation) if live else "",
        })
    return out


def editor_rows(rows: Iterable[SkpRow], locked_roles: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The employee's own IKI as the SKP editor's fields show them (numbers read back as typed).

    An IKI whose target one of ``locked_roles`` set (the leader, for someone who edits other than as the
    leader) is marked ``locked`` with who set it: the editor shows it without fields to change.
    """
    locked = set(locked_roles)
    out: list[dict[str, Any]] = []
    for r in rows:
        if r.fixed:
            continue
        values = {"key": r.key, "rhk": r.rhk, "parent_id": r.parent_id, "parent_rhk": r.parent_rhk or "",
                  "label": r.label.id,
                  "aspect": r.aspect, "target": r.target, "unit": r.unit, "weight": r.weight}
        row: dict[str, Any] = {k: "" if v is None else _shown_target(v) if k == "target" else _plain(v)
                               for k, v in values.items()}
        if r.target_by is not None and r.target_by.role in locked:
            row["locked_by"] = provenance_text(r.target_by)
        out.append(row)
    return out


def keep_locked(posted: list[dict[str, Any]], stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The editor's rows after a refused save: a locked IKI (the leader's) shows its stored values, not
    what the form carried, so the page never presents a change that was not made as if it stood."""
    locked = {row["key"]: row for row in stored if row.get("locked_by")}
    return [locked.get(row.get("key", ""), row) for row in posted]


def _plain(value: Any) -> str:
    """A number for an input field, in the page's language without grouping (reads back the same)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_decimal(value, format="0.######")
    return str(value)


def _shown_target(value: Any) -> str:
    if isinstance(value, list):
        return " - ".join(_plain(v) for v in value)
    return _plain(value)


# An input path naming one IKI: ``achievements[iki_2]``, ``achievements[iki_2].achievement``.
_ONE_INDICATOR = re.compile(r"^\w+\[([^\]]+)\]")


def _input_path(defn: CycleDefinition | None, result: str | None, item: str) -> str:
    """The input path the cycle maps a result's rule input to (``series`` -> ``checkpoints.triwulan[*]...``),
    or ``item`` itself when it names no input of the result."""
    spec = defn.results.get(result) if defn is not None and result is not None else None
    path = spec.inputs.get(item) if spec is not None else None
    if isinstance(path, (list, tuple)) and path:
        path = path[0]
    return path if isinstance(path, str) else item


def missing_text(item: Any, defn: CycleDefinition | None = None, names: Mapping[str, str] | None = None,
                 result: str | None = None) -> str:
    """One thing a result (``result``, by name) waits for: a rule's {id, en} description of it, or its input
    shown by the label it has (a result's, an IKI's, a checkpoint series'), the path itself only when nothing
    names it."""
    if isinstance(item, dict):
        return localized(item)
    if isinstance(item, (list, tuple)) and item:
        return missing_text(item[-1], defn, names, result)
    path = _input_path(defn, result, str(item))
    if defn is not None and path.startswith("checkpoints."):
        series = defn.checkpoint_series(re.split(r"[.\[]", path)[1])
        if series is not None:
            return _("penilaian per %(series)s", series=localized(series.label).lower())
    named = path.removeprefix("results.")
    if defn is not None and named in defn.results:
        return localized(defn.results[named].label)
    found = _ONE_INDICATOR.match(path)
    if found and names and found.group(1) in names:
        return names[found.group(1)]
    return path


def result_rows(rows: Iterable[ResultRow], defn: CycleDefinition | None = None,
                names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The results the reader may see, each with its explanation and what it still waits for (by label)."""
    return [{"label": localized(r.label), "value": r.value, "explanation": localized(r.explanation),
             "missing": [missing_text(m, defn, names, r.name) for m in r.missing], "at": r.computed_at} for r in rows]


def indicator_names(detail: AppraisalDetail) -> dict[str, str]:
    """Each SKP indicator's label in the page's language, by key."""
    return {row.key: localized(row.label) for row in detail.skp}


def weak_point_names(detail: AppraisalDetail, defn: CycleDefinition) -> dict[str, str]:
    """What a development recommendation is for, as people know it, by the key the rule gives: a BerAKHLAK
    value's name (Kolaboratif), a value the cycle's forms rate under its label (Bungo's «Komunikasi»), or an
    IKI's label. Read only when the page lists recommended courses."""
    if not detail.development.recommended:
        return {}
    lang = current_language()
    names = {key: str(label) for key, label in BERAKHLAK.items()}
    for transition in defn.transitions:
        for field in walk_fields(payload_fields(transition.payload_schema, lang)):
            if field.kind == "select":
                names.setdefault(field.key, field.label)
    return {**names, **indicator_names(detail)}


def history_rows(detail: AppraisalDetail) -> list[dict[str, Any]]:
    """The history as a person reads it: when, who as which role, what, from and to, the comment."""
    return [_history_row(detail.defn, e, indicator_names(detail)) for e in detail.history]


def _history_row(defn: CycleDefinition, e: HistoryEntry, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    if e.kind == "deadline":
        what = str(DEADLINE_ACTIONS.get(str(e.trigger), _("Tenggat lewat")))
    elif e.kind == CHECKPOINT_EVENT:
        what = checkpoint_title(defn, e.payload)
    elif e.transition_label is not None:
        what = localized(e.transition_label)
    else:
        what = str(EVENT_KINDS.get(e.kind, e.kind))
    return {
        "when": e.occurred_at,
        "who": (_("Sistem (peran kosong)") if e.payload.get("vacant_role") else _("Sistem (tenggat)")) if e.by_system
        else e.shown_name,
        "role": "" if e.by_system else localized(e.role_label) if e.role_label else (e.role or ""),
        "what": what, "from": state_label(defn, e.from_state), "to": state_label(defn, e.to_state),
        "moved": e.from_state != e.to_state, "comment": event_detail(defn, e.kind, e.payload, names),
    }


def event_detail(defn: CycleDefinition, kind: str, payload: Mapping[str, Any],
                 names: Mapping[str, str] | None = None) -> str:
    """The part of an event's payload a person reads in the history: a comment, a value recorded.

    ``names`` gives the IKI's labels by key (an IKI is never shown by its key)."""
    parts: list[str] = []
    indicator = str(payload.get("indicator") or "")
    indicator = (names or {}).get(indicator) or indicator_label(defn, indicator)
    if kind == "deadline":
        waiting = [localized(defn.roles[r].label) for r in payload.get("waiting_on") or [] if r in defn.roles]
        if waiting:
            parts.append(_("menunggu %(what)s", what=", ".join(waiting)))
        if payload.get("failed"):
            parts.append(str(payload["failed"]))
    elif kind == CHECKPOINT_EVENT or (kind == "realisation" and payload.get("checkpoint")):
        if kind == "realisation":
            parts.append(f"{indicator}: {number(payload.get('value'))}")
        parts.append(checkpoint_detail(defn, kind, payload))
        return " · ".join(p for p in parts if p)
    elif kind == "realisation":
        parts.append(f"{indicator}: {number(payload.get('value'))}")
        if isinstance(payload.get("evidence"), Mapping):
            parts.append(str(payload["evidence"].get("name", "")))
    elif kind == "development":
        parts.append(f"{payload.get('title')} ({number(payload.get('jp'))} JP)")
    elif kind == "migrate":
        parts.append(_("versi %(old)s → %(new)s", old=payload.get("from_version"), new=payload.get("to_version")))
    elif kind == "feedback" and isinstance(payload.get("comment"), str):
        parts.append(payload["comment"])
    elif kind == "transition" and isinstance(payload.get("vacant_role"), str):
        role = payload["vacant_role"]
        parts.append(_("tidak seorang pun memegang peran %(role)s untuk penilaian ini; siklus menetapkan langkah ini "
                       "dijalankan sistem", role=localized(defn.roles[role].label) if role in defn.roles else role))
    parts += [str(payload[k]) for k in COMMENT_KEYS
              if kind != "development" and isinstance(payload.get(k), str) and payload[k]]
    return " · ".join(p for p in parts if p)


def indicator_label(defn: CycleDefinition, key: str) -> str:
    """A fixed indicator of the cycle by its label; an IKI of one's own is "IKI n" (``iki_n``), else the key."""
    for fixed in defn.indicators:
        if fixed.id == key:
            return localized(fixed.label)
    position = key.removeprefix("iki_")
    return f"IKI {position}" if key.startswith("iki_") and position.isdigit() else key


def role_names(defn: CycleDefinition, roles: Iterable[str]) -> str:
    return ", ".join(localized(defn.roles[r].label) if r in defn.roles else str(r) for r in roles)


def gap_rows(detail: AppraisalDetail) -> list[dict[str, Any]]:
    """What the ways out of the current state still wait for, in the reader's language: what is missing,
    which result waits for it, who can supply it and where, and the way back the reader may take."""
    defn, appraisal, fireable = detail.defn, detail.appraisal, detail.fireable
    rows = []
    for gap in detail.gaps:
        waiting = [{"label": localized(defn.results[name].label), "explanation": localized(explanation)}
                   for name, explanation in gap.waiting if name in defn.results]
        if gap.indicators:
            what = _("Realisasi belum dicatat untuk IKI berikut:")
            items = [{"text": localized(i.label) or i.key, "who": role_names(defn, i.supplied_by)}
                     for i in gap.indicators]
        else:
            window = defn.feedback_window(gap.window or "")
            what = _("Umpan balik «%(window)s» baru %(answers)s dari %(wanted)s jawaban yang diperlukan.",
                     window=localized(window.label) if window else gap.window, answers=gap.answers,
                     wanted=gap.wanted)
            items = []
        supplied = dict(gap.suppliers)
        if gap.here:
            who = _("Dapat dicatat sekarang, pada tahap ini, oleh: %(roles)s.",
                    roles=role_names(defn, supplied[appraisal.state]))
        elif supplied:
            who = _("Hanya dapat dicatat pada tahap %(states)s, oleh: %(roles)s.",
                    states=", ".join(f"«{state_label(defn, state)}»" for state in supplied),
                    roles=role_names(defn, dict.fromkeys(r for roles in supplied.values() for r in roles)))
        else:
            who = _("Siklus ini tidak memberi siapa pun hak untuk mencatatnya.")
        back = []
        for trigger in gap.ways_back:
            transition = defn.transition(trigger, appraisal.state)
            if transition is None:
                continue
            back.append({"trigger": trigger, "label": localized(transition.label), "mine": trigger in fireable,
                         "roles": role_names(defn, transition.roles)})
        rows.append({"what": what, "items": items, "waiting": waiting, "who": who, "back": back, "here": gap.here})
    return rows


def appeal_view(appeal: AppealSides | None) -> dict[str, Any] | None:
    """Both statements of an appeal side by side: the rater's rating and results, the employee's appeal."""
    if appeal is None:
        return None
    return {
        "employee": {"label": localized(appeal.employee.label), "items": payload_items(appeal.employee.payload)},
        "rater": [{"label": localized(p.label), "items": payload_items(p.payload)} for p in appeal.rater],
        "results": [{"label": localized(r.label), "value": r.value, "explanation": localized(r.explanation)}
                    for r in appeal.results],
    }
