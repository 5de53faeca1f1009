"""Periodic checkpoints (PermenPAN-RB 6/2022 art. 5: periodic and annual evaluation): the national cycle's
four quarters feed the annual rating; every entry is kept, audited and replayed; refusals say why in
both languages and write nothing. Reloaded from a fresh session between steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest
from sqlalchemy import func, select

from engine.appraisals import fire_transition, set_skp
from engine.audit import verify_chain
from engine.checkpoints.service import (
    file_report,
    give_feedback,
    rate_checkpoint,
    record_checkpoint_realisation,
    submit_self_assessment,
)
from engine.deadlines import tick
from engine.errors import Conflict, Forbidden, InvalidInput, InvalidPayload, TransitionNotAllowed
from engine.facts import Facts
from engine.models import Appraisal, CheckpointEntry, Notification, Result
from engine.notifications import dispatch
from engine.registry import definition_of, publish_source
from engine.runs import find_unit, launch
from rules import get_rule
from tests.support.messages import said
from web.messages import finding_text

SESUAI, DI_ATAS, DI_BAWAH = "Sesuai Ekspektasi", "Di Atas Ekspektasi", "Di Bawah Ekspektasi"
VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
SKP = [{"key": "iki_1", "rhk": "Layanan KTP-el", "label": "Berkas terverifikasi", "target": 1200, "weight": 100}]
# Mid-quarter moments (UTC) and the day after each quarter (WIB: the quarter ends at midnight in Jakarta).
IN_QUARTER = {1: datetime(2026, 2, 15, 3, tzinfo=UTC), 2: datetime(2026, 5, 15, 3, tzinfo=UTC),
              3: datetime(2026, 8, 15, 3, tzinfo=UTC), 4: datetime(2026, 11, 15, 3, tzinfo=UTC)}
AFTER_QUARTER = {1: datetime(2026, 4, 2, 3, tzinfo=UTC), 2: datetime(2026, 7, 2, 3, tzinfo=UTC),
                 3: datetime(2026, 10, 2, 3, tzinfo=UTC), 4: datetime(2027, 1, 2, 3, tzinfo=UTC)}


def national_v2() -> str:
    return resources.files("workflows").joinpath("permenpan-6-2022-v2.yaml").read_text(encoding="utf-8")


@pytest.fixture
def quarterly(session, org):
    return publish_source(session, national_v2(), "permenpan-6-2022-v2.yaml", org.actor("admin"))


def _in_monitoring(session, fresh_session, org, record) -> int:
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    s = fresh_session()
    appraisal_id = s.scalar(select(Appraisal.id).where(Appraisal.run_id == run.id,
                                                       Appraisal.employee_id == org.people["ani"].id))
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(fresh_session(), appraisal_id, org.actor("ani"), SKP, now=start)
    fire_transition(fresh_session(), appraisal_id, "submit_plan", org.actor("ani"), now=start)
    fire_transition(fresh_session(), appraisal_id, "approve_plan", org.actor("kabid"), now=start)
    return appraisal_id


def _result(fresh_session, appraisal_id: int, name: str) -> Result | None:
    return fresh_session().scalar(select(Result).where(Result.appraisal_id == appraisal_id, Result.name == name))


def _quarter(fresh_session, org, appraisal_id: int, q: int, realised: float, work: str, behaviour: str) -> None:
    name = f"triwulan.2026-Q{q}"
    record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), name, "iki_1", realised,
                                  now=IN_QUARTER[q])
    file_report(fresh_session(), appraisal_id, org.actor("ani"), name,
                f"Laporan triwulan {q}: {realised:g} berkas terverifikasi.", now=IN_QUARTER[q])
    submit_self_assessment(fresh_session(), appraisal_id, org.actor("ani"), name, {
        "capaian": "Verifikasi berkas lancar", "kendala": "Jaringan lambat", "hasil_kerja": SESUAI},
        now=AFTER_QUARTER[q])
    give_feedback(fresh_session(), appraisal_id, org.actor("kabid"), name, "Pertahankan, percepat verifikasi.",
                  now=AFTER_QUARTER[q])
    rate_checkpoint(fresh_session(), appraisal_id, org.actor("kabid"), name,
                    {"rating_hasil_kerja": work, "rating_perilaku": behaviour, "catatan": f"Triwulan {q}"},
                    now=AFTER_QUARTER[q])


def test_four_quarters_feed_the_annual_predicate(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    plan = [(1, 300, DI_ATAS, SESUAI), (2, 650, DI_ATAS, SESUAI), (3, 900, SESUAI, DI_ATAS), (4, 1250, DI_ATAS, SESUAI)]
    for q, realised, work, behaviour in plan:
        _quarter(fresh_session, org, appraisal_id, q, realised, work, behaviour)
        periodic = _result(fresh_session, appraisal_id, f"checkpoints.triwulan.2026-Q{q}.predikat")
        assert periodic is not None and periodic.value == ("Sangat Baik" if DI_ATAS in (work, behaviour) and
                                                           work == behaviour else "Baik")
    # The quarters' predicates, read off the matrix per quarter.
    assert _result(fresh_session, appraisal_id, "checkpoints.triwulan.2026-Q3.predikat").value == "Baik"

    fire_transition(fresh_session(), appraisal_id, "close_monitoring", org.actor("kabid"), now=AFTER_QUARTER[4])
    outcome = fire_transition(fresh_session(), appraisal_id, "rate", org.actor("kabid"),
                              {"perilaku": {v: SESUAI for v in VALUES}}, now=AFTER_QUARTER[4])
    # Work results: Di Atas (3), Di Atas (3), Sesuai (2), Di Atas (3): 11 ÷ 4 = 2,75, rounded 3 = Di Atas;
    # with behaviour Sesuai the annual predicate is Baik.
    annual = outcome.results["rating_hasil_kerja_triwulan"]
    assert annual["value"] == DI_ATAS
    assert "11 ÷ 4 = 2,75" in annual["explanation"]["id"]
    assert "Triwulan III 2026 = Sesuai" in annual["explanation"]["id"]
    assert outcome.results["predikat"]["value"] == "Baik"
    # The annual realisation is the latest one recorded (Triwulan IV's, to date).
    assert _result(fresh_session, appraisal_id, "iki.iki_1").value == pytest.approx(1250 / 1200 * 100, abs=0.01)

    # Nothing was overwritten: four reports, four ratings, four self-assessments, four responses.
    s = fresh_session()
    kinds = dict(s.execute(select(CheckpointEntry.kind, func.count()).where(CheckpointEntry.appraisal_id ==
                                                                            appraisal_id)
                           .group_by(CheckpointEntry.kind)).all())
    assert kinds == {"report": 4, "rating": 4, "self_assessment": 4, "feedback": 4}
    assert verify_chain(fresh_session()).ok


def test_the_annual_predicate_follows_weak_quarters_down(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    for q, work in ((1, DI_BAWAH), (2, DI_BAWAH), (3, SESUAI), (4, DI_BAWAH)):
        _quarter(fresh_session, org, appraisal_id, q, 100 * q, work, SESUAI)
    fire_transition(fresh_session(), appraisal_id, "close_monitoring", org.actor("kabid"), now=AFTER_QUARTER[4])
    outcome = fire_transition(fresh_session(), appraisal_id, "rate", org.actor("kabid"),
                              {"perilaku": {v: SESUAI for v in VALUES}}, now=AFTER_QUARTER[4])
    # 1 + 1 + 2 + 1 = 5; 5 ÷ 4 = 1,25, rounded 1 = Di Bawah; with behaviour Sesuai: Butuh Perbaikan.
    assert outcome.results["rating_hasil_kerja_triwulan"]["value"] == DI_BAWAH
    assert outcome.results["predikat"]["value"] == "Butuh Perbaikan"


def test_a_quarter_outside_the_period_is_refused_in_both_languages(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    with pytest.raises(InvalidInput) as refused:
        file_report(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2025-Q4",
                    "Laporan triwulan yang salah tahun.", now=IN_QUARTER[1])
    assert "di luar periode penilaian 2026" in said(refused.value)["id"]
    assert "outside the appraisal period 2026" in said(refused.value)["en"]
    assert fresh_session().scalar(select(func.count()).select_from(CheckpointEntry)) == 0


def test_a_realisation_after_the_quarters_deadline_is_refused_and_nothing_is_written(session, fresh_session, org,
                                                                                       quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    seen = fresh_session().get(Appraisal, appraisal_id).audit_seq
    late = datetime(2026, 4, 12, 3, tzinfo=UTC)  # Triwulan I closed for the employee 10 days after 31 March
    with pytest.raises(TransitionNotAllowed) as refused:
        record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1", "iki_1",
                                      300, now=late)
    assert "sudah ditutup untuk realisasi" in said(refused.value)["id"]
    assert "closed for realisation" in said(refused.value)["en"]
    assert fresh_session().get(Appraisal, appraisal_id).audit_seq == seen
    # A quarter not begun yet takes nothing either.
    with pytest.raises(TransitionNotAllowed, match="starts on"):
        file_report(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q3",
                    "Laporan sebelum waktunya.", now=IN_QUARTER[1])


def test_a_report_is_not_overwritten_and_only_the_rater_rates(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    name = "triwulan.2026-Q1"
    file_report(fresh_session(), appraisal_id, org.actor("ani"), name, "Laporan pertama triwulan I.",
                now=IN_QUARTER[1])
    with pytest.raises(Conflict) as again:
        file_report(fresh_session(), appraisal_id, org.actor("ani"), name, "Laporan kedua menimpa?",
                    now=IN_QUARTER[1])
    assert "tidak ditimpa" in said(again.value)["id"]
    with pytest.raises(Forbidden) as refused:
        rate_checkpoint(fresh_session(), appraisal_id, org.actor("ani"), name,
                        {"rating_hasil_kerja": DI_ATAS, "rating_perilaku": DI_ATAS}, now=AFTER_QUARTER[1])
    assert "Pejabat Penilai Kinerja" in said(refused.value)["id"]
    with pytest.raises(InvalidPayload):
        rate_checkpoint(fresh_session(), appraisal_id, org.actor("kabid"), name,
                        {"rating_hasil_kerja": "Luar Biasa", "rating_perilaku": SESUAI}, now=AFTER_QUARTER[1])
    reports = fresh_session().scalars(select(CheckpointEntry.text).where(CheckpointEntry.kind == "report")).all()
    assert reports == ["Laporan pertama triwulan I."]


def test_tick_closes_each_passed_quarter_once_and_verify_stays_clean(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    _quarter(fresh_session, org, appraisal_id, 1, 300, DI_ATAS, SESUAI)
    after_deadline = datetime(2026, 4, 25, 3, tzinfo=UTC)  # 20 days after 31 March (WIB)
    first = tick(fresh_session(), now=after_deadline)
    second = tick(fresh_session(), now=after_deadline + timedelta(hours=1))
    assert first.checkpoints_closed >= 1 and second.checkpoints_closed == 0  # every open appraisal of the run
    closures = fresh_session().scalars(select(CheckpointEntry.checkpoint).where(
        CheckpointEntry.appraisal_id == appraisal_id, CheckpointEntry.kind == "closed")).all()
    assert closures == ["triwulan.2026-Q1"]
    with pytest.raises(TransitionNotAllowed) as closed:
        give_feedback(fresh_session(), appraisal_id, org.actor("kabid"), "triwulan.2026-Q1", "Terlambat.",
                      now=after_deadline)
    assert "sudah ditutup" in said(closed.value)["id"]
    report = verify_chain(fresh_session())
    assert report.ok, report.problems


def test_verify_names_a_report_changed_behind_the_chain(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    file_report(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1", "Laporan yang jujur sekali.",
                now=IN_QUARTER[1])
    s = fresh_session()
    entry = s.scalars(select(CheckpointEntry)).one()
    entry.text = "Laporan yang diubah diam-diam."
    s.commit()
    report = verify_chain(fresh_session())
    assert not report.ok
    assert any("checkpoint entry" in p and "text" in p for p in map(str, report.problems))
    # Said to an Indonesian auditor in Bahasa Indonesia, the field by its name.
    assert any("catatan titik pantau #" in t and "isi bernilai 'Laporan yang diubah diam-diam.'" in t
               for t in (finding_text(p, "id") for p in report.problems)), report.problems


@pytest.mark.parametrize("forged, named", [
    ({"recorded_at": datetime(2026, 4, 1, 8, 0)},
     "time it was recorded is 2026-04-01T08:00:00+00:00 but the chain says"),
    ({"recorded_by_id": None}, "who recorded it is nobody but the chain says"),
])
def test_verify_names_a_report_backdated_or_credited_to_someone_else(session, fresh_session, org, quarterly,
                                                                     forged, named):
    """A late report moved into its deadline, or its author changed, passed as intact."""
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    file_report(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1", "Laporan yang jujur sekali.",
                now=IN_QUARTER[1])
    assert verify_chain(fresh_session()).ok
    s = fresh_session()
    entry = s.scalars(select(CheckpointEntry)).one()
    for name, value in forged.items():
        setattr(entry, name, value)
    s.commit()
    report = verify_chain(fresh_session())
    assert any("checkpoint entry" in p and named in p for p in map(str, report.problems)), report.problems


def test_rules_read_the_series_the_latest_quarter_and_the_within_year_trend(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    for q, work, behaviour in ((1, DI_BAWAH, SESUAI), (2, SESUAI, SESUAI), (3, DI_ATAS, DI_ATAS)):
        _quarter(fresh_session, org, appraisal_id, q, 300 * q, work, behaviour)
    s = fresh_session()
    appraisal = s.get(Appraisal, appraisal_id)
    facts = Facts(s, definition_of(appraisal.definition), appraisal, AFTER_QUARTER[3], dict(appraisal.data))
    series = facts.resolve("checkpoints.triwulan[*].results.predikat")
    assert [(i["label"], i["value"]) for i in series] == [
        ("Triwulan I 2026", "Butuh Perbaikan"), ("Triwulan II 2026", "Baik"), ("Triwulan III 2026", "Sangat Baik"),
        ("Triwulan IV 2026", None)]
    assert facts.resolve("checkpoints.triwulan[latest].results.predikat") == "Sangat Baik"
    assert facts.resolve("checkpoints.triwulan[2].rating.rating_hasil_kerja") == SESUAI
    assert [i["value"] for i in facts.resolve("checkpoints.triwulan[*].realisations.iki_1")] == [300, 600, 900, None]
    assert facts.resolve("checkpoints.triwulan[1].report") == "Laporan triwulan 1: 300 berkas terverifikasi."
    # The within-year trend of the quarters rated so far, with the trend rule as for earlier years.
    rated = [i for i in series if i["value"] is not None]
    trend = get_rule("trend").evaluate({"scale": ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik",
                                                  "Sangat Baik"]}, {"series": rated})
    assert trend.value == "naik"


def test_a_quarterly_report_tells_the_rater_and_the_rating_tells_the_employee(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    dispatch(fresh_session(), now=IN_QUARTER[1])  # the launch and the plan's notices go first
    file_report(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1",
                "Laporan triwulan I untuk penilai.", now=IN_QUARTER[1])
    rate_checkpoint(fresh_session(), appraisal_id, org.actor("kabid"), "triwulan.2026-Q1",
                    {"rating_hasil_kerja": SESUAI, "rating_perilaku": SESUAI}, now=AFTER_QUARTER[1])
    dispatch(fresh_session(), now=AFTER_QUARTER[1] + timedelta(minutes=5))
    s = fresh_session()
    notices = {(n.user_id, n.subject, n.link) for n in s.scalars(
        select(Notification).where(Notification.appraisal_id == appraisal_id, Notification.kind == "info"))}
    ani, kabid = org.users["ani"].id, org.users["kabid"].id
    link = f"/penilaian/{appraisal_id}#tp-triwulan-2026-Q1"
    assert (kabid, "Laporan Triwulan I 2026 – Ani Lestari", link) in notices
    assert (ani, "Penilaian periodik Triwulan I 2026 – Ani Lestari", link) in notices
    assert not any(user == ani and subject.startswith("Laporan") for user, subject, _ in notices)  # not her own


def test_an_appeal_decision_is_measured_against_the_rating_the_predicate_used(session, fresh_session, org, quarterly):
    """The quarters rated Di Atas while the IKI alone would give less: "tetap" keeps the quarters' rating
    (the one the predicate used), and naming the IKI-based rating is a change, not an upheld decision."""
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    for q in (1, 2, 3, 4):
        _quarter(fresh_session, org, appraisal_id, q, 100 * q, DI_ATAS, SESUAI)
    end = AFTER_QUARTER[4]
    fire_transition(fresh_session(), appraisal_id, "close_monitoring", org.actor("kabid"), now=end)
    outcome = fire_transition(fresh_session(), appraisal_id, "rate", org.actor("kabid"),
                              {"perilaku": {v: SESUAI for v in VALUES}}, now=end)
    by_iki = outcome.results["rating_hasil_kerja"]["value"]
    assert outcome.results["rating_hasil_kerja_triwulan"]["value"] == DI_ATAS and by_iki != DI_ATAS
    assert outcome.results["predikat"]["value"] == "Baik"
    fire_transition(fresh_session(), appraisal_id, "confirm_rating", org.actor("kadis"), now=end)
    fire_transition(fresh_session(), appraisal_id, "appeal", org.actor("ani"),
                    {"alasan": "Capaian IKI triwulan IV belum lengkap."}, now=end)

    with pytest.raises(TransitionNotAllowed, match="keeps the rater's ratings"):
        fire_transition(fresh_session(), appraisal_id, "decide_appeal", org.actor("kadis"), {
            "keputusan": "tetap", "pertimbangan": "Rating penilai dipertahankan.", "rating_hasil_kerja": by_iki},
            now=end)
    with pytest.raises(TransitionNotAllowed, match="at least one rating different from the rater's"):
        fire_transition(fresh_session(), appraisal_id, "decide_appeal", org.actor("kadis"), {
            "keputusan": "diubah", "pertimbangan": "Rating triwulan diulang.", "rating_hasil_kerja": DI_ATAS},
            now=end)
    assert _result(fresh_session, appraisal_id, "predikat_akhir").value == "Baik"

    fire_transition(fresh_session(), appraisal_id, "decide_appeal", org.actor("kadis"), {
        "keputusan": "tetap", "pertimbangan": "Rating penilai sesuai penilaian triwulan.",
        "rating_hasil_kerja": DI_ATAS, "rating_perilaku": SESUAI}, now=end)
    assert _result(fresh_session, appraisal_id, "predikat_akhir").value == "Baik"
    assert verify_chain(fresh_session()).ok


# -- when a periodic rating is taken: once the period's work is reported, or the period is over ------------

FIRST_DAY = {2: datetime(2026, 4, 1, 2, tzinfo=UTC)}  # 1 April, 09.00 WIB: the first day of Triwulan II


def test_a_quarter_is_not_rated_on_its_first_day_before_its_work_is_reported(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    with pytest.raises(TransitionNotAllowed) as early:
        rate_checkpoint(fresh_session(), appraisal_id, org.actor("kabid"), "triwulan.2026-Q2",
                        {"rating_hasil_kerja": DI_ATAS, "rating_perilaku": SESUAI}, now=FIRST_DAY[2])
    text = said(early.value)
    assert text["id"] == ("Penilaian periodik Triwulan II 2026 dicatat setelah pegawai mengirim laporan periode itu, "
                          "atau mulai 1 Jul 2026, 00.00 WIB sesudah periodenya berakhir; belum ada yang disimpan.")
    assert text["en"].startswith("The periodic rating of Quarter II 2026 is recorded once the employee has filed")
    s = fresh_session()
    assert s.scalar(select(func.count()).select_from(CheckpointEntry)) == 0
    assert _result(fresh_session, appraisal_id, "checkpoints.triwulan.2026-Q2.predikat") is None


def test_a_quarter_is_rated_once_its_report_is_filed(session, fresh_session, org, quarterly):
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    name = "triwulan.2026-Q2"
    file_report(fresh_session(), appraisal_id, org.actor("ani"), name, "Laporan triwulan II lebih awal.",
                now=IN_QUARTER[2])
    rate_checkpoint(fresh_session(), appraisal_id, org.actor("kabid"), name,
                    {"rating_hasil_kerja": DI_ATAS, "rating_perilaku": SESUAI}, now=IN_QUARTER[2])
    assert _result(fresh_session, appraisal_id, f"checkpoints.{name}.predikat").value == "Baik"


def test_an_unreported_quarter_is_rated_once_it_is_over(session, fresh_session, org, quarterly):
    """An employee who never reports does not keep the period from being rated."""
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    name = "triwulan.2026-Q1"
    last_evening = datetime(2026, 3, 31, 12, tzinfo=UTC)  # 31 March, 19.00 WIB: still the quarter
    with pytest.raises(TransitionNotAllowed):
        rate_checkpoint(fresh_session(), appraisal_id, org.actor("kabid"), name,
                        {"rating_hasil_kerja": SESUAI, "rating_perilaku": SESUAI}, now=last_evening)
    midnight = datetime(2026, 3, 31, 17, tzinfo=UTC)  # 1 April, 00.00 WIB
    rate_checkpoint(fresh_session(), appraisal_id, org.actor("kabid"), name,
                    {"rating_hasil_kerja": SESUAI, "rating_perilaku": SESUAI}, now=midnight)
    assert _result(fresh_session, appraisal_id, f"checkpoints.{name}.predikat").value == "Baik"


def test_the_timeline_says_from_when_the_rater_may_rate(session, fresh_session, org, quarterly):
    from engine.checkpoints.timeline import checkpoint_timeline
    from engine.policy import Policy

    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)

    def quarter(who: str, now: datetime):
        s = fresh_session()
        appraisal = s.get(Appraisal, appraisal_id)
        series = checkpoint_timeline(s, Policy(s, org.actor(who)), definition_of(appraisal.definition), appraisal,
                                     now=now)
        return next(c for c in series[0].checkpoints if c.key == "2026-Q2")

    early = quarter("kabid", FIRST_DAY[2])
    assert not early.can.get("rating") and early.rating_waits
    assert early.rating_from == datetime(2026, 6, 30, 17, tzinfo=UTC)  # 1 July, 00.00 WIB
    assert early.as_json()["rating_from"] == early.rating_from
    assert not quarter("ani", FIRST_DAY[2]).rating_waits  # the employee does not rate
    file_report(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q2", "Laporan triwulan II awal.",
                now=IN_QUARTER[2])
    reported = quarter("kabid", IN_QUARTER[2])
    assert reported.can["rating"] and not reported.rating_waits and reported.rating_from == IN_QUARTER[2]


# -- a checkpoint's responses are bounded ---------------------------------------------------------------------

def test_one_person_gives_at_most_twenty_responses_to_a_checkpoint(session, fresh_session, org, quarterly):
    from engine.checkpoints.service import MAX_RESPONSES
    from engine.checkpoints.timeline import checkpoint_timeline
    from engine.policy import Policy

    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    name = "triwulan.2026-Q1"
    for n in range(1, MAX_RESPONSES + 1):
        give_feedback(fresh_session(), appraisal_id, org.actor("kabid"), name, f"Tanggapan ke-{n}.",
                      now=IN_QUARTER[1])
    with pytest.raises(Conflict) as full:
        give_feedback(fresh_session(), appraisal_id, org.actor("kabid"), name, "Tanggapan ke-21.", now=IN_QUARTER[1])
    assert said(full.value)["id"].startswith("Anda sudah memberi 20 tanggapan untuk Triwulan I 2026, batas tanggapan "
                                             "satu orang pada satu titik pantau; tanggapan ini tidak disimpan.")
    texts = fresh_session().scalars(select(CheckpointEntry.text).where(CheckpointEntry.kind == "feedback")
                                    .order_by(CheckpointEntry.id)).all()
    assert len(texts) == 20 and texts[-1] == "Tanggapan ke-20."
    # The next quarter takes responses again, and the screen stops offering the form for the full one.
    give_feedback(fresh_session(), appraisal_id, org.actor("kabid"), "triwulan.2026-Q2", "Triwulan II.",
                  now=IN_QUARTER[2])
    s = fresh_session()
    appraisal = s.get(Appraisal, appraisal_id)
    first = checkpoint_timeline(s, Policy(s, org.actor("kabid")), definition_of(appraisal.definition), appraisal,
                                now=AFTER_QUARTER[1])[0].checkpoints[0]
    assert first.responses_full and not first.can.get("feedback") and len(first.feedback) == 20
    assert verify_chain(fresh_session()).ok


def test_one_iki_takes_a_bounded_number_of_realisations_at_a_checkpoint(session, fresh_session, org, quarterly,
                                                                     monkeypatch):
    monkeypatch.setattr("engine.checkpoints.service.MAX_REALISATIONS", 3)
    appraisal_id = _in_monitoring(session, fresh_session, org, quarterly)
    name = "triwulan.2026-Q1"
    for value in (100, 110, 120):
        record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), name, "iki_1", value,
                                      now=IN_QUARTER[1])
    with pytest.raises(Conflict) as full:
        record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), name, "iki_1", 130,
                                      now=IN_QUARTER[1])
    assert said(full.value)["id"].startswith("IKI «Berkas terverifikasi» sudah mempunyai 3 realisasi untuk "
                                             "Triwulan I 2026")
    assert "The latest recorded is the one that counts" in said(full.value)["en"]
