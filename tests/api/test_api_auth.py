"""Who is calling: API tokens (stored hashed, revocable, expiring) or the browser session with CSRF;
and problem+json for every error under /api/v1."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from engine.models import ApiToken, utcnow
from engine.tokens import create_token, revoke_token

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
    expired = create_token(session, org.actor("ani"), org.users["ani"], "kedaluwarsa", days=1, now=utcnow() - timedelta(days=2))
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
    response = client.post("/api/v1/definitions/validate", json={"source": "id: x"}, headers={"X-CSRFToken": csrf_value})
    assert response.status_code == 403  # past CSRF: now the permission answers (ani is not HR)


def test_unknown_routes_and_methods_answer_problem_json_not_html(client, token, logins):
    missing = client.get("/api/v1/tidak-ada", headers=token("hr"))
    assert missing.status_code == 404 and missing.content_type == PROBLEM
    wrong = client.delete("/api/v1/appraisals", headers=token("hr"))
    assert wrong.status_code == 405 and wrong.content_type == PROBLEM and "GET" in wrong.headers["Allow"]
