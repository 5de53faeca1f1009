"""The appraisal read model: :func:`appraisal_detail` gives everything one person may see of one
appraisal, typed, with visibility applied once. The appraisal page, the printable evaluation document
and the API all render it.
"""

from engine.detail.build import appraisal_detail, detail_of, previewable
from engine.detail.model import (
    Action,
    AppealPart,
    AppealSides,
    AppraisalDetail,
    DevelopmentSection,
    FeedbackSection,
    HistoryEntry,
    RealisationEntry,
    ResultRow,
    SkpRow,
    StoredEvidence,
)

__all__ = ["Action", "AppealPart", "AppealSides", "AppraisalDetail", "DevelopmentSection", "FeedbackSection",
           "HistoryEntry", "RealisationEntry", "ResultRow", "SkpRow", "StoredEvidence", "appraisal_detail",
           "detail_of", "previewable"]
