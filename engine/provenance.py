"""Who may supply each value of an appraisal, and who or what supplied each value shown.

The cycle file says who owns each value; this module is the one place that enforces it, for the
screens, the API, the command line, the demo and ``siklus simulate`` alike:

- **Realisation of a fixed indicator** (``indicators:``) is recorded by its ``supplied_by`` role; the
  realisation of the employee's own IKI by ``skp.supplied_by``. Without ``supplied_by`` any role the
  state lets edit realisations may record it (the cycle chose not to narrow it).
- The state must let that role edit ``realisation`` now (the state's ``edit:``), and the appraised
  employee supplies only as themselves: an HR officer appraised in their own unit does not type their
  own proven-complaint count as HR.
- **A value fed by the system** (a fixed indicator with ``inputs: {realisation: PATH}``, e.g.
  ``unit.ikm``, or ``source: WINDOW``) is typed by nobody. It is read from its source each time, and
  it is the only value of that indicator rules read and screens show.
- **Targets**: a fixed indicator's target is the cycle's: HR sets it in the cycle file it publishes,
  and no appraisal changes it. The employee's own IKI with their targets are written by whoever the
  state lets edit the ``skp`` (the employee while planning, in the shipped cycles); each target
  keeps who set it, as which role, and when.

A refusal is a :class:`~engine.errors.Forbidden` naming the indicator and who may supply it, with the
sentence in both languages (``text``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definition import CycleDefinition, IndicatorDef, Text
from engine.errors import Forbidden
from engine.messages import Label, Message, one_of
from engine.models import Appraisal, Indicator, Realisation, User

if TYPE_CHECKING:
    from engine.policy import Policy

#: Readable names of the system sources an indicator's realisation can come from.
SOURCE_LABELS = {
    "unit.ikm": Text("IKM unit kerja dari survei kepuasan masyarakat",
                     "the unit's IKM from the public satisfaction survey"),
    "complaints.verified": Text("pengaduan masyarakat yang diverifikasi SDM",
                                "public complaints verified by HR"),
}
#: What a fixed indicator's target comes from: the cycle file.
CYCLE_SOURCE = "cycle"


def system_source(indicator: IndicatorDef) -> str | None:
    """The system source that feeds a fixed indicator's realisation (``unit.ikm``...), or None when people type it."""
    spec = indicator.inputs.get("realisation")
    if isinstance(spec, str):
        return spec
    if isinstance(spec, (list, tuple)) and spec:
        return " | ".join(str(p) for p in spec)
    if spec is not None:  # a literal number in the cycle file
        return CYCLE_SOURCE
    if indicator.source:
        return f"feedback.{indicator.source}"
    return None


def source_label(source: str) -> Text:
    """A person's name for a system source (the path itself when there is no better one)."""
    if source in SOURCE_LABELS:
        return SOURCE_LABELS[source]
    if source == CYCLE_SOURCE:
        return Text("berkas siklus", "the cycle file")
    if source.startswith("feedback."):
        window = source.removeprefix("feedback.")
        return Text(f"umpan balik {window}", f"feedback {window}")
    return Text(source, source)


@dataclass(frozen=True)
class Supply:
    """Who or what supplies one indicator's realisation."""

    key: str
    label: Text
    roles: tuple[str, ...]  # the cycle roles that may type it; empty with ``system`` or when anyone editing may
    system: str | None = None  # the system source feeding it; then nobody types it

    @property
    def typed(self) -> bool:
        return self.system is None


def supply_of(defn: CycleDefinition, key: str, own_label: str | None = None) -> Supply:
    """Who supplies the realisation of indicator ``key``: a fixed indicator, else one of the employee's own IKI."""
    for ind in defn.indicators:
        if ind.id == key:
            return Supply(key, ind.label, (ind.supplied_by,) if ind.supplied_by else (), system_source(ind))
    roles = (defn.skp.supplied_by,) if defn.skp.supplied_by else ()
    return Supply(key, Text(own_label or key, own_label or key), roles)


def recording_roles(defn: CycleDefinition, state: str, supply: Supply) -> tuple[str, ...]:
    """The cycle roles that may record ``supply``'s realisation in ``state`` (none for a system-fed value).

    For whoever asks what an appraisal waits for and who can supply it (the rating screen, the
    validator, ``siklus simulate``, migration checks), without a person at hand.
    """
    spec = defn.states.get(state)
    if supply.system is not None or spec is None:
        return ()
    open_now = [r for r, kinds in spec.edit.items() if "realisation" in kinds]
    return tuple(r for r in (supply.roles or open_now) if r in open_now)


def _roles(defn: CycleDefinition, roles: Iterable[str]) -> Any:
    """Roles named in a refusal by their labels: ``A atau B``."""
    return one_of([Label(r, defn.roles[r].label if r in defn.roles else None) for r in roles])



def realisation_role(policy: Policy, defn: CycleDefinition, appraisal: Appraisal, supply: Supply) -> str:
    """The role the actor records ``supply``'s realisation as now; Forbidden (in both languages) when they may not."""
    indicator = Label(supply.key, supply.label)
    if supply.system is not None:
        src = source_label(supply.system)
        raise Forbidden(
            f"the realisation of '{supply.key}' is fed by the system from {supply.system}; nobody may type it",
            indicator=supply.key, source=supply.system,
            msg=Message("realisation.system_fed", indicator=indicator, source=Label(supply.system, src)))
    open_now = policy.editors(defn, appraisal.state, "realisation")
    suppliers = list(supply.roles) or open_now
    allowed = list(recording_roles(defn, appraisal.state, supply))
    held = policy.acting_roles(defn, appraisal.employee, allowed)
    if held:
        return held[0]
    if not allowed:
        state = Label(appraisal.state, defn.states[appraisal.state].label if appraisal.state in defn.states else None)
        raise Forbidden(
            f"in state '{appraisal.state}' nobody may record the realisation of '{supply.key}' "
            f"(it is supplied by {', '.join(suppliers) or 'nobody'})",
            indicator=supply.key, supplied_by=suppliers,
            msg=Message("realisation.not_now", state=state, indicator=indicator, roles=_roles(defn, suppliers)))
    # The appraised employee who also holds a supplying role (HR of their own unit) hears why.
    is_self = bool(policy.roles(defn, appraisal.employee, allowed))
    raise Forbidden(
        f"only {', '.join(allowed)} may record the realisation of '{supply.key}'"
        + (" (not the appraised employee)" if is_self else ""),
        indicator=supply.key, supplied_by=allowed,
        msg=Message("realisation.only_not_self" if is_self else "realisation.only", indicator=indicator,
                    roles=_roles(defn, allowed)))


def realisable_keys(session: Session, policy: Policy, defn: CycleDefinition, appraisal: Appraisal) -> list[str]:
    """The indicators whose realisation the actor may record now, in the SKP's order (for forms)."""
    keys: list[tuple[str, str | None]] = [(i.id, None) for i in defn.indicators]
    if defn.skp.employee_indicators:
        keys += [(k, label) for k, label in session.execute(
            select(Indicator.key, Indicator.label).where(Indicator.appraisal_id == appraisal.id)
            .order_by(Indicator.position, Indicator.id))]
    out = []
    for key, label in keys:
        try:
            realisation_role(policy, defn, appraisal, supply_of(defn, key, label))
        except Forbidden:
            continue
        out.append(key)
    return out


# -- provenance of the values shown ----------------------------------------------------------------

@dataclass(frozen=True)
class Provenance:
    """Who or what supplied a value, and when: a person as a cycle role, or a system source."""

    source: str | None = None  # "unit.ikm", "cycle"...: the system supplied it
    user_id: int | None = None
    name: str | None = None  # the person's display name (their username when it has none)
    role: str | None = None
    role_label: Text | None = None
    at: datetime | None = None

    @property
    def by_system(self) -> bool:
        return self.source is not None

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "user_id": self.user_id, "name": self.name, "role": self.role,
                "role_label": self.role_label.as_dict() if self.role_label else None, "at": self.at}


def _person(names: dict[int, str], defn: CycleDefinition, user_id: int | None, role: str | None,
            at: datetime | None, source: str | None = None) -> Provenance:
    found = defn.roles.get(role or "")
    return Provenance(source=source, user_id=user_id, name=names.get(user_id or 0), role=role,
                      role_label=found.label if found else None, at=at)


def user_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """Display names (or usernames) of users, in one query."""
    wanted = {u for u in user_ids if u is not None}
    if not wanted:
        return {}
    return {uid: display or username for uid, display, username in session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(wanted)))}


def realisation_provenance(session: Session, defn: CycleDefinition,
                           rows: Iterable[Realisation]) -> dict[int, Provenance]:
    """Who supplied each stored realisation, by realisation id."""
    rows = list(rows)
    names = user_names(session, (r.recorded_by_id for r in rows))
    return {r.id: _person(names, defn, r.recorded_by_id, r.supplied_role, r.recorded_at, r.source) for r in rows}


def target_provenance(session: Session, defn: CycleDefinition, own: Iterable[Indicator]) -> dict[str, Provenance]:
    """Who set each target, by indicator key.

    The cycle sets fixed indicators' targets; the SKP's author sets the employee's own.
    """
    own = list(own)
    names = user_names(session, (i.set_by_id for i in own))
    out = {i.id: Provenance(source=CYCLE_SOURCE) for i in defn.indicators}
    for i in own:
        out[i.key] = _person(names, defn, i.set_by_id, i.set_role, i.set_at)
    return out


def system_provenance(indicator: IndicatorDef, at: datetime | None = None) -> Provenance | None:
    """The provenance of a system-fed realisation (None for a typed one)."""
    source = system_source(indicator)
    return Provenance(source=source, at=at) if source is not None else None
