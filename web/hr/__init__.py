"""HR screens (Sumber Daya Manusia): cycle definitions, launches, progress, calibration, the organisation
predicate, the audit log, organisation import, users and role grants, the raters of top officials, public
complaints, talent and development, all on one blueprint (:mod:`web.hr.blueprint`)."""

from web.hr import (  # noqa: F401  (their routes register on bp)
    audit,
    complaints,
    cycles,
    definitions,
    people,
    raters,
    runs,
    talent,
    unit_predicate,
)
from web.hr.blueprint import AREAS, bp

__all__ = ["AREAS", "bp"]
