"""The public survey page (masyarakat): no login, nine IKM elements, errors by element, rate limit, QR code."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.models import FeedbackResponse
from engine.public_feedback import survey

# The survey's element keys U1-U9, as the IKM rule declares its elements.
ELEMENT_KEYS = survey().keys


def full(value: int = 4, **changes: str) -> dict[str, str]:
    form = {key: str(value) for key in ELEMENT_KEYS}
    form.update(changes)
    return form


def stored(session) -> list[FeedbackResponse]:
    session.rollback()
    return list(session.scalars(select(FeedbackResponse).order_by(FeedbackResponse.id)))


def test_the_survey_opens_without_login_with_the_nine_elements(client, org):
    page = client.get("/layanan/bidang")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Bidang Pelayanan" in html and "Survei kepuasan masyarakat" in html
    for key in ELEMENT_KEYS:
        assert len(re.findall(rf'type="radio" name="{key}" value="[1-4]"', html)) == 4
    for word in ("Persyaratan", "Waktu penyelesaian", "Sarana dan prasarana", "Tidak sesuai", "Sangat sesuai"):
        assert word in html
    assert 'name="pengaduan"' in html and 'name="csrf_token"' in html
    assert "style=" not in html and "<script" not in html


def test_valid_answers_are_stored_once_and_thanked(client, session, org):
    response = client.post("/layanan/bidang", data={**full(3, U9="1"), "pengaduan": "Ruang tunggu panas."})
    assert response.status_code == 303 and response.headers["Location"].endswith("/layanan/bidang/terima-kasih")
    rows = stored(session)
    assert len(rows) == 1
    assert rows[0].unit_id == org.bidang.id and rows[0].role == "masyarakat" and rows[0].window == "ikm"
    assert rows[0].answers == {**{k: 3 for k in ELEMENT_KEYS}, "U9": 1}
    assert rows[0].comment == "Ruang tunggu panas."
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Terima kasih" in thanks and "Bidang Pelayanan" in thanks


def test_a_missing_element_is_named_next_to_it_and_nothing_is_stored(client, session, org):
    form = full(4)
    del form["U3"]
    response = client.post("/layanan/bidang", data={**form, "pengaduan": "Lama sekali."})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<p class="field-error" id="U3-err">Pilih salah satu jawaban untuk unsur ini.</p>', html)
    assert html.count('class="field-error"') == 1
    assert 'name="U1" value="4" required checked' in html  # the other answers are kept
    assert "Lama sekali." in html
    assert stored(session) == []


def test_an_out_of_range_answer_is_refused(client, session, org):
    response = client.post("/layanan/bidang", data=full(4, U5="7"))
    assert response.status_code == 422
    assert 'id="U5-err">Jawaban harus salah satu pilihan 1 sampai 4.' in response.get_data(as_text=True)
    assert stored(session) == []


def test_posting_past_the_limit_answers_429(client, session, org):
    for _ in range(3):
        assert client.post("/layanan/bidang", data=full(4)).status_code == 303
    refused = client.post("/layanan/bidang", data=full(4))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "sudah dikirim 3 penilaian untuk Bidang Pelayanan dalam 24 jam terakhir" in html
    assert len(stored(session)) == 3
    # Another device is not limited, nor the same device for another unit.
    assert client.post("/layanan/bidang", data=full(4), environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 303
    assert client.post("/layanan/dinas", data=full(4)).status_code == 303


def test_the_limit_is_configurable(app, client, session, org):
    app.config["SIKLUS_PUBLIC_FEEDBACK_LIMIT"] = 1
    assert client.post("/layanan/bidang", data=full(2)).status_code == 303
    assert client.post("/layanan/bidang", data=full(2)).status_code == 429
    assert len(stored(session)) == 1


@pytest.mark.parametrize("method, path", [("get", "/layanan/tidak-ada"), ("post", "/layanan/tidak-ada"),
                                          ("get", "/layanan/tidak-ada/qr.svg"),
                                          ("get", "/layanan/tidak-ada/terima-kasih")])
def test_an_unknown_unit_is_not_found(client, org, method, path):
    response = getattr(client, method)(path, data=full(4) if method == "post" else None)
    assert response.status_code == 404


def test_the_form_is_protected_against_cross_site_posts(app, client, session, org):
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/layanan/bidang", data=full(4))
    assert refused.status_code == 400 and "Formulir sudah kedaluwarsa" in refused.get_data(as_text=True)
    assert stored(session) == []


def test_the_qr_code_is_an_svg_of_the_page_address(client, org):
    response = client.get("/layanan/bidang/qr.svg")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert body.startswith("<?xml") and "<svg" in body and "<title>Bidang Pelayanan</title>" in body
    assert client.get("/layanan/dinas/qr.svg").get_data(as_text=True) != body


def test_the_survey_speaks_english(client, org):
    html = client.get("/layanan/bidang", headers={"Accept-Language": "en"}).get_data(as_text=True)
    # Each element in its own words (PermenPAN-RB 14/2017): completion time is answered fast or not.
    assert "Public satisfaction survey" in html and "Completion time" in html and "Very fast" in html


def test_a_flood_from_one_address_is_limited_whatever_browser_name_it_sends(app, client, session, org):
    app.config["SIKLUS_PUBLIC_FEEDBACK_ADDRESS_LIMIT"] = 5
    responses = [client.post("/layanan/bidang", data=full(4), headers={"User-Agent": f"Peramban/{n}"})
                 for n in range(8)]
    assert [r.status_code for r in responses] == [303] * 5 + [429] * 3
    assert len(stored(session)) == 5
    # The refusal says what was counted: five answers from this address, whatever the device.
    assert "Dari alamat jaringan ini sudah dikirim 5 penilaian untuk Bidang Pelayanan dalam 24 jam terakhir, " \
           "dari perangkat apa pun." in responses[-1].get_data(as_text=True)
    # Other addresses (other citizens) still answer.
    assert client.post("/layanan/bidang", data=full(4), environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 303


def test_a_form_sent_back_with_errors_does_not_use_up_the_address_allowance(app, client, session, org):
    app.config["SIKLUS_PUBLIC_FEEDBACK_ADDRESS_LIMIT"] = 1
    assert client.post("/layanan/bidang", data={"U1": "4"}).status_code == 422
    assert client.post("/layanan/bidang", data=full(4)).status_code == 303


def test_a_post_from_another_site_is_refused(client, session, org):
    response = client.post("/layanan/bidang", data=full(4), headers={"Origin": "https://jahat.example"})
    assert response.status_code == 403
    response = client.post("/layanan/bidang", data=full(4), headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert stored(session) == []
    assert client.post("/layanan/bidang", data=full(4), headers={"Origin": "http://localhost"}).status_code == 303


def test_the_api_reads_only_json_and_refuses_other_sites(client, session, org):
    body = {"answers": {f"U{i}": 4 for i in range(1, 10)}}
    import json

    plain = client.post("/api/v1/public/units/bidang/feedback", data=json.dumps(body),
                        headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415 and plain.mimetype == "application/problem+json"
    form = client.post("/api/v1/public/units/bidang/feedback", data={"answers": "x"})
    assert form.status_code == 415
    cross = client.post("/api/v1/public/units/bidang/feedback", json=body, headers={"Origin": "https://jahat.example"})
    assert cross.status_code == 403
    assert stored(session) == []
    assert client.post("/api/v1/public/units/bidang/feedback", json=body).status_code == 201


def test_the_api_names_the_address_limit_in_both_languages(app, client, session, org):
    """Past the address allowance the API answered 'Http 429' with the limiter's own '2 per 86400 second'."""
    app.config["SIKLUS_PUBLIC_FEEDBACK_ADDRESS_LIMIT"] = 2
    body = {"answers": {key: 4 for key in ELEMENT_KEYS}}
    responses = [client.post("/api/v1/public/units/bidang/feedback", json=body, headers={"User-Agent": f"P/{n}"})
                 for n in range(3)]
    assert [r.status_code for r in responses] == [201, 201, 429]
    problem = responses[-1].get_json()
    assert responses[-1].mimetype == "application/problem+json" and problem["code"] == "public.address_limited"
    assert problem["text"]["id"] == ("Dari alamat jaringan ini sudah dikirim 2 jawaban untuk unit ini dalam 24 jam "
                                     "terakhir, dari perangkat apa pun; coba lagi besok.")
    assert problem["text"]["en"].startswith("2 answers for this unit have already been sent from this network")
    assert "per 86400 second" not in responses[-1].get_data(as_text=True)
    assert len(stored(session)) == 2
