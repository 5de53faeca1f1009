"""The two texts of one message code: the Indonesian template (the gettext msgid) and its English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageText:
    """A message's templates, with ``%(name)s`` placeholders for its parameters.

    ``id`` is Bahasa Indonesia, the catalogue's msgid; ``en`` is its English translation, which the
    catalogue build (``web/translations/merge.py``) writes into the English catalogue.
    """

    id: str
    en: str
