"""Language: Bahasa Indonesia by default; English per user, per session, or by Accept-Language."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user

# The session key of the language a person was reading when they signed out: the signed-out pages go on in it.
SIGNED_OUT_LANGUAGE = "lang_signed_out"


def select_locale() -> str:
    """The language switched to in this session; else the signed-in account's own; else, signed out, the one read
    when signing out here; else the browser's best match (Bahasa Indonesia when none)."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    if getattr(current_user, "is_authenticated", False):
        if getattr(current_user, "locale", None) in languages:
            return current_user.locale
    elif (last := session.get(SIGNED_OUT_LANGUAGE)) in languages:
        return str(last)
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
