"""The JSON API under /api/v1, described by the OpenAPI document at /api/v1/openapi.json, all on one
blueprint (:mod:`web.api.blueprint`)."""

from web.api import (  # noqa: F401  (their routes register on bp)
    appraisals,
    audit,
    checkpoints,
    cycles,
    development,
    jobs,
    meta,
    org,
    public,
    raters,
)
from web.api.blueprint import bp

__all__ = ["bp"]
