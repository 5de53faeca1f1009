"""Messages for people as codes with parameters (see :mod:`engine.messages.model` and docs/i18n.md).

Each area declares its codes in a module of this package (``TEXTS = {code: MessageText(id, en)}``),
listed in :mod:`engine.messages.registry`.
"""

from __future__ import annotations

from engine.messages.model import Label, Localized, Message, UnknownMessage, render
from engine.messages.text import MessageText

__all__ = ["Label", "Localized", "Message", "MessageText", "UnknownMessage", "render"]
