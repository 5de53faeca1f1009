"""The HR audit screen under an audit key that is not the one that signed the log: it names the key, not an edit
of the first appraisal on the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine import keys


@pytest.fixture(autouse=True)
def _suite_keys_back() -> Iterator[None]:
    ring = keys.keyring()
    yield
    keys.use(ring)


def _wrong_key() -> None:
    ring = keys.keyring()
    keys.use(keys.KeyRing({ring.current_audit_key_id: b"n" * 40}, ring.current_audit_key_id, ring.respondent_secret))


def test_the_log_page_of_appraisal_events_names_the_key(login, run, session) -> None:
    client = login("hr")
    _wrong_key()
    page = client.get("/sdm/audit?jenis=create").get_data(as_text=True)
    assert "kemungkinan besar kunci itu bukan kunci yang menandatangani log" in page
    assert "diubah setelah dicatat" not in page


def test_verifying_the_units_chains_names_the_key(login, run, session) -> None:
    client = login("hr")
    _wrong_key()
    page = client.post("/sdm/audit/verifikasi", follow_redirects=True).get_data(as_text=True)
    assert "kemungkinan besar kunci itu bukan kunci yang menandatangani log" in page
    assert "diubah setelah dicatat" not in page
