"""HR screens: audit."""

from __future__ import annotations

from web.hr import bp  # noqa: F401
