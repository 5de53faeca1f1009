"""Messages for people as codes with parameters (see :mod:`engine.messages.model` and docs/i18n.md).

Each area declares its codes in a module of this package (``TEXTS = {code: MessageText(id, en)}``),
listed in :mod:`engine.messages.registry`.
"""

from __future__ import annotations

from engine.messages.model import Bilingual, Label, Localized, Message, UnknownMessage, joined, one_of, render
from engine.messages.text import MessageText

__all__ = ["Bilingual", "Label", "Localized", "Message", "MessageText", "UnknownMessage", "joined", "one_of", "render"]
