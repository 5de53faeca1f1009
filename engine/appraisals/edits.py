"""Edits while an appraisal is in a state: the SKP, realisations with their evidence, competence development.

Each edit is one unit of work (:func:`engine.appraisals.work.unit_of_work`): the state must open
the edit to the actor's role, the results that read what changed are recomputed, and the audit
event goes through the one writer (:func:`engine.audit.writer.append_appraisal_event`).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.appraisals.work import check_open, check_version, load_appraisal, refresh_results, unit_of_work
from engine.audit.chain import EventInfo
from engine.audit.writer import append_appraisal_event
from engine.cascade_links import check_links, check_removals
from engine.definition import CycleDefinition, Text
from engine.dependencies import CHANGED_BY_EDIT
from engine.errors import Forbidden, InvalidInput
from engine.facts import with_row_params
from engine.limits import COMMENT_CHARS, IKI_UNIT_CHARS
from engine.loaded import definition_of
from engine.messages import Label, Message, one_of
from engine.models import Appraisal, DevelopmentActivity, Indicator, Realisation, utcnow
from engine.numbers import parse_number
from engine.permissions import Actor
from engine.policy import Policy, leader_roles
from engine.provenance import realisation_role, supply_of, user_names
from rules import RuleError, get_rule


def edit_appraisal(session: Session, appraisal_id: int, actor: Actor, kind: str, expected_version: int | None,
          change: Callable[[Appraisal, CycleDefinition, Policy, str | None], dict[str, Any] | None],
          now: datetime | None = None) -> Appraisal:
    """Shared path of every edit: load, check the right to edit ``kind`` now, apply, recompute the
    results that read what changed, audit, commit.

    ``change`` gets the appraisal, its definition, the actor's policy and the role the actor edits as; it
    returns the audit payload (a ``role`` in it overrides the event's role), or None when what was given
    is what is kept. Such a save changes nothing, so it records no event (the history would say something
    changed) and leaves the version as it was: a caller tells it from the version it saw.
    """
    now = now or utcnow()

    def work() -> Appraisal:
        appraisal = load_appraisal(session, appraisal_id, for_update=True)
        check_open(appraisal.id, appraisal.closed_at)
        check_version(appraisal, expected_version)
        defn = definition_of(appraisal.definition)
        policy = Policy(session, actor)
        if not policy.can_edit(defn, appraisal, kind):
            raise may_not_edit(defn, appraisal, kind, policy)
        role = policy.editing_role(defn, appraisal, kind)
        payload = change(appraisal, defn, policy, role)
        if payload is None:
            return appraisal
        # A realisation names the role it was supplied as (the indicator's supplier), see engine.provenance.
        role = payload.get("role", role)
        results = refresh_results(session, appraisal, CHANGED_BY_EDIT.get(kind, ()), now)
        appraisal.updated_at = now
        append_appraisal_event(session, appraisal, EventInfo(
            kind=kind, actor_user_id=actor.user_id, actor_name=actor.username, role=role,
            from_state=appraisal.state, to_state=appraisal.state, payload=payload, results=results,
            employee_id=appraisal.employee_id, unit_id=appraisal.employee.unit_id,
        ), occurred_at=now)
        session.flush()
        return appraisal

    return unit_of_work(session, work)


#: More hours of development than a working year holds is a typo, not an activity.
MAX_JP = 2000.0

#: What each kind of edit is called on a screen.
_EDIT_KINDS = {"skp": Text("SKP", "SKP"), "cascade": Text("IKI tim (cascading)", "team's IKI (cascade)"),
               "expectation": Text("ekspektasi khusus pimpinan", "leader's behaviour expectations"),
               "realisation": Text("realisasi", "realisation"),
               "development": Text("pengembangan kompetensi", "competence development"),
               "feedback": Text("umpan balik", "feedback")}


def may_not_edit(defn: CycleDefinition, appraisal: Appraisal, kind: str, policy: Policy) -> Forbidden:
    """The refusal of an edit the state does not open to the actor, naming who may edit now."""
    editors = policy.editors(defn, appraisal.state, kind)
    what = Label(kind, _EDIT_KINDS.get(kind))
    state = Label(appraisal.state, defn.states[appraisal.state].label if appraisal.state in defn.states else None)
    if not editors:
        # Nobody edits it in this stage: say in which stages it is recorded (not "only nobody may change it").
        open_in = [Label(name, spec.label) for name, spec in defn.states.items()
                   if policy.editors(defn, name, kind)]
        if not open_in:
            return Forbidden(f"the {kind} is not edited in this cycle",
                             msg=Message("edit.never", what=what))
        return Forbidden(
            f"in state '{appraisal.state}' nobody edits the {kind}; it is edited in: "
            f"{', '.join(str(label.key) for label in open_in)}",
            msg=Message("edit.not_now", state=state, what=what, states=one_of(open_in)))
    if policy.roles(defn, appraisal.employee, editors):
        # They hold an editing role, but on their own appraisal they act only as the appraised employee.
        return Forbidden(f"in state '{appraisal.state}' the {kind} of one's own appraisal is not edited as "
                         f"{', '.join(editors)}", msg=Message("edit.own_appraisal", state=state, what=what))
    who = one_of([Label(r, defn.roles[r].label) for r in editors if r in defn.roles])
    return Forbidden(
        f"in state '{appraisal.state}' only {', '.join(editors) or 'nobody'} may edit the {kind}",
        msg=Message("edit.who", state=state, what=what, roles=who))


def _number(value: Any, what: Message, **bounds: float) -> float:
    """A typed number (Indonesian or English writing), finite and within ``bounds``, or a refusal naming it."""
    return parse_number(value, what, **bounds)


def set_skp(session: Session, appraisal_id: int, actor: Actor, items: Sequence[Mapping[str, Any]],
            expected_version: int | None = None, now: datetime | None = None) -> Appraisal:
    """Replace the employee's own IKI in the SKP.

    Each item: key, label, rhk, parent_id (the leader's IKI it supports, see :mod:`engine.cascade`),
    parent_rhk (free text of earlier versions), aspect, target, unit, weight.
    """
    return _replace_skp(session, appraisal_id, actor, items, "skp", expected_version, now)


def set_team_skp(session: Session, appraisal_id: int, actor: Actor, items: Sequence[Mapping[str, Any]],
                 expected_version: int | None = None, now: datetime | None = None) -> Appraisal:
    """The leader sets a subordinate's IKI at planning (the cascade, *matriks peran hasil*): the same
    SKP as :func:`set_skp` writes, edited as the rater (``cascade`` in :meth:`Policy.editors`)."""
    return _replace_skp(session, appraisal_id, actor, items, "cascade", expected_version, now)


#: The largest id a row can have (PostgreSQL's integer); a larger one names no IKI.
_MAX_ID = 2**31 - 1
#: The longest IKI key the tables keep (``Indicator.key``).
IKI_KEY_CHARS = 64


def _parent_id(value: Any, n: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        parent = int(value)
    except (TypeError, ValueError, OverflowError):
        parent = 0
    if isinstance(value, bool) or not 1 <= parent <= _MAX_ID:
        raise InvalidInput(f"IKI {n}: the leader's RHK it supports must be an id, not '{str(value)[:40]}'",
                           msg=Message("skp.parent_unknown", n=n))
    return parent


#: The texts of an IKI a person types, each with its limit and its name in a refusal.
_SKP_TEXTS = (("label", COMMENT_CHARS, {"id": "teks indikator", "en": "the indicator text"}),
              ("rhk", COMMENT_CHARS, {"id": "RHK", "en": "the RHK"}),
              ("parent_rhk", COMMENT_CHARS, {"id": "RHK atasan", "en": "the leader's RHK"}),
              ("unit", IKI_UNIT_CHARS, {"id": "satuan", "en": "the unit"}))


def _check_skp_texts(item: Mapping[str, Any], label: str, n: int) -> None:
    """Refuse an IKI text over its limit (the API's document declares the same), naming which and how long."""
    for name, limit, field in _SKP_TEXTS:
        text = label if name == "label" else str(item.get(name) or "")
        if len(text) > limit:
            raise InvalidInput(f"IKI {n}: {name} is longer than {limit} characters",
                               errors={f"items/{n - 1}/{name}": f"longer than {limit} characters"},
                               msg=Message("skp.text_too_long", n=n, field=field, limit=limit, length=len(text)))


#: The fields of an IKI that say what it asks, each with its name in a refusal; its place in the SKP
#: (``position``) is not among them: anyone who edits the SKP may reorder it.
IKI_FIELDS: Mapping[str, Text] = {
    "label": Text("teks indikator", "indicator text"), "rhk": Text("RHK", "RHK"),
    "parent_rhk": Text("RHK atasan", "leader's RHK"), "parent_id": Text("RHK atasan yang didukung",
                                                                        "leader's RHK it supports"),
    "aspect": Text("aspek", "aspect"), "target": Text("target", "target"), "unit": Text("satuan", "unit"),
    "weight": Text("bobot", "weight"),
}


def changed_fields(kept: Indicator, given: Mapping[str, Any]) -> list[str]:
    """The fields of a stored IKI that ``given`` (a cleaned SKP item) changes, in :data:`IKI_FIELDS` order."""
    return [name for name in IKI_FIELDS if getattr(kept, name) != given.get(name)]


def unchanged_skp(kept: Mapping[str, Indicator], cleaned: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the cleaned SKP items are the stored IKI as they are: the same keys, each in its place, with
    nothing it asks changed (an empty SKP saved empty is one)."""
    return len(kept) == len(cleaned) and all(
        (row := kept.get(c["key"])) is not None and row.position == c["position"] and not changed_fields(row, c)
        for c in cleaned)


def leader_set(defn: CycleDefinition, rows: Sequence[Indicator]) -> set[str]:
    """The keys of the IKI the leader set (a target last set as one of :func:`engine.policy.leader_roles`):
    the leader's values, which the employee drafting the SKP may not change or remove."""
    leaders = set(leader_roles(defn))
    return {row.key for row in rows if row.set_role in leaders}


def _check_leader_iki(session: Session, defn: CycleDefinition, role: str | None, before: Mapping[str, Indicator],
                      cleaned: Sequence[Mapping[str, Any]]) -> None:
    """Refuse, to anyone editing other than as the leader, a change to or the removal of an IKI the leader set
    (matriks peran hasil): the leader's value stays the leader's. The refusal names the IKI, who set it, and
    what the employee can do instead (propose the change, or add an IKI of their own)."""
    if role in leader_roles(defn):
        return
    owned = [before[key] for key in sorted(leader_set(defn, list(before.values())),
                                           key=lambda k: before[k].position)]
    if not owned:
        return
    given = {c["key"]: c for c in cleaned}
    names = user_names(session, (row.set_by_id for row in owned))
    for row in owned:
        iki = Label(row.key, {"id": row.label, "en": row.label})
        setter = defn.roles.get(row.set_role or "")
        who = names.get(row.set_by_id or 0) or (setter.label.get("id") if setter else row.set_role) or ""
        as_role = Label(row.set_role or "", setter.label if setter else None)
        item = given.get(row.key)
        if item is None:
            raise Forbidden(f"IKI '{row.key}' was set by the leader ({who}); only the leader may remove it",
                            indicator=row.key, msg=Message("skp.leader_iki_removed", iki=iki, who=who, role=as_role))
        changed = changed_fields(row, item)
        if changed:
            raise Forbidden(f"IKI '{row.key}' was set by the leader ({who}); only the leader may change its "
                            f"{', '.join(changed)}", indicator=row.key,
                            msg=Message("skp.leader_iki_changed", iki=iki, who=who, role=as_role,
                                        fields=[Label(f, IKI_FIELDS[f]) for f in changed]))


def _check_target_computable(defn: CycleDefinition, item: Mapping[str, Any]) -> None:
    """Refuse a target the cycle's achievement rule cannot compute an achievement from (a target of 0 where
    higher is better, a range whose upper edge is 0), as the rule itself judges it: such an IKI was accepted,
    and its appraisal could never be rated, nor its SKP changed again once monitoring began."""
    rule_name, target = defn.skp.rule, item["target"]
    params = with_row_params(rule_name, dict(defn.skp.params), item)
    probe = target[-1] if isinstance(target, list) else target
    try:
        get_rule(rule_name).evaluate(params, {"realisation": probe, "target": target})
    except RuleError as exc:
        if exc.input != "target":
            return
        n = item["position"]
        zero = (max(target) if isinstance(target, list) else target) == 0
        raise InvalidInput(f"IKI {n}: no achievement can be computed from the target {target}: {exc.message}",
                           errors={f"items/{n - 1}/target": exc.message},
                           msg=Message("skp.target_zero" if zero else "skp.target_not_computable", n=n)) from None


def _replace_skp(session: Session, appraisal_id: int, actor: Actor, items: Sequence[Mapping[str, Any]], kind: str,
                 expected_version: int | None, now: datetime | None) -> Appraisal:
    """Replace the IKI of the SKP as edit ``kind``; rows keep their ids by key (subordinates link to them)."""
    cleaned: list[dict[str, Any]] = []
    keys: set[str] = set()
    for n, item in enumerate(items, start=1):
        key = str(item.get("key") or f"iki_{n}").strip()
        label = str(item.get("label") or "").strip()
        if not label:
            raise InvalidInput(Message("skp.label_required", n=n))
        _check_skp_texts(item, label, n)
        if len(key) > IKI_KEY_CHARS:
            raise InvalidInput(f"IKI {n}: the key is longer than {IKI_KEY_CHARS} characters",
                               errors={f"items/{n - 1}/key": f"longer than {IKI_KEY_CHARS} characters"},
                               msg=Message("skp.key_long", n=n, limit=IKI_KEY_CHARS, length=len(key)))
        if key in keys:
            raise InvalidInput(Message("skp.key_twice", n=n, key=key))
        keys.add(key)
        target = item.get("target")
        if isinstance(target, list):
            if len(target) != 2:
                raise InvalidInput(Message("skp.range_target", n=n))
            # A range is a span: "100 - 10" means from 10 to 100, kept lowest first as the rules read it.
            target = sorted(_number(t, Message("skp.target", n=n), minimum=0) for t in target)
        elif target is not None and target != "":
            target = _number(target, Message("skp.target", n=n), minimum=0)
        else:
            raise InvalidInput(Message("skp.target_required", n=n))
        weight = item.get("weight")
        weight = _number(weight, Message("skp.weight", n=n), above=0, maximum=100) if weight not in (None, "") \
            else None
        aspect = item.get("aspect") or None
        if aspect not in (None, "kuantitas", "kualitas", "waktu"):
            raise InvalidInput(Message("skp.aspect", n=n))
        cleaned.append({
            "key": key, "label": label, "rhk": str(item.get("rhk") or ""),
            "parent_rhk": str(item.get("parent_rhk") or "") or None, "parent_id": _parent_id(item.get("parent_id"), n),
            "aspect": aspect, "target": target,
            "unit": str(item.get("unit") or "") or None, "weight": weight, "position": n,
        })
    weights = [c["weight"] for c in cleaned if c["weight"] is not None]
    if weights and (len(weights) != len(cleaned) or abs(sum(weights) - 100) > 1e-6):
        raise InvalidInput(Message("skp.weights_total", total=sum(weights)))

    def change(appraisal: Appraisal, defn: CycleDefinition, policy: Policy, role: str | None) -> dict[str, Any] | None:
        if not defn.skp.employee_indicators:
            raise InvalidInput(
                f"cycle {defn.id} has fixed indicators; employees do not add their own IKI",
                msg=Message("skp.fixed_only"))
        fixed = {i.id: i for i in defn.indicators}
        for c in cleaned:
            if c["key"] not in fixed:
                _check_target_computable(defn, c)
        clash = [c["key"] for c in cleaned if c["key"] in fixed]
        if clash:
            raise InvalidInput(
                f"IKI key(s) {', '.join(clash)} are already the cycle's fixed indicators; "
                "their targets are the cycle's",
                indicators=clash,
                msg=Message("skp.fixed_clash", indicators=[Label(k, fixed[k].label) for k in clash]))
        # In UTC, as the table keeps it: a moment given in WIB is the same instant in the chain and the row.
        when = now or utcnow()
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
        # An IKI left as it was keeps who set it and when; a new or changed one is this actor's.
        before = {i.key: i for i in session.scalars(select(Indicator).where(Indicator.appraisal_id == appraisal.id))}
        _check_leader_iki(session, defn, role, before, cleaned)
        check_links(session, appraisal, before, cleaned)
        check_removals(session, [i for k, i in before.items() if k not in keys])
        if unchanged_skp(before, cleaned):
            return None
        stored = []
        for c in cleaned:
            kept = before.get(c["key"])
            if kept is not None and not changed_fields(kept, c) and kept.set_at is not None:
                by = {"set_by_id": kept.set_by_id, "set_role": kept.set_role, "set_at": kept.set_at}
            else:
                by = {"set_by_id": actor.user_id, "set_role": role, "set_at": when}
            stored.append({**c, **by})
        removed = [i.id for k, i in before.items() if k not in keys]
        if removed:
            session.execute(delete(Indicator).where(Indicator.id.in_(removed)))
        for c in stored:
            # Updated in place: a subordinate's IKI links this row by id (engine.cascade).
            row = before.get(c["key"])
            if row is None:
                session.add(Indicator(appraisal_id=appraisal.id, **c))
            else:
                for name, value in c.items():
                    setattr(row, name, value)
        return {"skp": [{**c, "set_at": c["set_at"].isoformat() if c["set_at"] else None} for c in stored],
                "role": role}

    return edit_appraisal(session, appraisal_id, actor, kind, expected_version, change, now)


@dataclass(frozen=True)
class Evidence:
    """An evidence file already stored by the caller (bukti dukung)."""

    name: str
    path: str
    size: int
    content_type: str
    sha256: str

    @classmethod
    def of_bytes(cls, name: str, path: str, content: bytes, content_type: str) -> Evidence:
        return cls(name, path, len(content), content_type, hashlib.sha256(content).hexdigest())


def skp_indicator(session: Session, defn: CycleDefinition, appraisal_id: int, indicator_key: str) -> str | None:
    """Check that ``indicator_key`` names an IKI of this SKP (the cycle's, or the employee's own); the label of
    the employee's own IKI, None for the cycle's. An unknown key is refused in both languages with a near match."""
    own: dict[str, str] = {}
    if defn.skp.employee_indicators:
        own = dict(session.execute(select(Indicator.key, Indicator.label)
                                   .where(Indicator.appraisal_id == appraisal_id)).all())
    keys = [i.id for i in defn.indicators] + list(own)
    if indicator_key not in keys:
        close = difflib.get_close_matches(indicator_key[:IKI_KEY_CHARS + 1], keys, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        # Repeated back only in part: a 5,000-character key filled the refusal.
        shown = indicator_key if len(indicator_key) <= IKI_KEY_CHARS else indicator_key[:IKI_KEY_CHARS] + "…"
        raise InvalidInput(f"no indicator '{shown}' in this SKP{hint}",
                           msg=Message("skp.no_indicator", key=shown))

    return own.get(indicator_key)


def realisation_number(value: Any) -> float:
    """A realisation as the achievement rules read it: a finite number, not below zero."""
    return _number(value, Message("realisation.value"), minimum=0)


def check_realisation_note(note: str) -> None:
    """Refuse a realisation's note longer than a comment (annual or for a checkpoint alike)."""
    if len(note) > COMMENT_CHARS:
        raise InvalidInput(f"the realisation's note is longer than {COMMENT_CHARS} characters",
                           errors={"note": f"longer than {COMMENT_CHARS} characters"},
                           msg=Message("realisation.note_too_long", limit=COMMENT_CHARS, length=len(note)))


def record_realisation(session: Session, appraisal_id: int, actor: Actor, indicator_key: str, value: Any,
                       note: str = "", evidence: Evidence | None = None,
                       expected_version: int | None = None, now: datetime | None = None) -> Appraisal:
    """Record an achieved value for an IKI, with optional evidence, as the role that supplies it.

    Only the indicator's supplier may record it (see :mod:`engine.provenance`); a value the system
    feeds (``unit.ikm``...) is refused to everyone.
    """
    number = realisation_number(value)
    check_realisation_note(note)
    now = now or utcnow()  # the row's recorded_at is its event's moment (what verify holds it to)

    def change(appraisal: Appraisal, defn: CycleDefinition, policy: Policy, _role: str | None) -> dict[str, Any]:
        own = skp_indicator(session, defn, appraisal.id, indicator_key)
        role = realisation_role(policy, defn, appraisal, supply_of(defn, indicator_key, own))
        row = Realisation(appraisal_id=appraisal.id, indicator_key=indicator_key, value=number, note=note,
                          recorded_by_id=actor.user_id, recorded_at=now or utcnow(), supplied_role=role, source=None)
        # Everything the row holds, so the audit chain alone can re-derive it.
        payload: dict[str, Any] = {"indicator": indicator_key, "value": number, "note": note, "role": role,
                                   "source": None, "evidence": None}
        if evidence is not None:
            row.evidence_name, row.evidence_path, row.evidence_size = evidence.name, evidence.path, evidence.size
            row.evidence_type, row.evidence_sha256 = evidence.content_type, evidence.sha256
            payload["evidence"] = {"name": evidence.name, "sha256": evidence.sha256, "size": evidence.size,
                                   "content_type": evidence.content_type, "path": evidence.path}
        session.add(row)
        return payload

    return edit_appraisal(session, appraisal_id, actor, "realisation", expected_version, change, now)


#: The longest title of a development activity the tables keep (``DevelopmentActivity.title``).
MAX_ACTIVITY_TITLE = 255


def activity_title(text: str) -> str:
    """A development activity's title, spaces folded; refused when empty or longer than the table keeps."""
    title = " ".join(str(text or "").split())
    if not title:
        raise InvalidInput("the activity needs a title", msg=Message("development.title_required"))
    if len(title) > MAX_ACTIVITY_TITLE:
        raise InvalidInput(f"the activity's title is longer than {MAX_ACTIVITY_TITLE} characters",
                           errors={"title": f"longer than {MAX_ACTIVITY_TITLE} characters"},
                           msg=Message("development.title_long", limit=MAX_ACTIVITY_TITLE, length=len(title)))
    return title


def record_development(session: Session, appraisal_id: int, actor: Actor, title: str, jp: Any,
                       course_id: str | None = None, done: bool = False, now: datetime | None = None) -> Appraisal:
    """Plan or record a competence development activity (JP counts toward the yearly target).

    The right to edit is checked before the title and JP are judged: someone who may not edit learns that
    first, not what was wrong with what they typed. One recorded done was done at its event's moment."""
    now = now or utcnow()

    def change(appraisal: Appraisal, defn: CycleDefinition, _policy: Policy, _role: str | None) -> dict[str, Any]:
        hours = _number(jp, Message("development.jp"), above=0, maximum=MAX_JP)
        text = activity_title(title)
        row = DevelopmentActivity(
            appraisal_id=appraisal.id, course_id=course_id, title=text, jp=hours,
            status="done" if done else "planned", completed_at=now if done else None,
        )
        session.add(row)
        session.flush()  # the event names the activity, so a later change to it is replayed onto this row
        return {"activity": row.id, "title": text, "jp": hours, "course_id": course_id,
                "status": "done" if done else "planned"}

    return edit_appraisal(session, appraisal_id, actor, "development", None, change, now)
