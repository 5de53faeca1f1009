"""The appraisal screens (blueprint ``appraisals``): home, my team and bulk action (:mod:`.lists`), the
appraisal page with its forms (:mod:`.page`) and the feedback form on its own page (:mod:`.feedback`).

Each view parses input, calls one engine service and renders the result; the appraisal page renders
the read model :func:`engine.detail.appraisal_detail`, through :mod:`.present`.
"""

from web.appraisals import development, feedback, lists, nominations, page
from web.appraisals.common import bp

__all__ = ["bp", "development", "feedback", "lists", "nominations", "page"]
