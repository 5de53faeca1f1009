"""``siklus audit verify`` for API tokens: each token row against the system chain's ``token_create`` and
``token_revoke`` events (engine.tokens).

A token acts through the API as the person it belongs to: a row written into the database with the SHA-256 of a
secret the writer knows, one moved to another person, one whose expiry was pushed back or whose revocation was
lifted, let someone act as that person while every hash held. The events are replayed into the tokens they leave
standing, and each row that differs, or has no event, is named. So are the name and prefix its person tells their
tokens apart by on the tokens page (one renamed to pass for another is revoked in its place), and, where the
chain recorded its creation, who created it and when. Which tokens were used when (``last_used_at``) is a note,
not an authority, and is not compared. Lives below engine.audit, which calls it while walking the
system chain.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_findings import Finding, finding
from engine.messages import Message
from engine.models import ApiToken, User
from engine.moments import to_second, utc

KINDS = frozenset({"token_create", "token_revoke"})
#: What the chain says of a token: its person, the SHA-256 of its secret, when it expires (ISO to the second, None:
#: never) and whether it is revoked.
Recorded = tuple[Any, Any, str | None, bool]
_FIELDS = ("user", "secret", "expiry", "revoked")
#: How far a row's creation moment may be from its event's (taken in the same unit of work; one second, as the
#: other rows' moments).
SLACK_SECONDS = 1.0


@dataclass
class Tokens:
    """The tokens the system chain's events leave standing, replayed in order."""

    standing: dict[int, Recorded] = field(default_factory=dict)
    usernames: dict[int, str] = field(default_factory=dict)  # token id -> its person's user name, as recorded
    labels: dict[int, tuple[Any, Any]] = field(default_factory=dict)  # token id -> (name, prefix), as recorded
    made: dict[int, tuple[Any, Any]] = field(default_factory=dict)  # token id -> (creator, moment) of token_create

    def apply(self, kind: str, payload: Mapping[str, Any] | None, actor_user_id: Any = None,
              occurred_at: Any = None) -> None:
        """Take one event of :data:`KINDS` (by ``actor_user_id`` at ``occurred_at``): the token as it stands after
        it."""
        if kind not in KINDS or not isinstance(payload, Mapping) or not isinstance(payload.get("token"), int):
            return
        token = payload["token"]
        self.standing[token] = (payload.get("user_id"), payload.get("token_hash"), to_second(payload.get("expires_at")),
                                kind == "token_revoke" or bool(payload.get("revoked")))
        self.usernames[token] = str(payload.get("username") or f"#{payload.get('user_id')}")
        if "name" in payload and "prefix" in payload:
            self.labels[token] = (payload.get("name"), payload.get("prefix"))
        if kind == "token_create":
            self.made[token] = (actor_user_id, occurred_at)

    def differences(self, session: Session) -> Iterator[Finding]:
        """Each token row the chain does not leave standing as it is (field by field), each without an event, and
        each the chain recorded that is gone."""
        seen: set[int] = set()
        rows = session.execute(select(ApiToken.id, ApiToken.user_id, ApiToken.token_hash, ApiToken.expires_at,
                                      ApiToken.revoked_at, User.username, ApiToken.name, ApiToken.prefix,
                                      ApiToken.created_by_id, ApiToken.created_at)
                               .join(User, User.id == ApiToken.user_id).order_by(ApiToken.id))
        for token, user_id, token_hash, expires_at, revoked_at, username, label, prefix, creator, created in rows:
            seen.add(token)
            recorded = self.standing.get(token)
            if recorded is None:
                yield finding("audit.token_unchained", id=token, user=username)
                continue
            live = (user_id, token_hash, to_second(expires_at), revoked_at is not None)
            differs = [name for name, mine, theirs in zip(_FIELDS, live, recorded, strict=True) if mine != theirs]
            if token in self.labels and (label, prefix) != self.labels[token]:
                differs.append("label")
            if token in self.made:
                by, moment = self.made[token]
                if creator != by:
                    differs.append("creator")
                if not _near(created, moment):
                    differs.append("created")
            for name in differs:
                yield finding("audit.token_differs", id=token, user=username,
                              field=Message(f"audit.token_field.{name}"))
        for token in sorted(set(self.standing) - seen):
            yield finding("audit.token_gone", id=token, user=self.usernames.get(token, "?"))


def _near(stored: datetime | None, chained: Any) -> bool:
    """Whether a row's moment is its event's (taken in the same unit of work)."""
    try:
        return stored is not None and abs((utc(stored) - utc(chained)).total_seconds()) <= SLACK_SECONDS
    except (AttributeError, TypeError, ValueError):
        return False


__all__ = ["KINDS", "Tokens"]
