"""An API token acts as its person through the API. Each creation and revocation is in the system chain, and
verify holds every token row to it: a token written into the database with a secret the writer knows, moved to
another person, given a longer life or un-revoked, let someone act as that person while every hash held."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, insert, select, update

from engine.models import ApiToken, AuditEvent, utcnow
from engine.tokens import create_own_token, create_token, hash_secret, revoke_token, verify_token
from tests.support.forgery import forge, verified
from web.messages import finding_text


def test_creating_and_revoking_a_token_is_on_the_record_under_the_person_unit(session, org):
    own = create_own_token(session, org.actor("ani"), "skrip laporan", days=30)
    for_her = create_token(session, org.actor("hr"), org.users["ani"], "integrasi", days=None)
    revoke_token(session, org.actor("hr"), own.token.id)
    revoke_token(session, org.actor("hr"), own.token.id)  # twice: nothing more happens
    events = session.scalars(select(AuditEvent).where(AuditEvent.kind.in_(("token_create", "token_revoke")))
                             .order_by(AuditEvent.seq)).all()
    assert [(e.kind, e.actor_name, e.payload["token"], e.unit_id) for e in events] == [
        ("token_create", "ani", own.token.id, org.bidang.id), ("token_create", "hr", for_her.token.id, org.bidang.id),
        ("token_revoke", "hr", own.token.id, org.bidang.id)]
    # The secret itself is never recorded, only its SHA-256 (as the row keeps it).
    assert all(own.secret not in str(e.payload) and for_her.secret not in str(e.payload) for e in events)
    assert events[0].payload["token_hash"] == hash_secret(own.secret)
    assert verified(session) == (True, [])


def test_a_token_written_into_the_database_works_and_verify_names_it(session, org):
    secret = "sik_forged-secret-known-to-the-writer-0123456789"
    forge(session, insert(ApiToken.__table__).values(
        user_id=org.users["hr"].id, name="cadangan", prefix=secret[:12], token_hash=hash_secret(secret),
        created_at=utcnow(), expires_at=None))
    assert verify_token(session, secret).username == "hr"
    ok, problems = verified(session)
    assert not ok
    named = [p for p in problems if "API token #" in p and "of account hr was never recorded" in p]
    assert len(named) == 1, problems
    assert "Revoke it and create a new one" in named[0]
    assert "Cabut token itu dan buat yang baru" in finding_text(named[0], "id")

    # Revoking it through Siklus brings it on the record, revoked: the database verifies again.
    token_id = session.scalar(select(ApiToken.id))
    revoke_token(session, org.actor("hr"), token_id)
    assert verify_token(session, secret) is None
    assert verified(session) == (True, [])


def test_a_token_moved_prolonged_unrevoked_or_deleted_in_the_database_is_named(session, org):
    kept = create_own_token(session, org.actor("ani"), "skrip", days=30)
    ended = create_own_token(session, org.actor("budi"), "lama", days=30)
    revoke_token(session, org.actor("budi"), ended.token.id)
    gone = create_own_token(session, org.actor("budi"), "dihapus", days=30).token.id
    forge(session, update(ApiToken.__table__).where(ApiToken.id == kept.token.id).values(
        user_id=org.users["kadis"].id, expires_at=kept.token.expires_at + timedelta(days=3650)))
    forge(session, update(ApiToken.__table__).where(ApiToken.id == ended.token.id).values(revoked_at=None))
    forge(session, delete(ApiToken.__table__).where(ApiToken.id == gone))
    assert verify_token(session, ended.secret).username == "budi"
    ok, problems = verified(session)
    assert not ok
    differs = sorted(p.split(" in ", 1)[1].split(";")[0] for p in problems if "differs from what the system chain" in p)
    assert differs == ["when it expires", "whether it is revoked", "whose it is"]
    assert any(f"API token #{kept.token.id} of account kadis differs" in p for p in problems)
    assert any(f"records API token #{gone} of account budi, but the token is gone" in p for p in problems)
    revoked = next(p for p in problems if "whether it is revoked" in p)
    assert finding_text(revoked, "id").endswith("berbeda dari yang dicatat rantai sistem pada status pencabutannya; "
                                                 "token itu diubah di luar Siklus. Cabut token itu; pemiliknya "
                                                 "membuat yang baru")
    assert revoked.endswith("it was changed outside Siklus. Revoke it; its person creates a new one")


def test_a_token_renamed_or_given_another_creator_or_moment_is_named(session, org):
    """A person tells their tokens apart by name and prefix on the tokens page: a stolen token renamed to pass for
    one they keep is revoked in the wrong place. Who created a token, and when, are on the record too."""
    kept = create_own_token(session, org.actor("ani"), "skrip laporan", days=30)
    stolen = create_token(session, org.actor("hr"), org.users["ani"], "integrasi", days=30)
    assert verified(session) == (True, [])
    forge(session, update(ApiToken.__table__).where(ApiToken.id == stolen.token.id).values(
        name="skrip laporan", prefix=kept.token.prefix))
    forge(session, update(ApiToken.__table__).where(ApiToken.id == kept.token.id).values(
        created_by_id=org.users["hr"].id, created_at=kept.token.created_at - timedelta(days=40)))
    ok, problems = verified(session)
    assert not ok
    differs = sorted((p.split(" of account", 1)[0], p.split(" in ", 1)[1].split(";")[0])
                     for p in problems if "differs from what the system chain" in p)
    assert differs == [(f"API token #{kept.token.id}", "when it was created"),
                       (f"API token #{kept.token.id}", "who created it"),
                       (f"API token #{stolen.token.id}",
                        "its name or prefix (what tells it from the other tokens on the tokens page)")]
    label = next(p for p in problems if "its name or prefix" in p)
    assert "pada nama atau awalannya (yang membedakannya dari token lain di halaman token); token itu diubah di " \
        "luar Siklus" in finding_text(label, "id")
