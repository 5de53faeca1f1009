"""HR screens (Sumber Daya Manusia): cycle definitions, launches, progress, calibration, the audit log,
organisation import, users and role grants. Every view here needs an HR or admin grant."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("hr", __name__, url_prefix="/sdm")

from web.hr import audit, cycles, people  # noqa: E402,F401  (routes register on bp)
