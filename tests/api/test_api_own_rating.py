"""Through the API, the rater made reviewer by a change of the chart does not confirm their own rating: a 403
problem in both languages, and the appraisal stays where it was."""

from __future__ import annotations

from tests.support.factories import record_chart
from tests.support.states import drive


def test_confirming_ones_own_rating_is_a_403_in_both_languages(client, token, run, appraisal_of, session, org):
    drive(session, org, appraisal_of("ani").id, "ani", "review")
    org.people["ani"].supervisor_id = org.people["budi"].id  # budi now heads ani; kabid, who rated, reviews
    session.commit()
    record_chart(session)
    appraisal = appraisal_of("ani")
    body = {"trigger": "confirm_rating", "version": appraisal.version}
    response = client.post(f"/api/v1/appraisals/{appraisal.id}/transitions", json=body, headers=token("kabid"))
    assert response.status_code == 403 and response.content_type == "application/problem+json"
    assert response.json["code"] == "access.own_rating"
    text = response.json["text"]
    assert "a rating is not reviewed or decided by the person who gave it" in text["en"]
    assert "Reviewer (the rater's supervisor)" in text["en"]
    assert "tidak diperiksa atau diputus oleh penilainya sendiri" in text["id"]
    assert "Traceback" not in response.get_data(as_text=True)
    after = appraisal_of("ani")
    assert (after.state, after.version) == ("review", appraisal.version)
