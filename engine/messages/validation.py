"""Problems of a cycle file, as the validator reports them at their line and column."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS: dict[str, T] = {
}
