"""An evidence file whose name is longer than the 255 characters the tables keep (a phone's share sheet names
files after the whole message): the realisation's upload was a server error on PostgreSQL. The name is
shortened to fit, keeping its start and its extension, and the file is stored and downloadable."""

from __future__ import annotations

from sqlalchemy import select

from engine.evidence import MAX_EVIDENCE_NAME
from engine.models import Realisation
from tests.web.test_realisation import PDF, _monitoring, _post


def test_a_long_file_name_is_shortened_to_fit_and_keeps_its_extension(login, run, appraisal_of, session, org):
    appraisal = _monitoring(session, org, appraisal_of)
    client = login("ani")
    response = _post(client, appraisal, PDF, filename="laporan_" + "a" * 400 + ".pdf")
    assert response.status_code == 302
    session.rollback()
    name = session.scalar(select(Realisation.evidence_name).where(Realisation.appraisal_id == appraisal.id))
    assert MAX_EVIDENCE_NAME == 255
    assert len(name) == 255 and name.startswith("laporan_aaaa") and name.endswith(".pdf")
