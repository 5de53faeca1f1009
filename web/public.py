"""Public pages (masyarakat): service feedback (IKM) per unit, reachable by link or QR code without login."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)
