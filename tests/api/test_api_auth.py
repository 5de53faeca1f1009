"""Who is calling: API tokens (stored hashed, revocable, expiring) or the browser session with CSRF;
and problem+json for every error under /api/v1."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.exc import OperationalError

import engine.home
import web.api.core
from engine.db import engine_options
from engine.models import ApiToken, utcnow
from engine.tokens import create_token, revoke_token, verify_token

PROBLEM = "application/problem+json"


def test_without_credentials_the_answer_is_401_with_a_bearer_challenge(client, logins):
    response = client.get("/api/v1/appraisals")
    assert response.status_code == 401 and response.content_type == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json["detail"]


def test_a_token_is_stored_only_as_its_hash_and_records_its_use(client, session, org, logins):
    new = create_token(session, org.actor("ani"), org.users["ani"], "laporan mingguan")
    stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(new.secret.encode()).hexdigest()
    assert new.secret.startswith(stored.prefix) and new.secret not in (stored.prefix, stored.token_hash)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {new.secret}"})
    assert response.status_code == 200 and response.json["username"] == "ani"
    session.expire_all()
    assert session.get(ApiToken, stored.id).last_used_at is not None


def test_revoked_and_expired_tokens_stop_working(client, session, org, logins):
    revoked = create_token(session, org.actor("ani"), org.users["ani"], "lama")
    revoke_token(session, org.actor("hr"), revoked.token.id)  # HR of ani's unit may revoke
    expired = create_token(session, org.actor("ani"), org.users["ani"], "kedaluwarsa", days=1,
                           now=utcnow() - timedelta(days=2))
    for new in (revoked, expired):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {new.secret}"})
        assert response.status_code == 401 and "revoked or expired" in response.json["detail"]
    wrong_scheme = client.get("/api/v1/me", headers={"Authorization": "Basic YWJjOmRlZg=="})
    assert wrong_scheme.status_code == 401


def test_the_browser_session_works_and_unsafe_requests_need_the_csrf_token(app, login, run):
    app.config["WTF_CSRF_ENABLED"] = False  # log in without scraping the form's token
    client = login("ani")
    assert client.get("/api/v1/me").json["username"] == "ani"
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/api/v1/definitions/validate", json={"source": "id: x"})
    assert response.status_code == 400 and response.content_type == PROBLEM
    assert "X-CSRFToken" in response.json["detail"]
    page = client.get("/").get_data(as_text=True)
    csrf_value = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/api/v1/definitions/validate", json={"source": "id: x"},
                           headers={"X-CSRFToken": csrf_value})
    assert response.status_code == 403  # past CSRF: now the permission answers (ani is not HR)


def test_unknown_routes_and_methods_answer_problem_json_not_html(client, token, logins):
    missing = client.get("/api/v1/tidak-ada", headers=token("hr"))
    assert missing.status_code == 404 and missing.content_type == PROBLEM
    wrong = client.delete("/api/v1/appraisals", headers=token("hr"))
    assert wrong.status_code == 405 and wrong.content_type == PROBLEM and "GET" in wrong.headers["Allow"]


def _locked(*_args: object, **_kwargs: object) -> None:
    """What SQLite answers when another writer kept the database longer than a request waits."""
    raise OperationalError("UPDATE appraisal ...", {}, sqlite3.OperationalError("database is locked"))


def test_a_database_busy_with_a_long_job_answers_503_with_retry_after_not_500(client, token, logins, monkeypatch):
    header = token("ani")
    monkeypatch.setattr(web.api.core, "verify_token", _locked)
    response = client.get("/api/v1/me", headers=header)
    assert response.status_code == 503 and response.content_type == PROBLEM
    assert response.json["type"].endswith("database-busy") and "try again" in response.json["detail"]
    assert int(response.headers["Retry-After"]) > 0


def test_a_screen_that_cannot_write_while_the_database_is_busy_says_so_in_indonesian(app, login, run, monkeypatch):
    client = login("ani")
    monkeypatch.setattr(engine.home, "available_transitions", _locked)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert "Basis data sedang sibuk" in page and "Traceback" not in page


def test_a_token_still_works_when_its_last_use_cannot_be_noted(db_url, session, org):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's single writer lock; PostgreSQL locks rows and writes the note alongside")
    new = create_token(session, org.actor("ani"), org.users["ani"], "skrip malam")
    other = create_engine(db_url, **engine_options(db_url))
    try:
        with other.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # a long job holds the write lock
            started = time.monotonic()
            user = verify_token(session, new.secret)
            waited = time.monotonic() - started
            conn.rollback()
    finally:
        other.dispose()
    assert user is not None and user.username == "ani"
    assert waited < 5  # a moment, not the 30 s a real write would wait
    session.expire_all()
    assert session.get(ApiToken, new.token.id).last_used_at is None
