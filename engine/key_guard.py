"""Whether the database already holds what a key file's key signed: the knowledge that keeps a lost key from being
made again (:func:`engine.keys.load_keyring`).

A missing ``instance/audit.key`` on a database whose events carry the default key id, or a missing
``instance/respondent.key`` on a database holding keyed respondent keys, is a key that was lost (a new host, a
database restored without its instance folder), not a first run: a new key would sign new events while
``siklus audit verify`` called every older one edited, and would let a respondent answer an anonymous window twice.
One ``EXISTS`` query per missing file, asked only when a file is missing; a database not migrated yet (or migrated
before the key existed) holds nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, exists, false, inspect, or_, select

from engine.keys import AUDIT, DEFAULT_KEY_ID, RESPONDENT
from engine.models import AuditCheckpoint, AuditEvent, FeedbackResponse


def _holds(engine: Engine, which: str) -> bool:
    if which == AUDIT:
        needed = {"audit_event": "key_id", "audit_checkpoint": "key_id"}
        query = select(or_(exists().where(AuditEvent.key_id == DEFAULT_KEY_ID),
                           exists().where(AuditCheckpoint.key_id == DEFAULT_KEY_ID)))
    elif which == RESPONDENT:
        # 360 answers and the public's answers alike carry a keyed respondent key (a legacy one is not keyed).
        needed = {"feedback_response": "legacy_key"}
        query = select(exists().where(FeedbackResponse.respondent_key.is_not(None),
                                      FeedbackResponse.legacy_key == false()))
    else:
        raise ValueError(which)
    with engine.connect() as connection:
        present = inspect(connection)
        for table, column in needed.items():
            # A first run before `siklus db upgrade`, or a schema older than the key (nothing signed with it yet,
            # and `siklus db upgrade` must run to add the column).
            if not present.has_table(table) or column not in {c["name"] for c in present.get_columns(table)}:
                return False
        return bool(connection.scalar(query))


def signed_data(engine: Engine) -> Callable[[str], bool]:
    """What :func:`engine.keys.load_keyring` asks before it makes a missing key file: does the database of
    ``engine`` hold data signed with that file's key (``AUDIT`` or ``RESPONDENT``)?"""
    return lambda which: _holds(engine, which)
