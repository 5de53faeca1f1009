"""Background jobs: long work leaves the request as a job row with its items; a worker claims it (one worker
per job), does each item in its own transaction audited as the synchronous path audits it, and a worker
that dies leaves finished items finished and the job resumable by the next one."""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.appraisals import fire_transition, set_skp
from engine.audit.verify import verify_chain
from engine.bulk import BULK_JOB, BULK_KIND, NotInBulk, enqueue_bulk
from engine.errors import NotFound
from engine.jobs import Job, JobItem, claim, enqueue, job_view, run_job
from engine.jobs.launch import LAUNCH_JOB, LAUNCH_KIND, enqueue_launch
from engine.jobs.queue import LEASE
from engine.jobs.worker import work_round
from engine.messages import Message
from engine.models import Appraisal, AuditEvent, CycleRun, Employee, Notification, utcnow
from engine.permissions import Actor
from engine.runs import find_unit, launch
from tests.support.factories import record_chart
from tests.support.race import claim_in_child
from tests.support.states import SKP
from web.messages import message_text

KINDS = {BULK_KIND: BULK_JOB, LAUNCH_KIND: LAUNCH_JOB}
STAFF = 6


def as_employee(employee_id: int) -> Actor:
    return Actor(user_id=None, username=f"pegawai-{employee_id}", employee_id=employee_id)


@pytest.fixture
def plans(session, org, national) -> list[int]:
    """Eight submitted plans waiting for kabid's approval (ani, budi and six more of his staff)."""
    for n in range(STAFF):
        session.add(Employee(nip=f"19900101201501{4000 + n:04d}", name=f"Staf {n}", position="Pelaksana",
                             unit_id=org.bidang.id, supervisor_id=org.people["kabid"].id))
    session.commit()
    record_chart(session)
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    team = session.scalars(select(Appraisal).join(Appraisal.employee).where(
        Appraisal.run_id == run.id, Employee.supervisor_id == org.people["kabid"].id).order_by(Appraisal.id)).all()
    for a in team:
        set_skp(session, a.id, as_employee(a.employee_id), SKP)
        fire_transition(session, a.id, "submit_plan", as_employee(a.employee_id))
    return [a.id for a in team]


def shown(session, ids: list[int]) -> list[tuple[int, int]]:
    session.rollback()
    return [(a, session.get(Appraisal, a).version) for a in ids]


def approvals(session, appraisal_id: int) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.appraisal_id == appraisal_id, AuditEvent.trigger == "approve_plan")) or 0


def items_of(session, job_id: int) -> list[JobItem]:
    session.expire_all()
    return list(session.scalars(select(JobItem).where(JobItem.job_id == job_id).order_by(JobItem.position)))


def test_a_queued_bulk_approval_is_done_item_by_item_and_audited_like_the_synchronous_one(session, org, plans):
    selection = shown(session, plans)
    selection[1] = (selection[1][0], selection[1][1] - 1)  # listed before someone else changed it
    job = enqueue_bulk(session, org.actor("kabid"), "approve_plan", selection)
    session.commit()
    assert (job.status, job.total, job.done, job.kind) == ("queued", len(plans), 0, "bulk")
    assert {a.state for a in map(lambda a: session.get(Appraisal, a), plans)} == {"plan_review"}

    claimed = claim(session, worker="w1")
    assert claimed is not None and claimed.id == job.id and claimed.status == "running" and claimed.worker == "w1"
    assert claim(session, worker="w2") is None  # one worker per job
    finished = run_job(session, job.id, KINDS, worker="w1")

    assert (finished.status, finished.done, finished.finished_at is not None) == ("done", len(plans), True)
    outcomes = [i.status for i in items_of(session, job.id)]
    assert outcomes == ["ok", "stale"] + ["ok"] * (len(plans) - 2)
    first = items_of(session, job.id)[0]
    assert first.outcome["to_state"] == {"id": "Pelaksanaan dan pemantauan", "en": "Monitoring"}
    assert first.outcome["name"].startswith("Ani Lestari")
    # Each approved plan has the one transition event the synchronous path writes, by kabid as penilai.
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == plans[0],
                                                     AuditEvent.trigger == "approve_plan")).one()
    assert (event.actor_user_id, event.role, event.to_state) == (org.users["kabid"].id, "penilai", "monitor")
    assert [approvals(session, a) for a in plans] == [1, 0] + [1] * (len(plans) - 2)
    assert verify_chain(session).ok


def test_a_refused_item_is_kept_with_its_reason_and_the_others_go_on(session, org, plans):
    kadis = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["kadis"].id)).one()
    job = enqueue_bulk(session, org.actor("kabid"), "approve_plan", shown(session, [plans[0], kadis]))
    session.commit()
    claim(session)
    run_job(session, job.id, KINDS)
    mine, not_mine = items_of(session, job.id)
    assert mine.status == "ok"
    # kabid may not open their head's appraisal: it is answered as none, telling nothing of its state.
    assert not_mine.status == "refused" and not_mine.outcome["error"]["code"] == "not-found"
    assert not_mine.outcome["name"] == f"#{kadis}"


def test_a_batch_that_cannot_be_done_in_bulk_is_refused_before_it_is_queued(session, org, plans):
    with pytest.raises(NotInBulk):
        enqueue_bulk(session, org.actor("kabid"), "return_plan", shown(session, plans))  # needs a comment
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_worker_that_dies_leaves_finished_items_finished_and_the_next_worker_resumes(session, org, plans):
    selection = shown(session, plans)
    job = enqueue_bulk(session, org.actor("kabid"), "approve_plan", selection)
    session.commit()
    claim(session, worker="dies")
    stopped = run_job(session, job.id, KINDS, worker="dies", max_items=3)
    assert (stopped.status, stopped.done) == ("running", 3)
    # It had also fired the fourth plan when it died, before recording it.
    fourth = items_of(session, job.id)[3]
    session.execute(JobItem.__table__.update().where(JobItem.id == fourth.id).values(status="running"))
    session.commit()
    fire_transition(session, selection[3][0], "approve_plan", org.actor("kabid"), expected_version=selection[3][1])

    assert claim(session, worker="next") is None  # its lease still runs
    taken = claim(session, worker="next", now=utcnow() + LEASE + timedelta(seconds=1))
    assert taken is not None and taken.id == job.id and taken.attempts == 2
    done = run_job(session, job.id, KINDS, worker="next")

    assert (done.status, done.done, done.total) == ("done", len(plans), len(plans))
    assert [i.status for i in items_of(session, job.id)] == ["ok"] * len(plans)
    assert [approvals(session, a) for a in plans] == [1] * len(plans)  # none fired twice
    assert verify_chain(session).ok


def test_two_workers_claiming_at_once_take_different_jobs(db_url, session, org, national):
    for n in range(2):
        enqueue(session, LAUNCH_KIND, {"n": n}, org.actor("hr"), [(None, {})])
    session.commit()
    session.close()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=claim_in_child, args=(db_url, f"w{n}", barrier, results)) for n in range(2)]
    for p in procs:
        p.start()
    claims = dict(results.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    assert "crash" not in claims, claims
    assert sorted(claims.values()) == sorted(session.scalars(select(Job.id)))
    session.expire_all()
    assert {j.worker for j in session.scalars(select(Job))} == {"w0", "w1"}


def test_on_postgresql_a_worker_skips_a_job_another_worker_has_locked(db_url, session, fresh_session, org):
    if not db_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite claims under its write lock")
    first = enqueue(session, LAUNCH_KIND, {}, org.actor("hr"), [(None, {})])
    second = enqueue(session, LAUNCH_KIND, {}, org.actor("hr"), [(None, {})])
    session.commit()
    holder = fresh_session()
    holder.execute(select(Job.id).where(Job.id == first.id).with_for_update())  # a worker mid-claim
    began = time.monotonic()
    taken = claim(fresh_session(), worker="w2")
    assert taken is not None and taken.id == second.id and time.monotonic() - began < 5
    holder.rollback()


def test_a_large_launch_runs_in_the_worker_and_its_notices_follow(session, org, national):
    job = enqueue_launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    session.commit()
    assert session.scalar(select(func.count()).select_from(CycleRun)) == 0
    report = work_round(session, worker="w")
    assert report.jobs == 1
    session.expire_all()
    done = session.get(Job, job.id)
    run = session.scalars(select(CycleRun)).one()
    assert done.status == "done" and done.result == {"run_id": run.id, "started": 4, "skipped": 0}
    told = session.scalars(select(Notification).where(Notification.user_id == org.users["ani"].id)).all()
    assert [n.subject for n in told] == ["Perlu tindakan: Penyusunan SKP – Ani Lestari"]


def test_a_launch_refused_in_the_worker_keeps_the_reason(session, org, national):
    launch(session, national, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
    job = enqueue_launch(session, national, find_unit(session, "BIDANG"), "2026", org.actor("hr"))
    session.commit()
    work_round(session)
    (item,) = items_of(session, job.id)
    kept = Message.from_json(item.outcome["error"]["msg"])  # the code and parameters, rendered where it is read
    assert item.status == "refused" and kept is not None and "sudah diluncurkan" in message_text(kept, "id")


def test_a_job_of_an_unknown_kind_fails_with_its_reason(session, org):
    job = enqueue(session, "export-something", {}, org.actor("hr"), [(None, {})])
    session.commit()
    claim(session)
    failed = run_job(session, job.id, KINDS)
    assert failed.status == "failed" and failed.error == "Unknown kind of job 'export-something'."
    assert failed.result["error_text"]["id"] == "Jenis pekerjaan 'export-something' tidak dikenal."


def test_only_the_person_who_asked_and_administrators_see_a_job(session, org, plans):
    job = enqueue_bulk(session, org.actor("kabid"), "approve_plan", shown(session, plans[:2]))
    session.commit()
    view = job_view(session, org.actor("kabid"), job.id)
    assert view.counts == {"pending": 2} and [i.ref for i in view.items] == plans[:2] and view.percent == 0
    assert job_view(session, org.actor("admin"), job.id).job.id == job.id
    with pytest.raises(NotFound):
        job_view(session, org.actor("ani"), job.id)


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 OK"


def test_the_worker_mails_the_notices_over_smtp_and_never_twice(session, org, national):
    import socket

    from aiosmtpd.controller import Controller

    from engine.mail import MailSettings, SmtpMailer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = MailSettings.from_mapping({"SIKLUS_SMTP_HOST": "127.0.0.1", "SIKLUS_SMTP_PORT": str(port),
                                              "SIKLUS_MAIL_FROM": "kinerja@pemda.go.id"})
        enqueue_launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
        session.commit()
        report = work_round(session, mailer=lambda: SmtpMailer(settings))
        assert (report.jobs, report.notices, report.sent) == (1, 4, 4)
        assert sorted(r for m in inbox.messages for r in m.rcpt_tos) == [
            "ani@example.go.id", "budi@example.go.id", "kabid@example.go.id", "kadis@example.go.id"]
        assert work_round(session, mailer=lambda: SmtpMailer(settings)).sent == 0
        assert len(inbox.messages) == 4
    finally:
        controller.stop()
