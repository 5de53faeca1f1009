"""The next steps of an appraisal as data: what happens next, who must do it, by when, what is missing, and
the comment addressed to the reader. Built by :mod:`engine.detail.guidance`; labels are
:class:`~engine.definition.Text` (both languages) and codes, never sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.definition import Text


@dataclass(frozen=True)
class Missing:
    """One thing still missing before the appraisal can move on, and who may supply it.

    ``kind`` is ``realisation`` (an IKI without a realisation: ``key``, ``position`` in the SKP, ``label``),
    ``skp`` (fewer IKI than the cycle asks: ``wanted``) or ``feedback`` (a window with ``answers`` of
    ``wanted``). ``roles`` are the cycle roles who may supply it; ``here`` whether they may in this state.
    """

    kind: str
    label: Text
    roles: tuple[str, ...]
    role_labels: tuple[Text, ...]
    here: bool = True
    key: str | None = None
    position: int | None = None
    answers: int = 0
    wanted: int = 0


@dataclass(frozen=True)
class NextStep:
    """A way out of the current state: the transition, who may take it (roles and the people holding them),
    until when, on what conditions, and whether the reader may take it now.

    ``irreversible`` marks a step nobody can take back (see :func:`irreversible`): screens ask for a
    confirmation first. ``automatic`` marks the step the state's deadline takes by itself when it passes.
    """

    trigger: str
    label: Text
    dest: str
    dest_label: Text
    roles: tuple[str, ...]
    role_labels: tuple[Text, ...]
    people: tuple[tuple[str, ...], ...]  # for each of ``roles``, the names of a few people holding it
    mine: bool
    closes_at: datetime | None
    conditions: tuple[Text, ...]
    asks: tuple[str, ...]
    irreversible: bool
    automatic: bool
    ask_keys: tuple[str, ...] = ()  # the payload keys of ``asks`` (the cycle's titles), to label them in English
    #: The roles the destination then waits for, when nobody holds any of them for this appraisal and no
    #: ``vacant`` clause there settles it (an appeal nobody can decide): empty otherwise.
    then_nobody: tuple[Text, ...] = ()


@dataclass(frozen=True)
class StateDeadline:
    """The current state's deadline: when it falls and what then happens (``remind``, ``escalate`` or
    ``fire``, with the label of the transition the system then takes)."""

    due_at: datetime
    then: str
    fires: Text | None = None
    trigger: str | None = None


@dataclass(frozen=True)
class AddressedComment:
    """The last comment written to the reader: the one that came with the step that brought the appraisal
    into its current state (a returned SKP's reason, an appeal, an appeal decision's grounds)."""

    text: str
    author: str
    role_label: Text | None
    transition_label: Text | None
    at: datetime


@dataclass(frozen=True)
class Guidance:
    """What happens next on one appraisal, as one person reads it."""

    final: bool
    closed: bool
    steps: tuple[NextStep, ...]
    missing: tuple[Missing, ...]
    deadline: StateDeadline | None
    comment: AddressedComment | None

    @property
    def mine(self) -> tuple[NextStep, ...]:
        """The steps the reader may take now."""
        return tuple(s for s in self.steps if s.mine)

    def as_json(self) -> dict[str, object]:
        """Plain data for the API: codes and both languages' labels, times as datetimes."""
        def text(value: Text | None) -> dict[str, str] | None:
            return value.as_dict() if value is not None else None
        return {
            "final": self.final, "closed": self.closed,
            "steps": [{"trigger": s.trigger, "label": text(s.label), "dest": s.dest, "dest_label": text(s.dest_label),
                       "roles": list(s.roles), "role_labels": [text(r) for r in s.role_labels],
                       "people": [list(p) for p in s.people], "mine": s.mine, "closes_at": s.closes_at,
                       "conditions": [text(c) for c in s.conditions], "asks": list(s.asks),
                       "irreversible": s.irreversible, "automatic": s.automatic} for s in self.steps],
            "missing": [{"kind": m.kind, "key": m.key, "position": m.position, "label": text(m.label),
                         "roles": list(m.roles), "role_labels": [text(r) for r in m.role_labels], "here": m.here,
                         "answers": m.answers, "wanted": m.wanted} for m in self.missing],
            "deadline": None if self.deadline is None else {
                "due_at": self.deadline.due_at, "then": self.deadline.then, "fires": self.deadline.trigger,
                "fires_label": text(self.deadline.fires)},
            "comment": None if self.comment is None else {
                "text": self.comment.text, "author": self.comment.author, "role_label": text(self.comment.role_label),
                "transition_label": text(self.comment.transition_label), "at": self.comment.at},
        }
