"""The competence-development target (REGULATION.md section 7: at least 20 JP per civil servant per year) is
met by lesson hours that add up to 20, however they were split: JP are added as the person wrote them, not
as binary fractions that fall a hair short."""

from __future__ import annotations

from sqlalchemy import select

from engine.appraisals import fire_transition, record_development
from engine.detail.build import appraisal_detail
from engine.development.report import jp_report
from engine.models import Appraisal, Result
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.engine.test_national_cycle import _appealed
from tests.support.factories import national_source

# 20 e-learning modules of 0,7 JP and a 6 JP course: 20 JP on paper, 19.999999999999993 in binary floats.
TWENTY_JP = [0.7] * 20 + [6]


def _developing(session, org, record) -> int:
    launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = _appealed(session, org)
    fire_transition(session, aid, "decide_appeal", org.actor("kadis"), {
        "keputusan": "tetap", "pertimbangan": "Rating penilai sesuai bukti dukung."})
    for number, jp in enumerate(TWENTY_JP, start=1):
        record_development(session, aid, org.actor("budi"), f"Modul e-learning {number}", jp, done=True)
    return aid


def test_twenty_jp_in_fractions_meets_the_20_jp_target_everywhere(session, org, national):
    """REGULATION.md section 7: 20 JP done meets "at least 20 JP"; the recommendation, the appraisal page and
    HR's JP report all say so."""
    aid = _developing(session, org, national)
    session.expire_all()
    details = session.scalars(select(Result.details).where(Result.appraisal_id == aid,
                                                           Result.name == "rekomendasi_pelatihan")).one()
    assert (details["jp_done"], details["jp_remaining"]) == (20, 0)
    assert "target is met" in session.scalars(select(Result.explanation).where(
        Result.appraisal_id == aid, Result.name == "rekomendasi_pelatihan")).one()["en"]
    section = appraisal_detail(session, org.actor("budi"), aid).development
    assert section is not None and (section.jp_done, section.jp_remaining) == (20, 0)
    run_id = session.get(Appraisal, aid).run_id
    row = next(r for r in jp_report(session, org.actor("hr"), run_id).rows if r.appraisal_id == aid)
    assert row.jp_done == 20 and row.met and row.remaining == 0


def test_a_cycle_that_refuses_closing_below_the_target_closes_at_twenty_jp_in_fractions(session, org):
    """REGULATION.md section 7: with ``below_target: refuse`` the cycle closes once 20 JP are done."""
    source = national_source().replace("development:\n  jp_target: 20\n",
                                       "development:\n  jp_target: 20\n  below_target: refuse\n", 1)
    assert "below_target: refuse" in source
    record = publish_source(session, source, "jp-wajib.yaml", org.actor("admin"))
    aid = _developing(session, org, record)
    outcome = fire_transition(session, aid, "complete_development", org.actor("kabid"))
    assert outcome.to_state == "closed"
