"""Reports: predicate distribution and trends, missed indicators, overdue work; XLSX/CSV; the evaluation PDF."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/laporan")
