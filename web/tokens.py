"""API token pages: a person's own tokens, and HR managing the tokens of people in their units."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("tokens", __name__, url_prefix="/token")
