"""What rules see of an appraisal, and the computation of named results.

A rule input in a cycle file is a path into the appraisal (``data.penilaian.perilaku``,
``results.predikat``, ``indicators``, ``feedback.rekan``, ``unit.results.predikat``, ``unit.ikm``,
``feedback.umpan_balik_360.scores``, ``history.results.predikat_akhir``...).
:class:`Facts` resolves paths lazily, loading only what a computation asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from engine.checkpoints.series import ROOT as CHECKPOINTS_ROOT
from engine.checkpoints.series import CheckpointReader
from engine.complaint_store import verified_complaints
from engine.definition import CycleDefinition, IndicatorDef, ResultDef, Text
from engine.development.hours import jp_total
from engine.ikm_survey import ROLE as PUBLIC_SURVEY_ROLE
from engine.ikm_survey import WINDOW as PUBLIC_SURVEY_WINDOW
from engine.ikm_survey import survey, unit_ikm
from engine.models import (
    Appraisal,
    CycleRun,
    DevelopmentActivity,
    Employee,
    FeedbackResponse,
    Indicator,
    Realisation,
    Result,
)
from engine.provenance import system_source
from engine.resolvers import resolver_of
from engine.vocabulary import (
    DEVELOPMENT_FIGURES,
    EMPLOYEE_FIELDS,
    FEEDBACK_SCORE_PATHS,
    GUARD_NAMES,
    SCORES,
    SCORES_WITH_PUBLIC,
)
from engine.weak_points import weak_points
from rules import RuleError, RuleResult, get_rule, row_params_of

#: The rater role of the unit's public IKM survey answers in ``scores_with_public``.
PUBLIC_RATER_ROLE = "public"


@dataclass
class Computed:
    """A result computed in this unit of work, ready to store and to show."""

    name: str
    value: Any
    explanation: dict[str, str]
    missing: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, name: str, result: RuleResult) -> Computed:
        return cls(name, result.value, dict(result.explanation), list(result.missing), dict(result.details))

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "explanation": self.explanation}
        if self.missing:
            out["missing"] = self.missing
        if self.details:
            out["details"] = self.details
        return out


def _indicator_result_name(key: str) -> str:
    return f"iki.{key}"


# The reads every computation of an appraisal's results makes, built once (building a statement costs
# more than running it): the stored results, the employee's own IKI, each IKI's latest realisation.
# Plain tables, run on the session's connection after a flush (see Facts._read): what the ORM's own
# execution adds per statement is more than these small reads cost.
_RESULTS = Result.__table__
_INDICATORS = Indicator.__table__
_REALISATIONS = Realisation.__table__
_STORED_RESULTS = select(_RESULTS.c.name, _RESULTS.c.value).where(_RESULTS.c.appraisal_id == bindparam("appraisal_id"))
_OWN_INDICATORS = (
    select(_INDICATORS.c.key, _INDICATORS.c.label, _INDICATORS.c.rhk, _INDICATORS.c.target, _INDICATORS.c.unit,
           _INDICATORS.c.weight, _INDICATORS.c.aspect)
    .where(_INDICATORS.c.appraisal_id == bindparam("appraisal_id"))
    .order_by(_INDICATORS.c.position, _INDICATORS.c.id)
)
_LATEST = (
    select(_REALISATIONS.c.indicator_key, func.max(_REALISATIONS.c.id).label("last"))
    .where(_REALISATIONS.c.appraisal_id == bindparam("appraisal_id"))
    .group_by(_REALISATIONS.c.indicator_key)
    .subquery()
)
_LATEST_REALISATIONS = select(_REALISATIONS.c.indicator_key, _REALISATIONS.c.value).join(
    _LATEST, _REALISATIONS.c.id == _LATEST.c.last)


@dataclass
class Facts:
    """Lazy view of one appraisal for rules; ``data`` and ``payload`` may carry this firing's changes."""

    session: Session
    defn: CycleDefinition
    appraisal: Appraisal
    now: datetime
    data: dict[str, Any]
    payload: dict[str, Any] = field(default_factory=dict)
    computed: dict[str, Computed] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)

    # -- roots -------------------------------------------------------------------------------
    def _read(self, statement: Select[Any]) -> Any:
        """Rows of one of the reads built once, for this appraisal: on the session's connection, after
        flushing what the session holds (as the session's own execution would)."""
        self.session.flush()
        return self.session.connection().execute(statement, {"appraisal_id": self.appraisal.id})

    def _stored_results(self) -> dict[str, Any]:
        if "stored" not in self._cache:
            rows = self._read(_STORED_RESULTS) if self.appraisal.id is not None else []
            self._cache["stored"] = {name: value for name, value in rows}
        return self._cache["stored"]

    def result_value(self, name: str) -> Any:
        if name in self.computed:
            return self.computed[name].value
        return self._stored_results().get(name)

    def indicator_rows(self) -> list[dict[str, Any]]:
        """The appraisal's IKI: the cycle's fixed ones, then the employee's own from the SKP."""
        if "indicators" in self._cache:
            return self._cache["indicators"]
        realised = self._latest_realisations()
        rows: list[dict[str, Any]] = []
        for ind in self.defn.indicators:
            source = system_source(ind)
            # A value the system feeds is the only one: a typed row (from before the cycle said so) never counts.
            value = realised.get(ind.id) if source is None else self.resolve_inputs(
                {"realisation": ind.inputs["realisation"]}).get("realisation") if "realisation" in ind.inputs else None
            rows.append({
                "id": ind.id, "label": ind.label.id, "label_en": ind.label.en or ind.label.id,
                "target": ind.target, "unit": ind.unit, "weight": ind.weight, "aspect": ind.aspect,
                "realisation": value, "source": source, "_def": ind,
            })
        if self.defn.skp.employee_indicators and self.appraisal.id is not None:
            for n, own in enumerate(self._read(_OWN_INDICATORS), 1):
                rows.append({
                    "id": own.key, "name": f"IKI {n}", "label": own.label, "label_en": own.label, "rhk": own.rhk,
                    "target": own.target, "unit": own.unit, "weight": own.weight, "aspect": own.aspect,
                    "realisation": realised.get(own.key), "source": None, "_def": None,
                })
        self._cache["indicators"] = rows
        return rows

    def _latest_realisations(self) -> dict[str, float]:
        if self.appraisal.id is None:
            return {}
        rows = self._read(_LATEST_REALISATIONS)
        return {key: value for key, value in rows}

    def indicators_with_achievements(self) -> list[dict[str, Any]]:
        """Every IKI with its achievement computed by its rule (stored as result ``iki.<id>``)."""
        if "achievements" in self._cache:
            return self._cache["achievements"]
        out = []
        for row in self.indicator_rows():
            ind: IndicatorDef | None = row["_def"]
            if ind is not None:
                rule_name, params = ind.rule, dict(ind.params)
                inputs = {"realisation": row["realisation"], "target": row["target"]}
                inputs.update(self.resolve_inputs(ind.inputs))
            else:
                rule_name, params = self.defn.skp.rule, dict(self.defn.skp.params)
                inputs = {"realisation": row["realisation"], "target": row["target"]}
            with_row_params(rule_name, params, row)
            computed = self.evaluate(_indicator_result_name(row["id"]), rule_name, params, inputs)
            if row.get("source") is not None:
                # The stored achievement keeps the value the system fed it and from where (engine.provenance).
                computed.details = {**computed.details, "realisation": inputs.get("realisation"),
                                    "source": row["source"]}
            public = {k: v for k, v in row.items() if k != "_def"}
            public["achievement"] = computed.value
            out.append(public)
        self._cache["achievements"] = out
        return out

    def feedback(self, window_id: str) -> dict[str, list[dict[str, Any]]]:
        """Answers of one feedback window grouped by respondent role (public answers about the unit included)."""
        key = f"feedback.{window_id}"
        if key not in self._cache:
            by_role: dict[str, list[dict[str, Any]]] = {}
            stmt = select(FeedbackResponse.role, FeedbackResponse.answers).where(
                FeedbackResponse.window == window_id,
                (FeedbackResponse.appraisal_id == self.appraisal.id)
                | ((FeedbackResponse.appraisal_id.is_(None))
                   & (FeedbackResponse.unit_id == self.appraisal.employee.unit_id)),
            )
            for role, answers in self.session.execute(stmt):
                by_role.setdefault(role, []).append(answers)
            self._cache[key] = by_role
        return self._cache[key]

    def rater_role(self, cycle_role: str) -> str:
        """The ``feedback_360`` rater role of a cycle role: its resolver's name, a group role's own id
        (:meth:`engine.resolvers.Resolver.rater_role`)."""
        role = self.defn.roles.get(cycle_role)
        resolver = resolver_of(role) if role is not None else None
        if role is None or resolver is None:
            return cycle_role  # a role a later version dropped keeps its stored name
        return resolver.rater_role(role)

    def feedback_scores(self, window_id: str, with_public: bool = False) -> list[dict[str, Any]]:
        """One ``{role, score}`` per respondent of a window: score = the mean of their answers (exact Decimal).

        Roles are the rater roles of ``feedback_360`` (:meth:`rater_role`). A respondent who answered
        again counts once, with the latest answer. ``with_public`` adds every complete answer to the
        unit's public IKM survey given within the run's period as role ``public``, scored as the mean of
        its nine 1-4 answers; the mean of those scores is then the unit's IKM ÷ 25 (before the IKM is
        rounded to two decimals).
        """
        key = f"feedback.{window_id}.{SCORES_WITH_PUBLIC if with_public else SCORES}"
        if key in self._cache:
            return self._cache[key]
        unit_id = self.appraisal.employee.unit_id
        window_rows = (FeedbackResponse.window == window_id) & (
            (FeedbackResponse.appraisal_id == self.appraisal.id)
            | ((FeedbackResponse.appraisal_id.is_(None)) & (FeedbackResponse.unit_id == unit_id)))
        condition = window_rows
        run = self.appraisal.run
        if with_public and run is not None:
            condition = window_rows | (
                (FeedbackResponse.window == PUBLIC_SURVEY_WINDOW) & (FeedbackResponse.role == PUBLIC_SURVEY_ROLE)
                & FeedbackResponse.appraisal_id.is_(None) & (FeedbackResponse.unit_id == unit_id)
                & (FeedbackResponse.created_at >= run.period_start) & (FeedbackResponse.created_at <= run.period_end))
        stmt = select(FeedbackResponse.id, FeedbackResponse.window, FeedbackResponse.role,
                      FeedbackResponse.respondent_key, FeedbackResponse.answers
                      ).where(condition).order_by(FeedbackResponse.id)
        latest: dict[tuple[str, str], tuple[str, Decimal]] = {}
        public: list[tuple[str, Decimal]] = []
        for row_id, window, role, respondent, answers in self.session.execute(stmt):
            if window != window_id:  # the unit's public survey: every complete answer is one respondent
                given = [answers.get(k) for k in survey().keys] if isinstance(answers, Mapping) else []
                values = [v for v in given if type(v) is int and v in survey().scale]
                if values and len(values) == len(survey().keys):
                    public.append((PUBLIC_RATER_ROLE, Decimal(sum(values)) / Decimal(len(values))))
                continue
            numbers = [Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
                       for v in (answers.values() if isinstance(answers, Mapping) else [])
                       if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if numbers:
                # Later rows replace earlier ones of the same respondent (rows come in id order).
                latest[(role, respondent or f"#{row_id}")] = (self.rater_role(role),
                                                              sum(numbers) / Decimal(len(numbers)))
        scores = [{"role": role, "score": score} for role, score in [*latest.values(), *public]]
        self._cache[key] = scores
        return scores

    def history_results(self, name: str) -> list[dict[str, Any]]:
        """This employee's values of result ``name`` run by run in the same cycle, oldest first, ending with this run.

        Earlier runs are those of the same cycle id with an earlier period start, in any unit (one
        query); a run where the result has no value, and a closed appraisal (the employee left or
        moved on), are left out. The last item is this run's own
        value, ``None`` while the result is not computed yet (a rule then waits for it).
        """
        run = self.appraisal.run
        if run is None:
            return []
        key = f"history.{name}"
        if key not in self._cache:
            stmt = (
                select(CycleRun.period, Result.value)
                .join(Appraisal, Appraisal.id == Result.appraisal_id)
                .join(CycleRun, CycleRun.id == Appraisal.run_id)
                .where(Appraisal.employee_id == self.appraisal.employee_id, CycleRun.cycle_id == run.cycle_id,
                       CycleRun.period_start < run.period_start, Result.name == name, Result.value.is_not(None),
                       Appraisal.closed_at.is_(None))
                .order_by(CycleRun.period_start, CycleRun.id)
            )
            self._cache[key] = [{"period": period, "value": value}
                                for period, value in self.session.execute(stmt) if value is not None]
        # This run's value may be computed later in the same firing, so it is read each time.
        return [*self._cache[key], {"period": run.period, "value": self.result_value(name)}]

    def unit_results(self, name: str) -> list[Any]:
        """Values of result ``name`` for every open appraisal of the same run in the employee's unit."""
        key = f"unit.{name}"
        if key not in self._cache:
            stmt = (
                select(Result.value)
                .join(Appraisal, Appraisal.id == Result.appraisal_id)
                .join(Employee, Employee.id == Appraisal.employee_id)
                .where(Appraisal.run_id == self.appraisal.run_id, Employee.unit_id == self.appraisal.employee.unit_id,
                       Result.name == name, Result.value.is_not(None), Appraisal.closed_at.is_(None))
            )
            self._cache[key] = [v for (v,) in self.session.execute(stmt)]
        return self._cache[key]

    def unit_ikm(self) -> dict[str, Any]:
        """The public satisfaction index (IKM) of the employee's unit over the run's period.

        A mapping of value, grade and respondents.
        """
        if "unit.ikm" not in self._cache:
            run = self.appraisal.run
            found = unit_ikm(self.session, self.appraisal.employee.unit_id, run.period_start, run.period_end)
            self._cache["unit.ikm"] = {"value": found.ikm, "grade": found.grade, "performance": found.performance,
                                       "respondents": found.respondents}
        return self._cache["unit.ikm"]

    def verified_complaints(self) -> int | None:
        """Public complaints HR verified against the employee, received within the run's period."""
        run = self.appraisal.run
        if run is None or self.appraisal.employee_id is None:
            return None
        if "complaints.verified" not in self._cache:
            self._cache["complaints.verified"] = verified_complaints(
                self.session, self.appraisal.employee_id, run.period_start, run.period_end)
        return self._cache["complaints.verified"]

    def _complaints(self, parts: list[str]) -> Any:
        return self.verified_complaints() if parts == ["verified"] else None

    def jp_done(self) -> float:
        if self.appraisal.id is None:
            return 0.0
        total = self.session.execute(
            select(func.coalesce(func.sum(DevelopmentActivity.jp), 0.0)).where(
                DevelopmentActivity.appraisal_id == self.appraisal.id, DevelopmentActivity.status == "done"
            )
        ).scalar()
        return jp_total(total)

    def weak_points(self) -> list[str]:
        """BerAKHLAK values rated below expectation in any saved rating, and IKI under 100% achievement, each
        named as people know it (:func:`engine.weak_points.weak_points`)."""
        return weak_points(self.defn, self.data, self.indicators_with_achievements())

    def checkpoint_reader(self) -> CheckpointReader:
        """The appraisal's periodic checkpoints as rules read them (``checkpoints.triwulan[*]...``)."""
        if CHECKPOINTS_ROOT not in self._cache:
            self._cache[CHECKPOINTS_ROOT] = CheckpointReader(self.session, self.defn, self.appraisal, self.result_value)
        return self._cache[CHECKPOINTS_ROOT]

    def employee_facts(self) -> dict[str, Any]:
        """The appraised employee's fields a path can read (``employee.FIELD``)."""
        e = self.appraisal.employee
        return {name: getattr(e, name) for name in EMPLOYEE_FIELDS}

    # -- paths -------------------------------------------------------------------------------
    def resolve(self, path: str) -> Any:
        """The value at ``path``, or ``None`` when there is none yet (the roots: :mod:`engine.vocabulary`)."""
        head, _, rest = path.partition(".")
        root = ROOTS.get(head)
        return root(self, rest.split(".") if rest else []) if root is not None else None

    def _results(self, parts: list[str]) -> Any:
        if not parts:
            return {name: self.result_value(name) for name in self.defn.results}
        return walk_path(self.result_value(parts[0]), parts[1:])

    def _indicators(self, parts: list[str]) -> Any:
        rows = self.indicators_with_achievements()
        if not parts:
            return rows
        return walk_path(next((r for r in rows if r["id"] == parts[0]), None), parts[1:])

    def _feedback(self, parts: list[str]) -> Any:
        if len(parts) >= 2 and parts[1] in FEEDBACK_SCORE_PATHS:
            scores = self.feedback_scores(parts[0], with_public=parts[1] == SCORES_WITH_PUBLIC)
            return walk_path(scores, parts[2:])
        return walk_path(self.feedback(parts[0]), parts[1:]) if parts else None

    def _history(self, parts: list[str]) -> Any:
        return self.history_results(parts[1]) if len(parts) == 2 and parts[0] == "results" else None

    def _unit(self, parts: list[str]) -> Any:
        if len(parts) >= 2 and parts[0] == "results":
            return self.unit_results(parts[1])
        if parts and parts[0] == "ikm":
            return walk_path(self.unit_ikm(), parts[1:]) if len(parts) > 1 else self.unit_ikm().get("value")
        return None

    def _checkpoints(self, parts: list[str]) -> Any:
        return self.checkpoint_reader().resolve(parts)

    def _development(self, parts: list[str]) -> Any:
        figures = dict(zip(DEVELOPMENT_FIGURES, (self.jp_done, lambda: self.defn.jp_target), strict=True))
        return figures[parts[0]]() if parts and parts[0] in figures else None

    def days_in_state(self) -> int:
        """Whole days since the appraisal entered its current state."""
        return (self.now - self.appraisal.entered_at).days if self.appraisal.entered_at else 0

    def resolve_inputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Resolve an input mapping on the appraisal's rows (see :func:`resolve_inputs`)."""
        return resolve_inputs(inputs, self.resolve)

    # -- computation -------------------------------------------------------------------------
    def evaluate(self, name: str, rule_name: str, params: Mapping[str, Any], inputs: Mapping[str, Any]) -> Computed:
        rule = get_rule(rule_name)
        present = {k: v for k, v in inputs.items() if v is not None}
        try:
            outcome = Computed.of(name, rule.evaluate(params, present))
        except RuleError as exc:
            # The rule's own sentence is English (details and the English text keep it); the Indonesian names
            # the input by the rule's description of it, not in the other language.
            message = str(exc)
            spec = rule.inputs_for(params).get(exc.input) if exc.input else None
            what = spec.description.get("id") if spec is not None else None
            said = f"{what} tidak sah" if what else "isiannya tidak sah"
            outcome = Computed(name, None,
                               {"id": f"Tidak dapat dihitung: {said}.", "en": f"Cannot be computed: {message}"},
                               missing=[], details={"error": message})
        self.computed[name] = outcome
        return outcome

    def compute(self, name: str) -> Computed:
        """Compute the named result of the cycle with its rule."""
        spec: ResultDef = self.defn.results[name]
        return self.evaluate(name, spec.rule, spec.params, self.resolve_inputs(spec.inputs))

    def refresh(self, names: Iterable[str], *, indicators: bool = False) -> None:
        """Recompute, in the order given, those of ``names`` already computed for this appraisal.

        A result computed before (stored) or earlier in this unit of work is computed again from
        the current inputs; one not computed yet stays absent. ``indicators`` also recomputes the
        stored achievements of the IKI (``iki.<id>``) when their realisations or targets changed.
        """
        stored = self._stored_results()
        for name in names:
            if name in self.computed or name in stored:
                self.compute(name)
        if indicators and "achievements" not in self._cache and any(name.startswith("iki.") for name in stored):
            self.indicators_with_achievements()

    def guard_namespace(self, names: frozenset[str]) -> dict[str, Any]:
        """Values for the names a guard expression uses."""
        out: dict[str, Any] = {}
        for n in names:
            if n in self.defn.results:
                out[n] = self.result_value(n)
            elif n in GUARD_NAMES:
                out[n] = self.resolve(n)
            else:
                out[n] = self.data.get(n)
        return out


def _walked(value: Callable[[Facts], Any]) -> Callable[[Facts, list[str]], Any]:
    """A root whose value is one object that the rest of the path walks into."""
    return lambda facts, parts: walk_path(value(facts), parts)


#: How each input root of :mod:`engine.vocabulary` is resolved (``tests/engine/test_vocabulary.py``
#: keeps the two in step).
ROOTS: dict[str, Callable[[Facts, list[str]], Any]] = {
    "data": _walked(lambda facts: facts.data),
    "results": Facts._results,
    "indicators": Facts._indicators,
    "feedback": Facts._feedback,
    "employee": _walked(Facts.employee_facts),
    "payload": _walked(lambda facts: facts.payload),
    "unit": Facts._unit,
    "development": Facts._development,
    "complaints": Facts._complaints,
    "weak_points": _walked(Facts.weak_points),
    "indicator_count": _walked(lambda facts: len(facts.indicator_rows())),
    "history": Facts._history,
    "checkpoints": Facts._checkpoints,
    "days_in_state": _walked(Facts.days_in_state),
}


def resolve_inputs(inputs: Mapping[str, Any], resolve: Callable[[str], Any]) -> dict[str, Any]:
    """A rule's input mapping with values: a constant as it is, a path by ``resolve``, a list of paths by the
    first with a value; an input without one is left out."""
    out: dict[str, Any] = {}
    for name, spec in inputs.items():
        if isinstance(spec, (int, float, bool)):
            out[name] = spec
            continue
        value = None
        for path in spec if isinstance(spec, list) else [spec]:
            value = resolve(path)
            if value is not None:
                break
        if value is not None:
            out[name] = value
    return out


def with_row_params(rule_name: str, params: dict[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with what an achievement rule takes from the indicator's own row (the RHK aspect), unless the
    cycle sets it."""
    for key in row_params_of(rule_name):
        if row.get(key) and key not in params:
            params[key] = row[key]
    return params


def walk_path(value: Any, parts: list[str]) -> Any:
    """The value ``parts`` name inside ``value`` (mapping keys, list positions), or None where there is none."""
    for part in parts:
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isascii() and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
        if value is None:
            return None
    return value


def waiting_message(name: str, label: Text, computed: Computed) -> dict[str, str]:
    """A person-readable 'waiting for ...' naming what a result still needs."""
    what = ", ".join(computed.missing) or "-"
    return {
        "id": f"{label.id} belum dapat dihitung; menunggu: {what}",
        "en": f"{label.en or label.id} cannot be computed yet; waiting for: {what}",
    }
