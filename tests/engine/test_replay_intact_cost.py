"""An intact row costs ``siklus audit verify`` a comparison of what it says, not a reading of its moments: a
realisation whose ``recorded_at`` is its event's moment, and a development activity equal to the one its events
record, are passed over without a moment being parsed or a field compared one by one (what a forged row still
gets, and is named)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from engine import replay_compare
from engine.appraisals import record_development, record_realisation
from engine.audit.scale import RangeOptions, verify_range
from engine.models import Appraisal, AuditEvent, DevelopmentActivity, Realisation
from engine.moments import utc
from engine.runs import find_unit, launch
from tests.support.forgery import forge
from tests.support.states import drive

#: What the realisation and development comparisons reach for only when a row is not what its events say.
SLOW = ("_near", "_same", "_same_moment", "_aligned")


def _spied(monkeypatch) -> dict[str, int]:
    calls = dict.fromkeys(SLOW, 0)
    for name in SLOW:
        real = getattr(replay_compare, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(replay_compare, name, spy)
    return calls


def _developing(session, org, national) -> int:
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "develop")
    record_development(session, aid, org.actor("ani"), "Pelatihan pelayanan prima", 20, done=True)
    record_development(session, aid, org.actor("ani"), "Kursus menulis laporan", 8)
    session.commit()
    return aid


def _compared(session, aid: int, monkeypatch) -> tuple[list[str], dict[str, int]]:
    """Only the realisations, development and their moments of ``aid`` compared, over the bulk path (the
    appraisal's state, deadlines and the rest left out)."""
    seen: list[tuple[str, dict[str, int]]] = []
    differences = replay_compare.differences

    def only_rows(appraisal_id, events, live, reader):
        if appraisal_id != aid or live is None:
            return differences(appraisal_id, events, live, reader)
        monkeypatch.setattr(replay_compare, "_timing_differences", lambda *_args: [])  # states and deadlines
        calls = _spied(monkeypatch)
        found = differences(appraisal_id, events, live, reader)
        monkeypatch.undo()
        seen.append(("", dict(calls)))
        return found

    monkeypatch.setattr(replay_compare, "differences", only_rows)
    session.expire_all()
    outcome = verify_range(session, aid - 1, aid, RangeOptions(recheck_all=True, record=False))
    monkeypatch.undo()
    assert len(seen) == 1
    return outcome.problems, seen[0][1]


def test_intact_realisations_and_activities_are_passed_over_without_parsing(session, org, national, monkeypatch):
    aid = _developing(session, org, national)
    assert session.scalar(select(Realisation.id).where(Realisation.appraisal_id == aid)) is not None
    problems, calls = _compared(session, aid, monkeypatch)
    assert problems == [] and calls == dict.fromkeys(SLOW, 0), calls


def test_a_realisation_is_recorded_at_its_events_moment(session, org, national):
    """Taken once for both, so the row reads as its event's moment to the microsecond (the slack is for rows
    written before)."""
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "monitor")
    record_realisation(session, aid, org.actor("ani"), "iki_1", 90)
    row = session.scalars(select(Realisation).where(Realisation.appraisal_id == aid)
                          .order_by(Realisation.id.desc())).first()
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid)
                            .order_by(AuditEvent.seq.desc())).first()
    assert event.kind == "realisation" and utc(row.recorded_at) == utc(event.occurred_at)


def test_a_forged_activity_and_realisation_moment_are_still_named(session, org, national):
    aid = _developing(session, org, national)
    realisation = session.scalar(select(Realisation.id).where(Realisation.appraisal_id == aid))
    forge(session, update(DevelopmentActivity).where(DevelopmentActivity.appraisal_id == aid)
          .values(title="Pelatihan lain"),
          update(Realisation).where(Realisation.id == realisation).values(recorded_at=datetime(2025, 1, 2, 3, 4, 5)))
    outcome = verify_range(session, aid - 1, aid, RangeOptions(recheck_all=True, record=False))
    assert len([p for p in outcome.problems if "title is 'Pelatihan lain'" in p]) == 2, outcome.problems
    assert [p for p in outcome.problems if f"realisation #{realisation} was recorded at 2025-01-02T03:04:05+00:00"
            in p], outcome.problems
