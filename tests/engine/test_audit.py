"""The audit log is a tamper-evident chain: any edit, insertion or removal is found and named."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update

from engine import keys
from engine.appraisals import record_development, record_realisation
from engine.audit import appraisal_stream, check_head, event_hash, rekey, verify_chain
from engine.models import (
    Appraisal,
    AuditCheckpoint,
    AuditEvent,
    DevelopmentActivity,
    Employee,
    FeedbackResponse,
    Indicator,
    Realisation,
    Result,
    User,
)
from engine.runs import add_employee, close_appraisal, find_unit, launch
from tests.support.states import drive


def _story(session, org, national) -> int:
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "review")
    return aid


def test_an_untouched_log_verifies(session, org, national):
    _story(session, org, national)
    report = verify_chain(session)
    assert report.ok and report.events >= 7 and report.streams >= 2


def test_an_edited_payload_is_named(session, org, national):
    aid = _story(session, org, national)
    target = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid,
                                                      AuditEvent.trigger == "rate")).one()
    with session.bind.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(payload={"perilaku": "all above"}))
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok
    assert f"event #{target.id}" in report.broken and "no longer matches its hash" in report.broken


def test_a_removed_last_event_is_found(session, org, national):
    aid = _story(session, org, national)
    last = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid)
                           .order_by(AuditEvent.seq.desc())).first()
    with session.bind.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": last.id})
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok and f"appraisal:{aid}" in report.broken and "removed" in report.broken


def test_a_removed_middle_event_is_found(session, org, national):
    aid = _story(session, org, national)
    second = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid, AuditEvent.seq == 2)).one()
    with session.bind.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": second.id})
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok and "expected seq 2" in report.broken


def test_each_event_records_who_as_which_role_and_the_results(session, org, national):
    aid = _story(session, org, national)
    rate = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid, AuditEvent.trigger == "rate")).one()
    assert (rate.actor_name, rate.role, rate.from_state, rate.to_state) == ("kabid", "penilai", "rate", "review")
    assert set(rate.results) >= {"rating_hasil_kerja", "rating_perilaku", "predikat"}
    assert rate.payload["perilaku"]["loyal"] == "Sesuai Ekspektasi"


# -- the chain proves the data -----------------------------------------------------------------

def _closed(session, org, national) -> int:
    """Ani's appraisal driven through the whole national cycle (rated, appealed, decided, closed)."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "closed")
    return aid


def _resign(conn, aid: int, change, key_id: str | None, key: bytes | None = None) -> None:
    """Rewrite an appraisal's chain as a forger would: change events, recompute every hash, move the head."""
    forger = keys.KeyRing({key_id or "k1": key or b"x" * 32}, key_id or "k1", b"y" * 32)
    genuine = keys.keyring()
    rows = conn.execute(select(AuditEvent.__table__).where(AuditEvent.appraisal_id == aid)
                        .order_by(AuditEvent.seq)).all()
    prev = ""
    keys.use(forger)
    try:
        for row in rows:
            fields = dict(row._mapping)
            change(fields)
            fields.update(prev_hash=prev, key_id=key_id)
            fields["hash"] = event_hash(fields)
            conn.execute(update(AuditEvent).where(AuditEvent.id == row.id).values(
                payload=fields["payload"], results=fields["results"], prev_hash=prev, key_id=key_id,
                hash=fields["hash"]))
            prev = fields["hash"]
    finally:
        keys.use(genuine)
    conn.execute(update(Appraisal).where(Appraisal.id == aid).values(audit_head=prev))


def _raise_predikat(fields) -> None:
    if "predikat_akhir" in fields["results"]:
        fields["results"] = {**fields["results"], "predikat_akhir": {**fields["results"]["predikat_akhir"],
                                                                     "value": "Sangat Baik"}}


def _forge_result(conn, aid):
    conn.execute(update(Result).where(Result.appraisal_id == aid, Result.name == "predikat_akhir")
                 .values(value="Sangat Baik"))
    return "result predikat_akhir is 'Sangat Baik' but the chain says 'Baik'"


def _change_state(conn, aid):
    conn.execute(update(Appraisal).where(Appraisal.id == aid).values(state="rate"))
    return "state is 'rate' but the chain says 'closed'"


def _change_skp(conn, aid):
    conn.execute(update(Indicator).where(Indicator.appraisal_id == aid, Indicator.key == "iki_1").values(target=50))
    return "SKP indicator 'iki_1' target is 50 but the chain says 100"


def _change_realisation(conn, aid):
    conn.execute(update(Realisation).where(Realisation.appraisal_id == aid).values(value=120))
    return "for 'iki_1' value is 120 but the chain says 100"


def _change_saved_decision(conn, aid):
    conn.execute(update(Appraisal).where(Appraisal.id == aid).values(
        data={"penilaian": {"perilaku": {}}, "keputusan_keberatan": {"keputusan": "diubah"}}))
    return "saved data 'keputusan_keberatan' is"


def _swap_employees(conn, aid):
    """Ani's rating given to Budi and Budi's to Ani: the rows swap owners (through a third person, as the
    database allows one open appraisal per person and period)."""
    ani = conn.scalar(select(Appraisal.employee_id).where(Appraisal.id == aid))
    budi, other, budi_nip = conn.execute(select(Appraisal.employee_id, Appraisal.id, Employee.nip)
                                         .join(Employee, Employee.id == Appraisal.employee_id)
                                         .where(Employee.name == "Budi Santoso")).one()
    ani_name, ani_nip = conn.execute(select(Employee.name, Employee.nip).where(Employee.id == ani)).one()
    doni = conn.scalar(select(Employee.id).where(Employee.name == "Doni Harahap"))
    conn.execute(update(Appraisal).where(Appraisal.id == other).values(employee_id=doni))
    conn.execute(update(Appraisal).where(Appraisal.id == aid).values(employee_id=budi))
    conn.execute(update(Appraisal).where(Appraisal.id == other).values(employee_id=ani))
    return (f"appraisal #{aid}: belongs to employee Budi Santoso (NIP {budi_nip}) but the chain says employee "
            f"{ani_name} (NIP {ani_nip})")


def _change_period(conn, aid):
    conn.execute(update(Appraisal).where(Appraisal.id == aid).values(period="2025"))
    return "is for period '2025' but the chain and its run say '2026'"


def _forge_realisation_recorder(conn, aid):
    hr = conn.scalar(select(User.id).where(User.username == "hr"))
    conn.execute(update(Realisation).where(Realisation.appraisal_id == aid).values(recorded_by_id=hr))
    return "for 'iki_1' who recorded it is Pengelola Kinerja (hr) but the chain says"


def _backdate_realisation(conn, aid):
    conn.execute(update(Realisation).where(Realisation.appraisal_id == aid)
                 .values(recorded_at=datetime(2025, 1, 2, 3, 4, 5)))
    return "was recorded at 2025-01-02T03:04:05+00:00 but the chain says 20"


def _backdate_state_entry(conn, aid):
    """The moment the rating was issued moved a month back: the appeal window (since 'rated') closes early."""
    entries = dict(conn.scalar(select(Appraisal.state_entries).where(Appraisal.id == aid)))
    entries["rated"] = "2025-01-02T03:04:05+00:00"
    conn.execute(update(Appraisal).where(Appraisal.id == aid).values(state_entries=entries))
    return "entered state 'rated' at 2025-01-02T03:04:05+00:00 but the chain says 20"


def _move_entered_at(conn, aid):
    conn.execute(update(Appraisal).where(Appraisal.id == aid).values(entered_at=datetime(2025, 1, 2, 3, 4, 5)))
    return "entered its current state at 2025-01-02T03:04:05+00:00 but the chain says 20"


def _forge_deadline(conn, aid):
    """A deadline the sweep would act on, on a state whose cycle gives it none."""
    conn.execute(update(Appraisal).where(Appraisal.id == aid).values(due_at=datetime(2025, 1, 2, 3, 4, 5)))
    return "has its deadline at 2025-01-02T03:04:05+00:00 but the chain says none"


def _delete_appraisal(conn, aid):
    conn.execute(delete(AuditEvent).where(AuditEvent.appraisal_id == aid))
    conn.execute(delete(Appraisal).where(Appraisal.id == aid))
    return f"appraisal #{aid} is gone"


def _delete_appraisal_and_checkpoint(conn, aid):
    _delete_appraisal(conn, aid)
    conn.execute(delete(AuditCheckpoint).where(AuditCheckpoint.appraisal_id == aid))
    return "the launch created 4 appraisal(s) but only 3 have their chain"


def _cut_tail_and_move_head_back(conn, aid):
    kept = conn.execute(select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.appraisal_id == aid)
                        .order_by(AuditEvent.seq.desc()).offset(2).limit(1)).one()
    conn.execute(delete(AuditEvent).where(AuditEvent.appraisal_id == aid, AuditEvent.seq > kept.seq))
    conn.execute(update(Appraisal).where(Appraisal.id == aid).values(audit_seq=kept.seq, audit_head=kept.hash))
    return f"ends at seq {kept.seq} but its signed checkpoint records seq {kept.seq + 2}"


def _rewrite_with_unkeyed_hashes(conn, aid):
    _forge_result(conn, aid)
    _resign(conn, aid, _raise_predikat, None)
    return "unkeyed hash"


def _rewrite_with_a_guessed_key(conn, aid):
    _forge_result(conn, aid)
    _resign(conn, aid, _raise_predikat, "k1", b"not-the-server-key-0123456789abcdef")
    return "no longer matches its hash"


TAMPERINGS = {
    "a forged predikat_akhir": _forge_result,
    "a changed state": _change_state,
    "a changed SKP target": _change_skp,
    "a changed realisation": _change_realisation,
    "a changed appeal decision": _change_saved_decision,
    "a rating moved to another employee": _swap_employees,
    "a changed period": _change_period,
    "a realisation credited to someone else": _forge_realisation_recorder,
    "a backdated realisation": _backdate_realisation,
    "a backdated entry into a state (the appeal window's start)": _backdate_state_entry,
    "a moved entry into the current state": _move_entered_at,
    "a forged deadline": _forge_deadline,
    "a deleted appraisal with its events": _delete_appraisal,
    "a deleted appraisal with its events and checkpoint": _delete_appraisal_and_checkpoint,
    "a cut tail with the head moved back": _cut_tail_and_move_head_back,
    "a rewrite with recomputed unkeyed hashes": _rewrite_with_unkeyed_hashes,
    "a rewrite signed with a guessed key": _rewrite_with_a_guessed_key,
}


def test_a_whole_cycle_verifies_with_its_data(session, org, national):
    _closed(session, org, national)
    report = verify_chain(session)
    assert report.ok, report.problems
    assert report.appraisals == session.scalar(select(func.count()).select_from(Appraisal)) == 4


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_each_tampering_is_named(session, org, national, tampering):
    aid = _closed(session, org, national)
    with session.bind.begin() as conn:
        expected = TAMPERINGS[tampering](conn, aid)
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok
    assert any(expected in problem for problem in report.problems), report.problems


def test_the_difference_names_the_appraisal_and_both_values(session, org, national):
    aid = _closed(session, org, national)
    with session.bind.begin() as conn:
        _forge_result(conn, aid)
    session.expire_all()
    assert verify_chain(session).problems == (
        f"appraisal #{aid}: result predikat_akhir is 'Sangat Baik' but the chain says 'Baik'",)


def test_verifying_one_appraisal_reads_only_its_chain(session, org, national):
    aid = _closed(session, org, national)
    other = session.scalars(select(Appraisal.id).where(Appraisal.id != aid)).first()
    with session.bind.begin() as conn:
        _change_state(conn, other)
    session.expire_all()
    assert verify_chain(session, [appraisal_stream(aid)]).ok
    assert not verify_chain(session, [appraisal_stream(other)]).ok


def test_events_of_earlier_versions_are_re_signed_once_by_rekey(session, org, national):
    aid = _closed(session, org, national)
    # As an older database holds it: unkeyed hashes, no creation events, no checkpoints, and the
    # appraisals nobody has touched yet without any event.
    untouched = session.scalars(select(Appraisal.id).where(Appraisal.id != aid)).all()
    with session.bind.begin() as conn:
        conn.execute(delete(AuditEvent).where(AuditEvent.kind == "create", AuditEvent.appraisal_id == aid))
        chain = select(AuditEvent.id).where(AuditEvent.appraisal_id == aid).order_by(AuditEvent.seq)
        for event_id in conn.scalars(chain):
            conn.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(seq=AuditEvent.seq - 1))
        for stream_aid in (aid, None):
            rows = conn.execute(select(AuditEvent.__table__).where(
                AuditEvent.appraisal_id == stream_aid if stream_aid else AuditEvent.stream == "system")
                .order_by(AuditEvent.seq)).all()
            prev = ""
            for row in rows:
                payload = {k: v for k, v in row.payload.items() if k != "creation_events"}
                fields = {**row._mapping, "payload": payload, "prev_hash": prev, "key_id": None}
                fields["hash"] = event_hash(fields)
                conn.execute(update(AuditEvent).where(AuditEvent.id == row.id).values(
                    payload=payload, prev_hash=prev, key_id=None, hash=fields["hash"]))
                prev = fields["hash"]
            if stream_aid:
                conn.execute(update(Appraisal).where(Appraisal.id == aid).values(audit_head=prev,
                                                                                audit_seq=len(rows)))
        conn.execute(delete(AuditEvent).where(AuditEvent.appraisal_id.in_(untouched)))
        conn.execute(update(Appraisal).where(Appraisal.id.in_(untouched)).values(audit_seq=0, audit_head=""))
        # Launched months before the upgrade: their state was entered long before rekey starts their chains.
        for row in conn.execute(select(Appraisal.id, Appraisal.entered_at, Appraisal.state_entries, Appraisal.due_at)
                                .where(Appraisal.id.in_(untouched))).all():
            back = timedelta(days=90)
            conn.execute(update(Appraisal).where(Appraisal.id == row.id).values(
                entered_at=row.entered_at - back, due_at=row.due_at - back if row.due_at else None,
                state_entries={k: (datetime.fromisoformat(v) - back).isoformat()
                               for k, v in row.state_entries.items()}))
        conn.execute(delete(AuditCheckpoint))
        # The upgrade closed a second launch's appraisal as a duplicate, without an event.
        conn.execute(update(Appraisal).where(Appraisal.id == untouched[-1]).values(
            closed_at=func.now(), closed_kind="duplicate", closed_reason="diluncurkan dua kali"))
    session.expire_all()
    before = verify_chain(session)
    assert not before.ok and any("rekey" in p for p in before.problems)
    assert any(f"appraisal #{untouched[0]}: it has no audit chain" in p for p in before.problems), before.problems

    assert rekey(session, "cli:operator", dry_run=True).events > 0
    assert not verify_chain(session).ok
    report = rekey(session, "cli:operator")
    assert report.ok and report.started == len(untouched) == 3 and report.streams == 2 and report.closures == 1
    after = verify_chain(session)
    assert after.ok, after.problems
    assert session.scalars(select(AuditEvent.kind).where(AuditEvent.stream == "system")
                           .order_by(AuditEvent.seq.desc())).first() == "rekey"
    assert rekey(session, "cli:operator").events == 0


def test_rekey_refuses_a_broken_chain_and_changes_nothing(session, org, national):
    aid = _closed(session, org, national)
    with session.bind.begin() as conn:
        _rewrite_with_a_guessed_key(conn, aid)
        conn.execute(update(AuditEvent).where(AuditEvent.appraisal_id == aid).values(key_id=None))
    session.expire_all()
    heads = session.scalars(select(AuditEvent.hash).order_by(AuditEvent.id)).all()
    report = rekey(session, "cli:operator")
    assert not report.ok and f"appraisal #{aid}" in report.problems[0]
    session.expire_all()
    assert session.scalars(select(AuditEvent.hash).order_by(AuditEvent.id)).all() == heads


def test_a_printed_head_is_found_in_the_chain(session, org, national):
    aid = _closed(session, org, national)
    a = session.get(Appraisal, aid)
    assert check_head(session, aid, a.audit_head).current
    earlier = session.scalars(select(AuditEvent.hash).where(AuditEvent.appraisal_id == aid, AuditEvent.seq == 3)).one()
    found = check_head(session, aid, earlier[:16])
    assert (found.found_seq, found.current) == (3, False)
    assert check_head(session, aid, "0" * 64).found_seq is None


def test_a_changed_development_activity_is_named(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "develop")
    record_development(session, aid, org.actor("ani"), "Pelatihan pelayanan prima", 20, done=True)
    assert verify_chain(session).ok
    with session.bind.begin() as conn:
        conn.execute(update(DevelopmentActivity).where(DevelopmentActivity.appraisal_id == aid).values(jp=40))
    session.expire_all()
    row = session.scalars(select(DevelopmentActivity.id).where(DevelopmentActivity.appraisal_id == aid)).one()
    assert verify_chain(session).problems == (
        f"appraisal #{aid}: development activity #{row} 'Pelatihan pelayanan prima' number of JP is 40 but the chain "
        "says 20",)


def test_a_joiner_and_a_leaver_verify_and_a_reopened_appraisal_is_named(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"), include_subunits=False)
    joiner = add_employee(session, run.id, org.people["ani"], org.actor("hr"), reason="SK pengangkatan 800/12/2026")
    close_appraisal(session, joiner.id, org.actor("hr"), kind="left", reason="Pensiun dini")
    report = verify_chain(session)
    assert report.ok, report.problems
    with session.bind.begin() as conn:
        conn.execute(update(Appraisal).where(Appraisal.id == joiner.id).values(closed_at=None, closed_kind=None))
    session.expire_all()
    assert verify_chain(session).problems == (f"appraisal #{joiner.id}: is open but the chain says closed (left)",)


def test_a_forged_360_answer_is_named(session, org, national):
    aid = _closed(session, org, national)
    with session.bind.begin() as conn:
        conn.execute(FeedbackResponse.__table__.insert().values(
            appraisal_id=aid, window="rekan_360", role="rekan", respondent_key="f" * 64, answers={"q1": 4},
            comment="", created_at=func.now()))
    session.expire_all()
    assert verify_chain(session).problems == (
        f"appraisal #{aid}: feedback 'rekan_360' has 1 answer(s) but the chain records 0",)


def test_a_deadline_brought_forward_while_the_appeal_window_is_open_is_named(session, org, national):
    """The sweep fires 'accept_rating' at the deadline of 'rated': moved forward, the employee loses the appeal."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "rated")
    assert verify_chain(session).ok
    due = session.get(Appraisal, aid).due_at
    with session.bind.begin() as conn:
        conn.execute(update(Appraisal).where(Appraisal.id == aid).values(due_at=datetime(2025, 1, 2, 3, 4, 5)))
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok
    assert any(f"has its deadline at 2025-01-02T03:04:05+00:00 but the chain says {due:%Y-%m-%dT%H:%M}" in p
               for p in report.problems), report.problems


def test_a_realisation_deleted_from_the_middle_is_named_alone(session, org, national):
    """Once each later realisation was compared with its neighbour's event and named as changed."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "monitor")
    for value in (40, 70, 100):
        record_realisation(session, aid, org.actor("ani"), "iki_1", value)
    assert verify_chain(session).ok
    first = session.scalars(select(Realisation.id).where(Realisation.appraisal_id == aid)
                            .order_by(Realisation.id)).first()
    with session.bind.begin() as conn:
        conn.execute(delete(Realisation).where(Realisation.id == first))
    session.expire_all()
    assert verify_chain(session).problems == (
        f"appraisal #{aid}: realisation for 'iki_1' recorded in the chain is missing",)
