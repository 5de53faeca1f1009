"""Verification proves the outcome, not only the log: a predicate an event carries must be the one the cycle's
rule gives for the ratings the chain records. An insider holding the server's audit key can re-sign a rewritten
chain so every hash and signed head holds; the predicate that does not follow from the recorded ratings is
still found."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from engine import keys
from engine.appraisals import fire_transition
from engine.audit import rekey, verify_chain
from engine.audit.chain import checkpoint_of
from engine.audit.writer import checkpoint_upsert
from engine.loaded import definition_of
from engine.models import Appraisal, AuditCheckpoint, AuditEvent, Realisation, Result
from engine.registry import publish_source
from engine.replay_results import follows_from_chain
from engine.runs import find_unit, launch
from tests.engine.test_audit import _closed, _resign
from tests.engine.test_checkpoints import (
    AFTER_QUARTER,
    DI_ATAS,
    SESUAI,
    VALUES,
    _in_monitoring,
    _quarter,
    national_v2,
)
from tests.support.states import drive
from web.messages import finding_text


def _problems(session) -> tuple[bool, str]:
    """Whether the whole log verifies, and its problems one per line, read after committing what the test wrote."""
    session.commit()
    session.expire_all()
    report = verify_chain(session)
    return report.ok, "\n".join(report.problems)


def _rewrite_with_the_server_key(session, aid: int, change) -> None:
    """Rewrite an appraisal's chain as someone holding the server's key would: change events and sign every hash
    again with the genuine key (as test_audit's forger does with a guessed one), then sign the stream's head."""
    ring = keys.keyring()
    session.commit()
    with session.bind.begin() as conn:
        _resign(conn, aid, change, ring.current_audit_key_id, ring.audit_key)
        last = conn.execute(select(AuditEvent.__table__).where(AuditEvent.appraisal_id == aid)
                            .order_by(AuditEvent.seq.desc()).limit(1)).one()
        conn.execute(checkpoint_upsert(conn.dialect.name), [checkpoint_of(dict(last._mapping))])


def _seq_of(session, aid: int, result: str) -> int:
    """The first event of the appraisal's chain that carries ``result``."""
    events = session.execute(select(AuditEvent.seq, AuditEvent.results).where(AuditEvent.appraisal_id == aid)
                             .order_by(AuditEvent.seq)).all()
    return next(seq for seq, results in events if result in (results or {}))


def _final_predicate(session, aid: int) -> Any:
    return session.scalar(select(Result.value).where(Result.appraisal_id == aid, Result.name == "predikat_akhir"))


def test_a_final_predicate_raised_and_re_signed_with_the_server_key_is_found(session, org, national):
    aid = _closed(session, org, national)
    genuine = _final_predicate(session, aid)
    assert genuine != "Sangat Baik" and verify_chain(session).ok

    def raise_final(fields: dict[str, Any]) -> None:
        if "predikat_akhir" in fields["results"]:
            fields["results"] = {**fields["results"],
                                 "predikat_akhir": {**fields["results"]["predikat_akhir"], "value": "Sangat Baik"}}

    _rewrite_with_the_server_key(session, aid, raise_final)
    session.execute(update(Result).where(Result.appraisal_id == aid, Result.name == "predikat_akhir")
                    .values(value="Sangat Baik"))
    session.commit()
    session.expire_all()

    report = verify_chain(session)
    assert not report.ok
    text = "\n".join(report.problems)
    # The hashes, the signed head and the rows all agree: the one thing wrong is the outcome itself.
    assert "hash" not in text and "checkpoint" not in text
    assert "records the result 'predikat_akhir' = \"Sangat Baik\"" in text
    assert f"gives \"{genuine}\" from the decisions the chain records" in text
    # The HR screen's default language says the same, with both values.
    outcome = next(p for p in report.problems if "predikat_akhir" in p)
    assert finding_text(outcome, "id") == (
        f"penilaian #{aid}: peristiwa urutan {_seq_of(session, aid, 'predikat_akhir')} mencatat hasil "
        f"'predikat_akhir' = \"Sangat Baik\", padahal aturan siklusnya memberi \"{genuine}\" dari keputusan yang "
        "tercatat di rantai")


def test_a_rating_changed_under_its_predicate_is_found(session, org, national):
    """The rater's recorded behaviour ratings lowered in the chain, re-signed: the predicate (and the behaviour
    rating) recorded with them no longer follow, so the decision and its outcome cannot both be genuine."""
    aid = _closed(session, org, national)

    def lower_ratings(fields: dict[str, Any]) -> None:
        perilaku = (fields["payload"] or {}).get("perilaku")
        if fields["kind"] == "transition" and fields["trigger"] == "rate" and perilaku:
            fields["payload"] = {**fields["payload"], "perilaku": {v: "Di Bawah Ekspektasi" for v in perilaku}}

    _rewrite_with_the_server_key(session, aid, lower_ratings)
    data = dict(session.get(Appraisal, aid).data)
    data["penilaian"] = {**data["penilaian"],
                         "perilaku": {v: "Di Bawah Ekspektasi" for v in data["penilaian"]["perilaku"]}}
    session.execute(update(Appraisal).where(Appraisal.id == aid).values(data=data))
    ok, text = _problems(session)
    # The saved data agree with the rewritten chain; the rating recorded with them does not follow from them.
    assert not ok and "saved data" not in text, text
    assert "records the result 'rating_perilaku'" in text, text


def test_a_realisation_raised_under_its_achievement_is_found(session, org, national):
    """The realisation the chain records (and its row) raised and re-signed, the achievement left: the recorded
    achievement no longer follows from the recorded realisation and target."""
    aid = _closed(session, org, national)

    def raise_realisation(fields: dict[str, Any]) -> None:
        if fields["kind"] == "realisation":
            fields["payload"] = {**fields["payload"], "value": 150}

    _rewrite_with_the_server_key(session, aid, raise_realisation)
    session.execute(update(Realisation).where(Realisation.appraisal_id == aid).values(value=150))
    ok, text = _problems(session)
    # The realisation's row agrees with the rewritten chain; the achievement recorded with it does not follow.
    assert not ok and "but the chain says" not in text, text
    assert "records the result 'iki.iki_1'" in text, text


def test_a_work_results_rating_raised_with_its_predicates_is_found(session, org, national):
    """The work-results rating, the predicate and the final predicate all raised together and re-signed: each
    follows from the one before, but the first does not follow from the recorded achievements."""
    aid = _closed(session, org, national)

    def raise_all(fields: dict[str, Any]) -> None:
        raised = {"rating_hasil_kerja": "Di Atas Ekspektasi", "predikat": "Sangat Baik",
                  "predikat_akhir": "Sangat Baik"}
        results = dict(fields["results"] or {})
        for name, value in raised.items():
            if name in results:
                results[name] = {**results[name], "value": value}
        fields["results"] = results

    _rewrite_with_the_server_key(session, aid, raise_all)
    for name, value in (("rating_hasil_kerja", "Di Atas Ekspektasi"), ("predikat", "Sangat Baik"),
                        ("predikat_akhir", "Sangat Baik")):
        session.execute(update(Result).where(Result.appraisal_id == aid, Result.name == name).values(value=value))
    session.commit()
    session.expire_all()
    text = "\n".join(verify_chain(session).problems)
    assert "records the result 'rating_hasil_kerja' = \"Di Atas Ekspektasi\"" in text, text


def test_only_results_the_chain_alone_determines_are_computed_again(national):
    defn = definition_of(national)
    checked = {name for name, spec in defn.results.items() if follows_from_chain(spec)}
    # The ratings, the matrix and the appeal's outcome follow from recorded decisions and achievements; the
    # training advice reads development rows and weak points, which verify proves another way.
    assert {"rating_hasil_kerja", "rating_perilaku", "predikat", "predikat_akhir"} <= checked
    assert "rekomendasi_pelatihan" not in checked


def test_a_chain_begun_by_a_re_signing_is_not_judged_on_what_came_before_it(session, org, national):
    """An appraisal rated before its database had chains: `audit rekey` starts its chain where it stands, without
    the ratings recorded earlier. The confirmation after it carries the predicate of those ratings; verify does
    not call it unfounded for want of decisions the chain never held."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    budi = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["budi"].id)).one()
    drive(session, org, budi, "budi", "review")
    session.execute(delete(AuditEvent).where(AuditEvent.appraisal_id == budi))
    session.execute(delete(AuditCheckpoint).where(AuditCheckpoint.appraisal_id == budi))
    session.execute(update(Appraisal).where(Appraisal.id == budi).values(audit_seq=0, audit_head=""))
    session.commit()
    assert rekey(session, "cli:operator").ok
    fire_transition(session, budi, "confirm_rating", org.actor("kadis"))
    carried = session.scalar(select(AuditEvent.results).where(AuditEvent.appraisal_id == budi)
                             .order_by(AuditEvent.seq.desc()).limit(1))
    assert "predikat_akhir" in carried  # the confirmation computes the final predicate from the ratings
    session.expire_all()
    problems = verify_chain(session).problems
    # Rows older than the chain are reported as such (what a re-signing starts from is the rekey's matter);
    # none of them is an outcome called unfounded.
    assert any("is not in the chain" in p for p in problems), problems
    assert not any("records the result" in p for p in problems), problems


def test_an_annual_rating_raised_over_the_quarters_the_rater_gave_is_found(session, fresh_session, org):
    """The national cycle's annual work rating follows the rater's four quarterly ratings; raised and re-signed,
    it no longer does (the predicate it feeds stays what the matrix gives, so only the rating is named)."""
    quarterly = publish_source(session, national_v2(), "permenpan-6-2022-v2.yaml", org.actor("admin"))
    aid = _in_monitoring(session, fresh_session, org, quarterly)
    for q in (1, 2, 3, 4):
        _quarter(fresh_session, org, aid, q, 300 * q, SESUAI, SESUAI)
    fire_transition(fresh_session(), aid, "close_monitoring", org.actor("kabid"), now=AFTER_QUARTER[4])
    outcome = fire_transition(fresh_session(), aid, "rate", org.actor("kabid"),
                              {"perilaku": {v: SESUAI for v in VALUES}}, now=AFTER_QUARTER[4])
    assert outcome.results["rating_hasil_kerja_triwulan"]["value"] == SESUAI
    assert verify_chain(fresh_session()).ok

    def raise_annual(fields: dict[str, Any]) -> None:
        if "rating_hasil_kerja_triwulan" in (fields["results"] or {}):
            annual = fields["results"]["rating_hasil_kerja_triwulan"]
            fields["results"] = {**fields["results"], "rating_hasil_kerja_triwulan": {**annual, "value": DI_ATAS}}

    _rewrite_with_the_server_key(session, aid, raise_annual)
    session.execute(update(Result).where(Result.appraisal_id == aid, Result.name == "rating_hasil_kerja_triwulan")
                    .values(value=DI_ATAS))
    session.commit()
    problems = verify_chain(fresh_session()).problems
    assert [p for p in problems if "records the result" in p] == [
        f"appraisal #{aid}: event seq {_seq_of(session, aid, 'rating_hasil_kerja_triwulan')} records the result "
        f"'rating_hasil_kerja_triwulan' = \"{DI_ATAS}\", but the cycle's rule gives \"{SESUAI}\" from the decisions "
        "the chain records"], problems


def test_an_explanation_rewritten_beside_its_genuine_value_is_found(session, org, national):
    """The value untouched, its explanation (what the employee reads on the page and in the API) rewritten to
    say another predicate, and the table row it took changed: both are what the chain recorded, and differ."""
    aid = _closed(session, org, national)
    row = session.scalars(select(Result).where(Result.appraisal_id == aid, Result.name == "predikat_akhir")).one()
    forged = {**row.explanation, "id": "Predikat akhir: Sangat Baik."}
    session.execute(update(Result).where(Result.id == row.id).values(
        explanation=forged, details={**(row.details or {}), "row": "Di Atas Ekspektasi"}))
    ok, text = _problems(session)
    assert not ok
    assert "the explanation of result predikat_akhir reads" in text
    assert "the details of result predikat_akhir reads" in text
    said = next(p for p in verify_chain(session).problems if "explanation" in p)
    assert "penjelasan hasil predikat_akhir tertulis" in finding_text(said, "id")
