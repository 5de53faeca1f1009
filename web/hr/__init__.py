"""HR screens (Sumber Daya Manusia): cycle definitions, launches, progress, calibration, the organisation
predicate, the audit log, organisation import, users and role grants, all on one blueprint
(:mod:`web.hr.blueprint`)."""

from web.hr import audit, cycles, definitions, people, runs, unit_predicate  # noqa: F401  (their routes register on bp)
from web.hr.blueprint import AREAS, bp

__all__ = ["AREAS", "bp"]
