"""The guidance section: what happens next on an appraisal, who must do it, by when, and what is still missing.

Everything is read off the cycle definition (the transitions out of the current state, their roles, guards,
payloads and windows, the state's deadline and edit rights) and the appraisal's data, so any cycle file gets
the same guidance without code. It holds facts, never sentences: the page, the printable document and the
API each say them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select

from engine.appraisals import window_closes_at
from engine.definition import CycleDefinition, Text, TransitionDef
from engine.detail.model import Action, HistoryEntry, SkpRow
from engine.detail.next_steps import AddressedComment, Guidance, Missing, NextStep, StateDeadline
from engine.detail.reading import Reading
from engine.models import Employee, User
from engine.provenance import supply_of
from engine.readiness import Gap
from engine.resolvers import HolderIndex, Subject

# Payload fields a person writes to another: the comment on a return, the reason of an appeal, a decision's grounds.
COMMENT_KEYS = ("komentar", "alasan", "pertimbangan", "catatan", "note", "comment")
MAX_NAMES = 3  # people named per role; beyond that the role's label says enough


def irreversible(defn: CycleDefinition, transition: TransitionDef) -> bool:
    """Whether nobody can take the step back: it ends the cycle (its destination is final), or it records a
    decision (it saves a payload: an appeal, an appeal decision) and no way leads from its destination back
    to where it was taken. A returnable rating is not irreversible; closing a cycle and a final appeal
    decision are."""
    dest = defn.states.get(transition.dest)
    if dest is not None and dest.final:
        return True
    if not transition.save_as:
        return False
    return not set(transition.sources) & _reachable(defn, transition.dest)


def _reachable(defn: CycleDefinition, start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for t in defn.transitions_from(todo.pop()):
            if t.dest not in seen:
                seen.add(t.dest)
                todo.append(t.dest)
    return seen


def guidance(reading: Reading, actions: Iterable[Action], skp: Iterable[SkpRow], gaps: Iterable[Gap],
             history: Iterable[HistoryEntry]) -> Guidance:
    """The next steps, the state's deadline, what is missing and the comment addressed to the reader."""
    defn, appraisal = reading.defn, reading.appraisal
    state = defn.states.get(appraisal.state)
    final = bool(state and state.final)
    closed = appraisal.closed_at is not None
    mine = {a.available.transition.trigger for a in actions}
    deadline = None
    if state is not None and state.deadline is not None and appraisal.due_at is not None and not closed:
        fired = defn.transition(state.deadline.fire, appraisal.state) if state.deadline.fire else None
        deadline = StateDeadline(appraisal.due_at, state.deadline.then, fired.label if fired else None,
                                 fired.trigger if fired else None)
    steps: tuple[NextStep, ...] = ()
    if not closed and not final:
        exits = defn.transitions_from(appraisal.state)
        people = _people(reading, {r for t in exits for r in t.roles}
                         | {r for t in exits for later in defn.transitions_from(t.dest) for r in later.roles})
        steps = tuple(_step(reading, t, mine, people, deadline) for t in defn.transitions_from(appraisal.state))
    missing = () if closed or final else _missing(reading, tuple(skp), tuple(gaps))
    comment = _addressed(reading, tuple(history), bool(mine))
    return Guidance(final, closed, steps, missing, deadline, comment)


def _labels(defn: CycleDefinition, roles: Iterable[str]) -> tuple[Text, ...]:
    return tuple(defn.roles[r].label if r in defn.roles else Text(r, r) for r in roles)


def _step(reading: Reading, t: TransitionDef, mine: set[str], people: Mapping[str, tuple[str, ...]],
          deadline: StateDeadline | None) -> NextStep:
    defn = reading.defn
    dest = defn.states.get(t.dest)
    schema = t.payload_schema or {}
    properties = schema.get("properties") or {}
    ask_keys = tuple(str(name) for name in schema.get("required") or ())
    asks = tuple(str((properties.get(name) or {}).get("title") or name) for name in ask_keys)
    return NextStep(
        trigger=t.trigger, label=t.label, dest=t.dest, dest_label=dest.label if dest else Text(t.dest, t.dest),
        roles=t.roles, role_labels=_labels(defn, t.roles), people=tuple(people.get(r, ()) for r in t.roles),
        mine=t.trigger in mine,
        closes_at=window_closes_at(reading.appraisal, t),
        conditions=tuple(g.message for g in t.guards if g.message is not None), asks=asks,
        irreversible=irreversible(defn, t),
        automatic=deadline is not None and deadline.trigger == t.trigger, ask_keys=ask_keys,
        then_nobody=_then_nobody(defn, t.dest, people))


def _then_nobody(defn: CycleDefinition, dest: str, people: Mapping[str, tuple[str, ...]]) -> tuple[Text, ...]:
    """The roles ``dest`` waits for when nobody holds any of them and its ``vacant`` clause settles none."""
    spec = defn.states.get(dest)
    if spec is None or spec.final or spec.vacant:
        return ()
    roles = sorted({r for t in defn.transitions_from(dest) for r in t.roles})
    if not roles or any(people.get(r) for r in roles):
        return ()
    return _labels(defn, roles)


def _people(reading: Reading, roles: set[str]) -> dict[str, tuple[str, ...]]:
    """The names of the people holding each role on this appraisal (a few per role)."""
    defn, employee = reading.defn, reading.appraisal.employee
    specs = [defn.roles[r] for r in sorted(roles) if r in defn.roles]
    if not specs:
        return {}
    boss = employee.supervisor
    subject = Subject(employee.id, employee.unit_id, employee.supervisor_id, boss.supervisor_id if boss else None)
    index = HolderIndex(reading.session, [subject], {s.resolver for s in specs})
    held = {s.id: index.of(s, subject) for s in specs}
    employee_ids = {e for h in held.values() for e in h.employee_ids[:MAX_NAMES]}
    user_ids = {u for h in held.values() for u in h.user_ids[:MAX_NAMES]}
    names: dict[tuple[str, int], str] = {}
    if employee_ids:
        names.update({("e", i): n for i, n in reading.session.execute(
            select(Employee.id, Employee.name).where(Employee.id.in_(employee_ids)))})
    if user_ids:
        names.update({("u", i): n for i, n in reading.session.execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids)))})
    return {role: tuple(names[k] for k in [*(("e", i) for i in h.employee_ids[:MAX_NAMES]),
                                           *(("u", i) for i in h.user_ids[:MAX_NAMES])] if k in names)
            for role, h in held.items()}


def _editors(defn: CycleDefinition, state: str, kind: str) -> tuple[str, ...]:
    spec = defn.states.get(state)
    return tuple(r for r, kinds in (spec.edit if spec else {}).items() if kind in kinds)


def _missing(reading: Reading, skp: tuple[SkpRow, ...], gaps: tuple[Gap, ...]) -> tuple[Missing, ...]:
    """What the appraisal still lacks: IKI the current state asks realisations for (or the ways out wait
    for), an SKP with too few IKI while it is being drafted, feedback windows short of answers."""
    defn, state = reading.defn, reading.appraisal.state
    out: dict[tuple[str, str], Missing] = {}
    drafting = _editors(defn, state, "skp")
    wanted = max(defn.skp.min_indicators, 1) if defn.skp.employee_indicators else 0
    if drafting and len(skp) < wanted:
        out[("skp", "")] = Missing("skp", Text("SKP", "SKP"), drafting, _labels(defn, drafting), wanted=wanted)
    positions = {row.key: n for n, row in enumerate(skp, start=1)}
    recording = _editors(defn, state, "realisation")
    if recording:
        for row in skp:
            supply = supply_of(defn, row.key, row.label.id)
            if not supply.typed or row.realisation is not None:
                continue
            roles = tuple(r for r in recording if not supply.roles or r in supply.roles)
            if roles:
                out[("realisation", row.key)] = Missing("realisation", row.label, roles, _labels(defn, roles),
                                                        key=row.key, position=positions.get(row.key))
    for gap in gaps:
        supplied = dict(gap.suppliers)
        roles = tuple(supplied.get(state, ())) if gap.here else tuple(
            dict.fromkeys(r for rs in supplied.values() for r in rs))
        for ind in gap.indicators:
            out.setdefault(("realisation", ind.key), Missing(
                "realisation", Text(ind.label, ind.label), ind.supplied_by or roles,
                _labels(defn, ind.supplied_by or roles), here=gap.here, key=ind.key, position=positions.get(ind.key)))
        if gap.window:
            window = defn.feedback_window(gap.window)
            label = window.label if window else Text(gap.window, gap.window)
            out.setdefault(("feedback", gap.window), Missing(
                "feedback", label, roles, _labels(defn, roles), here=gap.here, key=gap.window,
                answers=gap.answers, wanted=gap.wanted))
    return tuple(out.values())


def _comment(payload: Mapping[str, object]) -> str:
    return next((str(payload[k]).strip() for k in COMMENT_KEYS if isinstance(payload.get(k), str)
                 and str(payload[k]).strip()), "")


def _addressed(reading: Reading, history: tuple[HistoryEntry, ...], acts_now: bool) -> AddressedComment | None:
    """The comment that came with the step into the current state, when someone else wrote it and the
    reader is the appraised employee or acts now."""
    appraisal, actor = reading.appraisal, reading.actor
    entry = next((e for e in reversed(history) if e.kind == "transition"), None)
    if entry is None or entry.to_state != appraisal.state:
        return None
    text = _comment(entry.payload)
    if not text or (actor.user_id is not None and entry.actor_user_id == actor.user_id):
        return None
    if not (acts_now or actor.employee_id == appraisal.employee_id):
        return None
    return AddressedComment(text, entry.shown_name, entry.role_label, entry.transition_label, entry.occurred_at)
