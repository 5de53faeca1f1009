"""Server secrets kept outside the database: the audit chain's HMAC keys and the respondent secret.

Someone who can write the database must not be able to forge the audit chain or re-identify an
anonymous 360 answer, so both secrets live in the environment or in files of the instance folder,
never in a table:

- ``SIKLUS_AUDIT_KEY``: the audit HMAC key (any text of at least 32 characters). Several keys for
  rotation: ``id1:key1,id2:key2``; the last one signs new events, every listed one verifies.
  Without it, ``<instance>/audit.key`` is read, or generated on first use (mode 0600).
- ``SIKLUS_RESPONDENT_SECRET``: the secret of anonymous respondent keys; without it,
  ``<instance>/respondent.key`` (generated the same way). It never rotates: a new secret would
  let a respondent answer a window twice.

A key file is generated only for a database that holds nothing signed with it: when the file is missing
but the database already holds audit events signed with the default key id (or keyed respondent keys), the
key was lost, and a new one would make every earlier event read as edited (or let a respondent answer an
anonymous window twice). :func:`load_keyring` then refuses (``setting.audit_key_lost``,
``setting.respondent_key_lost``); the caller says what the database holds (:mod:`engine.key_guard`).

The web app and the CLI call :func:`configure` with their instance folder and database; a library user who
does not, gets ``./instance`` (or ``SIKLUS_INSTANCE_PATH``), with no such check.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InvalidInput
from engine.messages import Message

MIN_KEY_LENGTH = 32
DEFAULT_KEY_ID = "k1"
#: The two key files, as :func:`load_keyring` asks whether the database holds data signed with one.
AUDIT, RESPONDENT = "audit", "respondent"
#: Per key file: the setting that replaces it and the message that refuses to make it again.
_LOST = {AUDIT: ("SIKLUS_AUDIT_KEY", "setting.audit_key_lost"),
         RESPONDENT: ("SIKLUS_RESPONDENT_SECRET", "setting.respondent_key_lost")}


class KeyError_(InvalidInput):
    """A configured key is unusable (too short, malformed, not text): the CLI and the server say which, in one
    line, and never repeat the key."""


@dataclass(frozen=True)
class KeyRing:
    """The audit keys by id (the newest signs) and the respondent secret."""

    audit_keys: Mapping[str, bytes]
    current_audit_key_id: str
    respondent_secret: bytes

    @property
    def audit_key(self) -> bytes:
        return self.audit_keys[self.current_audit_key_id]

    def audit_key_for(self, key_id: str | None) -> bytes | None:
        """The audit key with this id (None: the current one); None when it is not configured."""
        return self.audit_keys.get(key_id or self.current_audit_key_id)

    def respondent_key(self, *parts: object) -> str:
        """A keyed hash of ``parts`` that nobody without the secret can recompute from guessed ids."""
        message = "\x1f".join(str(p) for p in parts).encode("utf-8")
        return hmac.new(self.respondent_secret, message, hashlib.sha256).hexdigest()


def _read_or_create(path: Path, which: str, signed: Callable[[str], bool] | None) -> bytes:
    """The key in ``path``; a new one when the file is missing and ``signed`` (when given) says the database
    holds nothing signed with it, else :class:`KeyError_` naming the file and what to do."""
    if path.exists():
        try:
            value = path.read_text(encoding="utf-8").strip()
        except UnicodeDecodeError:
            raise KeyError_(f"{path}: the key is not UTF-8 text; restore the file from a backup",
                            msg=Message("setting.key_not_text", setting=str(path))) from None
    else:
        if signed is not None and signed(which):
            setting, code = _LOST[which]
            message = Message(code, file=str(path), setting=setting)
            raise KeyError_(message.english(), msg=message)
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_hex(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process starting beside this one wrote it first: use theirs
            return _read_or_create(path, which, None)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
    if len(value) < MIN_KEY_LENGTH:
        raise KeyError_(f"{path}: the key must be at least {MIN_KEY_LENGTH} characters",
                        msg=Message("setting.key_short", setting=str(path), limit=MIN_KEY_LENGTH))
    return value.encode("utf-8")


def _parse_audit_keys(text: str) -> tuple[dict[str, bytes], str]:
    keys: dict[str, bytes] = {}
    current = DEFAULT_KEY_ID
    entries = [e.strip() for e in text.split(",") if e.strip()]
    for entry in entries:
        key_id, sep, value = entry.partition(":")
        if not sep:
            key_id, value = DEFAULT_KEY_ID, entry
        key_id = key_id.strip()
        if not key_id or len(value) < MIN_KEY_LENGTH:
            raise KeyError_(f"SIKLUS_AUDIT_KEY: each key must be at least {MIN_KEY_LENGTH} characters",
                            msg=Message("setting.key_short", setting="SIKLUS_AUDIT_KEY", limit=MIN_KEY_LENGTH))
        keys[key_id] = value.encode("utf-8")
        current = key_id
    if not keys:
        raise KeyError_("SIKLUS_AUDIT_KEY is empty", msg=Message("setting.key_short", setting="SIKLUS_AUDIT_KEY",
                                                                 limit=MIN_KEY_LENGTH))
    return keys, current


def load_keyring(instance_path: str | Path, environ: Mapping[str, str] | None = None, *,
                 signed: Callable[[str], bool] | None = None) -> KeyRing:
    """Read the keys from the environment or the instance folder, creating a missing file.

    ``signed(AUDIT)`` / ``signed(RESPONDENT)``, asked only for a missing file, says whether the database
    already holds data signed with that file's key (:func:`engine.key_guard.signed_data`); when it does,
    the file is not made again but refused as lost (:class:`KeyError_`).
    """
    env = os.environ if environ is None else environ
    folder = Path(instance_path)
    if env.get("SIKLUS_AUDIT_KEY"):
        audit, current = _parse_audit_keys(env["SIKLUS_AUDIT_KEY"])
    else:
        audit, current = {DEFAULT_KEY_ID: _read_or_create(folder / "audit.key", AUDIT, signed)}, DEFAULT_KEY_ID
    if env.get("SIKLUS_RESPONDENT_SECRET"):
        respondent = env["SIKLUS_RESPONDENT_SECRET"].encode("utf-8")
        if len(respondent) < MIN_KEY_LENGTH:
            raise KeyError_(f"SIKLUS_RESPONDENT_SECRET must be at least {MIN_KEY_LENGTH} characters",
                            msg=Message("setting.key_short", setting="SIKLUS_RESPONDENT_SECRET",
                                        limit=MIN_KEY_LENGTH))
    else:
        respondent = _read_or_create(folder / "respondent.key", RESPONDENT, signed)
    return KeyRing(audit, current, respondent)


_lock = threading.Lock()
_configured: KeyRing | None = None


def configure(instance_path: str | Path, environ: Mapping[str, str] | None = None, *,
              signed: Callable[[str], bool] | None = None) -> KeyRing:
    """Load the keys for this process (the app factory, which every CLI command uses, calls this once);
    ``signed``: as :func:`load_keyring` takes it."""
    global _configured
    ring = load_keyring(instance_path, environ, signed=signed)
    with _lock:
        _configured = ring
    return ring


def use(ring: KeyRing) -> None:
    """Use ``ring`` for this process (tests)."""
    global _configured
    with _lock:
        _configured = ring


def keyring() -> KeyRing:
    """The process's keys; configured from ``SIKLUS_INSTANCE_PATH`` or ``./instance`` on first use."""
    global _configured
    ring = _configured
    if ring is None:
        with _lock:
            if _configured is None:
                _configured = load_keyring(os.environ.get("SIKLUS_INSTANCE_PATH", "instance"))
            ring = _configured
    return ring
