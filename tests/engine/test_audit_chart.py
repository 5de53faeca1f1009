"""The org chart is proven by the system chain. The direct supervisor decides who rates whom, and the unit whose HR
sees an appraisal; an ``employee.supervisor_id`` rewritten in the database handed a stranger the rating while
verify said the chain was intact. Every change Siklus makes to the chart now records its fingerprint before and
after, and verify names a chart that is not the one recorded, or that changed between two recorded moves."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update

from engine.audit import EventInfo, append_system_event
from engine.chart import last_recorded
from engine.chart_verify import chart_fingerprint
from engine.models import AuditEvent, Employee, OrgUnit
from engine.orgimport import import_org
from engine.permissions import Actor
from tests.support.factories import record_chart
from tests.support.forgery import verified
from web.messages import finding_text

OPERATOR = Actor(user_id=None, username="cli:operator", grants=(("admin", None),))
HEAD = "NIP;Nama;Kode Unit;Jabatan;NIP Atasan"


def _import(session, *lines: str):
    data = ("\ufeff" + "\r\n".join((HEAD, *lines)) + "\r\n").encode()
    report = import_org(session, data, "organisasi.csv", OPERATOR)
    assert report.ok, report.errors
    return report


def _row(person: Employee, unit: str, boss: Employee | None) -> str:
    return f"{person.nip};{person.name};{unit};{person.position};{boss.nip if boss else ''}"


def test_a_chart_changed_only_through_siklus_verifies_clean(session, org):
    assert verified(session) == (True, [])
    # ani moves to DINAS under kadis, through an import: recorded, so still proven.
    _import(session, _row(org.people["ani"], "DINAS", org.people["kadis"]))
    session.expire_all()
    assert session.get(Employee, org.people["ani"].id).supervisor_id == org.people["kadis"].id
    event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "import")).one()
    assert event.payload["chart"]["after"] == chart_fingerprint(session) == last_recorded(session)
    assert event.payload["chart"]["before"] != event.payload["chart"]["after"]
    assert "public" not in event.payload  # the setup's chart event marked where public answers began; once is all
    assert verified(session) == (True, [])


def test_a_supervisor_rewritten_in_the_database_is_named(session, org):
    session.commit()
    with session.bind.begin() as conn:  # below Siklus, as someone with the database's password would
        conn.execute(update(Employee.__table__).where(Employee.id == org.people["ani"].id)
                     .values(supervisor_id=org.people["doni"].id))
    ok, problems = verified(session)
    assert not ok
    differs = next(p for p in problems if "org chart" in p)
    assert "is not the one the system chain last recorded" in differs and "changed outside Siklus" in differs
    assert finding_text(differs, "id").startswith("struktur organisasi (unit kerja, pegawai, atasan langsung) bukan")
    # Put back as it was, the chart is proven again.
    with session.bind.begin() as conn:
        conn.execute(update(Employee.__table__).where(Employee.id == org.people["ani"].id)
                     .values(supervisor_id=org.people["kabid"].id))
    assert verified(session) == (True, [])


def test_an_employee_or_unit_written_or_deleted_in_the_database_is_named(session, org):
    session.commit()
    with session.bind.begin() as conn:
        conn.execute(insert(OrgUnit.__table__).values(code="GELAP", name="Unit Gelap", parent_id=org.dinas.id))
    ok, problems = verified(session)
    assert not ok and any("org chart" in p for p in problems)
    with session.bind.begin() as conn:
        conn.execute(delete(OrgUnit.__table__).where(OrgUnit.code == "GELAP"))
        conn.execute(update(Employee.__table__).where(Employee.id == org.people["budi"].id).values(active=False))
    ok, problems = verified(session)
    assert not ok and any("org chart" in p for p in problems)


def test_a_forged_chart_is_not_laundered_by_the_next_import(session, org):
    session.commit()
    with session.bind.begin() as conn:
        conn.execute(update(Employee.__table__).where(Employee.id == org.people["ani"].id)
                     .values(supervisor_id=org.people["doni"].id))
    # HR imports an unrelated change afterwards: the import records the chart it found, forged row and all.
    _import(session, _row(org.people["budi"], "DINAS", org.people["kadis"]))
    ok, problems = verified(session)
    assert not ok
    seqs = session.scalars(select(AuditEvent.seq).where(AuditEvent.stream == "system",
                                                        AuditEvent.kind.in_(("chart_seed", "import")))
                           .order_by(AuditEvent.seq)).all()
    between = next(p for p in problems if "org chart" in p)
    assert f"between seq {seqs[0]} and {seqs[1]} of the system chain" in between
    assert finding_text(between, "id").startswith("struktur organisasi (unit kerja, pegawai, atasan langsung) diubah "
                                                  f"di luar Siklus antara urutan {seqs[0]} dan {seqs[1]}")
    # The chart as it stands is the one the import recorded: only the move between is named.
    assert sum("org chart" in p for p in problems) == 1


def test_an_organisation_imported_before_any_chart_was_recorded_is_said_unproven(session):
    """An import recorded before charts were fingerprinted (an old database) proves nothing about the chart."""
    session.add(OrgUnit(code="LAMA", name="Unit Lama"))
    session.flush()
    session.add(Employee(nip="198001012005011999", name="Pegawai Lama", position="Analis",
                         unit_id=session.scalars(select(OrgUnit.id)).one()))
    append_system_event(session, EventInfo(kind="import", actor_user_id=None, actor_name="cli:operator", role="sdm",
                                           payload={"file": "lama.csv", "rows": 1}))
    ok, problems = verified(session)
    assert not ok
    assert problems == [next(p for p in problems if "never been recorded" in p)]
    assert finding_text(problems[0], "id").startswith("struktur organisasi belum pernah dicatat di rantai sistem")
    # Re-importing the chart as it stands records it; from then on it is proven.
    person = session.scalars(select(Employee)).one()
    _import(session, f"{person.nip};{person.name};LAMA;{person.position};")
    assert verified(session) == (True, [])


def test_an_empty_database_needs_no_chart(session):
    assert verified(session) == (True, [])


def test_two_imports_at_once_run_one_after_the_other_and_both_stay_proven(session, org, fresh_session):
    """On PostgreSQL two imports could each read the chart before the other's change and record fingerprints of
    a chart that never stood; the second now waits for the first (SQLite's write lock already did)."""
    import threading

    from engine.chart import lock_chart

    if session.bind.dialect.name != "postgresql":
        import pytest

        pytest.skip("SQLite's write lock serialises imports already (engine.db.begin_write)")
    session.commit()
    first = fresh_session()
    lock_chart(first)  # an import in progress, holding the chart
    first.execute(update(Employee.__table__).where(Employee.id == org.people["budi"].id)
                  .values(position="Pranata Komputer Mahir"))
    done: list[object] = []

    def second_import() -> None:
        other = fresh_session()
        try:
            done.append(_import(other, _row(org.people["ani"], "DINAS", org.people["kadis"])))
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            done.append(exc)

    waiting = threading.Thread(target=second_import)
    waiting.start()
    waiting.join(timeout=1.5)
    assert waiting.is_alive() and done == []  # it waits for the chart
    first.rollback()
    waiting.join(timeout=30)
    assert not waiting.is_alive() and len(done) == 1 and getattr(done[0], "ok", False)
    assert verified(session) == (True, [])


def test_a_login_tied_to_another_employee_in_the_database_is_named(session, org):
    """A login acts as its employee: tied to kabid instead, doni's login would approve kabid's staff's plans."""
    from engine.models import User
    from engine.users import create_user

    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis", unit_id=org.bidang.id,
                   supervisor_id=org.people["kabid"].id)
    session.add(eko)
    session.commit()
    record_chart(session)
    create_user(session, org.actor("hr"), eko.id, "eko")  # recorded as user_create: proven
    assert verified(session) == (True, [])
    with session.bind.begin() as conn:
        conn.execute(update(User.__table__).where(User.username == "kabid").values(employee_id=None))
        conn.execute(update(User.__table__).where(User.username == "doni")
                     .values(employee_id=org.people["kabid"].id))
        conn.execute(insert(User.__table__).values(username="siluman", display_name="Siluman", password_hash="x",
                                                   employee_id=None))
    ok, problems = verified(session)
    assert not ok
    text = "\n".join(problems)
    kabid, doni = (f"{org.people[who].name} (NIP {org.people[who].nip})" for who in ("kabid", "doni"))
    assert (f"the login doni (#{org.users['doni'].id}) is tied to employee {kabid}, but the system chain recorded "
            f"it for employee {doni}") in text
    assert f"the system chain recorded the login kabid (#{org.users['kabid'].id}) for employee {kabid}, but the " \
        "tie is gone" in text
    differs = next(p for p in problems if "login doni" in p)
    assert finding_text(differs, "id").startswith(f"akun doni (#{org.users['doni'].id}) terhubung ke pegawai {kabid}")
    assert "siluman" not in text  # a login tied to nobody acts as nobody


def test_a_login_written_into_the_database_for_an_employee_is_named(session, org):
    from engine.models import User

    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis", unit_id=org.bidang.id)
    session.add(eko)
    session.commit()
    record_chart(session)
    with session.bind.begin() as conn:
        conn.execute(insert(User.__table__).values(username="eko", display_name="Eko", password_hash="x",
                                                   employee_id=eko.id))
    ok, problems = verified(session)
    assert not ok
    assert problems == [next(p for p in problems if "login eko" in p and "never recorded" in p)]


def test_a_deactivated_login_reactivated_in_the_database_is_named(session, org):
    """HR deactivates the login of someone who left; the database's password must not bring it back unseen."""
    from engine.models import User
    from engine.users import create_user, set_active

    eko = Employee(nip="199901012024011001", name="Eko Prasetyo", position="Analis", unit_id=org.bidang.id)
    session.add(eko)
    session.commit()
    record_chart(session)
    made = create_user(session, org.actor("hr"), eko.id, "eko").user
    set_active(session, org.actor("hr"), made.id, False)
    set_active(session, org.actor("hr"), made.id, True)
    set_active(session, org.actor("hr"), made.id, False)
    assert verified(session) == (True, [])
    with session.bind.begin() as conn:
        conn.execute(update(User.__table__).where(User.id == made.id).values(is_active=True))
    ok, problems = verified(session)
    assert not ok
    assert problems == [f"the login eko (#{made.id}) can sign in, but the system chain recorded it deactivated; "
                        "it was reactivated outside Siklus"]
    assert finding_text(problems[0], "id").startswith(f"akun eko (#{made.id}) dapat masuk")
    # HR puts it right on the record (deactivates, and reactivates if the person is back): proven again.
    set_active(session, org.actor("hr"), made.id, False)
    assert verified(session) == (True, [])
    set_active(session, org.actor("hr"), made.id, True)
    assert verified(session) == (True, [])


def test_an_account_a_setup_script_made_is_held_to_its_recorded_state(session, org):
    """Accounts a script made (the demos' HR and admin, every employee's login) are recorded active by the chart's
    seed; one deactivated or reactivated in the database is named like one HR made."""
    from engine.models import User

    session.commit()
    with session.bind.begin() as conn:
        conn.execute(update(User.__table__).where(User.username == "kabid").values(is_active=False))
        conn.execute(update(User.__table__).where(User.username == "admin").values(is_active=False))
    ok, problems = verified(session)
    assert not ok
    assert sorted(p.split(" (#")[0] for p in problems) == ["the login admin", "the login kabid"]
    assert all("cannot sign in, but the system chain recorded it active" in p for p in problems)


def test_a_large_setup_is_recorded_in_bounded_events_each_held_to(session, org, monkeypatch):
    """A setup script recording a whole country's accounts writes them a bounded number to an event, so no event
    (nor the audit page showing it) grows with the organisation; every part is held to, the last carries the chart
    and an edited part breaks the chain."""
    from engine import chart
    from engine.models import User

    monkeypatch.setattr(chart, "SEED_ACCOUNTS", 2)
    session.commit()
    before = session.scalar(select(func.max(AuditEvent.seq)).where(AuditEvent.stream == "system"))
    accounts = session.scalars(select(User.id).order_by(User.id)).all()
    record_chart(session)
    parts = session.execute(select(AuditEvent.id, AuditEvent.seq, AuditEvent.payload).where(
        AuditEvent.stream == "system", AuditEvent.seq > before).order_by(AuditEvent.seq)).all()
    count = (len(accounts) + 1) // 2
    assert len(accounts) >= 5 and len(parts) == count
    assert [p.payload["part"] for p in parts] == [[k, count] for k in range(1, count + 1)]
    assert [[a[0] for a in p.payload["active"]] for p in parts] == [accounts[i:i + 2]
                                                                    for i in range(0, len(accounts), 2)]
    assert ["chart" in p.payload for p in parts] == [False] * (count - 1) + [True]
    assert last_recorded(session) == chart_fingerprint(session)
    assert verified(session) == (True, [])

    # A login of a middle part, retied in the database, is named against that part's record.
    middle = accounts[2]
    name = session.scalar(select(User.username).where(User.id == middle))
    with session.bind.begin() as conn:
        conn.execute(update(User.__table__).where(User.id == middle).values(is_active=False))
    ok, problems = verified(session)
    assert not ok and problems == [f"the login {name} (#{middle}) cannot sign in, but the system chain recorded it "
                                   "active; it was deactivated outside Siklus"], problems
    with session.bind.begin() as conn:
        conn.execute(update(User.__table__).where(User.id == middle).values(is_active=True))
    assert verified(session) == (True, [])

    # A part edited to record a login as never made breaks the system chain there.
    edited = dict(parts[1].payload, active=[])
    with session.bind.begin() as conn:
        conn.execute(update(AuditEvent.__table__).where(AuditEvent.stream == "system", AuditEvent.seq == parts[1].seq)
                     .values(payload=edited))
    ok, problems = verified(session)
    assert not ok and problems == [f"the system chain: event #{parts[1].id} (system, seq {parts[1].seq}): its "
                                   "content no longer matches its hash (edited after the fact)"], problems
