"""Events are stored in the canonical text their hash is taken over, so ``audit verify`` hashes the stored
bytes without decoding them; events stored before (in ``json.dumps``'s text) still verify, ``siklus audit
canonicalise`` rewrites them without changing what is hashed, and a forged stored text is still named."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Text, cast, select, text, update

from engine.audit import bulk as bulk_module
from engine.audit import verify_all, verify_chain
from engine.audit.bulk import ChainReader
from engine.audit.canonical import canonicalise
from engine.audit.chain import canonical_json
from engine.models import AuditEvent
from tests.engine.test_audit import _closed

EVENTS = AuditEvent.__table__


def _stored(session) -> list[tuple[int, str, str]]:
    """Every event's id and its payload and results as the database keeps their text."""
    return [tuple(row) for row in session.execute(
        select(EVENTS.c.id, cast(EVENTS.c.payload, Text), cast(EVENTS.c.results, Text)).order_by(EVENTS.c.id))]


def _as_before(session) -> int:
    """Store every event's JSON as earlier versions did (``json.dumps``: keys unsorted, ``", "``, ASCII
    escapes), reversing each object's keys so the text differs from the canonical one; how many changed."""
    def unsorted(value):
        if isinstance(value, dict):
            return {key: unsorted(value[key]) for key in reversed(list(value))}
        if isinstance(value, list):
            return [unsorted(item) for item in value]
        return value

    changed = 0
    with session.bind.begin() as conn:
        for event_id, payload, results in _stored(session):
            old_payload, old_results = (json.dumps(unsorted(json.loads(t))) for t in (payload, results))
            if (old_payload, old_results) != (payload, results):
                changed += 1
            conn.execute(text("UPDATE audit_event SET payload = :p, results = :r WHERE id = :i").bindparams(
                p=old_payload, r=old_results, i=event_id) if conn.dialect.name == "sqlite" else
                text("UPDATE audit_event SET payload = CAST(:p AS JSON), results = CAST(:r AS JSON) WHERE id = :i")
                .bindparams(p=old_payload, r=old_results, i=event_id))
    session.expire_all()
    return changed


def test_every_event_is_stored_byte_for_byte_in_its_canonical_text(session, org, national):
    _closed(session, org, national)
    stored = _stored(session)
    assert len([p for _i, p, _r in stored if len(p) > 2]) > 10
    for _event_id, payload, results in stored:
        assert payload == canonical_json(json.loads(payload))
        assert results == canonical_json(json.loads(results))


def test_a_canonical_event_is_hashed_over_its_stored_text_without_re_encoding(session, org, national, monkeypatch):
    _closed(session, org, national)

    def never(value):
        raise AssertionError("a canonical event's JSON was re-encoded")

    monkeypatch.setattr(bulk_module, "canonical_json", never)
    with session.bind.connect() as conn:
        reader = ChainReader(conn)
        rows = [row for _aid, chain in reader.between(0, 10**9) for row in chain]
        events, sound = reader.events(rows)
    assert rows and all(sound)


def test_events_stored_before_and_after_both_verify_and_canonicalise_keeps_them_verified(
        session, org, national, db_url):
    _closed(session, org, national)
    changed = _as_before(session)
    assert changed > 5
    assert verify_chain(session).ok
    report = verify_all(db_url, workers=1, full=True, restart=True)
    assert report.ok, report.problems

    dry = canonicalise(session, dry_run=True, batch=7)
    assert dry.rewritten == changed
    assert canonicalise(session, batch=7).rewritten == changed
    assert canonicalise(session).rewritten == 0
    for _event_id, payload, results in _stored(session):
        assert (payload, results) == (canonical_json(json.loads(payload)), canonical_json(json.loads(results)))
    assert verify_chain(session).ok
    report = verify_all(db_url, workers=1, full=True, restart=True)
    assert report.ok, report.problems


@pytest.mark.parametrize("chain", ["appraisal", "system"])
@pytest.mark.parametrize("forge", ["a changed value", "an added member", "a member moved to the results"])
def test_a_forged_stored_text_is_named_by_the_fast_path_and_the_full_check(session, org, national, db_url, forge,
                                                                           chain):
    """In an appraisal's chain and in the system chain (read through the same fast path: it is long, an event per
    public survey answer), a stored text changed in any way is named."""
    aid = _closed(session, org, national)
    event_id, payload, results = next(row for row in _stored(session) if len(row[1]) > 2 and row[0] > 1
                                      and session.get(AuditEvent, row[0]).appraisal_id
                                      == (aid if chain == "appraisal" else None))
    value = json.loads(payload)
    key = sorted(value)[0]
    if forge == "a changed value":
        value[key] = "diubah"
        forged_payload, forged_results = canonical_json(value), results
    elif forge == "an added member":
        forged_payload, forged_results = canonical_json({**value, "zz": 1}), results
    else:
        moved = value.pop(key)
        forged_payload = canonical_json(value)
        forged_results = canonical_json({**json.loads(results), key: moved})
    with session.bind.begin() as conn:
        conn.execute(update(EVENTS).where(EVENTS.c.id == event_id).values(
            payload=json.loads(forged_payload), results=json.loads(forged_results)))
    session.expire_all()
    expected = f"event #{event_id} "
    for report in (verify_chain(session), verify_all(db_url, workers=1, full=True, restart=True)):
        assert not report.ok
        assert any(expected in p and "no longer matches its hash" in p for p in report.problems), report.problems


def test_a_stored_text_that_is_not_json_is_named_not_raised(tmp_path):
    """SQLite keeps any text in a JSON column: the fast path names such an event instead of failing."""
    from sqlalchemy import create_engine

    from engine import keys
    from engine.audit.chain import HASHED_FIELDS, event_hash
    from engine.audit.verify import check_link

    ring = keys.keyring()
    fields = {name: None for name in HASHED_FIELDS}
    fields.update(stream="appraisal:1", seq=1, kind="transition", actor_name="ani", appraisal_id=1, prev_hash="",
                  payload={"a": 1}, results={}, key_id=ring.current_audit_key_id)
    from datetime import datetime
    fields["occurred_at"] = datetime(2026, 12, 2, 7, 5, 6, 123456)
    fields["hash"] = event_hash(fields)
    # The payload's text runs on into what follows it in the canonical form: not JSON.
    forged = '{"a":1},"prev_hash":""'
    row = (7, "appraisal:1", 1, "2026-12-02 07:05:06.123456", "transition", None, "ani", None, 1, None, None,
           None, None, None, forged, "{}", "", fields["hash"], fields["key_id"])
    with create_engine("sqlite://").connect() as conn:
        events, sound = ChainReader(conn).events([row])
    assert sound == [False]
    assert "no longer matches its hash" in (check_link(events[0], 1, "") or "")


def test_the_stored_canonical_text_of_any_value_a_chain_holds_passes_without_re_encoding(monkeypatch):
    """Byte for byte over every kind of value (non-ASCII, escapes, big ints, floats): the canonical text as
    stored is the text the hash was taken over; a legacy text of the same content passes by re-encoding."""
    import random

    from sqlalchemy import create_engine

    from engine import keys
    from engine.audit.chain import HASHED_FIELDS, event_hash
    from tests.engine.test_audit_canonical import MOMENTS, STORED, _raw

    chance = random.Random(16)
    ring = keys.keyring()
    signed = []
    for _ in range(500):
        words = ["ani", "Kabupaten Gorontalo — ünïcode 日本 😀", 'a"b\\c\n']
        fields = {name: chance.choice(words) for name in HASHED_FIELDS}
        for name in ("actor_user_id", "appraisal_id", "employee_id", "unit_id", "role", "trigger"):
            fields[name] = None
        fields["seq"] = chance.choice([1, 2, 99999])
        fields["payload"] = chance.choice([v for v in STORED if isinstance(v, dict)] + [{"é": STORED}])
        fields["results"] = chance.choice([{}, {"r": chance.choice(STORED)}])
        fields["occurred_at"] = chance.choice([m for m in MOMENTS if m.year >= 1000])
        fields["key_id"] = ring.current_audit_key_id
        fields["hash"] = event_hash(fields)
        signed.append(fields)
    canonical_rows = []
    for fields in signed:
        row = list(_raw(fields))
        row[14], row[15] = canonical_json(fields["payload"]), canonical_json(fields["results"])
        canonical_rows.append(tuple(row))
    legacy_rows = [_raw(fields) for fields in signed]
    with create_engine("sqlite://").connect() as conn:
        reader = ChainReader(conn)
        assert reader.events(legacy_rows)[1] == [True] * len(signed)
        monkeypatch.setattr(bulk_module, "canonical_json", lambda value: "re-encoded")
        assert reader.events(canonical_rows)[1] == [True] * len(signed)


def test_siklus_audit_canonicalise_rewrites_the_old_text_once_and_the_log_still_verifies(
        runner, app, session, org, national, monkeypatch):
    from web.cli import cli

    _closed(session, org, national)
    changed = _as_before(session)

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    dry = invoke("audit", "canonicalise", "--dry-run")
    assert dry.exit_code == 0 and f"would rewrite the JSON text of {changed} of" in dry.output
    done = invoke("audit", "canonicalise")
    assert done.exit_code == 0 and f"rewrote the JSON text of {changed} of" in done.output
    monkeypatch.setenv("SIKLUS_LANG", "id")
    again = invoke("audit", "canonicalise")
    assert again.exit_code == 0 and "teks JSON 0 dari" in again.output
    monkeypatch.setenv("SIKLUS_LANG", "en")
    verified = invoke("audit", "verify", "--full")
    assert verified.exit_code == 0, verified.output
