"""The built-in rules, registered through the ``siklus.rules`` entry point like any agency package."""

from __future__ import annotations

from rules.achievement import TargetAchievement
from rules.banding import Banding
from rules.base import Rule
from rules.behaviour360 import Behaviour360
from rules.calibration import Calibration
from rules.credit_points import CreditPoints
from rules.discipline import Discipline
from rules.expression_rule import ExpressionRule
from rules.feedback360 import Feedback360
from rules.ikm import Ikm
from rules.periodic import PeriodicRating
from rules.pp30 import Pp30Score
from rules.ratings import BehaviourRating, PredicateMatrix, WorkResultsRating
from rules.talent import TalentBox
from rules.training import TrainingRecommendation
from rules.trend import Trend
from rules.weighted import WeightedMean, WeightedSum

RULES: tuple[Rule, ...] = (
    TargetAchievement(),
    Banding(),
    WorkResultsRating(),
    BehaviourRating(),
    PredicateMatrix(),
    Pp30Score(),
    WeightedSum(),
    WeightedMean(),
    Feedback360(),
    Behaviour360(),
    Ikm(),
    Calibration(),
    CreditPoints(),
    TrainingRecommendation(),
    TalentBox(),
    Discipline(),
    ExpressionRule(),
    Trend(),
    PeriodicRating(),
)
