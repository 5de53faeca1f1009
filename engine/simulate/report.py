"""What a dry run found: the findings, the typical path's timeline, and the report as text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.messages import Message
from engine.notification_texts import plain_text
from engine.runs import period_timezone


@dataclass(frozen=True)
class Step:
    """One transition on a path: the trigger, who fired it (a cycle role or ``system``) and the inputs profile."""

    trigger: str
    role: str
    profile: str


@dataclass(frozen=True)
class Finding:
    """One problem the simulation found. ``kind`` is one of unreached-state, never-ends,
    unfireable-transition, impossible-deadline, stranded, checkpoint."""

    kind: str
    subject: str
    message: str  # English, for logs and ``--json``
    msg: Message | None = None

    @classmethod
    def of(cls, kind: str, subject: str, msg: Message) -> Finding:
        return cls(kind, subject, msg.english(), msg)

    def text(self, lang: str) -> str:
        """The finding in ``lang``."""
        return plain_text(self.msg, lang) if self.msg is not None else self.message


@dataclass(frozen=True)
class TimelineEntry:
    """A state on the typical path: when it is entered, when it falls due, and how it is left."""

    state: str
    label: str
    entered_at: datetime
    due_at: datetime | None
    deadline_action: str | None
    leave_by: Step | None
    left_at: datetime | None


@dataclass
class SimulationReport:
    """What a dry run of one cycle found."""

    cycle_id: str
    version: int
    period: str
    reached: list[str] = field(default_factory=list)
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)  # (source, trigger, role, dest)
    findings: list[Finding] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    attempts: int = 0
    bound_hit: bool = False
    # How each reached state was first reached (the demo replays these).
    paths: dict[str, list[Step]] = field(default_factory=dict)
    # The incomplete-data profiles walked (a cycle where nobody supplies an input has nothing to leave out).
    walked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings and not self.bound_hit

    def to_dict(self) -> dict[str, Any]:
        def when(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {
            "cycle_id": self.cycle_id, "version": self.version, "period": self.period, "ok": self.ok,
            "reached": self.reached, "attempts": self.attempts, "bound_hit": self.bound_hit, "walked": self.walked,
            "edges": [{"source": s, "trigger": t, "role": r, "dest": d} for s, t, r, d in self.edges],
            "findings": [{"kind": f.kind, "subject": f.subject, "message": f.message} for f in self.findings],
            "timeline": [{"state": e.state, "label": e.label, "entered_at": when(e.entered_at),
                          "due_at": when(e.due_at),
                          "deadline_action": e.deadline_action, "left_at": when(e.left_at),
                          "leave_by": None if e.leave_by is None
                          else {"trigger": e.leave_by.trigger, "role": e.leave_by.role}}
                         for e in self.timeline],
        }


def format_report(report: SimulationReport, lang: str = "id") -> str:
    """The report as text for a terminal: findings first, then the timeline of the typical path
    (dates on the period's local calendar, ``SIKLUS_TIMEZONE``)."""
    en = lang == "en"
    zone = period_timezone()

    def day(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d")

    lines = [f"{'Cycle' if en else 'Siklus'} {report.cycle_id} v{report.version}, "
             f"{'period' if en else 'periode'} {report.period}: "
             f"{len(report.reached)} {'states reached' if en else 'tahap tercapai'}, "
             f"{len(report.edges)} {'transitions fired' if en else 'transisi berhasil'}, "
             f"{report.attempts} {'trial runs' if en else 'percobaan'}"]
    if report.bound_hit:
        lines.append("exploration stopped at its bound; results are incomplete" if en
                      else "penelusuran berhenti di batasnya; hasil belum lengkap")
    if report.findings:
        lines.append("")
        lines.append("Problems:" if en else "Masalah:")
        for finding in report.findings:
            lines.append(f"  [{finding.kind}] {finding.text(lang)}")
    else:
        lines.append("No problems found." if en else "Tidak ada masalah.")
    if report.timeline:
        lines.append("")
        lines.append("Typical path:" if en else "Alur umum:")
        width = max(len(e.state) for e in report.timeline)
        for entry in report.timeline:
            due = f"{'due' if en else 'tenggat'} {day(entry.due_at)} ({entry.deadline_action})" if entry.due_at else ""
            how = (f"-> {entry.leave_by.trigger} ({entry.leave_by.role}) {day(entry.left_at)}"
                   if entry.leave_by and entry.left_at else "")
            lines.append(f"  {day(entry.entered_at)}  {entry.state:<{width}}  {entry.label}  {due}  {how}".rstrip())
    return "\n".join(lines)
