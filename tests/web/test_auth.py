"""Logging in and out, and the language switch."""

from __future__ import annotations

import pytest


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


def test_login_page_is_indonesian_first(client):
    page = client.get("/masuk").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "Nama pengguna" in page and "Kata sandi" in page


def test_the_login_address_typed_out_of_habit_leads_to_the_sign_in_page(client, logins, password):
    """``/login`` is where many first try; it leads to ``/masuk``, keeping a page of this site to go on to and
    dropping one elsewhere."""
    assert client.get("/login").headers["Location"] == "/masuk"
    kept = client.get("/login?next=/sdm/audit")
    assert kept.status_code == 302 and kept.headers["Location"] == "/masuk?next=/sdm/audit"
    assert client.get("/login?next=https://contoh.test/").headers["Location"] == "/masuk"
    assert client.get("/login?next=//contoh.test").headers["Location"] == "/masuk"
    page = client.get("/login", follow_redirects=True).get_data(as_text=True)
    assert "Nama pengguna" in page and "Kata sandi" in page
    assert client.post("/login", data={"username": "ani", "password": password}).status_code == 405


def test_good_password_logs_in_and_lands_on_home(client, logins, password):
    response = client.post("/masuk", data={"username": "ani", "password": password})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Ani Lestari" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_user_get_the_same_answer(client, logins):
    wrong = client.post("/masuk", data={"username": "ani", "password": "salah"})
    unknown = client.post("/masuk", data={"username": "tidak-ada", "password": "salah"})
    assert wrong.status_code == unknown.status_code == 401
    message = "Nama pengguna atau kata sandi salah."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_disabled_user_cannot_log_in(client, logins, session, password):
    logins.users["ani"].is_active = False
    session.commit()
    response = client.post("/masuk", data={"username": "ani", "password": password})
    assert response.status_code == 401


def test_logout_ends_the_session(login):
    client = login("ani")
    response = client.post("/keluar")
    assert response.status_code == 302 and response.headers["Location"] == "/masuk"
    assert client.get("/").status_code == 302


def test_next_goes_back_to_the_page_but_never_to_another_site(client, logins, password):
    back = client.post("/masuk", data={"username": "ani", "password": password, "next": "/penilaian/1"})
    assert back.headers["Location"] == "/penilaian/1"
    client.post("/keluar")
    away = client.post("/masuk", data={"username": "ani", "password": password, "next": "//evil.example/x"})
    assert away.headers["Location"] == "/"


def test_english_switch_changes_the_page_language(login, run):
    client = login("ani")
    assert "Penilaian saya" in client.get("/").get_data(as_text=True)
    response = client.post("/bahasa", data={"lang": "en", "next": "/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "My appraisals" in page and "Penilaian saya" not in page
    assert "National ASN performance cycle" in page  # the cycle's own label, Text.get("en")
    client.post("/bahasa", data={"lang": "id", "next": "/"})
    assert "Penilaian saya" in client.get("/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(login):
    client = login("ani")
    client.post("/bahasa", data={"lang": "fr", "next": "/"})
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["/x\r\nSet-Cookie: sesi=curian", "/sdm\n", "/\x1b[31m", "/" + "x" * 70_000])
def test_a_next_a_location_header_cannot_carry_goes_home_not_to_a_server_error(client, logins, password, target):
    """A line break in ``next`` failed the redirect with a server error; 70,000 characters made a header
    no client or proxy reads."""
    changed = client.post("/bahasa", data={"lang": "en", "next": target})
    assert changed.status_code == 302 and changed.headers["Location"] == "/"
    signed_in = client.post("/masuk", data={"username": "ani", "password": password, "next": target})
    assert signed_in.status_code == 302 and "\n" not in signed_in.headers["Location"]
    assert len(signed_in.headers["Location"]) < 100


def test_signing_out_keeps_the_language_the_person_was_reading(client, logins, session, password):
    """An account reading in English signs out on an Indonesian browser: the notice and the sign-in page are both
    English, not the notice in one language and the page in the other; the next person reads in their own."""
    logins.users["ani"].locale, logins.users["budi"].locale = "en", "id"
    session.commit()
    client.post("/masuk", data={"username": "ani", "password": password}, headers={"Accept-Language": "id"})
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "id"}).get_data(as_text=True)
    page = client.post("/keluar", headers={"Accept-Language": "id"}, follow_redirects=True).get_data(as_text=True)
    assert '<html lang="en">' in page and "You have logged out." in page and "Anda telah keluar." not in page
    assert "Log in</button>" in page and "Nama pengguna" not in page
    # Budi reads in his account's language (Bahasa Indonesia), not in the one Ani left behind.
    client.post("/masuk", data={"username": "budi", "password": password}, headers={"Accept-Language": "en"})
    assert '<html lang="id">' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
