"""A cycle's text is proven before anything is judged by it. Replay checks each step's role and each result
against the appraisal's cycle version as stored; a text rewritten in the database (the employee added to the
roles that rate) made replay agree with it, and the engine ran it: an employee rated their own behaviour and
verify said the chain was intact. The stored text must be its fingerprint, and the fingerprint the one the
system chain recorded publishing; a text that is not is never run."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from engine import definition_verify, loaded
from engine.appraisals import fire_transition
from engine.audit import verify_chain
from engine.definition import content_hash
from engine.errors import Conflict
from engine.models import Appraisal, AuditEvent, CycleDefinitionRecord
from engine.runs import find_unit, launch
from tests.support.messages import said
from tests.support.states import drive
from web.messages import finding_text

RATER_ONLY = "    dest: review\n    roles: [penilai]\n    save_as: penilaian"
ANYONE = "    dest: review\n    roles: [penilai, pegawai]\n    save_as: penilaian"


def _ani_at_rate(session, org, national) -> int:
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "rate")
    return aid


def _rewrite(session, record_id: int, *, fingerprint_too: bool) -> str:
    source = session.scalar(select(CycleDefinitionRecord.source).where(CycleDefinitionRecord.id == record_id))
    assert RATER_ONLY in source
    forged = source.replace(RATER_ONLY, ANYONE)
    values = {"source": forged, "content_hash": content_hash(forged)} if fingerprint_too else {"source": forged}
    session.commit()
    with session.bind.begin() as conn:  # below the ORM, as someone with the database's password would
        conn.execute(update(CycleDefinitionRecord.__table__).where(CycleDefinitionRecord.id == record_id)
                     .values(**values))
    session.expire_all()
    # A server started after the change: nothing of the genuine text is remembered, nor that it was proven.
    loaded._loaded.clear()
    definition_verify._proven.clear()
    return forged


def test_a_text_rewritten_in_the_database_is_named_by_verify_and_never_run(session, org, national):
    aid = _ani_at_rate(session, org, national)
    assert verify_chain(session).ok
    _rewrite(session, national.id, fingerprint_too=False)

    report = verify_chain(session)
    assert not report.ok
    altered = next(p for p in report.problems if "fingerprint" in p)
    assert f"cycle definition permenpan-6-2022 version {national.version} (#{national.id})" in altered
    assert "was changed outside Siklus" in altered
    assert finding_text(altered, "id").startswith(
        f"teks definisi siklus permenpan-6-2022 versi {national.version} (#{national.id}) tidak sesuai")
    # The employee cannot rate themself by it, nor can anyone move the appraisal by a text that is not the
    # published one: nothing is saved, and the refusal says what happened and what to do.
    with pytest.raises(Conflict) as refused:
        fire_transition(session, aid, "rate", org.actor("ani"), {"perilaku": {}})
    assert "changed outside Siklus" in said(refused.value)["en"]
    assert "diubah di luar Siklus" in said(refused.value)["id"]
    session.rollback()
    assert session.get(Appraisal, aid).state == "rate"


def test_a_text_rewritten_with_a_new_fingerprint_is_not_the_one_published(session, org, national):
    """The forger also writes the new text's fingerprint beside it: the system chain recorded another at
    publishing, and every appraisal's chain names the version it ran."""
    aid = _ani_at_rate(session, org, national)
    genuine = national.content_hash
    forged = _rewrite(session, national.id, fingerprint_too=True)

    report = verify_chain(session)
    assert not report.ok
    text = "\n".join(report.problems)
    assert (f"has the fingerprint {content_hash(forged)[:12]}, but the system chain recorded its publication as "
            f"{genuine[:12]}") in text
    assert f"appraisal #{aid}" in text


def test_a_version_retired_republished_or_given_to_another_unit_in_the_database_is_named(session, org, national):
    """A version marked retired stops launches, one marked published opens them, and the owner decides whose HR
    may change the cycle: each is held to the publish and retire events."""
    from web.messages import finding_text

    assert verify_chain(session).ok
    publication = session.scalars(select(AuditEvent).where(AuditEvent.kind == "publish")).one()
    assert "owner" in publication.payload
    session.commit()
    with session.bind.begin() as conn:  # below Siklus, as someone with the database's password would
        conn.execute(update(CycleDefinitionRecord.__table__).where(CycleDefinitionRecord.id == national.id)
                     .values(status="retired", owner_unit_id=org.other.id))
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok
    text = "\n".join(report.problems)
    assert (f"cycle definition permenpan-6-2022 version 1 (#{national.id}) is retired, but the system chain records "
            "it published") in text
    assert f"(#{national.id}) is owned by LAIN, but its publication recorded the whole organisation" in text
    status = next(p for p in report.problems if "is retired" in p)
    assert "berstatus dipensiunkan, padahal rantai sistem mencatatnya terbit" in finding_text(status, "id")
