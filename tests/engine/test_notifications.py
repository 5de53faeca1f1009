"""Notifications: whoever must act next is told, once, in their language; e-mail goes over SMTP when it is
configured and waits in the outbox when it is not."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from engine.appraisals import fire_transition, set_skp
from engine.deadlines import tick
from engine.mail import MailSettings, SmtpMailer
from engine.models import Appraisal, AuditEvent, Employee, Notification, SweepCursor, utcnow
from engine.notifications import dispatch, dispatch_recent, mark_read
from engine.outbox import MAX_ATTEMPTS, deliver
from engine.runs import find_unit, launch
from tests.support.states import SKP, drive


@pytest.fixture
def run(session, org, national):
    return launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))


@pytest.fixture
def ani(session, org, run) -> int:
    return session.scalars(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                      Appraisal.employee_id == org.people["ani"].id)).one()


def later(days: int = 0) -> object:
    return utcnow() + timedelta(days=days, minutes=5)


def notices(session, launch: bool = False, **where) -> list[Notification]:
    """Notices written, without those of the launch itself unless asked."""
    session.expire_all()
    stmt = select(Notification).order_by(Notification.id)
    if not launch:
        stmt = stmt.where(Notification.dedupe_key.not_like("launch:%"))
    for key, value in where.items():
        stmt = stmt.where(getattr(Notification, key) == value)
    return list(session.scalars(stmt))


def to(org, session, person: str) -> list[Notification]:
    return notices(session, user_id=org.users[person].id)


def test_a_submitted_plan_tells_the_rater_and_not_the_employee(session, org, ani):
    set_skp(session, ani, org.actor("ani"), SKP)
    fire_transition(session, ani, "submit_plan", org.actor("ani"))
    report = dispatch(session, now=later())
    assert report.created == 1 + 3  # and the launch told the three others to draft their SKP
    (notice,) = to(org, session, "kabid")
    assert notice.kind == "action_needed" and notice.link == f"/penilaian/{ani}"
    assert notice.subject == "Perlu tindakan: Persetujuan SKP – Ani Lestari"
    assert "Setujui SKP" in notice.body and "Kembalikan SKP" in notice.body and "periode 2026" in notice.body
    assert notice.email == "kabid@example.go.id" and notice.email_status == "outbox" and notice.read_at is None
    assert to(org, session, "ani") == []


def test_each_person_is_told_in_their_own_language(session, org, ani):
    org.users["kabid"].locale = "en"
    session.commit()
    set_skp(session, ani, org.actor("ani"), SKP)
    fire_transition(session, ani, "submit_plan", org.actor("ani"))
    dispatch(session, now=later())
    (notice,) = to(org, session, "kabid")
    assert notice.subject == "Action needed: SKP awaiting approval – Ani Lestari"
    assert "Approve the SKP" in notice.body


def test_a_sweep_run_again_makes_no_second_copy_and_moves_its_cursor(session, org, ani):
    set_skp(session, ani, org.actor("ani"), SKP)
    fire_transition(session, ani, "submit_plan", org.actor("ani"))
    # Read twice while the event is fresh (the cursor waits for it to settle), then once it has.
    assert dispatch(session).created == 1 + 3
    assert dispatch(session).created == 0
    settled = dispatch(session, now=later())
    assert settled.created == 0 and settled.cursor > 0
    assert session.get(SweepCursor, "notifications").position == settled.cursor
    assert dispatch(session, now=later()).events == 0
    assert len(notices(session)) == 1


def test_the_next_people_in_the_national_cycle_are_told(session, org, ani):
    drive(session, org, ani, "ani", "review")
    dispatch(session, now=later())
    kadis = to(org, session, "kadis")
    # The reviewer (atasan pejabat penilai) is asked to confirm the rating.
    assert [n.subject for n in kadis] == ["Perlu tindakan: Pemeriksaan atasan pejabat penilai – Ani Lestari"]
    assert "Tetapkan hasil penilaian" in kadis[0].body
    # Steps already taken before the sweep are not announced any more: only the current state counts.
    assert to(org, session, "kabid") == []
    fire_transition(session, ani, "confirm_rating", org.actor("kadis"))
    dispatch(session, now=later())
    (rated,) = [n for n in to(org, session, "ani") if "Hasil penilaian diterima" in n.subject]
    assert "Ajukan keberatan" in rated.body and "Terima hasil penilaian" in rated.body


def test_an_approved_plan_tells_the_employee_to_record_realisation(session, org, ani):
    drive(session, org, ani, "ani", "monitor")
    dispatch(session, now=later())
    (notice,) = to(org, session, "ani")
    assert "Pelaksanaan dan pemantauan" in notice.subject and "mencatat realisasi" in notice.body
    # HR may close monitoring too, but is told only when nobody else can act.
    assert to(org, session, "hr") == []


def test_a_deadline_reminder_is_sent_once_per_deadline(session, org, ani):
    due = session.get(Appraisal, ani).due_at
    report = tick(session, now=due + timedelta(hours=1))
    assert report.reminded == 4  # every appraisal of the run is still drafting its SKP
    for moment in (due + timedelta(hours=1), due + timedelta(hours=1), due + timedelta(days=3)):
        dispatch(session, now=moment)
        tick(session, now=moment)
    reminders = to(org, session, "ani")
    assert len(reminders) == 1 and reminders[0].kind == "reminder"
    assert reminders[0].subject == "Pengingat tenggat: Penyusunan SKP – Ani Lestari"
    assert reminders[0].dedupe_key == f"remind:{ani}:{due.isoformat()}:{org.users['ani'].id}"
    assert session.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "reminder")) == 4


def test_an_escalation_reaches_the_rater_and_hr(session, org, ani):
    set_skp(session, ani, org.actor("ani"), SKP)
    fire_transition(session, ani, "submit_plan", org.actor("ani"))
    due = session.get(Appraisal, ani).due_at
    tick(session, now=due + timedelta(minutes=1))
    dispatch(session, now=due + timedelta(days=1))
    escalations = notices(session, kind="escalation")
    assert {n.user_id for n in escalations} == {org.users["kabid"].id, org.users["hr"].id}
    hr_notice = next(n for n in escalations if n.user_id == org.users["hr"].id)
    assert hr_notice.subject == "Tenggat terlewat: Persetujuan SKP – Ani Lestari"
    assert "Pejabat Penilai Kinerja" in hr_notice.body
    # The HR officer has no e-mail address on file: shown in the app only.
    assert hr_notice.email is None and hr_notice.email_status == "none"


def test_without_smtp_notices_stay_in_the_outbox(session, org, ani):
    set_skp(session, ani, org.actor("ani"), SKP)
    fire_transition(session, ani, "submit_plan", org.actor("ani"))
    dispatch(session, now=later())
    assert MailSettings.from_mapping({}) is None
    assert deliver(session, mailer=None) == 0
    assert [n.email_status for n in notices(session)] == ["outbox"]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_with_smtp_each_notice_is_mailed_once(session, org, ani, smtp_server):
    inbox, port = smtp_server
    settings = MailSettings.from_mapping({"SIKLUS_SMTP_HOST": "127.0.0.1", "SIKLUS_SMTP_PORT": str(port),
                                          "SIKLUS_MAIL_FROM": "kinerja@pemda.go.id",
                                          "SIKLUS_BASE_URL": "https://kinerja.pemda.go.id/"})
    assert settings is not None and settings.starttls is False
    set_skp(session, ani, org.actor("ani"), SKP)
    fire_transition(session, ani, "submit_plan", org.actor("ani"))
    dispatch(session, now=later())
    # The launch told the other three to draft their SKP; ani's submission told kabid.
    assert deliver(session, mailer=SmtpMailer(settings)) == 4
    assert sorted(r for m in inbox.messages for r in m.rcpt_tos) == [
        "budi@example.go.id", "kabid@example.go.id", "kabid@example.go.id", "kadis@example.go.id"]
    assert {m.mail_from for m in inbox.messages} == {"kinerja@pemda.go.id"}
    (notice,) = notices(session)
    text = next(m.content.decode("utf-8") for m in inbox.messages if "Persetujuan SKP" in m.content.decode("utf-8"))
    assert f"https://kinerja.pemda.go.id/penilaian/{ani}" in text and "Subject: Perlu tindakan" in text
    assert notice.email_status == "sent" and notice.email_sent_at is not None and notice.email_attempts == 1
    assert deliver(session, mailer=SmtpMailer(settings)) == 0
    assert len(inbox.messages) == 4


def test_a_server_that_cannot_be_reached_is_retried_then_given_up(session, org, run):
    settings = MailSettings(host="127.0.0.1", port=_free_port(), starttls=False, sender="kinerja@pemda.go.id")
    dispatch(session, now=later())
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver(session, mailer=SmtpMailer(settings)) == 0
        first, *rest = notices(session, launch=True)
        # The round stops at the unreachable server: only the first notice was tried.
        assert (first.email_status, first.email_attempts) == ("failed", attempt)
        assert "ConnectionRefusedError" in first.email_error
        assert [(n.email_status, n.email_attempts) for n in rest] == [("outbox", 0)] * 3
    deliver(session, mailer=SmtpMailer(settings))
    first, second, *_ = notices(session, launch=True)
    assert first.email_attempts == MAX_ATTEMPTS and (second.email_status, second.email_attempts) == ("failed", 1)


def test_marking_read(session, org, ani):
    drive(session, org, ani, "ani", "rated")
    fire_transition(session, ani, "appeal", org.actor("ani"), {"alasan": "Realisasi belum lengkap dihitung."})
    dispatch(session, now=later())
    (notice,) = to(org, session, "kadis")
    assert mark_read(session, org.users["ani"].id, notice.id) == 0  # not hers
    assert mark_read(session, org.users["kadis"].id, notice.id) == 1
    assert mark_read(session, org.users["kadis"].id) == 1  # the rest: kadis's own launch notice
    assert mark_read(session, org.users["kadis"].id) == 0


def test_a_launch_tells_every_employee_to_draft_the_skp(session, org, run):
    report = dispatch(session, now=later())
    assert report.created == 4
    launched = notices(session, launch=True)
    assert {n.user_id for n in launched} == {org.users[p].id for p in ("kadis", "kabid", "ani", "budi")}
    ani = next(n for n in launched if n.user_id == org.users["ani"].id)
    assert ani.subject == "Perlu tindakan: Penyusunan SKP – Ani Lestari"
    assert "Ajukan SKP" in ani.body and "menyusun SKP" in ani.body
    assert dispatch(session, now=later()).created == 0


def test_a_quick_sweep_leaves_a_large_launch_to_the_next_full_one(session, org, run):
    quick = dispatch(session, now=later(), max_launch=2)
    assert quick.created == 0 and quick.more
    assert session.get(SweepCursor, "notifications").position < max(
        session.scalars(select(AuditEvent.id).where(AuditEvent.kind == "launch")))
    assert dispatch(session, now=later()).created == 4


def test_a_joiner_added_by_hr_is_told_to_draft_the_skp_and_a_closed_appraisal_tells_nobody(session, org, run, ani):
    from engine.models import Employee, User
    from engine.runs import add_employee, close_appraisal

    dispatch(session, now=later())
    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis", unit_id=org.bidang.id,
                   supervisor_id=org.people["kabid"].id, email="eko@example.go.id")
    session.add(eko)
    session.flush()
    session.add(User(username="eko", display_name="Eko Prasetyo", employee_id=eko.id, password_hash="x"))
    session.commit()
    added = add_employee(session, run.id, eko.nip, org.actor("hr"), reason="CPNS formasi 2025")
    close_appraisal(session, ani, org.actor("hr"), reason="Pensiun")
    report = dispatch(session, now=later())
    told = notices(session, launch=True, appraisal_id=added.id)
    assert [(n.kind, n.email) for n in told] == [("action_needed", "eko@example.go.id")]
    assert report.created == 1  # closing Ani's appraisal asks nothing of anyone


# -- the employee hears of the steps others take on their appraisal ------------------------------

def test_the_employee_is_told_the_rating_was_issued_by_the_reviewer(session, org, ani):
    drive(session, org, ani, "ani", "rated")
    dispatch(session, now=later())
    (issued,) = to(org, session, "ani")
    assert issued.subject == "Perlu tindakan: Hasil penilaian diterima pegawai – Ani Lestari"
    assert ('Langkah terakhir: "Tetapkan hasil penilaian" oleh Atasan Pejabat Penilai Kinerja.' in issued.body
            and "Ajukan keberatan" in issued.body)


def test_the_employee_is_told_the_rater_has_rated_while_the_reviewer_checks_it(session, org, ani):
    drive(session, org, ani, "ani", "review")
    dispatch(session, now=later())
    (told,) = to(org, session, "ani")
    assert told.kind == "info" and told.subject == "Penilaian kinerja Anda: Pemeriksaan atasan pejabat penilai"
    assert told.body.startswith('Pejabat Penilai Kinerja telah melakukan "Beri penilaian" pada penilaian kinerja Anda')
    assert told.link == f"/penilaian/{ani}" and told.email == "ani@example.go.id"


def test_the_employee_is_told_the_appeal_was_decided(session, org, ani):
    drive(session, org, ani, "ani", "develop")
    dispatch(session, now=later())
    (decided,) = to(org, session, "ani")
    assert "Pengembangan kompetensi" in decided.subject
    assert 'Langkah terakhir: "Putuskan keberatan (final)" oleh Atasan Pejabat Penilai Kinerja.' in decided.body


def test_the_employee_is_told_the_cycle_closed_in_their_language(session, org, ani):
    org.users["ani"].locale = "en"
    session.commit()
    drive(session, org, ani, "ani", "develop")
    dispatch(session, now=later())
    fire_transition(session, ani, "complete_development", org.actor("kabid"))
    dispatch(session, now=later())
    closed = [n for n in to(org, session, "ani") if n.kind == "info"]
    assert [n.subject for n in closed] == ["Your performance appraisal is complete: Closed"]
    assert 'was closed after "Close the cycle" by Rater (direct supervisor).' in closed[0].body
    # Nobody acts in a final state: the rater who closed it and HR are not asked to do anything.
    assert [n for n in to(org, session, "kabid") if "Closed" in n.subject or "Selesai" in n.subject] == []


def test_the_employee_is_not_told_of_their_own_step(session, org, ani):
    drive(session, org, ani, "ani", "rated")
    fire_transition(session, ani, "accept_rating", org.actor("ani"))
    dispatch(session, now=later())
    assert [n for n in to(org, session, "ani") if "Terima hasil penilaian" in n.body and n.kind == "info"] == []


# -- notices arrive right after an action, whatever was launched before --------------------------

def test_after_a_launch_of_300_the_next_actor_is_told_by_the_quick_sweep(session, org, national, ani):
    session.execute(Employee.__table__.insert(), [
        {"nip": f"19910101201601{5000 + n:04d}", "name": f"Pegawai Lain {n}", "position": "Pelaksana",
         "unit_id": org.other.id, "supervisor_id": org.people["doni"].id, "active": True} for n in range(300)])
    session.commit()
    launch(session, national, find_unit(session, "LAIN"), "2026", org.actor("hr"))
    set_skp(session, ani, org.actor("ani"), SKP)
    fire_transition(session, ani, "submit_plan", org.actor("ani"))
    # The old sweep after each action stopped at the large launch and told nobody.
    assert dispatch(session, limit=200, max_launch=200).created == 3  # only the earlier small launch (ani moved on)
    assert to(org, session, "kabid") == []
    dispatch_recent(session)
    assert [n.subject for n in to(org, session, "kabid")] == ["Perlu tindakan: Persetujuan SKP – Ani Lestari"]
    # The large launch's 301 notices are the worker's: the quick sweep never writes them.
    lain = session.scalar(select(func.count()).select_from(Notification).where(
        Notification.dedupe_key.like("launch:%"), Notification.user_id.is_(None)))
    assert lain == 0
    assert dispatch(session, now=later()).created == 1  # doni (the one of the 301 with a login)


def test_the_full_sweep_tells_a_large_launch_in_batches(session, org, run, monkeypatch):
    import engine.notifications as notifications

    monkeypatch.setattr(notifications, "LAUNCH_BATCH", 3)
    read: list[int] = []
    original = notifications._launched

    def counting(*args, **kwargs):
        rows = original(*args, **kwargs)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(notifications, "_launched", counting)
    assert dispatch(session, now=later()).created == 4
    assert max(read) == 3 and sum(read) == 4  # at most three appraisals in memory at once
    assert {n.user_id for n in notices(session, launch=True)} == {
        org.users[p].id for p in ("kadis", "kabid", "ani", "budi")}


def test_a_notice_is_mailed_in_the_language_its_recipient_reads_when_it_is_sent(session, org, ani, smtp_server):
    """Kept as a code: written while kabid read Indonesian, e-mailed after he chose English, it is English."""
    inbox, port = smtp_server
    settings = MailSettings(host="127.0.0.1", port=port, starttls=False, sender="kinerja@pemda.go.id")
    set_skp(session, ani, org.actor("ani"), SKP)
    fire_transition(session, ani, "submit_plan", org.actor("ani"))
    dispatch(session, now=later())
    (notice,) = to(org, session, "kabid")
    assert notice.code == "notice.action_needed" and notice.subject.startswith("Perlu tindakan")
    org.users["kabid"].locale = "en"
    session.commit()
    deliver(session, mailer=SmtpMailer(settings))
    mail = next(parsed for m in inbox.messages if "kabid@example.go.id" in m.rcpt_tos
                and "Ani Lestari" in (parsed := message_from_bytes(m.content, policy=default))["Subject"])
    assert mail["Subject"] == "Action needed: SKP awaiting approval – Ani Lestari"
    body = mail.get_content()
    assert "What you can do: Return the SKP, Approve the SKP." in body and "Perlu" not in body


def test_a_notice_written_before_codes_is_mailed_with_its_own_text(session, org, smtp_server):
    inbox, port = smtp_server
    session.add(Notification(user_id=org.users["kabid"].id, email="kabid@example.go.id", kind="info",
                             dedupe_key="old:1", subject="Pemberitahuan lama", body="Teks yang tersimpan.",
                             email_status="outbox", email_attempts=0))
    session.commit()
    assert deliver(session, mailer=SmtpMailer(MailSettings(host="127.0.0.1", port=port, starttls=False))) == 1
    (message,) = inbox.messages
    assert "Subject: Pemberitahuan lama" in message.content.decode("utf-8")
