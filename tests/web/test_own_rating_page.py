"""On the appraisal's page, the rater made reviewer by a change of the chart is refused confirming their own
rating: the page says why, in the reader's language, offers only returning the rating, and nothing changes."""

from __future__ import annotations

from tests.support.factories import record_chart
from tests.support.states import drive


def test_the_page_refuses_the_rater_confirming_their_own_rating(login, session, org, appraisal_of):
    drive(session, org, appraisal_of("ani").id, "ani", "review")
    org.people["ani"].supervisor_id = org.people["budi"].id  # budi now heads ani; kabid, who rated, reviews
    session.commit()
    record_chart(session)
    appraisal = appraisal_of("ani")
    client = login("kabid")
    page = client.get(f"/penilaian/{appraisal.id}").get_data(as_text=True)
    assert "/aksi/return_rating" in page and "/aksi/confirm_rating" not in page
    refused = client.post(f"/penilaian/{appraisal.id}/aksi/confirm_rating",
                          data={"version": appraisal.version, "konfirmasi": "1"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403 and "Traceback" not in text
    assert "tidak diperiksa atau diputus oleh penilainya sendiri" in text
    after = appraisal_of("ani")
    assert (after.state, after.version) == ("review", appraisal.version)
