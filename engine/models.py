"""Storage: typed SQLAlchemy 2 models for organisations, cycles, appraisals and the audit log.

Plain SQLAlchemy so the engine needs no Flask; the web app hands this ``Base`` to Flask-SQLAlchemy, so both
share one metadata and one schema (Alembic migrations under ``web/migrations``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.citizen_models import Complaint, FeedbackNomination  # noqa: F401  (listed with every model)
from engine.job_models import Job, JobItem  # noqa: F401  (listed with every model)
from engine.model_base import NAMING, Base, CanonicalJSON, UTCDateTime, utcnow  # noqa: F401  (re-exported)
from engine.rater_models import RaterDesignation  # noqa: F401  (listed with every model)
from engine.tally_models import AppraisalTally, IndicatorTally, OrgUnitAncestor, OverdueTally  # noqa: F401  (listed with every model)


class StoredFile:
    """The columns of a file kept with a row (evidence, a certificate): engine.evidence stores it by hash."""

    evidence_name: Mapped[str | None] = mapped_column(String(255))
    evidence_path: Mapped[str | None] = mapped_column(String(512))
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_size: Mapped[int | None] = mapped_column(BigInteger)
    evidence_type: Mapped[str | None] = mapped_column(String(127))


class OrgUnit(Base):
    """Unit kerja: an organisational unit; units nest (an agency is the root)."""

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # Public feedback link /umpan-balik/<slug>: service units the public can rate.
    public_slug: Mapped[str | None] = mapped_column(String(80), unique=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent")


# A unit code is one code whatever its case (``KEU`` and ``keu`` are one unit's code): migration c6e1a9d4f2b7.
Index("uq_org_unit_code_lower", func.lower(OrgUnit.code), unique=True)


class Employee(Base):
    """A civil servant (ASN), identified by an 18-digit NIP."""

    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[str] = mapped_column(String(255), default="")
    # Jenjang jabatan fungsional (e.g. Ahli Pertama), used for credit points.
    position_level: Mapped[str | None] = mapped_column(String(64))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[OrgUnit] = relationship()
    supervisor: Mapped[Employee | None] = relationship(remote_side=[id])


class User(Base):
    """A login. Employees have one; HR officers and administrators may too."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), unique=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session cookie; raised on logout and password change, so a copied cookie dies.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    employee: Mapped[Employee | None] = relationship()
    grants: Mapped[list[RoleGrant]] = relationship(back_populates="user", cascade="all, delete-orphan")


class RoleGrant(Base):
    """A role held outside the org chart: HR of a unit (and its sub-units), admin, or a named group."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id", name="uq_role_grant_user_role_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # "hr", "admin", or "group:<name>"
    role: Mapped[str] = mapped_column(String(120))
    # None means every unit.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[OrgUnit | None] = relationship()


class CycleDefinitionRecord(Base):
    """A stored cycle file. Published versions are immutable; identified by version and content hash."""

    __tablename__ = "cycle_definition"
    __table_args__ = (UniqueConstraint("cycle_id", "version", name="uq_cycle_definition_cycle_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(255), default="")
    # draft | published | retired
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]
    # The unit whose HR owns the cycle (every version carries its first version's); NULL: the whole
    # organisation (engine.ownership).
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))


class CycleRun(Base):
    """A published definition launched for a unit and a period (e.g. 2026, 2026-S1, 2026-Q3, 2026-07)."""

    __tablename__ = "cycle_run"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id", "period", name="uq_cycle_run_cycle_unit_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[str] = mapped_column(String(64))
    definition_id: Mapped[int] = mapped_column(ForeignKey("cycle_definition.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    launched_at: Mapped[datetime] = mapped_column(default=utcnow)
    launched_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    definition: Mapped[CycleDefinitionRecord] = relationship()
    unit: Mapped[OrgUnit] = relationship()


# An employee has at most one open appraisal per cycle and period, whatever run it came from; a
# closed one (the employee left or moved) is history and does not count.
OPEN_APPRAISAL = text("closed_at IS NULL")
UNHANDLED_DEADLINE = text("overdue_handled_at IS NULL AND closed_at IS NULL")


class Appraisal(Base):
    """One employee's appraisal in one run; pinned to the definition it runs on.

    ``version`` is SQLAlchemy's version counter: an UPDATE carries ``WHERE version = :seen``, so a
    concurrent change makes the second writer fail instead of overwriting.
    ``audit_seq``/``audit_head`` are the head of this appraisal's audit chain.
    ``cycle_id`` and ``period`` repeat the run's so the database itself refuses a second open appraisal
    of one employee in one cycle and period (launching a sub-unit of a launched unit, a hand-written row).
    A closed appraisal (``closed_at`` set) keeps its state and data but takes no more actions and is
    left out of queues, reports and exports; ``closed_kind`` says why: ``left`` (the employee left the
    agency), ``transferred`` (mutasi: continued in another unit's run) or ``duplicate`` (a second launch
    retired when the constraint came in).
    """

    __tablename__ = "appraisal"
    __table_args__ = (
        UniqueConstraint("run_id", "employee_id", name="uq_appraisal_run_employee"),
        Index("uq_appraisal_employee_cycle_period", "employee_id", "cycle_id", "period", unique=True,
              sqlite_where=OPEN_APPRAISAL, postgresql_where=OPEN_APPRAISAL),
        # What `siklus tick` walks: passed deadlines not handled yet, of open appraisals (partial, so the
        # deadlines handled long ago are not in it).
        Index("ix_appraisal_due_unhandled", "due_at", "id", sqlite_where=UNHANDLED_DEADLINE,
              postgresql_where=UNHANDLED_DEADLINE),
        Index("ix_appraisal_definition_state", "definition_id", "state"),
        Index("ix_appraisal_open_due", "due_at", "state", sqlite_where=OPEN_APPRAISAL, postgresql_where=OPEN_APPRAISAL),
        Index("ix_appraisal_run_due", "run_id", "due_at", "id", sqlite_where=OPEN_APPRAISAL,
              postgresql_where=OPEN_APPRAISAL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("cycle_run.id"))
    definition_id: Mapped[int] = mapped_column(ForeignKey("cycle_definition.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    cycle_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Last time the appraisal entered each state: {state: ISO time}; time windows read it.
    state_entries: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime | None]
    overdue_handled_at: Mapped[datetime | None]
    # Payloads kept by transitions with save_as: {key: payload}.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # left | transferred | duplicate
    closed_kind: Mapped[str | None] = mapped_column(String(16))
    closed_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    run: Mapped[CycleRun] = relationship()
    definition: Mapped[CycleDefinitionRecord] = relationship()
    employee: Mapped[Employee] = relationship()

    __mapper_args__ = {"version_id_col": version}


class DeadlineFailure(Base):
    """A passed deadline whose transition could not fire: kept with its error, shown to HR, retried by tick.

    One row per appraisal; it belongs to the deadline of ``state`` falling at ``due_at`` and goes away
    when that deadline fires or the appraisal leaves the state.
    """

    __tablename__ = "deadline_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("appraisal.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(64))
    trigger: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text)
    # The refusal in both languages when it has one ({"id": ..., "en": ...}).
    error_text: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_tried_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_try_at: Mapped[datetime] = mapped_column(index=True)


class Indicator(Base):
    """An IKI in the employee's SKP: a planned work result (RHK) with its measurable target."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("appraisal_id", "key", name="uq_indicator_appraisal_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("appraisal.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    rhk: Mapped[str] = mapped_column(Text, default="")
    # The supervisor's RHK this one supports (intervensi / cascading): ``parent_id`` links the leader's
    # IKI row by id (engine.cascade); ``parent_rhk`` is the free text of earlier versions, still shown.
    parent_rhk: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id", ondelete="SET NULL"), index=True)
    label: Mapped[str] = mapped_column(Text)
    aspect: Mapped[str | None] = mapped_column(String(16))
    target: Mapped[Any | None] = mapped_column(JSON)
    unit: Mapped[str | None] = mapped_column(String(32))
    weight: Mapped[float | None] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Who set this target (the SKP's author while the cycle lets them edit it), as which role, and when.
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_role: Mapped[str | None] = mapped_column(String(64))
    set_at: Mapped[datetime | None]


class Realisation(StoredFile, Base):
    """An achieved value for an indicator, with its evidence (bukti dukung)."""

    __tablename__ = "realisation"
    __table_args__ = (Index("ix_realisation_appraisal_key", "appraisal_id", "indicator_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("appraisal.id", ondelete="CASCADE"))
    indicator_key: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The cycle role the value was supplied as (the indicator's supplied_by), or the system source
    # (e.g. "unit.ikm") that fed it when no person did; see engine.provenance.
    supplied_role: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(64))
    # The periodic checkpoint it was recorded for (``triwulan.2026-Q1``, see engine.checkpoints), if any.
    checkpoint: Mapped[str | None] = mapped_column(String(64))


# One report, rating, self-assessment and closure per checkpoint; feedback responses are any number.
SINGLE_CHECKPOINT_ENTRY = text("kind <> 'feedback'")


class CheckpointEntry(StoredFile, Base):
    """One entry of a periodic checkpoint: the employee's report or self-assessment, the rater's feedback or
    periodic rating, or the checkpoint's closure. Never updated: the checkpoints read as a timeline."""

    __tablename__ = "checkpoint_entry"
    __table_args__ = (
        Index("ix_checkpoint_entry_appraisal", "appraisal_id", "checkpoint"),
        Index("uq_checkpoint_entry_single", "appraisal_id", "checkpoint", "kind", unique=True,
              sqlite_where=SINGLE_CHECKPOINT_ENTRY, postgresql_where=SINGLE_CHECKPOINT_ENTRY),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("appraisal.id", ondelete="CASCADE"))
    # ``series.key``, e.g. ``triwulan.2026-Q1`` or ``laporan.2026-03``.
    checkpoint: Mapped[str] = mapped_column(String(64))
    # report | feedback | rating | self_assessment | closed
    kind: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text, default="")
    # The rating's payload, the self-assessment's answers; empty for a plain text.
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    role: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedbackResponse(Base):
    """A feedback answer: 360 (about an appraisal) or public (about a service unit)."""

    __tablename__ = "feedback_response"
    __table_args__ = (Index("ix_feedback_appraisal_window", "appraisal_id", "window"),
                      Index("ix_feedback_response_respondent_key", "respondent_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int | None] = mapped_column(ForeignKey("appraisal.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    window: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(64))
    respondent_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # A keyed hash (the server's respondent secret) that tells two answers by one respondent apart
    # without naming them; see engine.feedback.respondent_key.
    respondent_key: Mapped[str | None] = mapped_column(String(64))
    # The key is still the unkeyed digest of releases before the respondent secret (re-identifiable):
    # `siklus feedback rekey` upgrades such rows, and answering again upgrades the respondent's row.
    legacy_key: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The public survey's optional, anonymous respondent profile (engine.public_feedback.PROFILE).
    profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Result(Base):
    """The latest value of a named result for an appraisal, with the rule's explanation."""

    __tablename__ = "result"
    __table_args__ = (UniqueConstraint("appraisal_id", "name", name="uq_result_appraisal_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("appraisal.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(96))
    value: Mapped[Any | None] = mapped_column(JSON)
    explanation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    missing: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


# One live enrolment per course and appraisal: a withdrawn one leaves room for a new one.
LIVE_ENROLMENT = text("course_id IS NOT NULL AND status != 'withdrawn'")


class DevelopmentActivity(StoredFile, Base):
    """A competence development activity (training) with its lesson hours (JP): planned, done (with its
    certificate as evidence when there is one) or withdrawn (engine.development)."""

    __tablename__ = "development_activity"
    __table_args__ = (Index("uq_development_activity_course", "appraisal_id", "course_id", unique=True,
                            sqlite_where=LIVE_ENROLMENT, postgresql_where=LIVE_ENROLMENT),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("appraisal.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255))
    jp: Mapped[float] = mapped_column(Float)
    # planned | done | withdrawn
    status: Mapped[str] = mapped_column(String(16), default="planned")
    completed_at: Mapped[datetime | None]


# A unit has at most one standing organisation predicate per period; a superseded one is history.
STANDING_DECISION = text("superseded_at IS NULL")


class UnitPredicate(Base):
    """Predikat kinerja organisasi: the predicate the head of the organisation above set for a unit and a
    period (annual or periodic), with its signed *penetapan* (a PDF kept like evidence).

    A decision is never edited: a new one for the same unit and period supersedes it
    (``superseded_at``/``superseded_by_id``) and both stay. Each is one ``unit_predicate`` event in the
    system audit chain (``audit_event_id``); see engine.unit_predicate.
    """

    __tablename__ = "unit_predicate"
    __table_args__ = (
        Index("uq_unit_predicate_unit_period", "unit_id", "period", unique=True,
              sqlite_where=STANDING_DECISION, postgresql_where=STANDING_DECISION),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # 2026 (annual), 2026-S1, 2026-Q3 or 2026-07 (periodic), with its bounds in the agency's time zone.
    period: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    # Istimewa | Baik | Butuh Perbaikan | Kurang | Sangat Kurang (rules.terms.UNIT_PREDICATES)
    predicate: Mapped[str] = mapped_column(String(32))
    decided_on: Mapped[date] = mapped_column(Date)
    # Who decided, as the penetapan names them (e.g. "Bupati Solok"); the recorder is recorded_by.
    decided_by: Mapped[str] = mapped_column(String(255))
    document_name: Mapped[str] = mapped_column(String(255))
    document_path: Mapped[str] = mapped_column(String(512))
    document_sha256: Mapped[str] = mapped_column(String(64))
    document_size: Mapped[int] = mapped_column(BigInteger)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[datetime | None]
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("unit_predicate.id"))
    audit_event_id: Mapped[int | None] = mapped_column(ForeignKey("audit_event.id"))

    unit: Mapped[OrgUnit] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class AuditEvent(Base):
    """One step in a tamper-evident log: each event carries the hash of the one before it.

    Each appraisal has its own chain (stream ``appraisal:<id>``); definitions, launches and imports
    go to the ``system`` stream. ``(stream, seq)`` is unique, so a chain cannot fork.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("stream", "seq", name="uq_audit_event_stream_seq"),
        Index("ix_audit_event_occurred_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stream: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(64))
    # No ON DELETE action: a cascade would rewrite hashed history.
    appraisal_id: Mapped[int | None] = mapped_column(ForeignKey("appraisal.id"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    trigger: Mapped[str | None] = mapped_column(String(64), index=True)
    from_state: Mapped[str | None] = mapped_column(String(64))
    to_state: Mapped[str | None] = mapped_column(String(64))
    # In canonical text: the event's hash is checked over the stored bytes.
    payload: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON, default=dict)
    results: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Which server key signed ``hash`` (HMAC-SHA256); NULL marks an unkeyed SHA-256 of earlier versions,
    # which ``siklus audit rekey`` re-signs.
    key_id: Mapped[str | None] = mapped_column(String(16))


class AuditCheckpoint(Base):
    """The signed head of one audit stream, kept outside the appraisal row.

    Written in the same transaction as each event, so a chain whose tail was cut (and whose head on
    the appraisal was moved back), or an appraisal deleted with its events, no longer matches it.
    No foreign key: the checkpoint must outlive a deleted appraisal to name it.
    """

    __tablename__ = "audit_checkpoint"

    stream: Mapped[str] = mapped_column(String(64), primary_key=True)
    appraisal_id: Mapped[int | None] = mapped_column(Integer, index=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    # The head ``siklus audit verify`` last proved (signed likewise), so a later run re-walks only chains
    # that moved; ``launch_run_id``: the run whose launch started the chain (the launch-count check).
    verified_seq: Mapped[int | None] = mapped_column(Integer)
    verified_hash: Mapped[str | None] = mapped_column(String(64))
    verified_key_id: Mapped[str | None] = mapped_column(String(16))
    verified_signature: Mapped[str | None] = mapped_column(String(64))
    verified_at: Mapped[datetime | None]
    launch_run_id: Mapped[int | None] = mapped_column(Integer)


class ApiToken(Base):
    """A personal API token. Only a SHA-256 of the secret is kept; ``prefix`` lets a person tell tokens apart."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Notification(Base):
    """A message to one person: shown in the app, and e-mailed (or kept in the outbox without SMTP).

    ``dedupe_key`` is unique, so a notice (e.g. the reminder for one deadline) is created once however
    often the sweep runs.
    """

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_read", "user_id", "read_at"),
        # A person's notices newest first (the notices page) without sorting all of them.
        Index("ix_notification_user_created", "user_id", "created_at", "id"),
        Index("ix_notification_email_status", "email_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(255))
    appraisal_id: Mapped[int | None] = mapped_column(ForeignKey("appraisal.id", ondelete="CASCADE"), index=True)
    # action_needed | reminder | escalation | info
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    # What the notice says, rendered in the reader's language when read (engine.notification_texts):
    # a message code and its parameters. ``subject`` and ``body`` keep the text in the recipient's
    # language when it was written; a notice without a code (written before codes) shows them.
    code: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # none (no address) | outbox (waiting, or no SMTP configured) | sent | failed
    email_status: Mapped[str] = mapped_column(String(16), default="outbox")
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_sent_at: Mapped[datetime | None]
    email_error: Mapped[str | None] = mapped_column(Text)


class SweepCursor(Base):
    """How far a background sweep (e.g. notifications over the audit log) has read, by name."""

    __tablename__ = "sweep_cursor"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RateLimitCounter(Base):
    """A fixed-window counter of requests (logins, API calls) shared by every worker and host."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    # Seconds since the epoch when the window ends.
    expires_at: Mapped[float] = mapped_column(Float, index=True)
