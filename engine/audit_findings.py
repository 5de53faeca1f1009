"""A problem verification found: its English sentence, and the message it is said in for a person.

Verification reports problems as :class:`Finding` values. A finding *is* its English sentence (a
``str``: logs, scripts and the exit output of ``siklus audit verify`` read it as before) and carries
its :class:`~engine.messages.Message`, which the HR audit screen and the CLI's ``--lang id`` render in
Bahasa Indonesia. Findings travel from worker processes to the coordinator by pickle like strings.
"""

from __future__ import annotations

from typing import Any

from engine.messages import Message


class Finding(str):
    """A problem's English sentence, with the :class:`Message` it renders from (``message``)."""

    message: Message


def finding(code: str, /, **params: Any) -> Finding:
    """The finding of message ``code``; a parameter that is not a message or a text is written as ``str()``
    writes it (ids and counts stay plain: no thousands separators in an event number)."""
    shown = {name: value if isinstance(value, (Message, str)) else str(value) for name, value in params.items()}
    message = Message(code, **shown)
    out = Finding(message.english())
    out.message = message
    return out


def said_of(label: Message | str, problem: str) -> Finding:
    """``problem`` (a finding, or a plain sentence) said of ``label``: ``appraisal #5: ...``."""
    return finding("audit.of", label=label, problem=message_of(problem))


def message_of(problem: str) -> Message | str:
    """The message a finding renders from, or the plain text of a sentence that has none."""
    message = getattr(problem, "message", None)
    return message if isinstance(message, Message) else str(problem)


def stream_label(stream: str) -> Message:
    """A stream as a problem names it: ``appraisal #5``, ``the system chain``."""
    if stream.startswith("appraisal:"):
        return Message("audit.stream_appraisal", id=stream.split(":", 1)[1])
    if stream == "system":
        return Message("audit.system_chain")
    return Message("audit.stream_other", stream=stream)


def appraisal_label(appraisal_id: int) -> Message:
    """An appraisal as a problem names it."""
    return Message("audit.stream_appraisal", id=str(appraisal_id))


__all__ = ["Finding", "appraisal_label", "finding", "message_of", "said_of", "stream_label"]
