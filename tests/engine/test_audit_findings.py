"""What the audit verification finds is said to the auditor in their language: every problem has its Indonesian
sentence (the HR screen's default, the CLI's ``--lang id``) beside the English one logs and scripts read."""

from __future__ import annotations

import pickle

import pytest
from sqlalchemy import select, update

from engine.appraisals import record_development
from engine.audit import verify_all, verify_chain
from engine.audit_findings import Finding
from engine.messages import Label, Message
from engine.models import Appraisal, AuditEvent, DevelopmentActivity
from engine.runs import find_unit, launch
from tests.engine.test_audit import TAMPERINGS, _closed
from tests.support.states import drive
from web.messages import finding_text

# Words of the English sentences that an Indonesian one must not carry.
ENGLISH = ("the chain", "after the fact", "event #", "appraisal #", " is not ", " but ", "recorded", "missing")


def _said_in_indonesian(problem: str) -> str:
    assert isinstance(problem, Finding), f"a plain sentence, with no Indonesian: {problem!r}"
    indonesian = finding_text(problem, "id")
    leftover = [word for word in ENGLISH if word in indonesian]
    assert leftover == [], f"English left in {indonesian!r}"
    # A role or a state by its cycle label on the screen, by its key in the log: the rest of the sentence alike.
    english = _keyed(finding_text(problem, "en"), problem.message)
    if "+00:00" in problem:
        # A moment: in the agency's time on the screen, in UTC ISO in the log; the rest of the sentence alike.
        assert "+00:00" not in english and "WIB" in english and "WIB" in indonesian
        assert english.split(" at ", 1)[0] == str(problem).split(" at ", 1)[0]
    else:
        assert english == str(problem)
    return indonesian


def _keyed(text: str, message: Message) -> str:
    """``text`` with each label of ``message`` (and the messages it holds) written as its key."""
    for value in message.params.values():
        if isinstance(value, Message):
            text = _keyed(text, value)
        elif isinstance(value, Label):
            text = text.replace(value.shown("en"), value.key)
    return text


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_each_tampering_is_named_in_bahasa_indonesia_as_well(session, org, national, tampering):
    aid = _closed(session, org, national)
    with session.bind.begin() as conn:
        TAMPERINGS[tampering](conn, aid)
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok
    for problem in report.problems:
        indonesian = _said_in_indonesian(problem)
        assert "rantai" in indonesian or "peristiwa" in indonesian or "penilaian" in indonesian


def test_a_changed_development_activity_is_named_in_indonesian_with_its_field(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "develop")
    record_development(session, aid, org.actor("ani"), "Pelatihan pelayanan prima", 20, done=True)
    with session.bind.begin() as conn:
        conn.execute(update(DevelopmentActivity).where(DevelopmentActivity.appraisal_id == aid).values(jp=40))
    session.expire_all()
    row = session.scalars(select(DevelopmentActivity.id).where(DevelopmentActivity.appraisal_id == aid)).one()
    (problem,) = verify_chain(session).problems
    assert problem == (f"appraisal #{aid}: development activity #{row} 'Pelatihan pelayanan prima' number of JP is 40 "
                       "but the chain says 20")
    assert _said_in_indonesian(problem) == (f"penilaian #{aid}: kegiatan pengembangan #{row} 'Pelatihan pelayanan "
                                            "prima' jumlah JP bernilai 40, tetapi menurut rantai 20")


def test_findings_found_by_worker_processes_keep_their_indonesian(session, org, national, db_url):
    aid = _closed(session, org, national)
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid, AuditEvent.seq == 3)).one()
    with session.bind.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.id == event.id).values(payload={"catatan": "diubah"}))
    report = verify_all(db_url, workers=2, full=True, range_size=1)
    assert f"event #{event.id}" in report.broken and "no longer matches its hash" in report.broken
    indonesian = _said_in_indonesian(report.broken)
    assert f"penilaian #{aid}: peristiwa #{event.id} (appraisal:{aid}, urutan 3)" in indonesian
    assert "isinya tidak lagi cocok dengan hash-nya" in indonesian


def test_a_finding_travels_by_pickle_as_it_is():
    from engine.audit_findings import appraisal_label, finding, said_of

    problem = said_of(appraisal_label(12345), finding("audit.state", live="closed", chain="rate"))
    again = pickle.loads(pickle.dumps(problem))
    assert again == problem == "appraisal #12345: state is 'closed' but the chain says 'rate'"
    # An id is written as it is, without the thousands separator of a number in Indonesian.
    assert finding_text(again, "id") == "penilaian #12345: tahapnya 'closed', tetapi menurut rantai 'rate'"
