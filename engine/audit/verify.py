"""Verifying the audit chain, and the data it proves; checking a printed document's head.

:func:`verify_chain` walks every stream (or the ones asked for): each link, each keyed hash
(:mod:`engine.audit.chain`), each signed head, and replays each appraisal's chain
(:mod:`engine.replay`) to name every live row that differs from what the chain derives. A cut tail
with the head moved back, or an appraisal deleted with its events, is found through the signed
checkpoints the writer (:mod:`engine.audit.writer`) keeps. See docs/audit.md.
"""

from __future__ import annotations

import hmac
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import String, and_, func, literal, or_, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from engine import replay_compare, replay_live
from engine.access_verify import KINDS as ACCESS_KINDS
from engine.access_verify import Standing, access_differences
from engine.audit.bulk import ChainReader
from engine.audit.chain import (
    HASHED_FIELDS,
    SYSTEM_STREAM,
    RowEncoder,
    UnknownAuditKey,
    appraisal_stream,
    checkpoint_signature,
    event_hash,
)
from engine.audit.page_walk import SystemWalk
from engine.audit.shown import shown_head
from engine.audit.writer import CHECKPOINTS, EVENTS
from engine.audit_findings import Finding, appraisal_label, finding, said_of, stream_label
from engine.chart_verify import KINDS as CHART_KINDS
from engine.chart_verify import LOGIN_KINDS, ChartTrail
from engine.complaint_verify import EVENT_KIND as COMPLAINT_EVENT
from engine.complaint_verify import Complaints
from engine.db import begin_snapshot
from engine.definition_verify import EVENT_KIND as PUBLISH_EVENT
from engine.definition_verify import RETIRE_KIND as RETIRE_EVENT
from engine.definition_verify import Lifecycle, definition_differences, published_hash
from engine.limits import parse_id
from engine.messages import Message
from engine.models import Appraisal, AuditEvent
from engine.public_verify import EVENT_KIND as PUBLIC_EVENT
from engine.public_verify import PublicAnswers
from engine.run_verify import EVENT_KIND as RUN_EVENT
from engine.run_verify import run_differences
from engine.token_verify import KINDS as TOKEN_KINDS
from engine.token_verify import Tokens
from engine.unit_predicate_verify import EVENT_KIND as DECISION_EVENT
from engine.unit_predicate_verify import decision_differences

REPORT_LIMIT = 100
# Appraisals whose chains and rows are read together while verifying (bounded memory).
VERIFY_BATCH = 500

@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification walk.

    ``problems`` names each broken link and each live row that differs from its chain (the first
    :data:`REPORT_LIMIT`; ``unlisted`` counts the rest); ``broken`` is the first of them.
    """

    events: int
    streams: int
    broken: str | None = None
    problems: tuple[str, ...] = ()
    unlisted: int = 0
    appraisals: int = 0

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.problems

    @property
    def count(self) -> int:
        """How many problems were found."""
        return len(self.problems) + self.unlisted


class _EventRow(Protocol):
    id: int
    stream: str
    seq: int
    occurred_at: datetime
    kind: str
    appraisal_id: int | None
    employee_id: int | None
    unit_id: int | None
    actor_user_id: int | None
    trigger: str | None
    from_state: str | None
    to_state: str | None
    payload: dict[str, Any]
    results: dict[str, Any]
    prev_hash: str
    hash: str
    key_id: str | None


# Every column of an event, as verification and re-signing read them.
EVENT_COLUMNS = list(EVENTS.c)
_ROWS = RowEncoder([column.name for column in EVENT_COLUMNS])


@dataclass
class Findings:
    """Problems found so far, bounded."""

    limit: int
    problems: list[str] = field(default_factory=list)
    unlisted: int = 0
    events: int = 0
    streams: int = 0
    appraisals: int = 0
    # The key ids the configured keys do not match (see :func:`mismatched_keys`), and how many chains failed only
    # as every chain signed with them fails: counted in one finding, not each called edited.
    mismatched: frozenset[str] = frozenset()
    same_cause: int = 0
    # Whether an event signed with a mismatched key id held after all (then the key is right, and each failure an
    # edit), and the first of the failures counted, to be listed then.
    key_held: bool = False
    held_back: list[str] = field(default_factory=list)

    def add(self, problem: str) -> None:
        if len(self.problems) < self.limit:
            self.problems.append(problem)
        else:
            self.unlisted += 1

    @property
    def count(self) -> int:
        return len(self.problems) + self.unlisted

    def add_link(self, problem: Finding, key_id: str | None) -> None:
        """A broken link or seal: counted with the others of the same cause when it is a hash that does not hold
        under a key found not to match (:func:`mismatched_keys`), else added."""
        if key_id in self.mismatched and problem.message.code in _KEY_CAUSED:
            self.same_cause += 1
            if len(self.held_back) < self.limit:
                self.held_back.append(problem)
        else:
            self.add(problem)

    def add_same_cause(self) -> None:
        """The one finding that counts the chains failing for the mismatched key (none when there are none). When
        an event signed with that key held, the key is the one that signed the log: the system chain's first event
        was edited, and so was each chain counted, which are listed instead."""
        if self.key_held:
            self.problems = [_as_edit(problem) for problem in self.problems]
            for problem in self.held_back:
                self.add(problem)
            self.unlisted += self.same_cause - len(self.held_back)
            self.same_cause, self.held_back = 0, []
        elif self.same_cause:
            self.add(finding("audit.key_mismatch_chains", count=self.same_cause,
                             key=", ".join(sorted(self.mismatched))))

    def report(self) -> ChainReport:
        return ChainReport(self.events, self.streams, self.problems[0] if self.problems else None,
                           tuple(self.problems), self.unlisted, self.appraisals)


# What a key that is not the one that signed reports of every event and seal it checks.
_KEY_CAUSED = frozenset({"audit.edited", "audit.checkpoint_edited"})


def _as_edit(problem: str) -> str:
    """A key mismatch said of the system chain's first event as the edit it is (the key held elsewhere)."""
    message = getattr(problem, "message", None)
    if isinstance(message, Message) and message.code == "audit.key_mismatch":
        return finding("audit.edited", where=message.params["where"])
    return problem


def mismatched_keys(session: Session) -> frozenset[str]:
    """The key id of the system chain's first event when its hash does not hold under the configured key of that
    id (``audit.key_mismatch``): the key is most likely not the one that signed the log, and every chain signed with
    it fails for that reason alone. Empty when it holds (one event read)."""
    first = session.execute(select(*EVENT_COLUMNS).where(EVENTS.c.stream == SYSTEM_STREAM, EVENTS.c.seq == 1)).first()
    if first is None or first.key_id is None:
        return frozenset()
    problem = check_link(first, 1, first.prev_hash)
    return frozenset({first.key_id}) if problem is not None and problem.message.code == "audit.key_mismatch" \
        else frozenset()


def key_mismatch_finding(session: Session) -> Finding | None:
    """The system chain's first event's ``audit.key_mismatch``, for a check that does not walk the system chain."""
    first = session.execute(select(*EVENT_COLUMNS).where(EVENTS.c.stream == SYSTEM_STREAM, EVENTS.c.seq == 1)).first()
    return None if first is None else check_link(first, 1, first.prev_hash)


def check_link(event: _EventRow, expected_seq: int, prev_hash: str) -> Finding | None:
    """Why ``event`` does not continue its chain after ``prev_hash``, or None when it does."""
    if event.seq != expected_seq:
        code = "audit.seq_missing" if event.seq > expected_seq else "audit.seq_twice"
        return finding(code, where=_where(event), expected=expected_seq)
    if event.prev_hash != prev_hash:
        return finding("audit.unlinked", where=_where(event))
    if event.key_id is None:
        return finding("audit.unkeyed", where=_where(event))
    try:
        if getattr(event, "_fields", None) == _ROWS.columns:
            # A row of EVENT_COLUMNS carries every hashed field, read by position.
            expected = _ROWS.hash(event)  # type: ignore[arg-type]
        else:
            mapping = getattr(event, "_mapping", None)
            expected = event_hash(mapping if mapping is not None else {
                name: getattr(event, name) for name in (*HASHED_FIELDS, "occurred_at", "key_id")})
    except UnknownAuditKey:
        return finding("audit.unknown_key", where=_where(event), key=event.key_id)
    if not hmac.compare_digest(expected, event.hash):
        if event.stream == SYSTEM_STREAM and event.seq == 1:
            # The log's very first event, which nobody has reason to edit: most likely the key is not the one
            # that signed it (a lost audit.key made again, a changed SIKLUS_AUDIT_KEY), and every chain after it
            # fails for that reason alone; said so before any finding reads as an edit.
            return finding("audit.key_mismatch", where=_where(event), key=event.key_id)
        return finding("audit.edited", where=_where(event))
    return None


def _where(event: _EventRow) -> Message:
    """An event as a problem names it (built only when there is a problem)."""
    return Message("audit.event_where", label=stream_label(event.stream), event=str(event.id), stream=event.stream,
                   seq=str(event.seq))


def _check_checkpoint(label: Message, checkpoint: Any, last_seq: int, last_hash: str) -> Finding | None:
    if checkpoint is None:
        if last_seq == 0:
            return None
        return finding("audit.no_checkpoint", label=label, seq=last_seq)
    try:
        signature = checkpoint_signature(checkpoint.stream, checkpoint.seq, checkpoint.hash, checkpoint.key_id)
    except UnknownAuditKey:
        return finding("audit.checkpoint_key", label=label, key=checkpoint.key_id)
    if not hmac.compare_digest(signature, checkpoint.signature):
        return finding("audit.checkpoint_edited", label=label)
    if (checkpoint.seq, checkpoint.hash) != (last_seq, last_hash):
        code = "audit.checkpoint_ahead" if checkpoint.seq > last_seq else "audit.checkpoint_other"
        return finding(code, label=label, last=last_seq, recorded=checkpoint.seq)
    return None


def _walk(events: Iterable[_EventRow], label: Message, findings: Findings,
          on_event: Callable[[_EventRow], None] | None = None,
          sound: Sequence[bool] | None = None) -> tuple[int, str, bool]:
    """Check one stream's links in order; returns (last seq, last hash, intact).

    ``sound`` (from :class:`engine.audit.bulk.ChainReader`) says for each event whether its keyed hash
    was already found to hold; any other event is checked by :func:`check_link`.
    """
    return _walk_pairs(zip(events, sound, strict=True) if sound is not None else ((event, False) for event in events),
                       label, findings, on_event)


def _walk_pairs(pairs: Iterable[tuple[_EventRow, bool]], label: Message, findings: Findings,
                on_event: Callable[[_EventRow], None] | None = None, *, expected: int = 1,
                prev_hash: str = "") -> tuple[int, str, bool]:
    """:func:`_walk` over (event, whether its keyed hash was found to hold) pairs, the first expected to be
    ``expected`` after an event whose hash is ``prev_hash``."""
    mismatched = findings.mismatched
    for event, held in pairs:
        findings.events += 1
        if not (held and event.seq == expected and event.prev_hash == prev_hash):
            broken = check_link(event, expected, prev_hash)
            if broken:
                findings.add_link(broken, event.key_id)
                return expected - 1, prev_hash, False
        if mismatched and event.key_id in mismatched:
            findings.key_held = True
        if on_event is not None:
            on_event(event)
        prev_hash = event.hash
        expected += 1
    return expected - 1, prev_hash, True


def verify_system(session: Session, findings: Findings, launched: dict[int, int], *, chart: bool = False,
                  units: Collection[int] | None = None) -> None:
    """Walk the system chain and check what it proves: the cycle texts, grants and designations, API tokens, the
    units' predicate decisions and, with ``chart``, the org chart, the public's survey answers and complaints
    (one read of every unit, employee, public answer and complaint, so only a whole verification asks for it,
    not a page showing a few system events). Without ``chart`` but with ``units``, the public's answers about
    those units and the complaints made of them (an HR officer's check of their units). A page showing a few
    system events walks only those (:func:`_walk_runs`)."""
    decisions: dict[int, dict[str, Any]] = {}
    runs: dict[int, dict[str, Any]] = {}  # run id -> its launch event's payload
    published: dict[tuple[str, int], str] = {}
    lifecycle = Lifecycle()
    standing = Standing()
    trail = ChartTrail()
    tokens = Tokens()
    public = PublicAnswers(units=None if chart or units is None else frozenset(units))
    complaints = Complaints(units=public.units)

    def note_launch(event: _EventRow) -> None:
        payload = event.payload or {}
        if event.kind == RUN_EVENT and isinstance(payload.get("run_id"), int):
            runs[payload["run_id"]] = payload
            if payload.get("creation_events"):
                launched[payload["run_id"]] = int(payload.get("appraisals") or 0)
        elif event.kind == DECISION_EVENT:
            decisions[event.id] = payload
        elif event.kind == PUBLISH_EVENT and (found := published_hash(payload)) is not None:
            published[found[0]] = found[1]
            lifecycle.apply(event.kind, payload)
        elif event.kind == RETIRE_EVENT:
            lifecycle.apply(event.kind, payload)
        elif event.kind in ACCESS_KINDS:
            standing.apply(event.kind, event.employee_id, payload, event.actor_user_id, event.occurred_at)
        elif event.kind in CHART_KINDS or event.kind in LOGIN_KINDS:
            trail.apply(event.kind, event.seq, payload, event.employee_id)
            if event.kind in CHART_KINDS:
                public.mark(payload)
        elif event.kind in TOKEN_KINDS:
            tokens.apply(event.kind, payload, event.actor_user_id, event.occurred_at)
        elif event.kind == PUBLIC_EVENT:
            public.apply(payload)
        elif event.kind == COMPLAINT_EVENT:
            complaints.apply(payload, event.actor_user_id, event.unit_id)

    # Read in batches through the fast path of the keyed hash (engine.audit.bulk): the system chain holds an event
    # per public survey answer, so it is long.
    system: Iterable[tuple[Any, bool]] = ChainReader(session.connection()).stream(SYSTEM_STREAM)
    last_seq, last_hash, intact = _walk_pairs(system, Message("audit.system_chain"), findings, note_launch)
    if last_seq:
        findings.streams += 1
    if intact:
        for difference in (*definition_differences(session, published, lifecycle),
                           *access_differences(session, standing),
                           *decision_differences(session, decisions), *run_differences(session, runs),
                           *tokens.differences(session),
                           *(trail.differences(session) if chart else ())):
            findings.add(difference)
        for difference in trail.login_differences(session) if chart else ():
            findings.add(difference)
        for difference in (*public.differences(session), *complaints.differences(session)) if chart else ():
            findings.add(difference)
        for difference in ((*public.differences(session), *complaints.differences(session))
                           if not chart and units is not None else ()):
            findings.add(difference)
        checkpoint = session.execute(select(CHECKPOINTS).where(CHECKPOINTS.c.stream == SYSTEM_STREAM)).first()
        problem = _check_checkpoint(Message("audit.system_chain"), checkpoint, last_seq, last_hash)
        if problem:
            findings.add(problem)


def _walk_from(pairs: Iterable[tuple[_EventRow, bool]], start: int, label: Message,
               findings: Findings) -> tuple[int, str, bool]:
    """The system chain's walk from ``start`` (see :func:`_walk_runs`): ``pairs`` begin with the event before it,
    the anchor, whose own keyed hash must hold (its link is for a whole verification)."""
    walked = iter(pairs)
    anchor, held = next(walked, (None, False))
    if anchor is None or anchor.seq != start - 1:
        # No event before ``start``: removed (or the page named a seq the chain never had).
        findings.add_link(finding("audit.anchor_missing", label=label, seq=start - 1), None)
        return start - 2, "", False
    findings.events += 1
    if not held and (broken := check_link(anchor, anchor.seq, anchor.prev_hash)) is not None:
        findings.add_link(broken, anchor.key_id)
        return anchor.seq - 1, anchor.prev_hash, False
    return _walk_pairs(walked, label, findings, expected=start, prev_hash=anchor.hash)


def _walk_runs(session: Session, walk: SystemWalk, findings: Findings) -> None:
    """Each run of a page's system events (engine.audit.page_walk), from the event before it to the event after it
    (a walk to the head: to whatever is the head as this check reads it): keyed hashes and links; a run with nothing
    after it is the head, held to the signed checkpoint. The chain grows with every public answer, so a page cannot
    walk all of it; what the whole chain proves of the rows (cycle texts, grants, tokens) is a whole verification's,
    so that what a page checks does not depend on what it shows."""
    reader = ChainReader(session.connection())
    label = Message("audit.system_chain")
    findings.streams += 1
    for low, high in walk.runs:
        to_seq = None if walk.to_head else high + 1
        pairs: Iterable[tuple[Any, bool]] = reader.stream(SYSTEM_STREAM, from_seq=max(1, low - 1), to_seq=to_seq)
        last_seq, last_hash, intact = (_walk_from(pairs, low, label, findings) if low > 1
                                       else _walk_pairs(pairs, label, findings))
        if not intact:
            return
        if walk.to_head or last_seq == high:
            checkpoint = session.execute(select(CHECKPOINTS).where(CHECKPOINTS.c.stream == SYSTEM_STREAM)).first()
            if (problem := _check_checkpoint(label, checkpoint, last_seq, last_hash)) is not None:
                findings.add(problem)
                return


def _id_batches(session: Session, wanted: list[int] | None) -> Iterator[Callable[[Any], Any]]:
    """A condition on an appraisal id column for each batch: the given ids in chunks, or id ranges over
    everything (so the rows of an appraisal that is gone are read too)."""
    if wanted is not None:
        for start in range(0, len(wanted), VERIFY_BATCH):

            def among(column: Any, chunk: list[int] = wanted[start:start + VERIFY_BATCH]) -> Any:
                return column.in_(chunk)

            yield among
        return
    last = 0
    while True:
        ids = list(session.scalars(select(Appraisal.id).where(Appraisal.id > last).order_by(Appraisal.id)
                                   .limit(VERIFY_BATCH)))
        high = ids[-1] if len(ids) == VERIFY_BATCH else None
        lower = last

        def within(column: Any, lower: int = lower, high: int | None = high) -> Any:
            return and_(column > lower, column <= high) if high is not None else column > lower

        yield within
        if high is None:
            return
        last = high


def check_appraisal(aid: int, events: list[Any], head: Any, checkpoint: Any, live: dict[int, Any],
                    reader: replay_live.LiveReader | None, findings: Findings, created_by_run: dict[int, int],
                    sound: Sequence[bool] | None = None) -> bool:
    """Check one appraisal's chain (its events in order), its head on the appraisal row and its signed
    checkpoint, and with ``reader`` replay it against its live rows; each problem goes to ``findings``.

    Counts the chain under the run whose launch started it in ``created_by_run``. True when nothing
    was found. ``sound``: as :func:`_walk` takes it.
    """
    label = appraisal_label(aid)
    before = findings.count
    if events:
        findings.streams += 1
    stream = appraisal_stream(aid)
    stray = [e for e in events if e.stream != stream]
    if stray:
        findings.events += len(events)
        findings.add(finding("audit.misfiled", label=label, event=stray[0].id, stream=stray[0].stream))
        return False
    run_id = launch_run_of(events)
    if run_id is not None:
        created_by_run[run_id] += 1
    last_seq, last_hash, intact = _walk(events, label, findings, sound=sound)
    if not intact:
        return False
    if head is None:
        recorded = checkpoint.seq if checkpoint is not None else last_seq
        findings.add(finding("audit.appraisal_gone", label=label, count=recorded))
        return False
    if (head.audit_seq, head.audit_head) != (last_seq, last_hash):
        findings.add(finding("audit.head_differs", label=label, stream=stream, last=last_seq,
                             recorded=head.audit_seq))
        return False
    problem = _check_checkpoint(label, checkpoint, last_seq, last_hash)
    if problem:
        findings.add_link(problem, checkpoint.key_id if checkpoint is not None else None)
        return False
    if reader is not None:
        findings.appraisals += 1
        for difference in replay_compare.differences(aid, events, live.get(aid), reader):
            findings.add(said_of(label, difference))
    return findings.count == before


def launch_run_of(events: list[Any]) -> int | None:
    """The run whose launch started this chain (its ``create`` event), or None."""
    if events and events[0].kind == "create":
        payload = events[0].payload or {}
        run_id = payload.get("run_id")
        if isinstance(run_id, int) and payload.get("via") == "launch":
            return run_id
    return None


def verify_chain(session: Session, streams: Collection[str] | None = None, *, data: bool = True,
                 limit: int = REPORT_LIMIT, units: Collection[int] | None = None,
                 system: SystemWalk | None = None) -> ChainReport:
    """Verify every stream (or only ``streams``): links, keyed hashes, signed heads, and the data.

    With ``data``, each appraisal's chain is replayed (:mod:`engine.replay`) and every live row that
    differs from what the chain derives is named; with ``units`` and the system stream among ``streams``, the
    public's answers about those units too. ``system``: walk only that much of the system chain (a page showing
    some of its events, engine.audit.page_walk) and leave what it proves of the rows to a whole verification
    (see :func:`verify_system`). Reads in batches (bounded memory); read-only. A session that holds no transaction
    reads one consistent state of the database (:func:`engine.db.begin_snapshot`), so that what others write meanwhile
    (a public answer, a transition) is not taken for an edit; one that does reads through its own transaction.
    """
    began = begin_snapshot(session)
    try:
        report = _verify_chain(session, streams, data=data, limit=limit, units=units, system=system)
    except BaseException:
        if began:
            session.rollback()
        raise
    if began:
        session.commit()
    return report


def _verify_chain(session: Session, streams: Collection[str] | None, *, data: bool, limit: int,
                  units: Collection[int] | None, system: SystemWalk | None) -> ChainReport:
    findings = Findings(limit, mismatched=mismatched_keys(session))
    launched: dict[int, int] = {}
    whole = streams is None
    if whole or SYSTEM_STREAM in streams:  # type: ignore[operator]
        if whole or system is None:
            verify_system(session, findings, launched, chart=whole and data, units=units if data else None)
        else:
            _walk_runs(session, system, findings)
    elif findings.mismatched and (said := key_mismatch_finding(session)) is not None:
        findings.add(said)  # why every chain below fails, before any of them
    wanted: list[int] | None = None
    if not whole:
        wanted = sorted({int(name.split(":", 1)[1]) for name in streams  # type: ignore[union-attr]
                         if name.startswith("appraisal:") and parse_id(name.split(":", 1)[1]) is not None})
    created_by_run: dict[int, int] = defaultdict(int)
    reader = replay_live.LiveReader(session) if data else None
    for within in _id_batches(session, wanted):
        heads = {row.id: row for row in session.execute(
            select(Appraisal.id, Appraisal.audit_seq, Appraisal.audit_head).where(within(Appraisal.id)))}
        checkpoints = {row.appraisal_id: row for row in session.execute(
            select(CHECKPOINTS).where(within(CHECKPOINTS.c.appraisal_id)))}
        chains: dict[int, list[Any]] = defaultdict(list)
        for event in session.execute(select(*EVENT_COLUMNS).where(within(EVENTS.c.appraisal_id))
                                     .order_by(EVENTS.c.appraisal_id, EVENTS.c.seq)):
            chains[event.appraisal_id].append(event)
        live = reader.read(within) if reader is not None else {}
        for aid in sorted(set(heads) | set(checkpoints) | set(chains)):
            check_appraisal(aid, chains.get(aid, []), heads.get(aid), checkpoints.get(aid), live, reader, findings,
                            created_by_run)
    findings.add_same_cause()
    if whole:
        check_whole(session, findings, launched, created_by_run)
    return findings.report()


def check_whole(session: Session, findings: Findings, launched: dict[int, int],
                created_by_run: dict[int, int]) -> None:
    """What only the whole log shows: events filed under another stream, and launched appraisals whose
    chains are gone (``launched``: the system chain's launches; ``created_by_run``: chains found per run)."""
    misfiled = session.scalar(select(func.count()).select_from(EVENTS).where(
        EVENTS.c.stream != SYSTEM_STREAM,
        or_(EVENTS.c.appraisal_id.is_(None),
            EVENTS.c.stream != literal("appraisal:") + sql_cast(EVENTS.c.appraisal_id, String))))
    if misfiled:
        findings.add(finding("audit.misfiled_count", count=misfiled))
    for run_id, count in sorted(launched.items()):
        if created_by_run.get(run_id, 0) < count:
            findings.add(finding("audit.launch_missing", run=run_id, created=count,
                                 found=created_by_run.get(run_id, 0)))


# -- a printed document's head -----------------------------------------------------------------

@dataclass(frozen=True)
class HeadCheck:
    """Whether a head hash printed on a document belongs to an appraisal's chain, and how current it is."""

    appraisal_id: int
    found_seq: int | None
    current_seq: int
    current_head: str

    @property
    def current(self) -> bool:
        # At or after the last listed event: only anonymous answers may follow a head printed by HR's export.
        return self.found_seq is not None and self.found_seq >= self.current_seq


def check_head(session: Session, appraisal_id: int, head: str) -> HeadCheck:
    """Find ``head`` (the full hash, or at least its first 16 characters) in the appraisal's chain.

    Current means the head a document printed now carries: the last event the history lists
    (:func:`engine.audit.shown.shown_head`), so anonymous answers given since do not make a printout old.
    """
    head = head.strip().lower()
    shown = shown_head(session, appraisal_id)
    current_seq, current_head = shown.chain_seq, shown.hash
    found = None
    if len(head) >= 16:
        found = session.scalar(select(AuditEvent.seq).where(
            AuditEvent.stream == appraisal_stream(appraisal_id), AuditEvent.hash.startswith(head, autoescape=True))
            .order_by(AuditEvent.seq).limit(1))
    return HeadCheck(appraisal_id, found, current_seq, current_head)

