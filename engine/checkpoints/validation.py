"""What ``siklus validate`` checks of a cycle's ``checkpoints:`` section and of ``checkpoints.*`` input paths.

Each problem is reported at the line of the key it is about: a checkpoint that cannot fall inside
the cycle's period (a quarter in a monthly cycle, an explicit date in a cycle that is not annual, a
date no year has), dates out of order, unknown states and roles, periodic results with unknown
rules, bad parameters or input paths that read nothing, malformed deadlines. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from engine.durations import DurationError, parse_duration
from engine.messages import Message
from engine.rule_problems import param_message, unknown_rule_message
from engine.vocabulary import CHECKPOINT_PARTS, CHECKPOINT_SERIES_PARTS
from engine.vocabulary import parse_checkpoint_selector as parse_selector
from rules import RuleError, UnknownRuleError, all_rules, get_rule
from rules.base import format_path

Path = tuple[Any, ...]
#: ``report(path, english, msg=Message(...))``: where, the English sentence, the coded message.
Report = Callable[..., None]

#: How many months each period kind and checkpoint kind spans.
MONTHS = {"monthly": 1, "quarterly": 3, "semester": 6, "annual": 12}
ROLE_SECTIONS = ("report", "feedback", "rating", "self_assessment")


def _series(data: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    items = data.get("checkpoints")
    return [(i, c) for i, c in enumerate(items) if isinstance(c, Mapping)] if isinstance(items, list) else []


def _names(mapping: Any) -> list[str]:
    return [k for k in mapping if isinstance(k, str)] if isinstance(mapping, Mapping) else []


def check_checkpoints(data: Mapping[str, Any], report: Report, input_roots: Sequence[str],
                      check_input_path: Callable[[Path, str], None]) -> None:
    """Report every problem of the ``checkpoints:`` section; ``check_input_path`` checks an ordinary path."""
    period = data.get("period")
    states = _names(data.get("states"))
    roles = _names(data.get("roles"))
    seen: set[str] = set()
    for i, series in _series(data):
        base: Path = ("checkpoints", i)
        sid = series.get("id")
        if isinstance(sid, str):
            if sid in seen:
                report(base + ("id",), f"checkpoint series '{sid}' is declared twice",
                       msg=Message("cycle.series_twice", series=sid))
            seen.add(sid)
        every = series.get("every")
        if isinstance(every, str) and every in MONTHS and period in MONTHS and MONTHS[every] > MONTHS[period]:
            report(base + ("every",), f"a {every} checkpoint does not fit inside a {period} period: every run of "
                                      f"this cycle is one {period.removesuffix('ly')} long; use a shorter series "
                                      "or a longer period",
                   msg=Message("cycle.series_too_long", every=Message(f"cycle.every.{every}"),
                               period=Message(f"cycle.every.{period}")))
        _check_dates(series, base, period, report)
        listed = series.get("states")
        for k, state in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(state, str) and states and state not in states:
                report(base + ("states", k), f"unknown state '{state}' in checkpoint series '{sid}'; the states "
                                             f"are {', '.join(states)}",
                       msg=Message("cycle.series_state", state=state, series=str(sid), known=states))
        for section in ROLE_SECTIONS:
            part = series.get(section)
            listed = part.get("roles") if isinstance(part, Mapping) else None
            for k, role in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(role, str) and roles and role not in roles:
                    report(base + (section, "roles", k), f"unknown role '{role}' in the {section} of checkpoint "
                                                         f"series '{sid}'; the roles are {', '.join(roles)}",
                           msg=Message("cycle.series_role", role=role, section=section, series=str(sid),
                                       known=roles))
        deadline = series.get("deadline")
        for key in ("report", "rating"):
            value = deadline.get(key) if isinstance(deadline, Mapping) else None
            if isinstance(value, str):
                try:
                    parse_duration(value)
                except DurationError as exc:
                    report(base + ("deadline", key), str(exc), msg=Message("cycle.duration", value=value))
        _check_results(series, base, report, input_roots, check_input_path)
        _check_targets(series, base, data, report)


#: The IKI a period's share of the target fits: counted up over the year, more is better.
SPLIT_RULE = "target_achievement"


def _split_problem(rule: Any, params: Any) -> str | None:
    """Why an IKI's target cannot be split over the periods (None when it can)."""
    if rule != SPLIT_RULE:
        return f"rule '{rule}'"
    direction = params.get("direction", "higher") if isinstance(params, Mapping) else "higher"
    return None if direction == "higher" else f"direction '{direction}'"


def _check_targets(series: Mapping[str, Any], base: Path, data: Mapping[str, Any], report: Report) -> None:
    """A split of the targets (``even``, ``cumulative``) needs realisations per checkpoint and IKI counted up over
    the year: a lower-is-better or range IKI (a response time, a satisfaction rate) keeps its target every period,
    which a series-wide split cannot say (engine.checkpoints.targets)."""
    split = series.get("targets")
    if split in (None, "annual") or not isinstance(split, str):
        return
    sid = str(series.get("id"))
    if not series.get("realisation"):
        report(base + ("targets",), f"checkpoint series '{sid}' splits the targets ({split}) but takes no "
                                    "realisations; add realisation: true or drop targets",
               msg=Message("cycle.targets_no_realisation", series=sid, split=split))
    skp = data.get("skp") if isinstance(data.get("skp"), Mapping) else {}
    assert isinstance(skp, Mapping)
    found: list[tuple[str, str]] = []
    if skp.get("employee_indicators"):
        problem = _split_problem(skp.get("rule", SPLIT_RULE), skp.get("params"))
        if problem:
            found.append(("skp", problem))
    items = data.get("indicators")
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping):
            fed = item.get("inputs")
            # A value the system feeds or computes (a complaint count, a survey score) is no realisation recorded
            # per period: shared out, it would set the year's value against a part of the year's target.
            problem = _split_problem(item.get("rule", SPLIT_RULE), item.get("params")) or (
                f"inputs '{', '.join(str(k) for k in fed)}'" if isinstance(fed, Mapping) and fed else None)
            if problem:
                found.append((str(item.get("id")), problem))
    for iki, problem in found:
        report(base + ("targets",), f"checkpoint series '{sid}' splits the targets ({split}), but IKI '{iki}' "
                                    f"({problem}) is not counted up over the year: its target cannot be shared "
                                    "out over the periods; use targets: annual",
               msg=Message("cycle.targets_iki", series=sid, split=split, iki=iki, problem=problem))


def _check_dates(series: Mapping[str, Any], base: Path, period: Any, report: Report) -> None:
    dates = series.get("dates")
    if not isinstance(dates, list):
        return
    last: tuple[int, int] | None = None
    ids: set[str] = set()
    for k, item in enumerate(dates):
        if not isinstance(item, Mapping):
            continue
        if isinstance(item.get("id"), str):
            if item["id"] in ids:
                report(base + ("dates", k, "id"), f"checkpoint '{item['id']}' is declared twice",
                       msg=Message("cycle.checkpoint_twice", checkpoint=item["id"]))
            ids.add(item["id"])
        end = item.get("end")
        digits = end[:2] + end[3:] if isinstance(end, str) else ""
        # ASCII digits only: '²' is a digit to str.isdigit but not to int() (the schema names the form).
        if not isinstance(end, str) or len(end) != 5 or end[2] != "-" or not (digits.isascii() and digits.isdigit()):
            continue  # the schema names the form
        month, day = int(end[:2]), int(end[3:])
        where = base + ("dates", k, "end")
        try:
            date(2024, month, day)  # a leap year: 02-29 is a date, but not in every year
        except ValueError:
            report(where, f"checkpoint end '{end}' is not a day of the year (MM-DD)",
                   msg=Message("cycle.checkpoint_day", end=end))
            continue
        if (month, day) == (2, 29):
            report(where, "checkpoint end '02-29' is outside the period in three years of four; use 02-28",
                   msg=Message("cycle.checkpoint_leap"))
            continue
        if period != "annual":
            report(where, f"checkpoint end '{end}' is outside the period of some runs: explicit dates are days of "
                          f"the run's year and need period: annual (this cycle's period is {period}); "
                          "use every: monthly or every: quarterly",
                   msg=Message("cycle.checkpoint_dates_annual", end=end, period=str(period)))
            continue
        if last is not None and (month, day) <= last:
            report(where, f"checkpoint end '{end}' does not come after the one before it; list dates in order",
                   msg=Message("cycle.checkpoint_order", end=end))
        last = (month, day)


def _check_results(series: Mapping[str, Any], base: Path, report: Report, input_roots: Sequence[str],
                   check_input_path: Callable[[Path, str], None]) -> None:
    results = series.get("results")
    if not isinstance(results, Mapping):
        return
    own = _names(results)
    questions = [q.get("id") for q in (series.get("self_assessment") or {}).get("questions") or []
                 if isinstance(q, Mapping)] if isinstance(series.get("self_assessment"), Mapping) else []
    for name, spec in results.items():
        if not isinstance(spec, Mapping):
            continue
        where = base + ("results", name)
        rule_name = spec.get("rule")
        if isinstance(rule_name, str):
            try:
                rule = get_rule(rule_name)
            except (KeyError, RuleError, LookupError) as exc:
                known = list(all_rules()) if isinstance(exc, UnknownRuleError) else []
                report(where + ("rule",), str(exc), msg=unknown_rule_message(rule_name, known))
            else:
                given = spec.get("params")
                params = given if isinstance(given, Mapping) else {}
                for problem in rule.validate_params(params):
                    report(where + ("params",), str(problem),
                           msg=param_message(rule_name, format_path(problem.path), problem))
        inputs = spec.get("inputs")
        for key, value in inputs.items() if isinstance(inputs, Mapping) else []:
            for k, path in enumerate(value if isinstance(value, list) else [value]):
                if not isinstance(path, str):
                    continue
                at = where + ("inputs", key) + ((k,) if isinstance(value, list) else ())
                if path.split(".")[0] == "checkpoint":
                    found = checkpoint_part_problem(path, own, questions)
                    if found:
                        report(at, found[0], msg=found[1])
                else:
                    check_input_path(at, path)


def checkpoint_part_problem(path: str, results: Sequence[str], questions: Sequence[Any]) -> tuple[str, Message] | None:
    """What is wrong with a ``checkpoint.*`` path inside a checkpoint's results (English and coded), or None."""
    parts = path.split(".")
    if len(parts) < 2 or parts[1] not in CHECKPOINT_PARTS:
        part = parts[1] if len(parts) > 1 else ""
        return (f"unknown part '{part}' in '{path}'; a checkpoint's results read "
                f"checkpoint.{', checkpoint.'.join(CHECKPOINT_PARTS)}",
                Message("cycle.checkpoint_part", part=part, path=path,
                        parts=[f"checkpoint.{p}" for p in CHECKPOINT_PARTS]))
    if parts[1] == "results" and (len(parts) < 3 or parts[2] not in results):
        return (f"'{path}' reads no periodic result of this series; its results are {', '.join(results) or 'none'}",
                Message("cycle.checkpoint_result", path=path, results=_listed(results)))
    if parts[1] == "self_assessment" and len(parts) >= 3 and parts[2] not in questions:
        return (f"'{path}' reads no question of the self-assessment; its questions are "
                f"{', '.join(map(str, questions))}",
                Message("cycle.checkpoint_question", path=path, questions=_listed([str(q) for q in questions])))
    return None


def _listed(names: Sequence[str]) -> list[str] | Message:
    return list(names) if names else Message("cycle.none")


def series_path_problem(path: str, data: Mapping[str, Any]) -> tuple[str, Message] | None:
    """What is wrong with a ``checkpoints.SERIES[...]...`` input path (English and coded), or None."""
    parts = path.split(".")
    series_ids = [sid for _, c in _series(data) if isinstance(sid := c.get("id"), str)]
    selector = parse_selector(parts[1]) if len(parts) > 1 else None
    if selector is None:
        return (f"input path '{path}' must be checkpoints.SERIES[*|N|latest].PART, e.g. "
                "checkpoints.triwulan[*].results.predikat", Message("cycle.series_path", path=path))
    if selector[0] not in series_ids:
        return (f"unknown checkpoint series '{selector[0]}' in '{path}'; the series are "
                f"{', '.join(series_ids) or 'none'}",
                Message("cycle.series_unknown", series=selector[0], path=path, known=_listed(series_ids)))
    if len(parts) < 3 or parts[2] not in CHECKPOINT_SERIES_PARTS:
        return (f"'{path}' must go on with one of {', '.join(CHECKPOINT_SERIES_PARTS)} after the checkpoint",
                Message("cycle.series_part", path=path, parts=list(CHECKPOINT_SERIES_PARTS)))
    if parts[2] == "results":
        series = next(c for _, c in _series(data) if c.get("id") == selector[0])
        names = _names(series.get("results"))
        if len(parts) < 4 or parts[3] not in names:
            return (f"'{path}' reads no periodic result of series '{selector[0]}'; its results are "
                    f"{', '.join(names) or 'none'}",
                    Message("cycle.series_result", path=path, series=selector[0], results=_listed(names)))
    return None
