"""What the audit chain proves of each 360 answer: a seal over what it says, recorded with its event.

An anonymous window's event names neither who answered nor what (the history would otherwise reveal the answer),
so the chain used to prove only how many answers each window has: an answer's scores, comment or respondent role
rewritten in the database moved the behaviour rating computed from them at the next ``rate`` while every hash
held. Each ``feedback`` event now records a seal of the answer it stores (``seal``) and, when it replaces the
respondent's earlier answer, that answer's seal (``replaces``). A seal is 32 hex digits of the SHA-256 of the
answer's respondent key (a keyed hash only the server can make, so a seal cannot be tried against guessed
answers), window, role, scores and comment.

Replay keeps the seals each window's answers should have; verify names a window whose stored answers do not
carry them all. Answers recorded before seals are counted, as before, and not judged. This module imports no
part of the engine's audit code (replay imports it).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.audit_findings import Finding, finding
from engine.keys import keyring

#: The purpose the server's respondent secret is keyed with for 360 answers.
KEY_PURPOSE = "feedback"
#: What a stored answer's seal is given as :func:`live_seal` reads it: the answer names the respondent whose key it
#: carries (a named window's answers), or names one whose key it does not carry.
NAMED, MISNAMED = "@", "!"


def legacy_respondent_key(window_id: str, appraisal_id: int, user_id: int | None) -> str:
    """The unkeyed digest that releases before the respondent secret stored as the key (re-identifiable)."""
    return hashlib.sha256(f"{window_id}:{appraisal_id}:{user_id}".encode()).hexdigest()


def keyed_respondent_key(legacy_key: str) -> str:
    """The stored key for a legacy digest: an HMAC with the server's respondent secret.

    Keying the old digest (rather than the ids again) lets ``siklus feedback rekey`` upgrade a stored
    legacy key in place, without trying user ids; without the secret nobody can go the other way.
    """
    return keyring().respondent_key(KEY_PURPOSE, legacy_key)


def answer_seal(respondent_key: str | None, window: str, role: str | None, answers: Mapping[str, Any] | None,
                comment: str | None) -> str:
    """The seal of one stored answer (see the module's text)."""
    said = json.dumps(dict(answers or {}), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    text = "\x00".join((respondent_key or "", window, role or "", said, comment or ""))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def live_seal(respondent_key: str | None, window: str, role: str | None, answers: Mapping[str, Any] | None,
              comment: str | None, appraisal_id: int, user_id: int | None, legacy: bool | None) -> str:
    """The seal of a stored answer as verify compares it: :func:`answer_seal`, and where the row names its
    respondent (a named window shows who said what), whether that is the person whose key it carries (a name
    rewritten in the database would lay the answer at another's door); the name of a respondent is compared only
    in a window the chain records as named, so no answer of an anonymous window can be tried against a guess."""
    seal = answer_seal(respondent_key, window, role, answers, comment)
    if user_id is None:
        return seal
    expected = legacy_respondent_key(window, appraisal_id, user_id)
    if not legacy:
        expected = keyed_respondent_key(expected)
    return seal + (NAMED if respondent_key == expected else MISNAMED)


@dataclass
class Seals:
    """The seals a chain says each window's stored answers carry, and the answers it recorded without one."""

    sealed: dict[str, Counter[str]] = field(default_factory=dict)
    unsealed: Counter[str] = field(default_factory=Counter)
    named: set[str] = field(default_factory=set)  # windows whose events name who answered, and what
    # (window, seal) -> the moment of the last event that stored that answer in a named window: when the employee
    # reads it was given (the answer's ``created_at``). An anonymous window's answers show no moment: none kept.
    given_at: dict[tuple[str, str], Any] = field(default_factory=dict)

    def apply(self, seq: int, payload: Mapping[str, Any], at: Any = None) -> Finding | None:
        """Take one ``feedback`` event (recorded at ``at``): the answer it stores, in place of the one it
        replaces. A replaced answer whose seal the chain does not hold (and no unsealed answer it could be) was
        changed before it was replaced: named."""
        window = str(payload.get("window"))
        if "answers" in payload:
            self.named.add(window)
            if at is not None and isinstance(payload.get("seal"), str):
                self.given_at[(window, payload["seal"])] = at
        problem = None
        if payload.get("replaced"):
            old, held = payload.get("replaces"), self.sealed.get(window)
            if isinstance(old, str) and held is not None and held[old] > 0:
                held[old] -= 1
            elif self.unsealed[window] > 0:
                self.unsealed[window] -= 1
            else:
                problem = finding("audit.feedback_replaced_altered", seq=seq, window=window)
        seal = payload.get("seal")
        if isinstance(seal, str):
            self.sealed.setdefault(window, Counter())[seal] += 1
        else:
            self.unsealed[window] += 1
        return problem

    def differences(self, live: Mapping[str, Counter[str]]) -> list[Finding]:
        """Each window some of whose sealed answers are not stored as recorded (changed or deleted)."""
        out = []
        for window in sorted(self.sealed):
            # A named window's answers name their respondent (NAMED); an anonymous window's name no one.
            sealed = (Counter({seal + NAMED: n for seal, n in self.sealed[window].items()}) if window in self.named
                      else self.sealed[window])
            missing = sum((sealed - live.get(window, Counter())).values())
            if missing:
                out.append(finding("audit.feedback_altered", window=window, count=missing))
        return out


__all__ = ["KEY_PURPOSE", "Seals", "answer_seal", "keyed_respondent_key", "legacy_respondent_key", "live_seal"]
