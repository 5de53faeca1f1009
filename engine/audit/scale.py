"""``siklus audit verify`` over a national log: streamed in ranges of appraisals, in parallel processes,
incremental and resumable.

:func:`verify_all` checks the system chain, then every appraisal's chain in ranges of appraisal ids
(bounded memory: one range's events and rows at a time), each range in a worker process with its own
database engine. Each chain proved intact, with its live rows matching its replay, is recorded on its
checkpoint row as *verified* (seq, head, when, and a keyed signature over the head and a digest of the
live rows), committed range by range.

A later run (the default, *incremental*) re-walks only the chains that moved since: a chain whose head,
checkpoint and verified head still agree, whose verified signature holds over the live rows as they are
now, whose last verified event still hashes to its recorded head and which has no event after it, is
confirmed without reading the rest of its events. So a nightly run reads each appraisal's rows and one
event per chain, plus every event of the chains that changed. What it does not re-read is the content
of events before a chain's last verified one: an edit there (which no one without the key can re-sign)
is found by a *full* run (``full=True``), which re-walks everything; run one regularly (weekly).

A full run records when it started (the sweep cursor :data:`FULL_PASS`) and clears it when it ends; a
full run that was interrupted resumes: chains verified since the pass started are confirmed, not walked
again. See docs/audit.md.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, bindparam, create_engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from engine import replay, replay_live
from engine.audit.bulk import ChainReader, load_json
from engine.audit.chain import (
    UnknownAuditKey,
    appraisal_stream,
    canonical_json,
    checkpoint_signature,
    verified_signature,
)
from engine.audit.verify import (
    EVENT_COLUMNS,
    REPORT_LIMIT,
    Findings,
    check_appraisal,
    check_link,
    check_whole,
    launch_run_of,
    mismatched_keys,
    verify_system,
)
from engine.audit.writer import CHECKPOINTS, EVENTS
from engine.db import DriverStatement, begin_snapshot, engine_options, normalise_url, write_with_retry
from engine.evidence_verify import evidence_file_differences
from engine.keys import keyring
from engine.models import Appraisal, SweepCursor, utcnow

# Appraisal ids per range: one range's events and live rows are in memory at a time, per process.
RANGE = 1000
# The sweep cursor marking a full pass under way (its ``updated_at``: when the pass started).
FULL_PASS = "audit_verify_full"
# Chains whose events are read together while re-walking a range.
_CHUNK = 500

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify_all` checked and found.

    ``events`` counts the events proved (walked, or covered by a confirmed verified head), ``hashed``
    those whose hash was recomputed; ``rechecked`` chains were walked from their first event,
    ``confirmed`` ones were unchanged since they were verified. ``problems`` lists the first
    :data:`~engine.audit.verify.REPORT_LIMIT` problems; ``unlisted`` counts the rest.
    """

    events: int
    hashed: int
    streams: int
    appraisals: int
    rechecked: int
    confirmed: int
    problems: tuple[str, ...]
    unlisted: int
    full: bool
    resumed: bool
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def count(self) -> int:
        """How many problems were found."""
        return len(self.problems) + self.unlisted

    @property
    def broken(self) -> str | None:
        return self.problems[0] if self.problems else None


@dataclass(frozen=True)
class RangeOptions:
    """How a range is checked: everything walked (``recheck_all``), or chains confirmed by their
    verified head (when verified at or after ``verified_since``, if given); ``record`` verified heads."""

    data: bool = True
    recheck_all: bool = False
    verified_since: datetime | None = None
    record: bool = True
    limit: int = REPORT_LIMIT
    mismatched: frozenset[str] = frozenset()  # key ids found not to match (engine.audit.verify.mismatched_keys)


@dataclass
class RangeOutcome:
    """What one range's check found (sent back from a worker process)."""

    events: int = 0
    hashed: int = 0
    streams: int = 0
    appraisals: int = 0
    rechecked: int = 0
    confirmed: int = 0
    problems: list[str] = field(default_factory=list)
    unlisted: int = 0
    same_cause: int = 0  # chains failing only as every chain signed with a mismatched key fails
    key_held: bool = False  # an event signed with a mismatched key id held (engine.audit.verify.Findings)
    held_back: list[str] = field(default_factory=list)
    created_by_run: dict[int, int] = field(default_factory=dict)


def live_digest(live: replay.Live | None) -> str:
    """SHA-256 of an appraisal's live rows as replay compares them (canonical JSON)."""
    if live is None:
        return ""
    # Its fields as they are (read, never written, here): a Counter is written as the dict it is.
    return hashlib.sha256(canonical_json(vars(live)).encode("utf-8")).hexdigest()


def _confirm(aid: int, head: Any, checkpoint: Any, event: Any, has_next: bool, live: replay.Live | None,
             options: RangeOptions) -> bool:
    """Whether a chain is as it was verified: heads agree, the verified signature holds over the live
    rows as they are now, the last verified event still hashes to its head, and nothing follows it."""
    if head is None or checkpoint is None or checkpoint.verified_seq is None or event is None or has_next:
        return False
    verified = (checkpoint.verified_seq, checkpoint.verified_hash)
    if not ((head.audit_seq, head.audit_head) == (checkpoint.seq, checkpoint.hash) == verified):
        return False
    if options.verified_since is not None and (checkpoint.verified_at is None
                                               or checkpoint.verified_at < options.verified_since):
        return False
    stream = appraisal_stream(aid)
    if (event.stream, event.seq, event.hash) != (stream, checkpoint.verified_seq, checkpoint.verified_hash):
        return False
    try:
        signed = verified_signature(stream, checkpoint.verified_seq, checkpoint.verified_hash,
                                    checkpoint.verified_key_id, live_digest(live))
        sealed = checkpoint_signature(stream, checkpoint.seq, checkpoint.hash, checkpoint.key_id)
    except UnknownAuditKey:
        return False
    if not (hmac.compare_digest(signed, checkpoint.verified_signature or "")
            and hmac.compare_digest(sealed, checkpoint.signature)):
        return False
    # The link itself (seq and previous hash) was proved when verified; its content must still match.
    return check_link(event, event.seq, event.prev_hash) is None


def verify_range(session: Session, low: int, high: int, options: RangeOptions) -> RangeOutcome:
    """Check the chains of the appraisals with ``low < id <= high`` (and checkpoints naming such ids),
    record the verified heads of those proved, and commit. Read-only apart from the verified heads; the range is
    read in one consistent state of the database (:func:`engine.db.begin_snapshot`), so a transition fired meanwhile
    is not taken for an edit."""
    begin_snapshot(session)

    def within(column: Any) -> Any:
        return and_(column > low, column <= high)

    findings = Findings(options.limit, mismatched=options.mismatched)
    created_by_run: dict[int, int] = defaultdict(int)
    outcome = RangeOutcome()
    # Core rows on the session's connection, fetched at once.
    conn = session.connection()
    heads = {row.id: row for row in conn.execute(
        select(Appraisal.id, Appraisal.audit_seq, Appraisal.audit_head).where(within(Appraisal.id))).all()}
    checkpoints = {row.appraisal_id: row for row in conn.execute(
        select(CHECKPOINTS).where(within(CHECKPOINTS.c.appraisal_id))).all()}
    reader = replay_live.LiveReader(session) if options.data else None
    live = reader.read(within) if reader is not None else {}
    walk = sorted(set(heads) | set(checkpoints))
    if not options.recheck_all and options.data:
        verified_events = {row.appraisal_id: row for row in conn.execute(
            select(*EVENT_COLUMNS).join(CHECKPOINTS, and_(CHECKPOINTS.c.stream == EVENTS.c.stream,
                                                          CHECKPOINTS.c.verified_seq == EVENTS.c.seq))
            .where(within(CHECKPOINTS.c.appraisal_id))).all()}
        followed = set(conn.scalars(
            select(CHECKPOINTS.c.appraisal_id).join(EVENTS, and_(EVENTS.c.stream == CHECKPOINTS.c.stream,
                                                                 EVENTS.c.seq == CHECKPOINTS.c.verified_seq + 1))
            .where(within(CHECKPOINTS.c.appraisal_id))))
        confirmed = {aid for aid in walk if _confirm(aid, heads.get(aid), checkpoints.get(aid),
                                                     verified_events.get(aid), aid in followed, live.get(aid),
                                                     options)}
        for aid in confirmed:
            checkpoint = checkpoints[aid]
            outcome.events += checkpoint.verified_seq
            outcome.hashed += 1
            outcome.streams += 1
            outcome.appraisals += 1
            if checkpoint.launch_run_id is not None:
                created_by_run[checkpoint.launch_run_id] += 1
        outcome.confirmed = len(confirmed)
        # A chain confirmed had its last event hash under its key: a key found not to match holds after all.
        if options.mismatched and any(verified_events[aid].key_id in options.mismatched for aid in confirmed):
            findings.key_held = True
        walk = [aid for aid in walk if aid not in confirmed]
    proved: list[tuple[Any, ...]] = []
    chains = ChainReader(conn)
    now = utcnow()
    for aid, rows in _chains_of(chains, walk, low, high, options.recheck_all):
        events, sound = chains.events(rows)
        before = findings.events
        ok = check_appraisal(aid, events, heads.get(aid), checkpoints.get(aid), live, reader, findings,
                             created_by_run, sound)
        outcome.rechecked += 1
        outcome.hashed += findings.events - before
        if ok and events and options.record and options.data:
            proved.append(_verified_row(aid, events, live.get(aid)))
    session.commit()
    if proved:

        def record() -> None:
            conn = session.connection()
            if conn.dialect.name == "postgresql":
                # One statement for the whole range: the rows as arrays, unnested and joined to the checkpoints.
                columns = list(zip(*proved, strict=True))
                conn.exec_driver_sql(_RECORD_VERIFIED_UNNESTED, {
                    "at": now, **{name: list(values) for name, values in zip(_VERIFIED_VARYING, columns, strict=True)}})
                return
            statement = _record_verified(conn.dialect)
            conn.exec_driver_sql(statement.sql, statement.many({"b_at": now}, _VERIFIED_VARYING, proved))

        write_with_retry(session, record)
    outcome.events += findings.events
    outcome.streams += findings.streams
    outcome.appraisals += findings.appraisals
    outcome.problems, outcome.unlisted = findings.problems, findings.unlisted
    outcome.same_cause, outcome.key_held, outcome.held_back = findings.same_cause, findings.key_held, findings.held_back
    outcome.created_by_run = dict(created_by_run)
    return outcome


def _chains_of(chains: ChainReader, walk: list[int], low: int, high: int,
               whole_range: bool) -> Iterator[tuple[int, list[Any]]]:
    """The chains of ``walk`` (appraisal ids in order) with their events' raw rows, in chunks; with
    ``whole_range`` every event filed under an appraisal of the range, so a chain whose appraisal row is
    gone is read too."""
    if whole_range:
        found = dict(chains.between(low, high))
        for aid in sorted(set(walk) | set(found)):
            yield aid, found.get(aid, [])
        return
    for start in range(0, len(walk), _CHUNK):
        chunk = walk[start:start + _CHUNK]
        found = dict(chains.among(chunk))
        for aid in chunk:
            yield aid, found.get(aid, [])


# Each bind once (the verified seq and hash are the checkpoint's own, which the WHERE matched), so the
# statement runs on the driver with one tuple per chain.
_RECORD_VERIFIED = (
    update(CHECKPOINTS)
    .where(CHECKPOINTS.c.stream == bindparam("b_stream"), CHECKPOINTS.c.seq == bindparam("b_seq"),
           CHECKPOINTS.c.hash == bindparam("b_hash"))
    .values(verified_seq=CHECKPOINTS.c.seq, verified_hash=CHECKPOINTS.c.hash,
            verified_key_id=bindparam("b_key_id"), verified_signature=bindparam("b_signature"),
            verified_at=bindparam("b_at", type_=CHECKPOINTS.c.verified_at.type), launch_run_id=bindparam("b_run"))
)
_VERIFIED_VARYING = ("b_stream", "b_seq", "b_hash", "b_key_id", "b_signature", "b_run")
# The same on PostgreSQL for a whole range at once (one statement instead of one execution per chain).
_RECORD_VERIFIED_UNNESTED = (
    "UPDATE audit_checkpoint AS c SET verified_seq = c.seq, verified_hash = c.hash, verified_key_id = v.key_id, "
    "verified_signature = v.signature, verified_at = %(at)s, launch_run_id = v.run "
    "FROM unnest(%(b_stream)s::varchar[], %(b_seq)s::integer[], %(b_hash)s::varchar[], %(b_key_id)s::varchar[], "
    "%(b_signature)s::varchar[], %(b_run)s::integer[]) AS v(stream, seq, hash, key_id, signature, run) "
    "WHERE c.stream = v.stream AND c.seq = v.seq AND c.hash = v.hash"
)
_record_compiled: dict[Any, DriverStatement] = {}


def _record_verified(dialect: Any) -> DriverStatement:
    """:data:`_RECORD_VERIFIED` compiled once per dialect, to run straight on the driver."""
    found = _record_compiled.get(dialect)
    if found is None:
        found = _record_compiled[dialect] = DriverStatement(_RECORD_VERIFIED, dialect)
    return found


def _verified_row(aid: int, events: list[Any], live: replay.Live | None) -> tuple[Any, ...]:
    """The verified head of a chain just proved, signed with the current key over its live rows' digest.

    Recorded only where the checkpoint still holds that head: a transition since changes nothing."""
    stream, last = appraisal_stream(aid), events[-1]
    key_id = keyring().current_audit_key_id
    return (stream, last.seq, last.hash, key_id,
            verified_signature(stream, last.seq, last.hash, key_id, live_digest(live)), launch_run_of(events))


# -- the coordinator ---------------------------------------------------------------------------

_worker_engine: Engine | None = None


def _verify_engine(url: str) -> Engine:
    """An engine as :func:`engine.db.make_engine` makes it, reading JSON through the C scanner directly,
    and on PostgreSQL in UTC (the moments read are the same; they need no conversion to UTC one by one)."""
    options = engine_options(url)
    if url.startswith("postgresql"):
        options["connect_args"] = {**options.get("connect_args", {}), "options": "-c TimeZone=UTC"}
    return create_engine(url, **options, json_deserializer=load_json)


def _start_worker(url: str) -> None:
    """A worker process's own engine (connections are never shared across processes)."""
    global _worker_engine
    _worker_engine = _verify_engine(url)


def _run_range(low: int, high: int, options: RangeOptions) -> RangeOutcome:
    assert _worker_engine is not None, "the worker was started with its engine"
    with Session(_worker_engine) as session:
        return verify_range(session, low, high, options)


def _begin_full_pass(session: Session, restart: bool) -> tuple[datetime, bool]:
    """When the full pass started, and whether it resumes one that was interrupted."""
    started = session.scalar(select(SweepCursor.updated_at).where(SweepCursor.name == FULL_PASS))
    if started is not None and not restart:
        return started, True
    now = utcnow()

    def mark() -> None:
        session.execute(delete(SweepCursor).where(SweepCursor.name == FULL_PASS))
        session.execute(insert(SweepCursor).values(name=FULL_PASS, position=0, updated_at=now))

    write_with_retry(session, mark)
    return now, False


def _end_full_pass(session: Session) -> None:
    session.execute(delete(SweepCursor).where(SweepCursor.name == FULL_PASS))


def _ranges(session: Session, size: int) -> list[tuple[int, int]]:
    top = max(session.scalar(select(func.max(Appraisal.id))) or 0,
              session.scalar(select(func.max(CHECKPOINTS.c.appraisal_id))) or 0,
              session.scalar(select(func.max(EVENTS.c.appraisal_id))) or 0)
    return [(low, min(low + size, top)) for low in range(0, top, size)]


def verify_all(engine_url: str, *, workers: int | None = None, full: bool = False, restart: bool = False,
               data: bool = True, progress: Progress | None = None, limit: int = REPORT_LIMIT,
               range_size: int = RANGE, evidence: str | os.PathLike[str] | None = None) -> VerifyReport:
    """Verify the whole audit log of the database at ``engine_url``; see the module's docstring.

    ``workers``: processes checking ranges side by side (default: the machine's cores; 1 checks in
    this process). ``full``: re-walk every chain instead of confirming unchanged ones by their verified
    head, resuming a full pass that was interrupted unless ``restart``. ``data=False`` checks links and
    signatures only (always every chain, and records nothing). ``progress(done, total)`` is called
    after each range. ``evidence``: the folder of the evidence files, each of which is then checked against its
    row (engine.evidence_verify; hashed on a full run). Read-only apart from the verified heads and the full
    pass's cursor.
    """
    began = time.perf_counter()
    url = normalise_url(engine_url)
    workers = max(1, workers if workers is not None else os.cpu_count() or 1)
    engine = _verify_engine(url)
    try:
        with Session(engine) as session:
            since, resumed = _begin_full_pass(session, restart) if full and data else (None, False)
            session.commit()
            # The system chain and the rows it proves in one state of the database: answers given meanwhile wait
            # for the next run.
            begin_snapshot(session)
            findings = Findings(limit, mismatched=mismatched_keys(session))
            launched: dict[int, int] = {}
            verify_system(session, findings, launched, chart=data)
            ranges = _ranges(session, range_size)
            session.commit()
        options = RangeOptions(data=data, recheck_all=(full and not resumed) or not data,
                               verified_since=since if resumed else None, limit=limit,
                               mismatched=findings.mismatched)
        outcomes = _run_ranges(engine, url, ranges, options, workers, progress)
        total = RangeOutcome()
        created_by_run: dict[int, int] = defaultdict(int)
        for outcome in outcomes:
            for name in ("events", "hashed", "streams", "appraisals", "rechecked", "confirmed"):
                setattr(total, name, getattr(total, name) + getattr(outcome, name))
            for problem in outcome.problems:
                findings.add(problem)
            findings.unlisted += outcome.unlisted
            findings.same_cause += outcome.same_cause
            findings.key_held = findings.key_held or outcome.key_held
            findings.held_back.extend(outcome.held_back[:max(0, limit - len(findings.held_back))])
            for run_id, count in outcome.created_by_run.items():
                created_by_run[run_id] += count
        findings.add_same_cause()
        with Session(engine) as session:
            begin_snapshot(session)
            check_whole(session, findings, launched, created_by_run)
            if evidence is not None and data:
                for difference in evidence_file_differences(session, Path(evidence), hashed=full):
                    findings.add(difference)
            session.commit()
            if full and data:
                write_with_retry(session, lambda: _end_full_pass(session))
    finally:
        engine.dispose()
    return VerifyReport(
        events=total.events + findings.events, hashed=total.hashed + findings.events,
        streams=total.streams + findings.streams, appraisals=total.appraisals, rechecked=total.rechecked,
        confirmed=total.confirmed, problems=tuple(findings.problems), unlisted=findings.unlisted,
        full=full or not data, resumed=resumed, seconds=time.perf_counter() - began)


def _run_ranges(engine: Engine, url: str, ranges: list[tuple[int, int]], options: RangeOptions, workers: int,
                progress: Progress | None) -> list[RangeOutcome]:
    """Each range's outcome, in range order; ranges run in ``workers`` processes (or here, for one)."""
    outcomes: list[RangeOutcome | None] = [None] * len(ranges)
    if progress is not None:
        progress(0, len(ranges))
    if workers == 1 or len(ranges) <= 1:
        for i, (low, high) in enumerate(ranges):
            with Session(engine) as session:
                outcomes[i] = verify_range(session, low, high, options)
            if progress is not None:
                progress(i + 1, len(ranges))
        return [o for o in outcomes if o is not None]
    # Forked where the system can (a worker starts in milliseconds instead of importing everything again),
    # after this process's own connections are closed; each worker opens its own engine and never
    # touches anything it inherited.
    engine.dispose()
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=min(workers, len(ranges)), mp_context=get_context(method),
                             initializer=_start_worker, initargs=(url,)) as pool:
        futures = {pool.submit(_run_range, low, high, options): i for i, (low, high) in enumerate(ranges)}
        for done, future in enumerate(as_completed(futures), start=1):
            outcomes[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(ranges))
    return [o for o in outcomes if o is not None]

