"""Published definitions are immutable; appraisals stay on their version until HR migrates them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, func, select, update

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.audit import verify_chain
from engine.db import engine_options
from engine.errors import InvalidInput
from engine.migration import MigrationRefused, migrate_appraisals, plan_migration
from engine.models import Appraisal, AuditEvent, OrgUnit, Result
from engine.registry import ImmutableDefinitionError, find_record, publish_source, save_draft
from engine.runs import find_unit, launch
from tests.support.factories import national_source
from tests.support.states import SKP, drive


def version_two() -> str:
    """The national cycle with 'plan_review' renamed to 'plan_approval'."""
    text = national_source().replace("version: 1", "version: 2", 1)
    return re.sub(r"\bplan_review\b", "plan_approval", text)


def test_a_published_version_cannot_change(session, org, national):
    changed = national_source().replace("minLength: 10, title: Alasan keberatan",
                                        "minLength: 20, title: Alasan keberatan")
    with pytest.raises(ImmutableDefinitionError, match="raise 'version' to 2"):
        save_draft(session, changed, "national.yaml", org.actor("admin"))
    national.source = changed
    with pytest.raises(ImmutableDefinitionError):
        session.commit()
    session.rollback()


def test_publishing_the_same_text_again_is_the_same_definition(session, org, national):
    again = publish_source(session, national_source(), "again.yaml", org.actor("admin"))
    assert again.id == national.id


def test_a_new_version_leaves_running_appraisals_alone_until_migrated(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalars(select(Appraisal).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, ani.id, "ani", "plan_review")
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("admin"))
    session.expire_all()
    assert session.get(Appraisal, ani.id).definition_id == national.id
    fire_transition(session, ani.id, "return_plan", org.actor("kabid"), {"komentar": "Masih pakai versi 1"})
    drive_back = session.get(Appraisal, ani.id)
    assert drive_back.state == "plan"
    fire_transition(session, ani.id, "submit_plan", org.actor("ani"))

    with pytest.raises(InvalidInput, match=r"plan_review .* not mapped \(1 appraisals\)"):
        migrate_appraisals(session, national, v2, {}, org.actor("hr"))
    session.expire_all()
    assert session.get(Appraisal, ani.id).definition_id == national.id

    report = migrate_appraisals(session, national, v2, {"plan_review": "plan_approval"}, org.actor("hr"))
    assert report.moved == 4 and report.by_state == {"plan_review": 1, "plan": 3}
    session.expire_all()
    moved = session.get(Appraisal, ani.id)
    assert (moved.definition_id, moved.state) == (v2.id, "plan_approval")
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == ani.id,
                                                     AuditEvent.kind == "migrate")).one()
    assert (event.from_state, event.to_state, event.payload["from_version"], event.payload["to_version"]) == (
        "plan_review", "plan_approval", 1, 2)
    fire_transition(session, ani.id, "approve_plan", org.actor("kabid"))
    assert verify_chain(session).ok


def test_migration_to_a_state_that_does_not_exist_is_refused(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("admin"))
    with pytest.raises(InvalidInput, match="not in version 2: nowhere"):
        migrate_appraisals(session, national, v2, {"plan": "nowhere"}, org.actor("hr"))
    assert find_record(session, "permenpan-6-2022", 2).status == "published"


# -- safe versions: closed appraisals stay, the dry run says what goes, a stranding move is refused --

ATTENDANCE = """indicators:
  - id: kehadiran
    label: {id: Persentase kehadiran, en: Attendance}
    rule: target_achievement
    params: {direction: higher, cap: 100}
    target: 95
    unit: "%"
    aspect: kuantitas
    supplied_by: pegawai

results:
"""


# The way back from rating moved to review: an appraisal in 'rate' can no longer reopen monitoring.
REOPEN_FROM_REVIEW_ONLY = ("    source: rate\n    dest: monitor_reopened",
                           "    source: review\n    dest: monitor_reopened")


def version_two_with(*changes: tuple[str, str]) -> str:
    """The national cycle as version 2, with each (old, new) text replaced once."""
    text = national_source().replace("version: 1", "version: 2", 1)
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _appraisal_of(session, org, who: str) -> int:
    return session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people[who].id)).one()


def test_migration_leaves_closed_appraisals_alone(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani, budi = _appraisal_of(session, org, "ani"), _appraisal_of(session, org, "budi")
    drive(session, org, ani, "ani", "closed")
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("admin"))
    closed_before = session.get(Appraisal, ani)
    seen = (closed_before.definition_id, closed_before.state, closed_before.version, closed_before.audit_head)

    plan = plan_migration(session, national, v2, {"plan_review": "plan_approval"})
    assert [(k.appraisal_id, k.state) for k in plan.left_alone] == [(ani, "closed")]
    assert "final" in plan.left_alone[0].reason.english()
    assert ani not in {m.appraisal_id for m in plan.moves}

    report = migrate_appraisals(session, national, v2, {"plan_review": "plan_approval"}, org.actor("hr"))
    assert report.moved == 3 and [k.appraisal_id for k in report.left_alone] == [ani]
    session.expire_all()
    closed = session.get(Appraisal, ani)
    assert (closed.definition_id, closed.state, closed.version, closed.audit_head) == seen
    assert session.get(Appraisal, budi).definition_id == v2.id
    assert session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == ani,
                                                    AuditEvent.kind == "migrate")).all() == []


def test_a_final_state_that_the_new_version_drops_does_not_block_the_move(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    drive(session, org, _appraisal_of(session, org, "ani"), "ani", "closed")
    v2 = publish_source(session, version_two_with(("  closed:\n", "  selesai:\n"), ("dest: closed", "dest: selesai")),
                        "v2.yaml", org.actor("admin"))
    report = migrate_appraisals(session, national, v2, {}, org.actor("hr"))
    assert report.moved == 3 and len(report.left_alone) == 1


def test_the_dry_run_lists_what_disappears_and_what_is_recomputed(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = _appraisal_of(session, org, "ani")
    drive(session, org, ani, "ani", "review")
    predikat = session.scalars(select(Result.value).where(Result.appraisal_id == ani, Result.name == "predikat")).one()
    # Version 2 drops the intermediate predicate, rates work results with a lower cap and keeps the
    # rater's rating under another name.
    v2 = publish_source(session, version_two_with(
        ("  predikat:\n    label: {id: Predikat kinerja, en: Performance predicate}\n    rule: predicate_matrix\n"
         "    inputs:\n      work_results: results.rating_hasil_kerja\n      behaviour: results.rating_perilaku\n", ""),
        ("compute: [rating_hasil_kerja, rating_perilaku, predikat]", "compute: [rating_hasil_kerja, rating_perilaku]"),
        ("params: {direction: higher, cap: 120}", "params: {direction: higher, cap: 110}"),
        ("save_as: penilaian\n", "save_as: penilaian_penilai\n"),
        ("data.penilaian.perilaku", "data.penilaian_penilai.perilaku"),
    ), "v2.yaml", org.actor("admin"))

    plan = plan_migration(session, national, v2, {})
    move = next(m for m in plan.moves if m.appraisal_id == ani)
    assert move.dropped_results == {"predikat": predikat}
    assert move.dropped_data == ("penilaian",)
    assert set(move.recomputed) == {"rating_hasil_kerja", "rating_perilaku", "iki.iki_1"}
    assert move.recomputed["rating_perilaku"][1] is None, "the rating it read is no longer there"
    assert move.stranded == (), "the reviewer can still return it to the rater"
    session.expire_all()
    assert session.get(Appraisal, ani).definition_id == national.id, "a plan writes nothing"

    migrate_appraisals(session, national, v2, {}, org.actor("hr"))
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == ani,
                                                     AuditEvent.kind == "migrate")).one()
    assert event.payload["dropped_results"] == ["predikat"] and set(event.results) == set(move.recomputed)
    assert (event.payload["from_definition_id"], event.payload["to_definition_id"]) == (national.id, v2.id)
    assert verify_chain(session).ok


def test_the_dry_run_lists_an_indicator_the_new_version_no_longer_has(session, org):
    with_attendance = national_source().replace("\nresults:\n", "\n" + ATTENDANCE, 1)
    v1 = publish_source(session, with_attendance, "v1.yaml", org.actor("admin"))
    launch(session, v1, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = _appraisal_of(session, org, "ani")
    drive(session, org, ani, "ani", "monitor")
    record_realisation(session, ani, org.actor("ani"), "kehadiran", 97)
    v2 = publish_source(session, national_source().replace("version: 1", "version: 2", 1), "v2.yaml",
                        org.actor("admin"))

    move = next(m for m in plan_migration(session, v1, v2, {}).moves if m.appraisal_id == ani)
    assert move.dropped_indicators == {"kehadiran": 97}


def test_a_move_that_would_strand_an_appraisal_is_refused_and_nothing_moves(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = _appraisal_of(session, org, "ani")
    drive(session, org, ani, "ani", "rate")
    # Version 2 adds an indicator and reopens monitoring only from review, so in 'rate' nobody may
    # record its realisation any more. Such a file is refused today (siklus validate finds the dead
    # end); it stands for a version published before that check, which is still stored and runs.
    v2 = publish_source(session, version_two_with(("\nresults:\n", "\n" + ATTENDANCE), REOPEN_FROM_REVIEW_ONLY),
                        "v2.yaml", org.actor("admin"), dead_ends=False)

    plan = plan_migration(session, national, v2, {})
    [stranded] = plan.stranded
    assert stranded.appraisal_id == ani and "kehadiran" in " ".join(r.english() for r in stranded.stranded)
    with pytest.raises(MigrationRefused) as refused:
        migrate_appraisals(session, national, v2, {}, org.actor("hr"))
    message = refused.value.message
    assert f"appraisal #{ani} (Ani Lestari" in message and "'rate'" in message and "--map" in message
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Appraisal).where(Appraisal.definition_id == v2.id)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "migrate")) == 0

    # Moved back to monitoring, where the employee can record it, the appraisal is not stranded.
    assert plan_migration(session, national, v2, {"rate": "monitor"}).stranded == []
    # Or the others move and the stranded one stays on version 1.
    report = migrate_appraisals(session, national, v2, {}, org.actor("hr"), leave_stranded=True)
    assert report.moved == 3 and [m.appraisal_id for m in report.stranded_left] == [ani]
    session.expire_all()
    assert session.get(Appraisal, ani).definition_id == national.id


def test_an_appraisal_already_stuck_on_its_version_is_not_blamed_on_the_move(session, org, national):
    # A version that reopens monitoring only from review, published before siklus validate found such
    # dead ends: an appraisal whose monitoring closed with no realisation is stuck in 'rate' on it.
    stuck_v2 = publish_source(session, version_two_with(REOPEN_FROM_REVIEW_ONLY), "v2.yaml", org.actor("admin"),
                              dead_ends=False)
    launch(session, stuck_v2, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = _appraisal_of(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), SKP)
    for trigger, who in (("submit_plan", "ani"), ("approve_plan", "kabid"), ("close_monitoring", "kabid")):
        fire_transition(session, ani, trigger, org.actor(who))
    # Version 3 renames a state and keeps the same dead end: the move does not make it worse.
    v3 = re.sub(r"\bplan_review\b", "plan_approval", version_two_with(REOPEN_FROM_REVIEW_ONLY)).replace(
        "version: 2", "version: 3", 1)
    v3 = publish_source(session, v3, "v3.yaml", org.actor("admin"), dead_ends=False)
    plan = plan_migration(session, stuck_v2, v3, {"plan_review": "plan_approval"})
    move = next(m for m in plan.moves if m.appraisal_id == ani)
    assert move.stranded == () and "iki_1" in " ".join(r.english() for r in move.stuck_already)
    assert plan.stranded == []


def test_an_appraisal_in_rate_without_a_realisation_is_not_stuck_when_monitoring_can_be_reopened(session, org,
                                                                                                  national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = _appraisal_of(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), SKP)
    for trigger, who in (("submit_plan", "ani"), ("approve_plan", "kabid"), ("close_monitoring", "kabid")):
        fire_transition(session, ani, trigger, org.actor(who))
    plan = plan_migration(session, national, publish_source(session, version_two(), "v2.yaml", org.actor("admin")),
                          {"plan_review": "plan_approval"})
    move = next(m for m in plan.moves if m.appraisal_id == ani)
    assert move.stranded == () and move.stuck_already == ()


def test_migration_leaves_the_appraisal_of_a_leaver_alone(session, org, national):
    from engine.runs import close_appraisal

    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    budi = _appraisal_of(session, org, "budi")
    close_appraisal(session, budi, org.actor("hr"), kind="left", reason="Pensiun, SK 800/1/2026")
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("admin"))
    plan = plan_migration(session, national, v2, {"plan_review": "plan_approval"})
    assert [(k.appraisal_id, k.state) for k in plan.left_alone] == [(budi, "plan")]
    assert "closed by HR (left)" in plan.left_alone[0].reason.english()
    report = migrate_appraisals(session, national, v2, {"plan_review": "plan_approval"}, org.actor("hr"))
    assert report.moved == 3
    session.expire_all()
    assert session.get(Appraisal, budi).definition_id == national.id


def test_the_move_commits_in_batches_so_a_stopped_migration_is_finished_by_running_it_again(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("admin"))

    class Stopped(Exception):
        pass

    def stop_after_the_first_batch(_n: int) -> None:
        raise Stopped

    with pytest.raises(Stopped):
        migrate_appraisals(session, national, v2, {}, org.actor("hr"), progress=stop_after_the_first_batch,
                           batch_size=2, batch_seconds=60)
    session.expire_all()
    on_v2 = select(func.count()).select_from(Appraisal).where(Appraisal.definition_id == v2.id)
    assert session.scalar(on_v2) == 2  # the first batch stays moved, each appraisal whole
    report = migrate_appraisals(session, national, v2, {}, org.actor("hr"))
    assert report.moved == 2 and report.changed == []
    assert session.scalar(on_v2) == 4
    assert verify_chain(session).ok


def test_an_appraisal_changed_while_migrating_is_left_named_and_moved_by_the_next_run(session, fresh_session, org,
                                                                                     national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = _appraisal_of(session, org, "ani")
    set_skp(session, ani, org.actor("ani"), SKP)
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("admin"))
    other = fresh_session()
    submitted: list[int] = []

    def ani_submits_her_plan_meanwhile(_n: int) -> None:
        # After the first batch (the head of the unit) is moved, Ani submits her plan on version 1.
        if not submitted:
            submitted.append(fire_transition(other, ani, "submit_plan", org.actor("ani")).version)

    report = migrate_appraisals(session, national, v2, {"plan_review": "plan_approval"}, org.actor("hr"),
                                progress=ani_submits_her_plan_meanwhile, batch_size=1, batch_seconds=60)
    assert submitted and report.changed == [ani]
    assert report.moved == 3
    session.expire_all()
    left = session.get(Appraisal, ani)
    assert (left.definition_id, left.state) == (national.id, "plan_review")  # her submission kept, not overwritten
    assert session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == ani,
                                                    AuditEvent.kind == "migrate")).all() == []

    again = migrate_appraisals(session, national, v2, {"plan_review": "plan_approval"}, org.actor("hr"))
    assert again.moved == 1 and again.by_state == {"plan_review": 1} and again.changed == []
    session.expire_all()
    moved = session.get(Appraisal, ani)
    assert (moved.definition_id, moved.state) == (v2.id, "plan_approval")
    assert verify_chain(session).ok


def test_between_batches_the_database_is_free_for_other_writers(db_url, session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    v2 = publish_source(session, version_two(), "v2.yaml", org.actor("admin"))
    impatient = create_engine(db_url, **engine_options(db_url))
    renamed: list[str] = []

    def someone_renames_a_unit(_n: int) -> None:
        with impatient.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA busy_timeout=200")  # waits a moment, not for a whole migration
            else:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
            conn.execute(update(OrgUnit).where(OrgUnit.code == "LAIN").values(name=f"Dinas Lain {len(renamed)}"))
        renamed.append("LAIN")

    try:
        report = migrate_appraisals(session, national, v2, {}, org.actor("hr"), progress=someone_renames_a_unit,
                                    batch_size=1, batch_seconds=60)
    finally:
        impatient.dispose()
    assert report.moved == 4 and len(renamed) == 4
