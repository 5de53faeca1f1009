"""The people of a dry run and what they do: a generated organisation holding every role, and the
:class:`Driver` that fills in inputs and fires transitions as them with the real engine services."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.appraisals import fire_transition, record_development, record_realisation, set_skp
from engine.checkpoints.simulation import CheckpointWalk, fill_checkpoints
from engine.definition import CycleDefinition, TransitionDef
from engine.errors import Forbidden, SiklusError
from engine.feedback import give_feedback
from engine.messages import Bilingual, Message
from engine.models import Appraisal, Employee, Indicator, OrgUnit, RoleGrant, User
from engine.notification_texts import plain_text
from engine.permissions import Actor
from engine.provenance import system_source

PROFILES = ("above", "at", "below")
MISSING_REALISATION = "missing-realisation"
MISSING_RESPONDENTS = "missing-respondents"
#: Walks with incomplete data: what each leaves out, in words for the report.
INCOMPLETE_PROFILES = {
    MISSING_REALISATION: Bilingual("sebuah IKI tidak mempunyai realisasi", "an IKI has no realisation"),
    MISSING_RESPONDENTS: Bilingual("sebuah jendela umpan balik mendapat jawaban lebih sedikit dari yang dimintanya",
                                   "a feedback window has fewer answers than it asks for"),
}
# Realisation as a share of the target, per profile.
REALISED = {"above": 1.1, "at": 1.0, "below": 0.5}
# A self-assessment's rating answers, per profile.
RATING_WORDS = {"above": "Di Atas Ekspektasi", "at": "Sesuai Ekspektasi", "below": "Di Bawah Ekspektasi"}
BERAKHLAK = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")
IKM_ELEMENTS = tuple(f"U{i}" for i in range(1, 10))
# Where an incomplete profile's input stands on a walk (see _next_phase).
PENDING, MISSING, SUPPLIED = "pending", "missing", "supplied"
SYSTEM = "system"  # the role name used for a transition fired by a deadline
PEERS = 4
PUBLIC_RESPONDENTS = 5
SUBORDINATES = 2


class Cast:
    """The generated organisation: a staff unit with the rater, the reviewer and peers, and per attempt
    a fresh unit with the appraised employee and their subordinates."""

    def __init__(self, session: Session, defn: CycleDefinition) -> None:
        self.session = session
        self.defn = defn
        self.n = 0
        self.root = OrgUnit(code="SIM", name="Instansi Simulasi", public_slug="simulasi")
        session.add(self.root)
        session.flush()
        self.reviewer = self._person("Atasan Penilai", None, self.root.id)
        self.rater = self._person("Pejabat Penilai", self.reviewer[0], self.root.id)
        self.peers = [self._person(f"Rekan {i}", self.rater[0], self.root.id) for i in range(1, PEERS + 1)]
        self.hr = self._user("sdm-simulasi", None, [("hr", self.root.id)])
        groups = sorted({r.group for r in defn.roles.values() if r.resolver == "group" and r.group})
        self.groups = {g: self._user(f"grup-{g}", None, [(f"group:{g}", self.root.id)]) for g in groups}
        session.commit()

    def _user(self, username: str, employee: Employee | None, grants: Iterable[tuple[str, int | None]] = ()) -> Actor:
        user = User(username=username, display_name=username, employee_id=employee.id if employee else None)
        self.session.add(user)
        self.session.flush()
        for role, unit_id in grants:
            self.session.add(RoleGrant(user_id=user.id, role=role, unit_id=unit_id))
        self.session.flush()
        return Actor(user_id=user.id, username=username, employee_id=employee.id if employee else None,
                     grants=tuple(grants))

    def _person(self, name: str, supervisor: Employee | None, unit_id: int) -> tuple[Employee, Actor]:
        self.n += 1
        employee = Employee(nip=f"{199001012020011000 + self.n}", name=name, position="Analis", unit_id=unit_id,
                            supervisor_id=supervisor.id if supervisor else None, email=None)
        self.session.add(employee)
        self.session.flush()
        return employee, self._user(f"sim{self.n}", employee)

    def fresh_employee(self) -> tuple[OrgUnit, Employee, Actor, list[Actor]]:
        """A new unit holding one employee (supervised by the rater), with their subordinates elsewhere."""
        unit = OrgUnit(code=f"SIM-{self.n + 1}", name=f"Unit Simulasi {self.n + 1}", parent_id=self.root.id)
        self.session.add(unit)
        self.session.flush()
        employee, actor = self._person("Pegawai Simulasi", self.rater[0], unit.id)
        subordinates = [self._person(f"Bawahan {i}", employee, self.root.id)[1] for i in range(1, SUBORDINATES + 1)]
        return unit, employee, actor, subordinates

    def holders(self, role_id: str, employee: Actor, subordinates: list[Actor]) -> list[Actor]:
        """Everyone in the cast holding ``role_id`` for the appraised employee (the first one acts)."""
        role = self.defn.roles[role_id]
        return {
            "self": [employee],
            "supervisor": [self.rater[1]],
            "supervisor_of_supervisor": [self.reviewer[1]],
            "peers": [p[1] for p in self.peers],
            "subordinates": subordinates,
            "unit_hr": [self.hr],
            "group": [self.groups[role.group]] if role.group in self.groups else [],
        }.get(role.resolver, [])


def example_payload(schema: Mapping[str, Any] | None, profile: str = "at") -> Any:
    """A value valid for the subset of JSON Schema cycle payloads use; ``profile`` picks among enum choices
    (first, middle or last) and whether optional properties are filled."""
    if not schema:
        return {}
    index = PROFILES.index(profile)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        choices = list(schema["enum"])
        return choices[min(index, len(choices) - 1)] if index < 2 else choices[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema and schema[key]:
            return example_payload(schema[key][0], profile)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind is None:
        kind = "object" if "properties" in schema or "required" in schema else "string"
    if kind == "object":
        properties: Mapping[str, Any] = schema.get("properties", {})
        patterns: Mapping[str, Any] = schema.get("patternProperties", {})
        required = list(schema.get("required", []))
        wanted = required + ([k for k in properties if k not in required] if profile != "at" else [])
        out: dict[str, Any] = {}
        for name in wanted:
            sub = properties.get(name) or next(iter(patterns.values()), None) or {"type": "string"}
            out[name] = example_payload(sub, profile)
        return out
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        return [example_payload(schema.get("items", {"type": "string"}), profile) for _ in range(count)]
    if kind in ("number", "integer"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        high = schema.get("maximum", schema.get("exclusiveMaximum", low + 100))
        value = {"above": high, "at": (low + high) / 2, "below": low}[profile]
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            value = schema["exclusiveMinimum"] + 1
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            value = schema["exclusiveMaximum"] - 1
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return profile != "below"
    text = "Catatan simulasi untuk siklus ini."
    low, high = int(schema.get("minLength", 0)), int(schema.get("maxLength", 200))
    text = (text * (low // len(text) + 1))[:max(low, min(len(text), high))]
    return text


def feedback_answers(questions: Any, profile: str) -> dict[str, int]:
    """Answers to a feedback window's questions: berakhlak and ikm are 1-4; listed questions use their scale."""
    if questions == "berakhlak":
        keys: list[tuple[str, int]] = [(k, 4) for k in BERAKHLAK]
    elif questions == "ikm":
        keys = [(k, 4) for k in IKM_ELEMENTS]
    elif isinstance(questions, (list, tuple)):
        keys = [(str(q.get("id") if isinstance(q, Mapping) else getattr(q, "id", q)),
                 int((q.get("scale") if isinstance(q, Mapping) else getattr(q, "scale", None)) or 4))
                for q in questions]
    else:
        keys = [("nilai", 4)]
    return {k: {"above": scale, "at": max(scale - 1, 1), "below": 1}[profile] for k, scale in keys}


def target_value(target: Any) -> float:
    if isinstance(target, (list, tuple)) and target:
        return float(target[-1])
    if isinstance(target, (int, float)):
        return float(target)
    return 100.0


Holders = Callable[[str], list[Actor]]


class Driver:
    """Moves one appraisal through a cycle with the real engine services, as the people holding each
    role: fills in what the current state lets them edit (SKP, realisations, feedback, development) and
    fires transitions with payloads generated from their schemas. Shared by the simulator and the demo."""

    def __init__(self, session: Session, defn: CycleDefinition) -> None:
        self.session = session
        self.defn = defn
        self.checkpoints = CheckpointWalk()

    def transition(self, trigger: str) -> TransitionDef:
        return next(t for t in self.defn.transitions if t.trigger == trigger)

    def fill_inputs(self, appraisal_id: int, holders: Holders, profile: str, moment: datetime,
                    withhold: bool = False) -> None:
        """Fill in whatever the current state lets someone edit, as the first holder of an editing role.

        With ``withhold`` an incomplete profile leaves its input out: the last IKI's realisation, or enough
        answers that each role of a feedback window has fewer than its ``min_respondents``.

        The checkpoints begun by ``moment`` come first, each entry dated inside its own window; then the state's
        edits and feedback, at ``moment``: the appraisal's history reads in the order the steps were taken.
        """
        fill_checkpoints(self.session, self.defn, appraisal_id, holders, moment,
                         lambda schema: example_payload(schema, values_of(profile)), RATING_WORDS[values_of(profile)],
                         self.checkpoints)
        self.session.expire_all()
        appraisal = self.session.get(Appraisal, appraisal_id)
        assert appraisal is not None
        state = self.defn.states[appraisal.state]
        editors: dict[str, list[Actor]] = {}
        for role, kinds in state.edit.items():
            for kind in kinds:
                editors.setdefault(kind, []).extend(holders(role)[:1])
        for kind, actors in editors.items():
            for actor in actors:
                try:
                    self._edit(kind, appraisal_id, actor, profile, moment,
                               withhold and incomplete_of(profile) == MISSING_REALISATION)
                    if kind != "realisation":  # each indicator's supplier records their own realisations
                        break
                except SiklusError:
                    self.session.rollback()
        for window in self.defn.feedback:
            if appraisal.state not in window.states:
                continue
            wanted = max(window.min_respondents, 1) + 2
            if withhold and incomplete_of(profile) == MISSING_RESPONDENTS:
                wanted = max(window.min_respondents - 1, 0)
            for role in window.roles:
                for respondent in holders(role)[:wanted]:
                    try:
                        give_feedback(self.session, appraisal_id, respondent, window.id,
                                      feedback_answers(window.questions, values_of(profile)), now=moment)
                    except SiklusError:
                        self.session.rollback()

    def _edit(self, kind: str, appraisal_id: int, actor: Actor, profile: str, moment: datetime,
              withhold_one: bool = False) -> None:
        if kind == "skp":
            count = max(self.defn.skp.min_indicators, 1)
            weights = [round(100 / count, 6)] * count
            weights[-1] = round(100 - sum(weights[:-1]), 6)
            set_skp(self.session, appraisal_id, actor, [
                {"key": f"iki_{n}", "label": f"Indikator kinerja {n}", "target": 100, "weight": w,
                 "aspect": "kuantitas", "rhk": f"Rencana hasil kerja {n}"}
                for n, w in enumerate(weights, start=1)], now=moment)
        elif kind == "realisation":
            keys: list[tuple[str, Any]] = [(i.id, i.target) for i in self.defn.indicators if system_source(i) is None]
            keys += [(row.key, row.target) for row in self.session.scalars(
                select(Indicator).where(Indicator.appraisal_id == appraisal_id))]
            for key, target in keys[:-1] if withhold_one else keys:
                try:
                    record_realisation(self.session, appraisal_id, actor, key,
                                       round(target_value(target) * REALISED[values_of(profile)], 4), now=moment)
                except Forbidden:
                    self.session.rollback()  # another role supplies this one (engine.provenance)
        elif kind == "development":
            record_development(self.session, appraisal_id, actor, "Pelatihan", self.defn.jp_target or 20,
                               done=True, now=moment)

    def fire(self, appraisal_id: int, transition: TransitionDef, role: str, holders: Holders, profile: str,
             moment: datetime) -> Bilingual | None:
        """Fire ``transition`` as the first holder of ``role`` (or the system); the refusal reason, or None."""
        actors = [Actor.system()] if role == SYSTEM else holders(role)[:1]
        if not actors:
            return said(Message("simulate.nobody_holds", role=role, resolver=self.defn.roles[role].resolver))
        try:
            fire_transition(self.session, appraisal_id, transition.trigger, actors[0],
                            example_payload(transition.payload_schema, values_of(profile)),
                            as_role=None if role == SYSTEM else role, now=moment)
        except SiklusError as exc:
            self.session.rollback()
            return refusal_reason(exc)
        return None


def incomplete_of(profile: str) -> str:
    """The incomplete-data part of a step's profile (``missing-realisation:below`` -> ``missing-realisation``)."""
    return profile.partition(":")[0]


def values_of(profile: str) -> str:
    """The value profile (above, at, below) a step fills in with: ``missing-realisation:below`` uses 'below',
    an incomplete profile without one 'at'."""
    head, _, values = profile.partition(":")
    if head in PROFILES:
        return head
    return values if values in PROFILES else "at"


def refusal_reason(exc: SiklusError) -> Bilingual:
    """Why the engine refused a step, in both languages: each guard's reason, or the error's message (its
    English as the log has it)."""
    reasons = exc.details.get("reasons") if isinstance(exc.details, dict) else None
    if reasons:
        return Bilingual.join([Bilingual(str(r.get("id") or r.get("en")), str(r.get("en") or r.get("id")))
                               if isinstance(r, Mapping) else Bilingual(str(r), str(r)) for r in reasons])
    return Bilingual(plain_text(exc.msg, "id") if exc.msg is not None else exc.message, exc.message)


def said(message: Message) -> Bilingual:
    """A coded message written out in both languages."""
    return Bilingual(plain_text(message, "id"), message.english())
