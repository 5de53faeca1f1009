"""Layer 3 of validation, references: every name the cycle uses is one it declares.

States, roles (and what public roles may not do), results, feedback windows, indicators, data keys
and rule input paths (against :mod:`engine.vocabulary`); also unique ids and indicator weights, and
the ``checkpoints:`` section through :mod:`engine.checkpoints.validation`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from engine.checkpoints.validation import check_checkpoints, series_path_problem
from engine.messages import Message
from engine.validation.context import CycleFile
from engine.validation.positions import Path
from engine.validation.words import either, hint_message, is_name, is_number, show, suggest
from engine.vocabulary import (
    CHECKPOINTS_ROOT,
    EMPLOYEE_FIELDS,
    FEEDBACK_SCORE_PATHS,
    PUBLIC_ROLE_RESOLVERS,
    ROOT_NAMES,
    InputRoot,
    input_root,
)


def check_initial_state(file: CycleFile) -> None:
    """Exactly one state is initial."""
    states = file.states
    if not states:
        return
    initial = [name for name, s in states.items() if s.get("initial") is True]
    if not initial:
        if any("initial" in s for s in states.values()):
            return  # a mistyped 'initial' is already reported by the schema
        file.report(("states",),
                    "no initial state: mark the state where an appraisal starts with 'initial: true'", key=True,
                    msg=Message("cycle.no_initial"))
        return
    for name in initial[1:]:
        file.report(("states", name, "initial"),
                    f"state '{name}' is marked initial but state '{initial[0]}' already is; "
                    "a cycle has exactly one initial state", key=True,
                    msg=Message("cycle.two_initial", state=name, first=initial[0]))


def check_state_references(file: CycleFile) -> None:
    """Transition sources and dests, window 'since' and feedback states name declared states."""
    if not file.well_typed("states", dict):
        return  # the schema reports it; every reference would only repeat that
    known = list(file.states)

    def check(path: Path, name: str) -> None:
        if is_name(name) and name not in known:
            file.report_unknown(path, "state", name, known, "states")

    for i, t in file.transitions:
        for path, name in file.sources(i, t):
            check(path, name)
        if isinstance(t.get("dest"), str):
            check(("transitions", i, "dest"), t["dest"])
        window = t.get("window")
        if isinstance(window, dict) and isinstance(window.get("since"), str):
            check(("transitions", i, "window", "since"), window["since"])
    for i, _ in file.feedback_windows:
        for path, name in file.names_list(("feedback", i, "states")):
            check(path, name)


def check_role_references(file: CycleFile) -> None:
    """Roles named anywhere are declared, and public roles only answer the unit's public survey:
    they fire no transition, edit nothing, supply no value and answer no feedback window."""
    if not file.well_typed("roles", dict):
        return  # the schema reports it; every reference would only repeat that
    roles = file.roles
    known = list(roles)
    public = {name for name, r in roles.items()
              if isinstance(r, dict) and isinstance(r.get("resolver"), str) and r["resolver"] in PUBLIC_ROLE_RESOLVERS}

    def check(path: Path, name: Any, *, key: bool = False) -> bool:
        if is_name(name) and name not in known:
            file.report_unknown(path, "role", name, known, "roles", key=key)
            return False
        return True

    def refuse_public(path: Path, name: Any, what: str, code: str, *, key: bool = False) -> None:
        if check(path, name, key=key) and is_name(name) and name in public:
            file.report(path, f"role '{name}' is public and cannot {what}; the public only answers "
                              "the unit's public satisfaction survey (IKM)", key=key,
                        msg=Message("cycle.public_role", role=name, what=Message(f"cycle.public.{code}")))

    for i, _ in file.transitions:
        for path, name in file.names_list(("transitions", i, "roles")):
            refuse_public(path, name, "fire transitions", "fire")
    for state, s in file.states.items():
        edit = s.get("edit")
        if isinstance(edit, dict):
            for role in edit:
                refuse_public(("states", state, "edit", role), role, "edit an appraisal", "edit", key=True)
    for i, ind in file.indicators:
        if "supplied_by" in ind:
            refuse_public(("indicators", i, "supplied_by"), ind["supplied_by"], "supply an indicator's value",
                          "supply")
    skp = file.data.get("skp")
    if isinstance(skp, dict) and "supplied_by" in skp:
        refuse_public(("skp", "supplied_by"), skp["supplied_by"], "supply the SKP", "skp")
    for i, _ in file.feedback_windows:
        for path, name in file.names_list(("feedback", i, "roles")):
            refuse_public(path, name, "answer a feedback window on an appraisal", "feedback")


def check_result_references(file: CycleFile) -> None:
    """States compute declared results on entry."""
    if not file.well_typed("results", dict):
        return  # the schema reports it; every reference would only repeat that
    known = list(file.results)
    for state, s in file.states.items():
        actions = s.get("on_enter")
        for k, action in enumerate(actions if isinstance(actions, list) else []):
            if not isinstance(action, dict):
                continue
            for path, name in file.names_list(("states", state, "on_enter", k, "compute")):
                if is_name(name) and name not in known:
                    file.report_unknown(path, "result", name, known, "results")


def input_mappings(file: CycleFile) -> Iterator[tuple[Path, dict[Any, Any]]]:
    """(path, inputs) of every rule's inputs: results, indicators and rule guards."""
    for name, r in file.results.items():
        if isinstance(r.get("inputs"), dict):
            yield ("results", name, "inputs"), r["inputs"]
    for i, ind in file.indicators:
        if isinstance(ind.get("inputs"), dict):
            yield ("indicators", i, "inputs"), ind["inputs"]
    for i, t in file.transitions:
        guards = t.get("guards")
        for j, guard in enumerate(guards if isinstance(guards, list) else []):
            if isinstance(guard, dict) and isinstance(guard.get("inputs"), dict):
                yield ("transitions", i, "guards", j, "inputs"), guard["inputs"]


def known_names(file: CycleFile) -> dict[str, tuple[list[str], str, str]]:
    """The names input paths may use after ``results``, ``feedback`` and ``indicators``, with what they are."""
    known = {
        "results": (list(file.results), "result", "results"),
        "feedback": (file.ids(file.feedback_windows), "feedback window", "feedback windows"),
        "indicators": (file.ids(file.indicators), "indicator", "fixed indicators"),
    }
    for section, kind in (("results", dict), ("feedback", list), ("indicators", list)):
        if not file.well_typed(section, kind):
            del known[section]
    return known


def check_input_paths(file: CycleFile) -> None:
    """Rule input paths start with a known root and name things the cycle declares."""
    known = known_names(file)
    save_as = file.save_as_keys()
    for base, inputs in input_mappings(file):
        for name, value in inputs.items():
            if isinstance(value, str):
                check_input_path(file, base + (name,), value, known, save_as)
            elif isinstance(value, list):
                for k, item in enumerate(value):
                    if isinstance(item, str):
                        check_input_path(file, base + (name, k), item, known, save_as)


def check_input_path(file: CycleFile, path: Path, text: str,
                     known: Mapping[str, tuple[list[str], str, str]], save_as: list[str]) -> None:
    """One input path such as ``results.predikat`` or ``data.penilaian.perilaku``."""
    parts = text.split(".")
    if any(not part for part in parts):
        file.report(path, f"malformed input path {show(text)}: write names separated by single dots, "
                          "e.g. results.predikat", msg=Message("cycle.path_malformed", path=text))
        return
    root = parts[0]
    declared = input_root(root)
    if declared is None:
        hint = suggest(root, ROOT_NAMES) or f"; a path starts with one of {', '.join(ROOT_NAMES)}"
        within = f" in {show(text)}" if text != root else ""
        file.report(path, f"unknown input path root '{root}'{within}{hint}",
                    msg=Message("cycle.path_root", root=root, path=text, hint=hint_message(root, ROOT_NAMES),
                                roots=list(ROOT_NAMES)))
        return
    if root == "history":
        check_history_path(file, path, text, parts, known.get("results"))
        return
    if root == CHECKPOINTS_ROOT:
        problem = series_path_problem(text, file.data)
        if problem:
            file.report(path, problem[0], msg=problem[1])
        return
    if declared.parts:
        check_fixed_part(file, path, text, parts, declared, known.get("results"))
        return
    if len(parts) < 2:
        return
    name = parts[1]
    if root in known:
        names, kind, plural = known[root]
        if name not in names:
            file.report_unknown(path, kind, name, names, plural)
        elif root == "feedback" and len(parts) >= 3:
            check_feedback_part(file, path, text, name, parts[2:])
    elif root == "data" and name not in save_as:
        hint = suggest(name, save_as)
        if not hint:
            hint = (f"; data keys are the save_as names of transitions: {', '.join(save_as)}" if save_as
                    else "; no transition keeps its payload with save_as")
        file.report(path, f"unknown data key '{name}'{hint}",
                    msg=Message("cycle.data_key_hint", key=name, hint=hint_message(name, save_as))
                    if suggest(name, save_as) else Message("cycle.data_key", key=name, keys=save_as) if save_as
                    else Message("cycle.data_key_none", key=name))
    elif root == "employee" and name not in EMPLOYEE_FIELDS:
        file.report(path, f"unknown employee field '{name}'{suggest(name, EMPLOYEE_FIELDS)}; "
                          f"the fields are {', '.join(EMPLOYEE_FIELDS)}",
                    msg=Message("cycle.employee_field", name=name, hint=hint_message(name, EMPLOYEE_FIELDS),
                                fields=list(EMPLOYEE_FIELDS)))


def check_checkpoint_series(file: CycleFile) -> None:
    """The ``checkpoints:`` section, and the input paths of its periodic results (engine.checkpoints.validation)."""
    known, save_as = known_names(file), file.save_as_keys()
    check_checkpoints(file.data, file.report, ROOT_NAMES,
                      lambda path, text: check_input_path(file, path, text, known, save_as))


def check_history_path(file: CycleFile, path: Path, text: str, parts: list[str],
                       results: tuple[list[str], str, str] | None) -> None:
    """``history.results.NAME``: a result of this cycle, run by run."""
    history = input_root("history")
    assert history is not None
    if len(parts) >= 2 and parts[1] not in history.parts:
        hint = suggest(parts[1], history.parts)
        file.report(path, f"unknown part '{parts[1]}' in {show(text)}{hint}; write history.results.NAME "
                          "(a result of this cycle)",
                    msg=Message("cycle.path_history_part", part=parts[1], path=text,
                                hint=hint_message(parts[1], history.parts)))
    elif len(parts) != 3:
        file.report(path, f"input path {show(text)} must be history.results.NAME (a result of this cycle)",
                    msg=Message("cycle.path_history", path=text))
    elif results is not None and parts[2] not in results[0]:
        names, kind, plural = results
        file.report_unknown(path, kind, parts[2], names, plural)


def check_fixed_part(file: CycleFile, path: Path, text: str, parts: list[str], root: InputRoot,
                     results: tuple[list[str], str, str] | None) -> None:
    """A root whose next part is one of a fixed few: ``unit.results.NAME``, ``unit.ikm``, ``development.jp_done``."""
    forms = " or ".join(form.name for form in root.forms)
    if len(parts) < 2:
        file.report(path, f"input path {show(text)} names no part of '{root.name}'; use {forms}",
                    msg=Message("cycle.path_no_part", path=text, root=root.name, forms=_forms(root)))
    elif parts[1] not in root.parts:
        file.report(path, f"unknown part '{parts[1]}' in {show(text)}{suggest(parts[1], root.parts)}; use {forms}",
                    msg=Message("cycle.path_part", part=parts[1], path=text, hint=hint_message(parts[1], root.parts),
                                forms=_forms(root)))
    elif parts[1] == "results":
        if len(parts) != 3:
            file.report(path, f"input path {show(text)} must be {root.name}.results.NAME (a result of this cycle)",
                        msg=Message("cycle.path_results", path=text, root=root.name))
        elif results is not None and parts[2] not in results[0]:
            names, kind, plural = results
            file.report_unknown(path, kind, parts[2], names, plural)


def _forms(root: InputRoot) -> Message:
    """The forms a fixed root's paths take (``unit.ikm or unit.results.NAME``), as a coded phrase."""
    return either([form.name for form in root.forms])


def check_feedback_part(file: CycleFile, path: Path, text: str, window: str, rest: list[str]) -> None:
    """After ``feedback.WINDOW``: ``scores``, ``scores_with_public`` or one of the window's roles."""
    roles = file.window_roles.get(window)
    part = rest[0]
    if part in FEEDBACK_SCORE_PATHS:
        if len(rest) > 1:
            file.report(path, f"input path {show(text)} goes past '{part}'; end it there "
                              f"(feedback.{window}.{part} is a list of role and score)",
                        msg=Message("cycle.path_past", path=text, part=part, whole=f"feedback.{window}.{part}"))
        return
    if roles is None or part in roles:
        return
    choices = [*FEEDBACK_SCORE_PATHS, *roles]
    hint = suggest(part, choices)
    file.report(path, f"unknown part '{part}' of feedback window '{window}'{hint}; use "
                      f"{', '.join(FEEDBACK_SCORE_PATHS)} or one of its roles ({', '.join(roles) or 'none'})",
                msg=Message("cycle.path_feedback_part", part=part, window=window, hint=hint_message(part, choices),
                            scores=list(FEEDBACK_SCORE_PATHS),
                            roles=list(roles) if roles else Message("cycle.none")))


def check_indicator_sources(file: CycleFile) -> None:
    """An indicator fed by feedback names a declared feedback window."""
    if not file.well_typed("feedback", list):
        return
    windows = file.ids(file.feedback_windows)
    for i, ind in file.indicators:
        source = ind.get("source")
        if isinstance(source, str) and source not in windows:
            file.report_unknown(("indicators", i, "source"), "feedback window", source, windows, "feedback windows")


def check_indicator_suppliers(file: CycleFile) -> None:
    """A value the system feeds (``inputs.realisation``, ``source``) names no person who supplies it."""
    for i, ind in file.indicators:
        supplier = ind.get("supplied_by")
        inputs = ind.get("inputs")
        fed = inputs.get("realisation") if isinstance(inputs, dict) and "realisation" in inputs else ind.get("source")
        if fed is not None and is_name(supplier):
            file.report(("indicators", i, "supplied_by"),
                        f"indicator '{ind.get('id')}' is fed by the system ({fed}), which nobody types; "
                        f"remove supplied_by '{supplier}' (or the system source, if a person records it)",
                        msg=Message("cycle.system_fed", indicator=str(ind.get("id")), source=str(fed),
                                    role=supplier))


def check_duplicate_ids(file: CycleFile) -> None:
    """Indicator, feedback window and course ids are unique in their lists."""
    groups = [
        ("indicators", file.indicators, "indicator id"),
        ("feedback", file.feedback_windows, "feedback window id"),
        (("development", "catalog"), file.courses, "course id"),
    ]
    for where, items, noun in groups:
        base: Path = where if isinstance(where, tuple) else (where,)
        first: dict[str, Path] = {}
        for i, item in items:
            value = item.get("id")
            if not isinstance(value, str):
                continue
            path = base + (i, "id")
            if value in first:
                line = file.line_of(first[value])
                file.report(path, f"duplicate {noun} '{value}'; the first is on line {line}",
                            msg=Message("cycle.duplicate", value=str(value), line=line))
            else:
                first[value] = path


def check_weights(file: CycleFile) -> None:
    """Fixed indicators with weights must all be weighted and total 100 (when they are the whole plan)."""
    skp = file.data.get("skp")
    if isinstance(skp, dict) and skp.get("employee_indicators") is True:
        return  # the employee's own IKI join the plan; the fixed weights are only part of it
    indicators = file.indicators
    if not any("weight" in ind for _, ind in indicators):
        return
    missing = [(i, ind) for i, ind in indicators if "weight" not in ind]
    for i, _ in missing:
        file.report(("indicators", i),
                    f"{file.item_name('indicators', i, 'id', 'indicator')} has no weight; when one indicator "
                    "has a weight, every indicator needs one",
                    msg=Message("cycle.no_weight", where=file.item_where("indicators", i, "id", "indicator")))
    weights = [ind["weight"] for _, ind in indicators if "weight" in ind]
    if missing or not all(is_number(w) and 0 < w <= 100 for w in weights):
        return  # a total over missing or invalid weights would only mislead
    total = sum(weights)
    if abs(total - 100) > 1e-6:
        file.report(("indicators",), f"the indicator weights total {round(total, 4):g}; they must total 100",
                    key=True, msg=Message("cycle.weights_total", total=round(total, 4)))

