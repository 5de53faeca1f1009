"""How much of the system chain a page that shows some of its events walks (the audit log, web.hr.audit).

The system chain gets an event for every public survey answer, HR grant, import and setup record of the whole
organisation, so an agency's HR page showing its own launch of last January would, walking from there to the
head, read what the whole country recorded since. A page walks from its oldest system event to the head (and
the signed checkpoint) only while that is at most :data:`SYSTEM_WALK` events; past that it walks each run of the
events it shows, from the event before the run to the event after it: every shown event's keyed hash holds and
it stands where the chain put it. The rest of the chain is the whole check's (the page's button, ``siklus audit
verify``), and the page says so.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit.chain import SYSTEM_STREAM
from engine.audit.writer import EVENTS

#: The most events a page walks from its oldest system event to the head.
SYSTEM_WALK = 500
#: Shown events this close (in seq) are walked as one run, the events between them included.
RUN_GAP = 20


@dataclass(frozen=True)
class SystemWalk:
    """What a page walks of the system chain: each (first, last) seq range of ``runs``, from the event before it to
    the event after it; ``to_head``: one run, from the page's oldest system event to the head (as the check reads it,
    which may be past what this walk was made with)."""

    runs: tuple[tuple[int, int], ...]
    to_head: bool

    @property
    def start(self) -> int:
        """The page's oldest system event."""
        return self.runs[0][0]


def system_walk(session: Session, shown: Collection[int]) -> SystemWalk | None:
    """The walk for a page showing the system events of seq ``shown``; None when it shows none."""
    seqs = sorted(set(shown))
    if not seqs:
        return None
    head = session.scalar(select(func.max(EVENTS.c.seq)).where(EVENTS.c.stream == SYSTEM_STREAM)) or seqs[-1]
    if head - seqs[0] < SYSTEM_WALK:
        return SystemWalk(((seqs[0], max(head, seqs[-1])),), True)
    runs: list[tuple[int, int]] = []
    low = high = seqs[0]
    for seq in seqs[1:]:
        if seq - high > RUN_GAP:
            runs.append((low, high))
            low = seq
        high = seq
    runs.append((low, high))
    return SystemWalk(tuple(runs), False)


__all__ = ["RUN_GAP", "SYSTEM_WALK", "SystemWalk", "system_walk"]
