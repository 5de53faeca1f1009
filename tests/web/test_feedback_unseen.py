"""An anonymous answer moves nothing the appraised employee (or their supervisor) can read: not the appraisal's
version, not the history's numbering, not its last change, not the head on the printed document; yet
``siklus audit verify`` still proves every answer."""

from __future__ import annotations

import re

from sqlalchemy import delete, select

from engine.audit import appraisal_stream, check_head, verify_chain
from engine.models import Appraisal, AuditEvent, FeedbackResponse
from tests.support.pdf import pdf_text
from tests.web.test_feedback_form import WINDOW, answers, api, as_json, peer_cycle, start

__all__ = ["peer_cycle"]  # the fixture, shared with the feedback form's tests

TRACE = re.compile(r"urutan (\d+), hash ([0-9a-f]+)")


def seen_by(client, header, appraisal_id: int) -> dict:
    """What a reader of the appraisal can compare between two visits: the API's detail and the printout's head."""
    detail = client.get(f"/api/v1/appraisals/{appraisal_id}", headers=header).json
    printed = TRACE.search(pdf_text(client.get(f"/laporan/penilaian/{appraisal_id}.pdf").get_data()))
    assert printed is not None
    history = [(e["seq"], e["kind"], e["occurred_at"]) for e in detail["history"]]
    return {"version": detail["version"], "history": history, "printed": printed.groups()}


def answer(client, session, org, appraisal_id: int, who: str, score: int) -> None:
    given = client.post(f"/api/v1/appraisals/{appraisal_id}/feedback", headers=api(session, org, who),
                        json=as_json(answers(score, f"Catatan {who}")))
    assert given.status_code in (200, 201), given.json


def test_the_employee_cannot_tell_when_an_anonymous_answer_came(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    ani = login("ani")
    before = seen_by(ani, api(session, org, "ani"), peer_cycle)
    changed_before = session.get(Appraisal, peer_cycle).updated_at
    answer(ani, session, org, peer_cycle, "budi", 3)
    answer(ani, session, org, peer_cycle, "citra", 2)
    answer(ani, session, org, peer_cycle, "budi", 4)  # a replacement moves nothing either
    session.expire_all()
    assert seen_by(login("ani"), api(session, org, "ani"), peer_cycle) == before
    assert session.get(Appraisal, peer_cycle).updated_at == changed_before
    assert before["history"][-1][0] == len(before["history"])  # numbered 1, 2, 3 ... without gaps


def test_the_supervisor_acting_on_the_version_read_before_the_answers_is_not_refused(login, session, org,
                                                                                     peer_cycle):
    start(session, org, peer_cycle)
    kabid = api(session, org, "kabid")
    version = login("kabid").get(f"/api/v1/appraisals/{peer_cycle}", headers=kabid).json["version"]
    answer(login("budi"), session, org, peer_cycle, "budi", 3)
    closed = login("kabid").post(f"/api/v1/appraisals/{peer_cycle}/transitions", headers=kabid,
                                 json={"trigger": "close", "version": version})
    assert closed.status_code in (200, 201), closed.json  # before: 409, "the appraisal changed", an answer came
    history = login("ani").get(f"/api/v1/appraisals/{peer_cycle}", headers=api(session, org, "ani")).json["history"]
    assert [e["seq"] for e in history] == list(range(1, len(history) + 1))
    assert [e["kind"] for e in history][-1] == "transition"


def test_the_chain_still_proves_every_anonymous_answer(login, session, org, peer_cycle):
    start(session, org, peer_cycle)
    client = login("budi")
    for who, score in (("budi", 3), ("citra", 2), ("dewi", 4)):
        answer(client, session, org, peer_cycle, who, score)
    session.expire_all()
    appraisal = session.get(Appraisal, peer_cycle)
    events = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == peer_cycle)
                             .order_by(AuditEvent.seq)).all()
    assert [e.kind for e in events].count("feedback") == 3 and appraisal.audit_seq == events[-1].seq
    assert verify_chain(session, [appraisal_stream(peer_cycle)]).ok
    printed = check_head(session, peer_cycle, events[-4].hash)  # the head a printout carries: before the answers
    assert printed.current and printed.found_seq == events[-4].seq

    session.execute(delete(FeedbackResponse).where(FeedbackResponse.appraisal_id == peer_cycle,
                                                   FeedbackResponse.id == select(FeedbackResponse.id).where(
                                                       FeedbackResponse.appraisal_id == peer_cycle)
                                                   .order_by(FeedbackResponse.id).limit(1).scalar_subquery()))
    session.commit()
    report = verify_chain(session, [appraisal_stream(peer_cycle)])
    assert not report.ok and any(WINDOW in str(p) for p in report.problems)
