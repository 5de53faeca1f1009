"""The appraisal read model: :func:`appraisal_detail` gives everything one person may see of one
appraisal, typed, with visibility applied once. The appraisal page, the printable evaluation document
and the API all render it.
"""

from engine.detail.build import appraisal_detail, detail_of, previewable
from engine.detail.guidance import irreversible
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
from engine.detail.next_steps import AddressedComment, Guidance, Missing, NextStep, StateDeadline

__all__ = ["Action", "AddressedComment", "AppealPart", "AppealSides", "AppraisalDetail", "DevelopmentSection",
           "FeedbackSection", "Guidance", "HistoryEntry", "Missing", "NextStep", "RealisationEntry", "ResultRow",
           "SkpRow", "StateDeadline", "StoredEvidence", "appraisal_detail", "detail_of", "irreversible",
           "previewable"]
