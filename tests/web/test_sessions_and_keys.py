"""No default secrets, sessions that end, and personal pages no cache keeps.

A session cookie signed with a published key must log nobody in; a cookie copied before logout or
before a password reset must be dead afterwards; ratings and PDFs carry ``Cache-Control: no-store``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient

from tests.support.factories import Org
from web import ConfigurationError, create_app, secret_key


def test_a_server_without_a_configured_key_generates_one_into_the_instance_folder_and_keeps_it(tmp_path: Path) -> None:
    first = secret_key(tmp_path, environ={})
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert secret_key(tmp_path, environ={}) == first
    assert secret_key(tmp_path / "other", environ={}) != first


@pytest.mark.parametrize("published", ["dev-only-change-me", "secret", "short-key"])
def test_a_published_or_short_key_is_refused(tmp_path: Path, published: str) -> None:
    with pytest.raises(ConfigurationError, match="SIKLUS_SECRET_KEY"):
        secret_key(tmp_path, environ={"SIKLUS_SECRET_KEY": published})


def test_the_app_refuses_to_start_with_the_old_development_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                               db_url: str) -> None:
    monkeypatch.setenv("SIKLUS_SECRET_KEY", "dev-only-change-me")
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError):
        create_app({"SQLALCHEMY_DATABASE_URI": db_url})


def test_the_app_without_a_key_starts_with_a_generated_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                           db_url: str) -> None:
    monkeypatch.delenv("SIKLUS_SECRET_KEY", raising=False)
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert app.config["SECRET_KEY"] != "dev-only-change-me"


def _cookie_signed_with(key: str, user_id: str) -> str:
    forger = Flask("forger")
    forger.secret_key = key
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    assert serializer is not None
    return serializer.dumps({"_user_id": user_id, "_fresh": True})


def test_a_cookie_forged_with_the_old_development_key_is_rejected(client: FlaskClient, logins: Org) -> None:
    admin = logins.users["admin"]
    for ident in (str(admin.id), f"{admin.id}.0"):
        client.set_cookie("siklus_session", _cookie_signed_with("dev-only-change-me", ident))
        response = client.get("/")
        assert response.status_code == 302
        assert "/masuk" in response.headers["Location"]


def _session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("siklus_session")
    assert cookie is not None
    return cookie.value


def test_a_copied_cookie_is_dead_after_logout(app: Flask, client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("ani")
    copied = _session_cookie(client)
    assert client.get("/").status_code == 200
    client.post("/keluar")
    thief = app.test_client()
    thief.set_cookie("siklus_session", copied)
    response = thief.get("/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_a_copied_cookie_is_dead_after_hr_resets_the_password(app: Flask, client: FlaskClient, login,  # type: ignore[no-untyped-def]
                                                              logins: Org, session) -> None:
    from engine.users import reset_password

    login("ani")
    copied = _session_cookie(client)
    reset_password(session, logins.actor("hr"), logins.users["ani"].id, "kata-sandi-baru-123")
    thief = app.test_client()
    thief.set_cookie("siklus_session", copied)
    response = thief.get("/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_personal_pages_and_api_answers_are_not_stored_by_any_cache(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    assert "no-store" not in client.get("/masuk").headers.get("Cache-Control", "")
    login("ani")
    home = client.get("/")
    assert home.status_code == 200
    assert home.headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/appraisals").headers["Cache-Control"] == "no-store"
    static = client.get("/static/siklus.css")
    if static.status_code == 200:
        assert "no-store" not in static.headers.get("Cache-Control", "")


def test_session_cookie_is_http_only_and_same_site(client: FlaskClient, logins: Org, password: str) -> None:
    response = client.post("/masuk", data={"username": "ani", "password": password})
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("siklus_session="))
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_cookies_are_secure_when_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_url: str) -> None:
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SIKLUS_SECURE_COOKIES", "1")
    assert create_app({"SQLALCHEMY_DATABASE_URI": db_url}).config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.delenv("SIKLUS_SECURE_COOKIES")
    monkeypatch.setenv("SIKLUS_BASE_URL", "https://kinerja.example.go.id")
    assert create_app({"SQLALCHEMY_DATABASE_URI": db_url}).config["SESSION_COOKIE_SECURE"] is True


def test_forwarded_headers_are_trusted_only_when_proxies_are_configured(monkeypatch: pytest.MonkeyPatch,
                                                                        tmp_path: Path, db_url: str) -> None:
    monkeypatch.setenv("SIKLUS_INSTANCE_PATH", str(tmp_path))
    seen: list[str | None] = []

    def remember(app: Flask) -> Flask:
        @app.get("/_addr")
        def addr() -> str:
            from flask import request

            seen.append(request.remote_addr)
            return "ok"
        return app

    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    remember(create_app({"SQLALCHEMY_DATABASE_URI": db_url})).test_client().get("/_addr", headers=forwarded)
    monkeypatch.setenv("SIKLUS_PROXY_HOPS", "1")
    remember(create_app({"SQLALCHEMY_DATABASE_URI": db_url})).test_client().get("/_addr", headers=forwarded)
    assert seen == ["127.0.0.1", "203.0.113.9"]
    monkeypatch.setenv("SIKLUS_PROXY_HOPS", "lots")
    with pytest.raises(ConfigurationError, match="SIKLUS_PROXY_HOPS"):
        create_app({"SQLALCHEMY_DATABASE_URI": db_url})


def test_the_eleventh_wrong_password_within_a_minute_is_refused_with_429(client: FlaskClient, logins: Org,
                                                                        password: str) -> None:
    for attempt in range(10):
        response = client.post("/masuk", data={"username": "ani", "password": f"salah-{attempt}"})
        assert response.status_code == 401
    refused = client.post("/masuk", data={"username": "ani", "password": "salah-lagi"})
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers
    # Even the right password waits: the account is not guessable by trying on.
    assert client.post("/masuk", data={"username": "ANI ", "password": password}).status_code == 429
    # Another account from the same address is not locked by ani's guesses alone.
    assert client.post("/masuk", data={"username": "budi", "password": password}).status_code == 302


def test_one_address_guessing_many_accounts_is_limited(client: FlaskClient, logins: Org) -> None:
    statuses = [client.post("/masuk", data={"username": f"tebakan{n}", "password": "x"}).status_code
                for n in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


def test_a_successful_login_is_not_counted(client: FlaskClient, logins: Org, password: str) -> None:
    for _ in range(12):
        assert client.post("/masuk", data={"username": "ani", "password": password}).status_code == 302
        client.post("/keluar")


def test_the_long_work_settings_the_deployment_guide_names_are_read_from_the_environment(
        db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """docs/deploy.md tells operators to set these in the environment: several hosts share the exports' folder, so
    a file one worker wrote is downloaded from any host. A value that is not a count is refused at start."""
    from web.jobs import bulk_inline_max, export_folder, launch_inline_max, verify_inline_max

    monkeypatch.setenv("SIKLUS_BULK_INLINE_MAX", "7")
    monkeypatch.setenv("SIKLUS_LAUNCH_INLINE_MAX", "500")
    monkeypatch.setenv("SIKLUS_VERIFY_INLINE_MAX", "1000")
    monkeypatch.setenv("SIKLUS_EXPORT_FOLDER", str(tmp_path / "bersama"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url})
    with app.app_context():
        assert (bulk_inline_max(), launch_inline_max(), verify_inline_max()) == (7, 500, 1000)
        assert export_folder() == tmp_path / "bersama"
    for bad in ("0", "-3", "banyak", "1e9", "123456789"):
        monkeypatch.setenv("SIKLUS_VERIFY_INLINE_MAX", bad)
        with pytest.raises(ConfigurationError, match="SIKLUS_VERIFY_INLINE_MAX must be a whole number"):
            create_app({"SQLALCHEMY_DATABASE_URI": db_url})
