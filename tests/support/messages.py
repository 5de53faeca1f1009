"""What a person reads of an engine refusal, in both languages, as the screens and the CLI render it."""

from __future__ import annotations

from engine.errors import SiklusError
from web.messages import LANGUAGES, error_message


def said(exc: SiklusError) -> dict[str, str]:
    """The refusal's sentence in Indonesian and in English (its coded message, through the catalogues)."""
    return {lang: error_message(exc, lang) or "" for lang in LANGUAGES}
