"""Benchmark: score one unit of 10,000 appraisals through the national rule pipeline.

Per appraisal: ``target_achievement`` for each IKI (3 to 7 of them), ``work_results_rating``,
``behaviour_rating`` and ``predicate_matrix``; then ``calibration`` once over the unit's 10,000
predicates. Parameters are validated once beforehand, as the engine does when a cycle loads.
The budget is 2 seconds on a 2-core machine. The data is generated from a fixed seed.

Run: ``.venv/bin/python benchmarks/bench_rules.py [--appraisals N] [--repeats R]``.
The last line printed is one JSON object with the figures (the best of the repeats is ``seconds``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from typing import Any

from rules import get_rule
from rules.terms import BERAKHLAK_KEYS, RATING_LABELS

TARGET_PARAMS: dict[str, dict[str, Any]] = {
    "higher": {"direction": "higher", "cap": 120, "aspect": "kuantitas"},
    "lower": {"direction": "lower", "cap": 120, "aspect": "waktu"},
    "range": {"direction": "range", "aspect": "kualitas"},
}


def make_unit(count: int, seed: int = 20220606) -> list[dict[str, Any]]:
    """``count`` appraisals with realistic IKI and behaviour data."""
    rng = random.Random(seed)
    unit = []
    for number in range(count):
        indicators = []
        weighted = rng.random() < 0.5
        for k in range(rng.randint(3, 7)):
            direction = rng.choices(("higher", "lower", "range"), weights=(7, 2, 1))[0]
            if direction == "range":
                low = rng.choice((80, 90))
                target: Any = [low, low + 10]
                realisation = round(rng.uniform(low - 15, low + 20), 1)
            else:
                target = rng.choice((10, 12, 24, 50, 100))
                realisation = round(target * rng.uniform(0.6, 1.3), 2)
            indicators.append({
                "id": f"IKI-{k + 1}", "label": f"Indikator {k + 1}", "direction": direction,
                "target": target, "realisation": realisation,
                "weight": rng.choice((10, 20, 30)) if weighted else None,
            })
        behaviour = {key: rng.choices(RATING_LABELS, weights=(2, 6, 1))[0] for key in BERAKHLAK_KEYS}
        unit.append({"nip": f"19900101{number:06d}", "indicators": indicators, "behaviour": behaviour})
    return unit


def score_unit(unit: list[dict[str, Any]]) -> tuple[bool, int]:
    """The pipeline under test; returns the calibration verdict and the number of rule evaluations."""
    achievement = get_rule("target_achievement")
    results = get_rule("work_results_rating")
    behaviour = get_rule("behaviour_rating")
    matrix = get_rule("predicate_matrix")
    calibration = get_rule("calibration")
    evaluations = 0
    predicates: dict[str, str] = {}
    for appraisal in unit:
        achievements = []
        for iki in appraisal["indicators"]:
            computed = achievement.evaluate(TARGET_PARAMS[iki["direction"]],
                                            {"realisation": iki["realisation"], "target": iki["target"]})
            achievements.append({"id": iki["id"], "label": iki["label"], "weight": iki["weight"],
                                 "achievement": computed.value})
        work = results.evaluate({}, {"achievements": achievements})
        conduct = behaviour.evaluate({}, {"values": appraisal["behaviour"]})
        predicate = matrix.evaluate({}, {"work_results": work.value, "behaviour": conduct.value})
        predicates[appraisal["nip"]] = predicate.value
        evaluations += len(achievements) + 3
    verdict = calibration.evaluate({}, {"unit_predicate": "Baik", "predicates": predicates})
    return bool(verdict.value), evaluations + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appraisals", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    for name, params in [("target_achievement", p) for p in TARGET_PARAMS.values()]:
        problems = get_rule(name).validate_params(params)
        assert not problems, problems
    unit = make_unit(args.appraisals)
    score_unit(unit[:100])  # warm up: imports, caches, validators

    timings, cpu = [], []
    for _ in range(args.repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        complies, evaluations = score_unit(unit)
        timings.append(time.perf_counter() - started)
        # CPU time too: on a shared machine the wall clock also counts other processes' turns.
        cpu.append(time.process_time() - started_cpu)
        print(f"scored {args.appraisals} appraisals in {timings[-1]:.3f} s ({cpu[-1]:.3f} s CPU)",
              file=sys.stderr, flush=True)
    report = {
        "appraisals": args.appraisals,
        "indicators": sum(len(a["indicators"]) for a in unit),
        "rule_evaluations": evaluations,
        "seconds": round(min(timings), 3),
        "median_seconds": round(statistics.median(timings), 3),
        "cpu_seconds": round(min(cpu), 3),
        "repeats": args.repeats,
        "budget_seconds": 2.0,
        "unit_complies": complies,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
