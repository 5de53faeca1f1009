"""The appraisal screens: home (my appraisals and what waits for me), the appraisal page with one form
per transition I may fire now, the SKP editor, realisation with evidence, and development.

Each view parses input, calls one engine service and shows the result; who may do what is decided
by :class:`engine.policy.Policy` only. A refused or failed step shows the page again
with the input kept and the engine's reason next to the form.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from engine.access import Waiting, hr_scope, open_appraisal, waiting_for
from engine.appraisals import (
    AvailableTransition,
    Evidence,
    available_transitions,
    fire_transition,
    preview_results,
    record_development,
    record_realisation,
    set_skp,
    window_closes_at,
)
from engine.checkpoints.chain import EVENT_KIND as CHECKPOINT_EVENT
from engine.definition import CycleDefinition, TransitionDef
from engine.errors import Conflict, Forbidden, InvalidInput, InvalidPayload, NotFound, SiklusError
from engine.feedback import (
    MAX_COMMENT,
    Question,
    feedback_summaries,
    feedback_to_give,
    give_feedback,
    is_anonymous_answer,
    own_answer,
    questions_of,
)
from engine.insight import indicator_achievements
from engine.limits import EVIDENCE_FILE, parse_id
from engine.models import (
    Appraisal,
    AuditEvent,
    CycleDefinitionRecord,
    CycleRun,
    DevelopmentActivity,
    Employee,
    Indicator,
    Realisation,
    Result,
    User,
    utcnow,
)
from engine.permissions import SYSTEM_ROLE, Actor
from engine.policy import Policy
from engine.provenance import realisable_keys, realisation_provenance, system_provenance, target_provenance
from engine.readiness import gaps
from engine.registry import definition_of
from web.checkpoints import history_detail as checkpoint_detail
from web.checkpoints import history_title as checkpoint_title
from web.checkpoints import page_context as checkpoint_page
from web.extensions import db
from web.forms import (
    PayloadField,
    feedback_answers_from,
    field_messages,
    number_text,
    payload_fields,
    payload_from,
    payload_items,
    posted_values,
)
from web.inputs import content_disposition, query_id
from web.views import current_language, error_text, localized, number, provenance_text

bp = Blueprint("appraisals", __name__)

WAITING_SHOWN = 50           # rows of "waiting for me" on the home page
CANDIDATES_EXAMINED = 2000   # appraisals looked at to fill them
MAX_EVIDENCE = EVIDENCE_FILE.max_bytes
# Evidence types by content signature; the extension must agree with the content.
SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf", ("pdf",)),
    (b"\xff\xd8\xff", "jpg", "image/jpeg", ("jpg", "jpeg")),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png", ("png",)),
)
SKP_FIELDS = ("key", "rhk", "parent_rhk", "label", "aspect", "target", "unit", "weight")
ASPECTS = ("kuantitas", "kualitas", "waktu")
EVENT_KINDS = {"skp": _l("SKP diubah"), "realisation": _l("Realisasi dicatat"),
               "development": _l("Pengembangan kompetensi dicatat"), "feedback": _l("Umpan balik diberikan"),
               "migrate": _l("Dipindahkan ke versi siklus yang baru"), "create": _l("Penilaian dibuat"),
               "enrol": _l("Ditambahkan ke putaran oleh SDM"), "close": _l("Penilaian ditutup oleh SDM"),
               "deadline": _l("Tenggat")}
EDITS = {"skp": ("skp-editor", _l("menyusun SKP")), "realisation": ("realisasi", _l("mencatat realisasi")),
         "development": ("pengembangan", _l("mencatat pengembangan kompetensi"))}
STAGES = {"plan": _l("Perencanaan"), "monitor": _l("Pemantauan"), "rate": _l("Penilaian"), "review": _l("Pemeriksaan"),
          "appeal": _l("Keberatan"), "develop": _l("Pengembangan"), "closed": _l("Selesai")}
DEADLINE_ACTIONS = {"remind": _l("Pengingat: tenggat lewat"), "escalate": _l("Tenggat lewat: diteruskan ke atasan"),
                    "fire": _l("Tenggat lewat")}
COMMENT_KEYS = ("komentar", "alasan", "pertimbangan", "keputusan", "catatan", "note")


def _db() -> Session:
    """This request's session (the engine's services take a plain SQLAlchemy session)."""
    return db.session()


def _actor() -> Actor:
    actor: Actor = current_user.actor
    return actor


# -- home ----------------------------------------------------------------------------------------

@dataclass
class Row:
    """One appraisal on the home page."""

    appraisal: Appraisal
    defn: CycleDefinition
    actions: list[AvailableTransition] = field(default_factory=list)
    edits: list[tuple[str, str]] = field(default_factory=list)  # (anchor on the page, what)


def _waiting_for(actor: Actor, policy: Policy) -> tuple[list[Row], bool]:
    """Appraisals of others where the actor may fire a transition now, oldest deadline first."""
    waiting, more = waiting_for(_db(), actor, policy, limit=WAITING_SHOWN, examined=CANDIDATES_EXAMINED)
    return [Row(w.appraisal, w.defn, w.actions) for w in waiting], more


@dataclass
class StateCount:
    """How many appraisals are in one state, and how many of them are past their deadline."""

    state: str
    count: int
    overdue: int


def _hr_summary(actor: Actor) -> list[tuple[str, list[StateCount]]] | None:
    """Appraisals in the HR officer's units by cycle and state (one grouped query); None for non-HR."""
    scope = hr_scope(_db(), actor)
    if not scope.any:
        return None
    overdue = func.sum(case((Appraisal.due_at < utcnow(), 1), else_=0))
    stmt = (select(Appraisal.definition_id, Appraisal.state, func.count(), overdue)
            .join(Appraisal.employee).group_by(Appraisal.definition_id, Appraisal.state))
    if not scope.every_unit:
        stmt = stmt.where(Employee.unit_id.in_(scope.unit_ids))
    counts = _db().execute(stmt).all()
    records = {r.id: r for r in _db().scalars(
        select(CycleDefinitionRecord).where(CycleDefinitionRecord.id.in_({c[0] for c in counts})))}
    out: list[tuple[str, list[StateCount]]] = []
    for record_id, record in sorted(records.items()):
        defn = definition_of(record)
        here = {state: (n, late or 0) for rid, state, n, late in counts if rid == record_id}
        rows = [StateCount(localized(spec.label), *here[name]) for name, spec in defn.states.items() if name in here]
        out.append((f"{localized(defn.title)} · {_('versi')} {defn.version}", rows))
    return out


@bp.get("/")
@login_required
def home() -> str:
    actor = _actor()
    policy = Policy(_db(), actor)
    mine: list[Row] = []
    if actor.employee_id is not None:
        stmt = (
            select(Appraisal).join(Appraisal.run)
            .where(Appraisal.employee_id == actor.employee_id)
            .options(joinedload(Appraisal.employee).joinedload(Employee.supervisor),
                     joinedload(Appraisal.run), joinedload(Appraisal.definition))
            .order_by(CycleRun.period_start.desc(), Appraisal.id.desc())
        )
        for appraisal in _db().scalars(stmt):
            defn = definition_of(appraisal.definition)
            edits = [(anchor, str(what)) for k, (anchor, what) in EDITS.items()
                     if policy.can_edit(defn, appraisal, k)]
            mine.append(Row(appraisal, defn, available_transitions(_db(), appraisal, actor, policy), edits))
    waiting, more = _waiting_for(actor, policy)
    has_team = actor.employee_id is not None and _db().execute(
        select(Employee.id).where(Employee.supervisor_id == actor.employee_id).limit(1)).first() is not None
    return render_template("home.html", mine=mine, waiting=waiting, more=more,
                           has_employee=actor.employee_id is not None, summary=_hr_summary(actor),
                           has_team=has_team, to_give=feedback_to_give(_db(), actor))


# -- the appraisal page ----------------------------------------------------------------------------

@dataclass
class Attempt:
    """What someone posted that the engine refused, to show again with the reason."""

    form: str                      # "fire:<trigger>" | "skp" | "realisation" | "development"
    message: str
    values: dict[str, Any] = field(default_factory=dict)
    field_errors: dict[str, str] = field(default_factory=dict)
    preview: list[dict[str, Any]] = field(default_factory=list)


def _load(appraisal_id: int) -> tuple[Appraisal, CycleDefinition, Policy, list[str]]:
    """The appraisal, its definition, the viewer's policy and roles; 404/403 as the engine says."""
    try:
        opened = open_appraisal(_db(), _actor(), appraisal_id)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    return opened.appraisal, opened.defn, opened.policy, opened.roles


@dataclass
class Action:
    """A transition form on the page."""

    available: AvailableTransition
    fields: tuple[PayloadField, ...]
    closes_at: Any
    previews: tuple[str, ...] = ()  # results the form can show before firing


def _previewable(defn: CycleDefinition, transition: TransitionDef) -> tuple[str, ...]:
    """Results computed on entering the transition's destination from the payload it saves (e.g. the predicate)."""
    if not transition.save_as or transition.dest not in defn.states:
        return ()
    return tuple(n for action in defn.states[transition.dest].on_enter for n in action.names)


def _skp_rows(defn: CycleDefinition, appraisal: Appraisal) -> list[dict[str, Any]]:
    """The IKI of the SKP: the cycle's fixed ones, then the employee's own, with realisation and achievement.

    Each target and realisation says who or what supplied it; a value the system feeds (the unit's
    IKM) is shown once, as the system's, and never beside a typed one.
    """
    realisations = list(_db().scalars(
        select(Realisation).where(Realisation.appraisal_id == appraisal.id).order_by(Realisation.id)))
    supplied = realisation_provenance(_db(), defn, realisations)
    by_key: dict[str, list[Realisation]] = {}
    for r in realisations:
        by_key.setdefault(r.indicator_key, []).append(r)
    achievements, fed_values = {}, {}
    for name, value, details in _db().execute(select(Result.name, Result.value, Result.details).where(
            Result.appraisal_id == appraisal.id, Result.name.like("iki.%"))):
        achievements[name.removeprefix("iki.")] = value
        if isinstance(details, Mapping) and "source" in details:
            fed_values[name.removeprefix("iki.")] = details.get("realisation")
    own = list(_db().scalars(select(Indicator).where(Indicator.appraisal_id == appraisal.id)
                             .order_by(Indicator.position, Indicator.id))) if defn.skp.employee_indicators else []
    targets = target_provenance(_db(), defn, own)
    rows: list[dict[str, Any]] = []
    for ind in defn.indicators:
        rows.append({"key": ind.id, "label": localized(ind.label), "rhk": "", "parent_rhk": "", "aspect": ind.aspect,
                     "target": ind.target, "unit": ind.unit, "weight": ind.weight, "fixed": True,
                     "system": system_provenance(ind)})
    for i in own:
        rows.append({"key": i.key, "label": i.label, "rhk": i.rhk, "parent_rhk": i.parent_rhk or "",
                     "aspect": i.aspect, "target": i.target, "unit": i.unit, "weight": i.weight,
                     "fixed": False, "system": None})
    fed = any(row["system"] is not None for row in rows)
    live = {a.key: a for a in indicator_achievements(_db(), appraisal)} if realisations or fed else {}
    for row in rows:
        now = live.get(row["key"])
        row["target_by"] = provenance_text(targets.get(row["key"]))
        if row["system"] is not None:
            # The system's value is the only one: typed rows of this indicator are not shown.
            # Once rated, the value the rating used; until then the source's value now.
            row["realisations"] = []
            row["realisation"] = fed_values.get(row["key"], now.realisation if now is not None else None)
            row["realisation_by"] = provenance_text(row["system"])
        else:
            history = by_key.get(row["key"], [])
            row["realisations"] = history
            row["realisation"] = history[-1].value if history else None
            row["realisation_by"] = provenance_text(supplied[history[-1].id]) if history else ""
        row["achievement"] = achievements.get(row["key"])
        row["live"] = False
        row["achievement_note"] = ""
        if row["achievement"] is None and now is not None and now.achievement is not None:
            # Not rated yet: the indicator's rule applied to the latest realisation, as the rating will.
            row["achievement"], row["live"] = now.achievement, True
            row["achievement_note"] = localized(now.explanation)
    return rows


def _history(defn: CycleDefinition, appraisal: Appraisal) -> list[dict[str, Any]]:
    """The appraisal's audit events as a person reads them: when, who as which role, what, comment."""
    events = [e for e in _db().scalars(
        select(AuditEvent).where(AuditEvent.appraisal_id == appraisal.id).order_by(AuditEvent.seq))
        if not is_anonymous_answer(e)]
    labels = {t.trigger: t.label for t in defn.transitions}
    user_ids = {e.actor_user_id for e in events if e.actor_user_id is not None}
    names: dict[int, str] = {}
    if user_ids:
        names = {uid: name for uid, name in _db().execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids)))}
    out = []
    for e in events:
        system = e.actor_user_id is None and e.role == SYSTEM_ROLE
        role = defn.roles.get(e.role or "")
        if e.kind == "deadline":
            what = str(DEADLINE_ACTIONS.get(str(e.trigger), _("Tenggat lewat")))
        elif e.kind == CHECKPOINT_EVENT:
            what = checkpoint_title(defn, e.payload or {})
        else:
            what = localized(labels[e.trigger]) if e.trigger in labels else str(EVENT_KINDS.get(e.kind, e.kind))
        out.append({
            "when": e.occurred_at,
            "who": _("Sistem (tenggat)") if system else names.get(e.actor_user_id or 0) or e.actor_name,
            "role": "" if system else localized(role.label) if role else (e.role or ""),
            "what": what,
            "from": _state_label(defn, e.from_state), "to": _state_label(defn, e.to_state),
            "moved": e.from_state != e.to_state, "comment": _event_detail(defn, e.kind, e.payload or {}),
        })
    return out


def _event_detail(defn: CycleDefinition, kind: str, payload: Mapping[str, Any]) -> str:
    """The part of an event's payload a person reads in the history: a comment, a value recorded."""
    parts: list[str] = []
    if kind == "deadline":
        waiting = [localized(defn.roles[r].label) for r in payload.get("waiting_on") or [] if r in defn.roles]
        if waiting:
            parts.append(_("menunggu %(what)s", what=", ".join(waiting)))
        if payload.get("failed"):
            parts.append(str(payload["failed"]))
    elif kind in (CHECKPOINT_EVENT, "realisation") and (kind == CHECKPOINT_EVENT or payload.get("checkpoint")):
        if kind == "realisation":
            parts.append(f"{payload.get('indicator')}: {number(payload.get('value'))}")
        parts.append(checkpoint_detail(defn, kind, payload))
        return " · ".join(p for p in parts if p)
    elif kind == "realisation":
        parts.append(f"{payload.get('indicator')}: {number(payload.get('value'))}")
        if isinstance(payload.get("evidence"), Mapping):
            parts.append(str(payload["evidence"].get("name", "")))
    elif kind == "development":
        parts.append(f"{payload.get('title')} ({number(payload.get('jp'))} JP)")
    elif kind == "migrate":
        parts.append(_("versi %(old)s → %(new)s", old=payload.get("from_version"), new=payload.get("to_version")))
    elif kind == "feedback" and isinstance(payload.get("comment"), str):
        parts.append(payload["comment"])
    parts += [str(payload[k]) for k in COMMENT_KEYS if kind != "development" and isinstance(payload.get(k), str)
              and payload[k]]
    return " · ".join(p for p in parts if p)


def _state_label(defn: CycleDefinition, state: str | None) -> str:
    if not state:
        return ""
    found = defn.states.get(state)
    return localized(found.label) if found else state


def _results(defn: CycleDefinition, appraisal: Appraisal, policy: Policy) -> list[dict[str, Any]]:
    """The cycle's named results in its order, each with its explanation; those the viewer may see."""
    stored = {r.name: r for r in _db().scalars(select(Result).where(Result.appraisal_id == appraisal.id))}
    out = []
    for name, spec in defn.results.items():
        row = stored.get(name)
        if row is None or not policy.can_see(defn, appraisal, name):
            continue
        out.append({"label": localized(spec.label), "value": row.value, "explanation": localized(row.explanation),
                    "missing": [_missing_text(m) for m in row.missing or []], "at": row.computed_at})
    return out


def _missing_text(item: Any) -> str:
    """One thing a result waits for: a path, or a rule's {id, en} description of it."""
    if isinstance(item, dict):
        return localized(item)
    if isinstance(item, (list, tuple)) and item:
        return _missing_text(item[-1])
    return str(item)


def _role_names(defn: CycleDefinition, roles: Any) -> str:
    return ", ".join(localized(defn.roles[r].label) if r in defn.roles else str(r) for r in roles)


def _gap_rows(defn: CycleDefinition, appraisal: Appraisal, fireable: set[str]) -> list[dict[str, Any]]:
    """What the ways out of the current state still wait for, in the reader's language: what is missing,
    which result waits for it, who can supply it and where, and the way back the reader may take."""
    rows = []
    for gap in gaps(_db(), appraisal, defn):
        waiting = [{"label": localized(defn.results[name].label), "explanation": localized(explanation)}
                   for name, explanation in gap.waiting if name in defn.results]
        if gap.indicators:
            what = _("Realisasi belum dicatat untuk IKI berikut:")
            items = [{"text": f"{i.key} · {i.label}",
                      "who": _role_names(defn, i.supplied_by)} for i in gap.indicators]
        else:
            window = defn.feedback_window(gap.window or "")
            what = _("Umpan balik «%(window)s» baru %(answers)s dari %(wanted)s jawaban yang diperlukan.",
                     window=localized(window.label) if window else gap.window, answers=gap.answers,
                     wanted=gap.wanted)
            items = []
        supplied = dict(gap.suppliers)
        if gap.here:
            who = _("Dapat dicatat sekarang, pada tahap ini, oleh: %(roles)s.",
                    roles=_role_names(defn, supplied[appraisal.state]))
        elif supplied:
            who = _("Hanya dapat dicatat pada tahap %(states)s, oleh: %(roles)s.",
                    states=", ".join(f"«{_state_label(defn, state)}»" for state in supplied),
                    roles=_role_names(defn, dict.fromkeys(r for roles in supplied.values() for r in roles)))
        else:
            who = _("Siklus ini tidak memberi siapa pun hak untuk mencatatnya.")
        back = []
        for trigger in gap.ways_back:
            transition = defn.transition(trigger, appraisal.state)
            if transition is None:
                continue
            back.append({"trigger": trigger, "label": localized(transition.label), "mine": trigger in fireable,
                         "roles": _role_names(defn, transition.roles)})
        rows.append({"what": what, "items": items, "waiting": waiting, "who": who, "back": back,
                     "here": gap.here})
    return rows


def _supervisor_rhk(appraisal: Appraisal) -> list[str]:
    """The RHK of the supervisor's newest appraisal of the same cycle: what an IKI can support."""
    boss = appraisal.employee.supervisor_id
    if boss is None:
        return []
    newest = _db().scalars(
        select(Appraisal.id).join(Appraisal.run)
        .where(Appraisal.employee_id == boss, CycleRun.cycle_id == appraisal.run.cycle_id)
        .order_by(CycleRun.period_start.desc()).limit(1)).first()
    if newest is None:
        return []
    texts = _db().scalars(select(Indicator.rhk).where(Indicator.appraisal_id == newest).order_by(Indicator.position))
    return list(dict.fromkeys(t for t in texts if t))


def _render(appraisal_id: int, attempt: Attempt | None = None, status: int = 200,
            skp_rows: list[dict[str, Any]] | None = None) -> tuple[str, int]:
    appraisal, defn, policy, roles = _load(appraisal_id)
    g.page_url = url_for(".show", appraisal_id=appraisal_id)
    actor = _actor()
    lang = current_language()
    actions = [
        Action(a, payload_fields(a.transition.payload_schema, lang), window_closes_at(appraisal, a.transition),
               _previewable(defn, a.transition))
        for a in available_transitions(_db(), appraisal, actor, policy)
    ]
    can = {kind: policy.can_edit(defn, appraisal, kind) for kind in ("skp", "realisation", "development")}
    indicators = _skp_rows(defn, appraisal)
    suppliable = set(realisable_keys(_db(), policy, defn, appraisal)) if can["realisation"] else set()
    own = [r for r in indicators if not r["fixed"]]
    editor_rows = skp_rows if skp_rows is not None else [
        {k: ("" if r.get(k) is None else _shown_target(r[k]) if k == "target" else _plain(r[k])) for k in SKP_FIELDS}
        for r in own
    ]
    if can["skp"] and skp_rows is None:
        editor_rows.append(dict.fromkeys(SKP_FIELDS, ""))
    activities = list(_db().scalars(select(DevelopmentActivity)
                                         .where(DevelopmentActivity.appraisal_id == appraisal.id)
                                         .order_by(DevelopmentActivity.id)))
    jp_done = sum(a.jp for a in activities if a.status == "done")
    state = defn.states.get(appraisal.state)
    answerable = [_feedback_form(appraisal, w, attempt) for w in defn.feedback
                  if policy.can_answer(defn, appraisal, w)]
    html = render_template(
        "appraisal.html",
        appraisal=appraisal, defn=defn, state=state, employee=appraisal.employee,
        stage=str(STAGES.get(state.stage, state.stage)) if state and state.stage else "",
        roles=[localized(defn.roles[r].label) for r in roles if r in defn.roles],
        actions=actions, attempt=attempt, can=can,
        indicators=indicators, editor_rows=editor_rows, aspects=ASPECTS,
        supervisor_rhk=_supervisor_rhk(appraisal) if can["skp"] else [],
        realisable=[r for r in indicators if r["key"] in suppliable] if can["realisation"] else [],
        results=_results(defn, appraisal, policy),
        history=_history(defn, appraisal), activities=activities, jp_done=jp_done, jp_target=defn.jp_target,
        max_evidence_mb=MAX_EVIDENCE // (1024 * 1024),
        feedback_forms=answerable, feedback=feedback_summaries(_db(), appraisal),
        appeal=_appeal_sides(defn, appraisal),
        gaps=_gap_rows(defn, appraisal, {a.available.transition.trigger for a in actions}),
        **checkpoint_page(_db(), policy, defn, appraisal),
    )
    return html, status


def _plain(value: Any) -> str:
    """A number for an input field, in the page's language without grouping (reads back the same)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_decimal(value, format="0.######")
    return str(value)


def _shown_target(value: Any) -> str:
    if isinstance(value, list):
        return " - ".join(_plain(v) for v in value)
    return _plain(value)


@bp.get("/penilaian/<id:appraisal_id>")
@login_required
def show(appraisal_id: int) -> tuple[str, int]:
    return _render(appraisal_id)


def _version() -> int | None:
    return query_id(request.form, "version")


def _refused(appraisal_id: int, form: str, exc: SiklusError, values: dict[str, Any] | None = None,
             field_errors: dict[str, str] | None = None,
             skp_rows: list[dict[str, Any]] | None = None) -> tuple[str, int]:
    """Show the page again after the engine refused a step (it has rolled back: nothing changed)."""
    _db().rollback()
    attempt = Attempt(form, error_text(exc), values or {}, field_errors or {})
    return _render(appraisal_id, attempt, exc.http_status, skp_rows=skp_rows)


@bp.post("/penilaian/<id:appraisal_id>/aksi/<trigger>")
@login_required
def fire(appraisal_id: int, trigger: str) -> Response | tuple[str, int]:
    appraisal, defn, _policy, _roles = _load(appraisal_id)
    transition = defn.transition(trigger, appraisal.state) or next(
        (t for t in defn.transitions if t.trigger == trigger), None)
    if transition is None:
        abort(404)
    fields = payload_fields(transition.payload_schema, current_language())
    payload = payload_from(fields, request.form, current_language())
    _db().rollback()  # end this read; the engine loads and locks the appraisal in its own unit of work
    if "preview" in request.form and _previewable(defn, transition):
        return _preview(appraisal_id, defn, transition, fields, payload)
    try:
        outcome = fire_transition(_db(), appraisal_id, trigger, _actor(), payload, expected_version=_version())
    except InvalidPayload as exc:
        messages, loose = field_messages(fields, exc.errors)
        attempt_exc = exc if not loose else InvalidInput("; ".join(loose))
        return _refused(appraisal_id, f"fire:{trigger}", attempt_exc, posted_values(fields, request.form), messages)
    except SiklusError as exc:
        return _refused(appraisal_id, f"fire:{trigger}", exc, posted_values(fields, request.form))
    flash(_("%(action)s: penilaian kini pada tahap «%(state)s».", action=localized(transition.label),
            state=_state_label(defn, outcome.to_state)), "success")
    for warning in outcome.warnings:
        flash(_("Perhatian: %(warning)s", warning=localized(warning)), "warning")
    return redirect(url_for(".show", appraisal_id=appraisal_id))


def _preview(appraisal_id: int, defn: CycleDefinition, transition: TransitionDef,
             fields: tuple[PayloadField, ...], payload: dict[str, Any]) -> tuple[str, int]:
    """The results the transition would compute with what is typed so far; nothing is saved."""
    names, saved_as = _previewable(defn, transition), transition.save_as or ""
    try:
        computed = preview_results(_db(), appraisal_id, _actor(), names, {saved_as: payload})
    except SiklusError as exc:
        return _refused(appraisal_id, f"fire:{transition.trigger}", exc, posted_values(fields, request.form))
    shown = [{"label": localized(defn.results[name].label), "value": c.get("value"),
              "explanation": localized(c.get("explanation")),
              "missing": [_missing_text(m) for m in c.get("missing") or []]}
             for name, c in computed.items()]
    attempt = Attempt(f"fire:{transition.trigger}", "", posted_values(fields, request.form), preview=shown)
    return _render(appraisal_id, attempt)


# -- SKP -------------------------------------------------------------------------------------------

_RANGE = re.compile(r"^\s*(\d[\d.,]*)\s*[-–]\s*(\d[\d.,]*)\s*$")


def _posted_skp_rows() -> list[dict[str, str]]:
    """The editor's rows as typed (fields iki-<n>-<name>); rows marked for removal are dropped."""
    numbers = sorted({int(m.group(1)) for name in request.form if (m := re.match(r"^iki-(\d+)-", name))})
    rows = []
    for n in numbers:
        if request.form.get(f"iki-{n}-remove"):
            continue
        rows.append({k: request.form.get(f"iki-{n}-{k}", "").strip() for k in SKP_FIELDS})
    return rows


def _skp_item(row: Mapping[str, str], lang: str) -> dict[str, Any]:
    """An editor row as set_skp takes it; a target "80 - 100" is a range."""
    item: dict[str, Any] = {k: v for k, v in row.items() if v != ""}
    target = row.get("target", "")
    if (m := _RANGE.match(target)) is not None:
        item["target"] = [number_text(m.group(1), lang), number_text(m.group(2), lang)]
    elif target:
        item["target"] = number_text(target, lang)
    if row.get("weight"):
        item["weight"] = number_text(row["weight"], lang)
    return item


@bp.post("/penilaian/<id:appraisal_id>/skp")
@login_required
def save_skp(appraisal_id: int) -> Response | tuple[str, int]:
    rows = _posted_skp_rows()
    filled = [r for r in rows if any(r.values())]
    if "add_row" in request.form:
        _load(appraisal_id)
        return _render(appraisal_id, skp_rows=filled + [dict.fromkeys(SKP_FIELDS, "")])
    try:
        set_skp(_db(), appraisal_id, _actor(), [_skp_item(r, current_language()) for r in filled],
                expected_version=_version())
    except SiklusError as exc:
        return _refused(appraisal_id, "skp", exc, skp_rows=filled or [dict.fromkeys(SKP_FIELDS, "")])
    flash(_("SKP disimpan (%(count)d IKI).", count=len(filled)), "success")
    return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="skp"))


# -- realisation and evidence ----------------------------------------------------------------------

def _posted_number(text: str, message: str) -> float:
    """A number typed in the page's language; a person's message when it is none."""
    try:
        return float(number_text(text, current_language()))
    except ValueError:
        raise InvalidInput(message) from None


class EvidenceRefused(InvalidInput):
    """An evidence file of the wrong kind or size."""


def _store_evidence(appraisal_id: int, upload: FileStorage) -> tuple[Evidence, bool]:
    """Check the file (type by content, size) and store it as <UPLOAD_FOLDER>/<appraisal>/<sha256>.<ext>.

    The evidence keeps the path relative to UPLOAD_FOLDER, so the folder can move with the data.
    """
    content = upload.stream.read(MAX_EVIDENCE + 1)
    if len(content) > MAX_EVIDENCE:
        raise EvidenceRefused(_("Berkas bukti terlalu besar: paling besar %(mb)d MB.",
                                mb=MAX_EVIDENCE // (1024 * 1024)))
    name = secure_filename(upload.filename or "") or "bukti"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((s for s in SIGNATURES if content.startswith(s[0])), None)
    if kind is None or extension not in kind[3]:
        raise EvidenceRefused(_("Bukti harus berupa berkas PDF, JPEG, atau PNG (isi berkas diperiksa, bukan hanya "
                                "namanya)."))
    _signature, ext, content_type, _names = kind
    digest = hashlib.sha256(content).hexdigest()
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / str(appraisal_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}.{ext}"
    created = not path.exists()
    if created:
        temporary = path.with_suffix(".part")
        temporary.write_bytes(content)
        os.replace(temporary, path)
    return Evidence.of_bytes(name, f"{appraisal_id}/{path.name}", content, content_type), created


@bp.post("/penilaian/<id:appraisal_id>/realisasi")
@login_required
def save_realisation(appraisal_id: int) -> Response | tuple[str, int]:
    appraisal, defn, policy, _roles = _load(appraisal_id)
    values = {k: request.form.get(k, "") for k in ("indicator", "value", "note")}
    if not policy.can_edit(defn, appraisal, "realisation"):
        abort(403)
    _db().rollback()  # end this read; the engine loads and locks the appraisal in its own unit of work
    evidence, created = None, False
    upload = request.files.get("evidence")
    try:
        value = _posted_number(values["value"], _("Nilai realisasi harus berupa angka."))
        if upload is not None and upload.filename:
            evidence, created = _store_evidence(appraisal_id, upload)
        record_realisation(_db(), appraisal_id, _actor(), values["indicator"], value,
                           note=values["note"].strip(), evidence=evidence, expected_version=_version())
    except SiklusError as exc:
        if evidence is not None and created:
            _evidence_file(evidence.path).unlink(missing_ok=True)
        return _refused(appraisal_id, "realisation", exc, values)
    flash(_("Realisasi dicatat."), "success")
    return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="skp"))


def _evidence_file(stored: str) -> Path:
    """Where a stored evidence path (relative to UPLOAD_FOLDER) is on disk; 404 if it points outside."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
    path = (folder / stored).resolve()
    if folder not in path.parents:
        abort(404)
    return path


@bp.get("/penilaian/<id:appraisal_id>/bukti/<id:realisation_id>")
@login_required
def evidence(appraisal_id: int, realisation_id: int) -> Response:
    _load(appraisal_id)
    row = _db().get(Realisation, realisation_id)
    if row is None or row.appraisal_id != appraisal_id or not row.evidence_path:
        abort(404)
    path = _evidence_file(row.evidence_path)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=row.evidence_type)
    response.headers["Content-Disposition"] = content_disposition(
        row.evidence_name or path.name, inline=row.evidence_type != "application/pdf")
    return response


# -- development -----------------------------------------------------------------------------------

@bp.post("/penilaian/<id:appraisal_id>/pengembangan")
@login_required
def save_development(appraisal_id: int) -> Response | tuple[str, int]:
    title, jp_text, done = request.form.get("title", ""), request.form.get("jp", ""), "done" in request.form
    try:
        jp = _posted_number(jp_text, _("JP harus berupa angka."))
        record_development(_db(), appraisal_id, _actor(), title, jp, done=done)
    except SiklusError as exc:
        return _refused(appraisal_id, "development", exc, {"title": title, "jp": jp_text, "done": done})
    flash(_("Kegiatan pengembangan dicatat."), "success")
    return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="pengembangan"))




# -- appeal: both statements side by side ------------------------------------------------------------

def _appeal_sides(defn: CycleDefinition, appraisal: Appraisal) -> dict[str, Any] | None:
    """The rater's rating and the employee's appeal, when the appraisal is in the state an appeal enters.

    The appeal is the payload an employee's transition into the current state saved (``save_as``);
    the rating is every payload a rater's transition saved, with the results its destination computed.
    """
    data = appraisal.data or {}
    role_of = {rid: r.resolver for rid, r in defn.roles.items()}

    def saved(transition: TransitionDef) -> Mapping[str, Any] | None:
        """The payload ``transition`` saved in the appraisal's data, if it saved one there."""
        payload = data.get(transition.save_as) if transition.save_as else None
        return payload if isinstance(payload, Mapping) else None

    appeal = next((t for t in defn.transitions if t.dest == appraisal.state and t.save_as in data
                   and any(role_of.get(r) == "self" for r in t.roles)), None)
    appealed = saved(appeal) if appeal is not None else None
    if appeal is None or appealed is None:
        return None
    ratings = [t for t in defn.transitions if t.save_as in data and t is not appeal
               and any(role_of.get(r) == "supervisor" for r in t.roles)]
    names = [n for t in ratings for n in _previewable(defn, t)]
    stored = {r.name: r for r in _db().scalars(
        select(Result).where(Result.appraisal_id == appraisal.id, Result.name.in_(names)))} if names else {}
    return {
        "employee": {"label": localized(appeal.label), "items": payload_items(appealed)},
        "rater": [{"label": localized(t.label), "items": payload_items(rated)}
                  for t in ratings if (rated := saved(t)) is not None],
        "results": [{"label": localized(defn.results[n].label), "value": stored[n].value,
                     "explanation": localized(stored[n].explanation)} for n in dict.fromkeys(names) if n in stored],
    }


# -- feedback (continuous and 360) -------------------------------------------------------------------

@dataclass
class FeedbackForm:
    """A feedback window the viewer may answer now, with their current answer or what they typed."""

    window: Any
    questions: list[Question]
    values: dict[str, str]
    comment: str
    answered: bool
    message: str = ""
    field_errors: dict[str, str] = field(default_factory=dict)
    max_comment: int = MAX_COMMENT


def _feedback_form(appraisal: Appraisal, window: Any, attempt: Attempt | None) -> FeedbackForm:
    questions = questions_of(window)
    if attempt is not None and attempt.form == f"feedback:{window.id}":
        return FeedbackForm(window, questions, dict(attempt.values),
                            str(attempt.values.get("comment", ""))[:MAX_COMMENT],
                            False, attempt.message, attempt.field_errors)
    mine = own_answer(_db(), appraisal.id, window.id, _actor())
    if mine is None:
        return FeedbackForm(window, questions, {}, "", False)
    return FeedbackForm(window, questions, {k: str(v) for k, v in (mine.answers or {}).items()}, mine.comment, True)


def _feedback_window(defn: CycleDefinition, window_id: str) -> Any:
    window = defn.feedback_window(window_id)
    if window is None:
        abort(404)
    return window


@bp.get("/penilaian/<id:appraisal_id>/umpan-balik/<window_id>")
@login_required
def feedback_page(appraisal_id: int, window_id: str) -> tuple[str, int]:
    return _render_feedback(appraisal_id, window_id)


def _render_feedback(appraisal_id: int, window_id: str, attempt: Attempt | None = None,
                     status: int = 200) -> tuple[str, int]:
    """The feedback form on its own page (what a peer needs: who, which window, the questions)."""
    appraisal, defn, policy, _roles = _load(appraisal_id)
    window = _feedback_window(defn, window_id)
    g.page_url = url_for(".feedback_page", appraisal_id=appraisal_id, window_id=window_id)
    form = _feedback_form(appraisal, window, attempt)
    is_open = policy.can_answer(defn, appraisal, window)
    if not is_open and attempt is not None and not form.message:
        form.message = attempt.message
    return render_template("feedback.html", appraisal=appraisal, defn=defn, employee=appraisal.employee,
                           window=window, form=form, is_open=is_open,
                           open_in=[_state_label(defn, s) for s in window.states]), status


@bp.post("/penilaian/<id:appraisal_id>/umpan-balik/<window_id>")
@login_required
def save_feedback(appraisal_id: int, window_id: str) -> Response | tuple[str, int]:
    appraisal, defn, _policy, _roles = _load(appraisal_id)
    window = _feedback_window(defn, window_id)
    ids = [q.id for q in questions_of(window)]
    answers = feedback_answers_from(request.form)
    comment = request.form.get("comment", "")
    back = request.form.get("back") == "appraisal"
    _db().rollback()  # end this read; the engine loads and locks the appraisal in its own unit of work
    try:
        give_feedback(_db(), appraisal_id, _actor(), window_id, answers, comment)
    except SiklusError as exc:
        _db().rollback()
        problems = exc.details.get("fields") or {}
        errors = {name: localized(text) for name, text in problems.items() if name in ids or name == "comment"}
        message = _("Isian belum lengkap atau belum benar; periksa kolom yang ditandai.") if errors else error_text(exc)
        attempt = Attempt(f"feedback:{window_id}", message, {**answers, "comment": comment}, errors)
        if back:
            return _render(appraisal_id, attempt, exc.http_status)
        return _render_feedback(appraisal_id, window_id, attempt, exc.http_status)
    flash(_("Umpan balik disimpan."), "success")
    if back:
        return redirect(url_for(".show", appraisal_id=appraisal_id, _anchor="umpan-balik"))
    return redirect(url_for(".feedback_page", appraisal_id=appraisal_id, window_id=window_id))


# -- bulk: one trigger for many appraisals ---------------------------------------------------------

BULK_SHOWN = 1000        # appraisals listed on the bulk page
BULK_EXAMINED = 5000     # candidates looked at to fill it
BULK_MAX = 1000          # items fired by one request


def _bulk_comment_key(transition: TransitionDef) -> str | None | bool:
    """How a transition can be fired in bulk: None (no input), the key of its one text field (a shared
    comment), or False (it needs input per appraisal, e.g. a rating)."""
    schema = transition.payload_schema or {}
    properties: Mapping[str, Any] = schema.get("properties") or {}
    if not properties and not schema.get("required") and not schema.get("patternProperties"):
        return None
    if len(properties) == 1 and not schema.get("patternProperties"):
        key, spec = next(iter(properties.items()))
        if isinstance(spec, Mapping) and spec.get("type") == "string" and "enum" not in spec:
            return key
    return False


@dataclass
class BulkGroup:
    """The appraisals waiting for one trigger that can be fired for many at once."""

    trigger: str
    label: str
    comment_key: str | None
    comment_required: bool
    comment_min: int | None
    rows: list[Waiting] = field(default_factory=list)


def _bulk_groups(actor: Actor) -> tuple[list[BulkGroup], list[str], bool]:
    """Bulk-fireable triggers with their waiting appraisals, the labels of those that are not, and
    whether the list was cut at BULK_SHOWN."""
    waiting, more = waiting_for(_db(), actor, limit=BULK_SHOWN, examined=BULK_EXAMINED)
    groups: dict[str, BulkGroup] = {}
    manual: dict[str, str] = {}
    for w in waiting:
        for action in w.actions:
            t = action.transition
            key = _bulk_comment_key(t)
            if key is False:
                manual.setdefault(t.trigger, localized(t.label))
                continue
            group = groups.get(t.trigger)
            if group is None:
                spec = ((t.payload_schema or {}).get("properties") or {}).get(key or "", {})
                group = groups[t.trigger] = BulkGroup(
                    t.trigger, localized(t.label), key if isinstance(key, str) else None,
                    bool(key) and key in ((t.payload_schema or {}).get("required") or []), spec.get("minLength"))
            group.rows.append(w)
    return sorted(groups.values(), key=lambda g: g.label), sorted(manual.values()), more


def _posted_items() -> list[tuple[int, int]]:
    """The selected appraisals as (id, version shown), from checkboxes valued "<id>:<version>"."""
    items = []
    for raw in request.form.getlist("pilih"):
        appraisal_id, _sep, version = raw.partition(":")
        found, seen = parse_id(appraisal_id), parse_id(version)
        if found is not None and seen is not None:
            items.append((found, seen))
    return list(dict.fromkeys(items))


def _render_bulk(trigger: str | None, checked: set[int] | None = None, comment: str = "",
                 message: str = "", status: int = 200) -> tuple[str, int]:
    groups, manual, more = _bulk_groups(_actor())
    chosen = next((gr for gr in groups if gr.trigger == trigger), groups[0] if len(groups) == 1 else None)
    return render_template("bulk.html", groups=groups, manual=manual, more=more, chosen=chosen,
                           checked=checked or set(), comment=comment, message=message, results=None), status


@bp.get("/penilaian/massal")
@login_required
def bulk() -> tuple[str, int]:
    return _render_bulk(request.args.get("aksi"))


@dataclass
class BulkResult:
    """What happened to one selected appraisal."""

    appraisal_id: int
    name: str
    outcome: str   # ok | stale | refused
    detail: str


@bp.post("/penilaian/massal")
@login_required
def bulk_fire() -> tuple[str, int]:
    trigger = request.form.get("aksi", "")
    items = _posted_items()
    comment = request.form.get("komentar", "").strip()
    if "pilih_semua" in request.form or "kosongkan" in request.form:
        groups, _manual, _more = _bulk_groups(_actor())
        group = next((gr for gr in groups if gr.trigger == trigger), None)
        everyone = {w.appraisal.id for w in group.rows} if group and "pilih_semua" in request.form else set()
        return _render_bulk(trigger, everyone, comment)
    if not items:
        return _render_bulk(trigger, set(), comment, _("Pilih paling sedikit satu penilaian."), 400)
    if len(items) > BULK_MAX:
        return _render_bulk(trigger, set(), comment,
                            _("Paling banyak %(n)d penilaian sekaligus.", n=BULK_MAX), 400)
    ids = [aid for aid, _v in items]
    found = {aid: (f"{name} ({nip})", definition_id) for aid, definition_id, name, nip in _db().execute(
        select(Appraisal.id, Appraisal.definition_id, Employee.name, Employee.nip).join(Appraisal.employee)
        .where(Appraisal.id.in_(ids)))}
    labels: dict[tuple[int, str], str] = {}
    comment_keys: dict[int, str | None] = {}
    for record in _db().scalars(select(CycleDefinitionRecord).where(
            CycleDefinitionRecord.id.in_({d for _n, d in found.values()}))):
        defn = definition_of(record)
        labels.update({(record.id, s): localized(spec.label) for s, spec in defn.states.items()})
        transition = next((t for t in defn.transitions if t.trigger == trigger), None)
        key = _bulk_comment_key(transition) if transition is not None else None
        if key is False:
            return _render_bulk(trigger, set(ids), comment,
                                _("Tindakan ini memerlukan isian per penilaian; lakukan dari halaman penilaiannya."),
                                400)
        comment_keys[record.id] = key if isinstance(key, str) else None
        schema = (transition.payload_schema or {}) if transition is not None else {}
        if isinstance(key, str) and key in (schema.get("required") or []):
            shortest = int((schema.get("properties") or {}).get(key, {}).get("minLength") or 1)
            if len(comment) < shortest:
                return _render_bulk(trigger, set(ids), comment, _(
                    "Komentar wajib diisi untuk tindakan ini (paling sedikit %(n)d karakter).", n=shortest), 400)
    _db().rollback()  # end this read: each item is its own unit of work in the engine
    results: list[BulkResult] = []
    for appraisal_id, version in items:
        name, definition_id = found.get(appraisal_id, (f"#{appraisal_id}", 0))
        key = comment_keys.get(definition_id)
        payload = {key: comment} if key and comment else {}
        try:
            outcome = fire_transition(_db(), appraisal_id, trigger, _actor(), payload, expected_version=version)
        except Conflict:
            results.append(BulkResult(appraisal_id, name, "stale",
                                      _("Sudah diubah orang lain sejak daftar dibuka; tidak diubah.")))
        except InvalidPayload as exc:
            detail = "; ".join(f"{e.get('path') or ''}: {e.get('message', '')}".strip(": ") for e in exc.errors)
            results.append(BulkResult(appraisal_id, name, "refused", detail or error_text(exc)))
        except SiklusError as exc:
            results.append(BulkResult(appraisal_id, name, "refused", error_text(exc)))
        else:
            done = labels.get((definition_id, outcome.to_state), outcome.to_state)
            if outcome.warnings:
                warning = "; ".join(localized(w) for w in outcome.warnings)
                done = f"{done}. " + _("Perhatian: %(warning)s", warning=warning)
            results.append(BulkResult(appraisal_id, name, "ok", done))
    counts = {k: sum(1 for r in results if r.outcome == k) for k in ("ok", "stale", "refused")}
    return render_template("bulk.html", groups=[], manual=[], more=False, chosen=None, checked=set(),
                           comment=comment, message="", results=results, counts=counts,
                           trigger_label=_trigger_label(trigger)), 200


def _trigger_label(trigger: str) -> str:
    for record in _db().scalars(select(CycleDefinitionRecord).where(CycleDefinitionRecord.status != "draft")):
        found = next((t for t in definition_of(record).transitions if t.trigger == trigger), None)
        if found is not None:
            return localized(found.label)
    return trigger


# -- my team -------------------------------------------------------------------------------------------

@dataclass
class TeamMember:
    """A direct report with their current appraisals (those not yet closed, else the latest)."""

    employee: Employee
    appraisals: list[tuple[Appraisal, CycleDefinition]] = field(default_factory=list)


@bp.get("/tim")
@login_required
def team() -> str:
    me = _actor().employee_id
    members: dict[int, TeamMember] = {}
    if me is not None:
        rows = _db().execute(
            select(Employee, Appraisal)
            .outerjoin(Appraisal, Appraisal.employee_id == Employee.id)
            .outerjoin(CycleRun, CycleRun.id == Appraisal.run_id)
            .where(Employee.supervisor_id == me, Employee.active.is_(True))
            .options(joinedload(Appraisal.run), joinedload(Appraisal.definition))
            .order_by(Employee.name, Employee.id, CycleRun.period_start.desc(), Appraisal.id.desc()))
        for employee, appraisal in rows:
            member = members.setdefault(employee.id, TeamMember(employee))
            if appraisal is not None:
                member.appraisals.append((appraisal, definition_of(appraisal.definition)))
        for member in members.values():
            current = [(a, d) for a, d in member.appraisals if not (a.state in d.states and d.states[a.state].final)]
            member.appraisals = current or member.appraisals[:1]
    return render_template("team.html", members=list(members.values()), has_employee=me is not None)
