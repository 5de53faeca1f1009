"""An appraisal through the whole national cycle (PermenPAN-RB 6/2022), reloaded from a fresh
database session between every step: nothing may live only in memory."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.appraisals import fire_transition, record_development, record_realisation, set_skp
from engine.audit import verify_chain
from engine.errors import InvalidInput, InvalidPayload, TransitionNotAllowed, WaitingForInputs
from engine.models import Appraisal, AuditEvent, Indicator, Result, utcnow
from engine.registry import find_record, publish_source
from engine.runs import find_unit, launch
from tests.support.factories import national_source
from tests.support.messages import said
from tests.support.states import drive

SESUAI, DI_ATAS, DI_BAWAH = "Sesuai Ekspektasi", "Di Atas Ekspektasi", "Di Bawah Ekspektasi"
VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]

SKP = [
    {"key": "iki_1", "rhk": "Layanan KTP-el tepat waktu", "label": "Persentase KTP-el terbit <= 3 hari",
     "aspect": "waktu", "target": 90, "unit": "%", "weight": 60},
    {"key": "iki_2", "rhk": "Layanan KTP-el tepat waktu", "label": "Jumlah berkas terverifikasi",
     "aspect": "kuantitas", "target": 1200, "unit": "berkas", "weight": 40},
]


def _appraisal_of(session_factory, run_id: int, employee_id: int) -> Appraisal:
    s = session_factory()
    return s.scalars(select(Appraisal).where(Appraisal.run_id == run_id, Appraisal.employee_id == employee_id)).one()


def test_an_appraisal_goes_through_the_whole_national_cycle(session, fresh_session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = org.people["ani"]
    a = _appraisal_of(fresh_session, run.id, ani.id)
    assert a.state == "plan" and a.version == 1 and a.due_at is not None

    # Plan: the employee drafts the SKP; the rater returns it with a comment, then approves it.
    with pytest.raises(TransitionNotAllowed, match="at least one IKI"):
        fire_transition(fresh_session(), a.id, "submit_plan", org.actor("ani"))
    set_skp(fresh_session(), a.id, org.actor("ani"), SKP)
    fire_transition(fresh_session(), a.id, "submit_plan", org.actor("ani"))
    fire_transition(fresh_session(), a.id, "return_plan", org.actor("kabid"),
                    {"komentar": "Target IKI 2 terlalu rendah"})
    assert _appraisal_of(fresh_session, run.id, ani.id).state == "plan"
    set_skp(fresh_session(), a.id, org.actor("ani"), [SKP[0], {**SKP[1], "target": 1500}])
    fire_transition(fresh_session(), a.id, "submit_plan", org.actor("ani"))
    fire_transition(fresh_session(), a.id, "approve_plan", org.actor("kabid"))
    assert _appraisal_of(fresh_session, run.id, ani.id).state == "monitor"

    # Monitor: realisation with evidence values; the rater closes monitoring.
    record_realisation(fresh_session(), a.id, org.actor("ani"), "iki_1", 95, note="Triwulan IV")
    record_realisation(fresh_session(), a.id, org.actor("ani"), "iki_2", 1500)
    fire_transition(fresh_session(), a.id, "close_monitoring", org.actor("kabid"))

    # Rate: the seven BerAKHLAK values; on entering review the ratings and predicate are computed.
    rating = {"perilaku": {v: SESUAI for v in VALUES} | {"berorientasi_pelayanan": DI_ATAS}}
    outcome = fire_transition(fresh_session(), a.id, "rate", org.actor("kabid"), rating)
    assert outcome.to_state == "review"
    assert outcome.results["rating_hasil_kerja"]["value"] in (SESUAI, DI_ATAS)
    assert outcome.results["predikat"]["value"] in ("Baik", "Sangat Baik")
    assert outcome.results["predikat"]["explanation"]["id"] and outcome.results["predikat"]["explanation"]["en"]

    # Review: the rater's supervisor confirms; the employee appeals within 14 days; the decision is final.
    fire_transition(fresh_session(), a.id, "confirm_rating", org.actor("kadis"))
    fire_transition(fresh_session(), a.id, "appeal", org.actor("ani"),
                    {"alasan": "Realisasi IKI 1 belum memperhitungkan bulan Desember."})
    fire_transition(fresh_session(), a.id, "decide_appeal", org.actor("kadis"), {
        "keputusan": "diubah", "pertimbangan": "Bukti dukung Desember diterima.",
        "rating_hasil_kerja": DI_ATAS, "rating_perilaku": DI_ATAS})
    s = fresh_session()
    final = s.scalars(select(Result).where(Result.appraisal_id == a.id, Result.name == "predikat_akhir")).one()
    assert final.value == "Sangat Baik"

    # Develop: training recorded against the 20 JP target; the rater closes the cycle.
    record_development(fresh_session(), a.id, org.actor("ani"), "Pelayanan Prima", 24, done=True)
    fire_transition(fresh_session(), a.id, "complete_development", org.actor("kabid"))
    done = _appraisal_of(fresh_session, run.id, ani.id)
    assert done.state == "closed" and done.due_at is None

    s = fresh_session()
    triggers = [e.trigger for e in s.scalars(
        select(AuditEvent).where(AuditEvent.appraisal_id == a.id,
                                 AuditEvent.kind == "transition").order_by(AuditEvent.seq))]
    assert triggers == ["submit_plan", "return_plan", "submit_plan", "approve_plan", "close_monitoring", "rate",
                        "confirm_rating", "appeal", "decide_appeal", "complete_development"]
    assert verify_chain(s).ok


def test_rating_waits_for_realisation_and_says_which(session, org, national):
    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    set_skp(session, aid, org.actor("budi"), SKP)
    for trigger, who in [("submit_plan", "budi"), ("approve_plan", "kabid"), ("close_monitoring", "kabid")]:
        fire_transition(session, aid, trigger, org.actor(who))
    before = session.get(Appraisal, aid)
    with pytest.raises(WaitingForInputs, match="waiting for"):
        fire_transition(session, aid, "rate", org.actor("kabid"), {"perilaku": {v: SESUAI for v in VALUES}})
    session.expire_all()
    after = session.get(Appraisal, aid)
    assert (after.state, after.version, after.audit_seq) == ("rate", before.version, before.audit_seq)
    assert run.id


def _rated(session, org, who: str, when) -> int:
    """Drive one appraisal to 'rated' at time ``when``; returns its id."""
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people[who].id)).one()
    set_skp(session, aid, org.actor(who), SKP)
    fire_transition(session, aid, "submit_plan", org.actor(who), now=when)
    fire_transition(session, aid, "approve_plan", org.actor("kabid"), now=when)
    record_realisation(session, aid, org.actor(who), "iki_1", 90)
    record_realisation(session, aid, org.actor(who), "iki_2", 1200)
    fire_transition(session, aid, "close_monitoring", org.actor("kabid"), now=when)
    fire_transition(session, aid, "rate", org.actor("kabid"), {"perilaku": {v: SESUAI for v in VALUES}}, now=when)
    fire_transition(session, aid, "confirm_rating", org.actor("kadis"), now=when)
    return aid


def test_appeal_after_fourteen_days_is_refused_with_the_closing_date(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    rated_at = utcnow() - timedelta(days=40)
    aid = _rated(session, org, "budi", rated_at)
    reason = {"alasan": "Saya tidak setuju dengan rating perilaku ini."}
    with pytest.raises(TransitionNotAllowed, match="window for 'appeal' closed on"):
        fire_transition(session, aid, "appeal", org.actor("budi"), reason, now=rated_at + timedelta(days=14, minutes=1))
    assert session.get(Appraisal, aid).state == "rated"
    outcome = fire_transition(session, aid, "appeal", org.actor("budi"), reason, now=rated_at + timedelta(days=13))
    assert outcome.to_state == "appeal"


def test_every_appraisal_of_a_version_shares_one_machine(session, org, national):
    from engine.registry import compiled_of

    launch(session, national, find_unit(session, "PEMDA"), "2026", org.actor("admin"))
    appraisals = session.scalars(select(Appraisal)).all()
    machines = {id(compiled_of(a.definition).machine) for a in appraisals}
    assert len(appraisals) == 6 and len(machines) == 1
    record = find_record(session, "permenpan-6-2022")
    assert record.status == "published" and len(record.content_hash) == 64


# -- the appeal decision (keberatan) cannot contradict itself -----------------------------------

def _appealed(session, org, who: str = "budi") -> int:
    """An appraisal rated Sesuai/Sesuai (predikat Baik) whose employee has appealed."""
    aid = _rated(session, org, who, utcnow())
    fire_transition(session, aid, "appeal", org.actor(who), {"alasan": "Realisasi Desember belum dihitung."})
    return aid


def _result(session, aid: int, name: str):
    session.expire_all()
    return session.scalars(select(Result.value).where(Result.appraisal_id == aid, Result.name == name)).one_or_none()


def _details(session, aid: int, name: str) -> dict:
    session.expire_all()
    return session.scalars(select(Result.details).where(Result.appraisal_id == aid, Result.name == name)).one()


def test_an_upheld_decision_that_names_another_rating_is_refused_and_nothing_is_written(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = _appealed(session, org)
    before = session.get(Appraisal, aid)
    seen = (before.state, before.version, before.audit_seq, dict(before.data))
    with pytest.raises(TransitionNotAllowed, match="keeps the rater's ratings") as refused:
        fire_transition(session, aid, "decide_appeal", org.actor("kadis"), {
            "keputusan": "tetap", "pertimbangan": "Rating penilai dipertahankan.", "rating_hasil_kerja": DI_ATAS})
    # The refusal speaks both languages on the screen.
    assert 'Keputusan "tetap" mempertahankan rating' in refused.value.details["reasons"][0]["id"]
    session.expire_all()
    after = session.get(Appraisal, aid)
    assert (after.state, after.version, after.audit_seq, dict(after.data)) == seen
    assert "keputusan_keberatan" not in after.data
    assert _result(session, aid, "predikat_akhir") == "Baik"


def test_an_upheld_decision_may_leave_out_or_repeat_the_raters_ratings(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    left_out, repeated = _appealed(session, org, "budi"), _appealed(session, org, "ani")
    fire_transition(session, left_out, "decide_appeal", org.actor("kadis"), {
        "keputusan": "tetap", "pertimbangan": "Rating penilai sesuai bukti dukung."})
    fire_transition(session, repeated, "decide_appeal", org.actor("kadis"), {
        "keputusan": "tetap", "pertimbangan": "Rating penilai sesuai bukti dukung.",
        "rating_hasil_kerja": SESUAI, "rating_perilaku": SESUAI})
    assert [_result(session, aid, "predikat_akhir") for aid in (left_out, repeated)] == ["Baik", "Baik"]


@pytest.mark.parametrize("ratings",
                         [{}, {"rating_hasil_kerja": SESUAI},
                          {"rating_hasil_kerja": SESUAI, "rating_perilaku": SESUAI}],
                         ids=["no-rating", "same-work-rating", "same-ratings"])
def test_a_changed_decision_that_changes_no_rating_is_refused(session, org, national, ratings):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = _appealed(session, org)
    with pytest.raises(TransitionNotAllowed, match="at least one rating different from the rater's"):
        fire_transition(session, aid, "decide_appeal", org.actor("kadis"), {
            "keputusan": "diubah", "pertimbangan": "Bukti dukung tambahan diterima.", **ratings})
    session.expire_all()
    assert session.get(Appraisal, aid).state == "appeal"


def test_a_changed_decision_moves_the_final_predicate_and_the_log_says_so(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = _appealed(session, org)
    outcome = fire_transition(session, aid, "decide_appeal", org.actor("kadis"), {
        "keputusan": "diubah", "pertimbangan": "Bukti dukung Desember diterima.", "rating_hasil_kerja": DI_ATAS})
    # Di Atas (decided on appeal) × Sesuai behaviour: Baik stays Baik; the final predicate is recomputed.
    assert outcome.results["predikat_akhir"]["value"] == "Baik"
    aid2 = _appealed(session, org, "ani")
    outcome = fire_transition(session, aid2, "decide_appeal", org.actor("kadis"), {
        "keputusan": "diubah", "pertimbangan": "Bukti dukung Desember diterima.",
        "rating_hasil_kerja": DI_ATAS, "rating_perilaku": DI_ATAS})
    assert outcome.results["predikat_akhir"]["value"] == "Sangat Baik"
    assert _result(session, aid2, "predikat_akhir") == "Sangat Baik"
    event = session.get(AuditEvent, outcome.event_id)
    assert event.payload["keputusan"] == "diubah" and event.results["predikat_akhir"]["value"] == "Sangat Baik"


def test_a_decision_with_a_mistyped_rating_key_is_refused_not_ignored(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = _appealed(session, org)
    with pytest.raises(InvalidPayload, match="rating_hasil_kerj"):
        fire_transition(session, aid, "decide_appeal", org.actor("kadis"), {
            "keputusan": "tetap", "pertimbangan": "Rating penilai dipertahankan.", "rating_hasil_kerj": DI_ATAS})


# -- derived results follow their inputs -----------------------------------------------------------

def test_recorded_development_refreshes_the_recommendation_in_the_same_audited_change(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = _appealed(session, org)
    fire_transition(session, aid, "decide_appeal", org.actor("kadis"), {
        "keputusan": "tetap", "pertimbangan": "Rating penilai sesuai bukti dukung."})
    assert _details(session, aid, "rekomendasi_pelatihan")["jp_done"] == 0
    record_development(session, aid, org.actor("budi"), "Pelayanan Prima", 24, done=True)
    details = _details(session, aid, "rekomendasi_pelatihan")
    assert (details["jp_done"], details["jp_remaining"]) == (24, 0)
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid)
                            .order_by(AuditEvent.seq.desc())).first()
    assert event.kind == "development" and event.results["rekomendasi_pelatihan"]["details"]["jp_done"] == 24
    assert verify_chain(session).ok


def test_a_result_not_due_yet_stays_absent_after_an_edit(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    set_skp(session, aid, org.actor("budi"), SKP)
    fire_transition(session, aid, "submit_plan", org.actor("budi"))
    fire_transition(session, aid, "approve_plan", org.actor("kabid"))
    record_realisation(session, aid, org.actor("budi"), "iki_1", 90)
    session.expire_all()
    assert session.scalars(select(Result.name).where(Result.appraisal_id == aid)).all() == []
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid)
                            .order_by(AuditEvent.seq.desc())).first()
    assert event.kind == "realisation" and event.results == {}


def test_a_realisation_corrected_after_rating_moves_the_ratings_and_predicate(session, org):
    """A cycle that lets the employee correct a realisation during review: the work-results rating,
    the IKI's achievement and the predicate follow the correction in the same audited change."""
    source = national_source().replace(
        "    stage: review\n    on_enter:\n      - compute: [rating_hasil_kerja, rating_perilaku, predikat]\n",
        "    stage: review\n    edit: {pegawai: [realisation]}\n"
        "    on_enter:\n      - compute: [rating_hasil_kerja, rating_perilaku, predikat]\n", 1)
    assert "edit: {pegawai: [realisation]}" in source
    record = publish_source(session, source, "koreksi.yaml", org.actor("admin"))
    launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    set_skp(session, aid, org.actor("budi"), SKP)
    fire_transition(session, aid, "submit_plan", org.actor("budi"))
    fire_transition(session, aid, "approve_plan", org.actor("kabid"))
    record_realisation(session, aid, org.actor("budi"), "iki_1", 45)
    record_realisation(session, aid, org.actor("budi"), "iki_2", 600)
    fire_transition(session, aid, "close_monitoring", org.actor("kabid"))
    fire_transition(session, aid, "rate", org.actor("kabid"), {"perilaku": {v: SESUAI for v in VALUES}})
    assert (_result(session, aid, "rating_hasil_kerja"), _result(session, aid, "predikat")) == (
        DI_BAWAH, "Butuh Perbaikan")

    record_realisation(session, aid, org.actor("budi"), "iki_1", 100)
    record_realisation(session, aid, org.actor("budi"), "iki_2", 1300)
    assert _result(session, aid, "rating_hasil_kerja") != DI_BAWAH
    assert _result(session, aid, "predikat") in ("Baik", "Sangat Baik")
    assert _result(session, aid, "iki.iki_2") > 100
    # Not computed yet (rated comes later): still absent.
    assert _result(session, aid, "predikat_akhir") is None
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid)
                            .order_by(AuditEvent.seq.desc())).first()
    assert event.kind == "realisation" and set(event.results) >= {"rating_hasil_kerja", "predikat", "iki.iki_2"}
    assert verify_chain(session).ok
    # The corrected value and the results it moved are what the chain says.
    assert verify_chain(session).problems == ()


# -- a missing realisation when monitoring closes ------------------------------------------------


def test_monitoring_closed_at_period_end_with_a_missing_realisation_can_be_reopened(session, fresh_session, org,
                                                                                   national):
    """Monitoring closes by itself at the end of the period while IKI 2 has no realisation. The rating is
    refused naming that IKI, nobody may record it in 'rate', the rater reopens monitoring with a reason,
    the employee records it and the rating goes through."""
    from engine.deadlines import tick
    from engine.errors import Forbidden

    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    set_skp(fresh_session(), aid, org.actor("budi"), SKP)
    fire_transition(fresh_session(), aid, "submit_plan", org.actor("budi"))
    fire_transition(fresh_session(), aid, "approve_plan", org.actor("kabid"))
    record_realisation(fresh_session(), aid, org.actor("budi"), "iki_1", 92)
    closed_at = run.period_end + timedelta(hours=1)
    tick(fresh_session(), now=closed_at)
    assert _appraisal_of(fresh_session, run.id, org.people["budi"].id).state == "rate"

    rating = {"perilaku": {v: SESUAI for v in VALUES}}
    with pytest.raises(WaitingForInputs, match=r"achievements\[iki_2\]") as waiting:
        fire_transition(fresh_session(), aid, "rate", org.actor("kabid"), rating, now=closed_at + timedelta(days=1))
    # The rater reads what is missing by the IKI's name, not its input path.
    from engine.notification_texts import plain_text
    told = plain_text(waiting.value.msg, "id")
    assert told.startswith("Rating hasil kerja belum dapat dihitung.") and "IKI 2" in told
    assert "achievements[" not in told and "iki_2" not in told
    with pytest.raises(Forbidden, match="realisation"):
        record_realisation(fresh_session(), aid, org.actor("budi"), "iki_2", 1200, now=closed_at + timedelta(days=1))
    with pytest.raises(Forbidden, match="penilai, sdm"):
        fire_transition(fresh_session(), aid, "reopen_monitoring", org.actor("budi"),
                        {"komentar": "Realisasi IKI 2 belum dicatat."})

    reopened_at = closed_at + timedelta(days=2)
    outcome = fire_transition(fresh_session(), aid, "reopen_monitoring", org.actor("kabid"),
                              {"komentar": "Realisasi IKI 2 belum dicatat."}, now=reopened_at)
    assert outcome.to_state == "monitor_reopened"
    tick(fresh_session(), now=reopened_at + timedelta(hours=1))  # the period has ended: still open for 14 days
    reopened = _appraisal_of(fresh_session, run.id, org.people["budi"].id)
    assert reopened.state == "monitor_reopened" and reopened.due_at == reopened_at + timedelta(days=14)
    record_realisation(fresh_session(), aid, org.actor("budi"), "iki_2", 1200, now=reopened_at + timedelta(days=1))
    fire_transition(fresh_session(), aid, "close_monitoring", org.actor("kabid"), now=reopened_at + timedelta(days=2))
    rated = fire_transition(fresh_session(), aid, "rate", org.actor("kabid"), rating,
                            now=reopened_at + timedelta(days=3))
    assert rated.to_state == "review"

    s = fresh_session()
    triggers = [e.trigger for e in s.scalars(
        select(AuditEvent).where(AuditEvent.appraisal_id == aid,
                                 AuditEvent.kind == "transition").order_by(AuditEvent.seq))]
    assert triggers == ["submit_plan", "approve_plan", "close_monitoring", "reopen_monitoring", "close_monitoring",
                        "rate"]
    assert verify_chain(s).ok


def test_a_reopened_monitoring_closes_by_itself_after_fourteen_days(session, fresh_session, org, national):
    from engine.deadlines import tick

    run = launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    set_skp(fresh_session(), aid, org.actor("budi"), SKP)
    for trigger, who in [("submit_plan", "budi"), ("approve_plan", "kabid"), ("close_monitoring", "kabid")]:
        fire_transition(fresh_session(), aid, trigger, org.actor(who))
    reopened_at = utcnow()
    fire_transition(fresh_session(), aid, "reopen_monitoring", org.actor("hr"),
                    {"komentar": "Data realisasi belum lengkap."}, now=reopened_at)
    tick(fresh_session(), now=reopened_at + timedelta(days=13))
    assert _appraisal_of(fresh_session, run.id, org.people["budi"].id).state == "monitor_reopened"
    tick(fresh_session(), now=reopened_at + timedelta(days=14, hours=1))
    assert _appraisal_of(fresh_session, run.id, org.people["budi"].id).state == "rate"


@pytest.mark.parametrize(("target", "code"), [(0, "skp.target_zero"), ([0, 0], "skp.target_zero"),
                                              ("0,0", "skp.target_zero")])
def test_a_target_no_achievement_can_be_computed_from_is_refused_when_the_skp_is_written(session, org, national,
                                                                                         target, code):
    """A target of 0 where higher is better was stored; the rating then waited for an achievement that could
    never be computed, and once monitoring began nobody could change the SKP: the appraisal could never be rated.
    The cycle's own achievement rule judges the target when the SKP is written; nothing is stored."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    with pytest.raises(InvalidInput) as refused:
        set_skp(session, aid, org.actor("budi"), [SKP[0], {**SKP[1], "target": target}])
    assert refused.value.msg.code == code
    assert said(refused.value)["id"].startswith("IKI 2: capaian tidak dapat dihitung dari target 0")
    assert list(refused.value.details["errors"]) == ["items/1/target"]
    session.rollback()
    assert session.scalars(select(Indicator.key).where(Indicator.appraisal_id == aid)).all() == []
    set_skp(session, aid, org.actor("budi"), [SKP[0], {**SKP[1], "target": [0, 5]}])  # a range from 0 is a target


def test_a_rating_the_rule_refuses_is_refused_in_both_languages_not_waited_for(session, org, national):
    """An eighth BerAKHLAK key slipped past the payload's schema (its keys are a pattern): the rule refused it,
    and the step answered 'waiting for: -' (409) with the rule's English sentence inside the Indonesian text."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "rate")
    ratings = {**{v: SESUAI for v in VALUES}, "zzz": DI_ATAS}
    with pytest.raises(InvalidInput) as refused:
        fire_transition(session, aid, "rate", org.actor("kabid"), {"perilaku": ratings})
    assert refused.value.http_status == 422
    assert "Tidak dapat dihitung: rating ketujuh nilai BerAKHLAK tidak sah." in said(refused.value)["id"]
    assert "unknown BerAKHLAK value 'zzz'" in said(refused.value)["en"]
    session.rollback()
    assert session.get(Appraisal, aid).state == "rate"


def test_a_payload_is_checked_whichever_object_of_its_version_names_the_step():
    """The shared machine of a version is built from the first definition object read; another request reads
    the same version into another object. Its steps' payloads were looked up by object identity, found no
    schema, and were let through unchecked (an empty appeal decision passed the form's check)."""
    import yaml

    from engine.appraisals.firing import check_payload
    from engine.definition import build_definition
    from engine.runtime import compiled

    source = national_source()
    first, second = (build_definition(yaml.safe_load(source), source) for _ in range(2))
    cycle = compiled(first)
    assert compiled(second) is cycle
    step = next(t for t in second.transitions if t.trigger == "decide_appeal")
    with pytest.raises(InvalidPayload) as refused:
        check_payload(cycle, step, {})
    assert {e["path"] for e in refused.value.errors} == {"keputusan", "pertimbangan"}
