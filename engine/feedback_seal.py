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


def answer_seal(respondent_key: str | None, window: str, role: str | None, answers: Mapping[str, Any] | None,
                comment: str | None) -> str:
    """The seal of one stored answer (see the module's text)."""
    said = json.dumps(dict(answers or {}), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    text = "\x00".join((respondent_key or "", window, role or "", said, comment or ""))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class Seals:
    """The seals a chain says each window's stored answers carry, and the answers it recorded without one."""

    sealed: dict[str, Counter[str]] = field(default_factory=dict)
    unsealed: Counter[str] = field(default_factory=Counter)

    def apply(self, seq: int, payload: Mapping[str, Any]) -> Finding | None:
        """Take one ``feedback`` event: the answer it stores, in place of the one it replaces. A replaced answer
        whose seal the chain does not hold (and no unsealed answer it could be) was changed before it was
        replaced: named."""
        window = str(payload.get("window"))
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
            missing = sum((self.sealed[window] - live.get(window, Counter())).values())
            if missing:
                out.append(finding("audit.feedback_altered", window=window, count=missing))
        return out


__all__ = ["Seals", "answer_seal"]
