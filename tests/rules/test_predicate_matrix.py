"""predicate_matrix: the PermenPAN-RB 6/2022 matrix, cell for cell (REGULATION §2)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from rules import RuleError, RuleResult
from rules.terms import ABOVE, BELOW, MEETS, PREDICATES, RATING_LABELS

Evaluate = Callable[..., RuleResult]


def predicate(evaluate: Evaluate, work_results: str, behaviour: str) -> str:
    return evaluate("predicate_matrix", work_results=work_results, behaviour=behaviour).value


def test_above_results_with_below_behaviour_is_kurang(evaluate: Evaluate) -> None:
    assert predicate(evaluate, ABOVE, BELOW) == "Kurang/Misconduct"


def test_above_results_with_meets_behaviour_is_baik(evaluate: Evaluate) -> None:
    assert predicate(evaluate, ABOVE, MEETS) == "Baik"


def test_above_results_with_above_behaviour_is_sangat_baik(evaluate: Evaluate) -> None:
    assert predicate(evaluate, ABOVE, ABOVE) == "Sangat Baik"


def test_meets_results_with_below_behaviour_is_kurang(evaluate: Evaluate) -> None:
    assert predicate(evaluate, MEETS, BELOW) == "Kurang/Misconduct"


def test_meets_results_with_meets_behaviour_is_baik(evaluate: Evaluate) -> None:
    assert predicate(evaluate, MEETS, MEETS) == "Baik"


def test_meets_results_with_above_behaviour_is_baik(evaluate: Evaluate) -> None:
    assert predicate(evaluate, MEETS, ABOVE) == "Baik"


def test_below_results_with_below_behaviour_is_sangat_kurang(evaluate: Evaluate) -> None:
    assert predicate(evaluate, BELOW, BELOW) == "Sangat Kurang"


def test_below_results_with_meets_behaviour_is_butuh_perbaikan(evaluate: Evaluate) -> None:
    assert predicate(evaluate, BELOW, MEETS) == "Butuh Perbaikan"


def test_below_results_with_above_behaviour_is_butuh_perbaikan(evaluate: Evaluate) -> None:
    assert predicate(evaluate, BELOW, ABOVE) == "Butuh Perbaikan"


# The table as REGULATION.md prints it: rows work results (above, meets, below),
# columns behaviour (below, meets, above).
TABLE = {
    ABOVE: ("Kurang/Misconduct", "Baik", "Sangat Baik"),
    MEETS: ("Kurang/Misconduct", "Baik", "Baik"),
    BELOW: ("Sangat Kurang", "Butuh Perbaikan", "Butuh Perbaikan"),
}


@pytest.mark.parametrize("row", TABLE)
@pytest.mark.parametrize("column_index, column", list(enumerate((BELOW, MEETS, ABOVE))))
def test_every_cell_matches_the_regulation_table(evaluate: Evaluate, row: str, column_index: int, column: str) -> None:
    result = evaluate("predicate_matrix", work_results=row, behaviour=column)
    assert result.value == TABLE[row][column_index]
    assert result.details == {"row": row, "column": column}
    assert result.value in result.explanation["id"] and row in result.explanation["id"]
    assert column in result.explanation["en"] and "PermenPAN-RB 6/2022" in result.explanation["en"]


def test_better_ratings_never_give_a_worse_predicate(evaluate: Evaluate) -> None:
    rank = {label: i for i, label in enumerate(RATING_LABELS)}  # 0 is best
    cells = list(itertools.product(RATING_LABELS, repeat=2))
    for results, behaviour in cells:
        for better_results, better_behaviour in cells:
            if rank[better_results] <= rank[results] and rank[better_behaviour] <= rank[behaviour]:
                before = PREDICATES.index(predicate(evaluate, results, behaviour))
                after = PREDICATES.index(predicate(evaluate, better_results, better_behaviour))
                assert after <= before, (results, behaviour, better_results, better_behaviour)


def test_labels_are_read_whatever_their_case_and_spacing(evaluate: Evaluate) -> None:
    assert predicate(evaluate, "di atas  ekspektasi", "DI ATAS EKSPEKTASI") == "Sangat Baik"


def test_an_unknown_label_is_an_input_error_with_a_hint(evaluate: Evaluate) -> None:
    with pytest.raises(RuleError, match=r"input 'behaviour' must be one of .* \(did you mean 'Sesuai Ekspektasi'\?\)"):
        evaluate("predicate_matrix", work_results=ABOVE, behaviour="Sesuai Ekspetasi")


def test_a_missing_rating_waits_and_names_it(evaluate: Evaluate) -> None:
    result = evaluate("predicate_matrix", work_results=ABOVE)
    assert result.missing == ("behaviour",)
    assert "rating perilaku kerja" in result.explanation["id"]


def test_the_matrix_takes_no_parameters() -> None:
    from rules import get_rule

    problems = get_rule("predicate_matrix").validate_params({"matrix": "custom"})
    assert [(p.path, p.message) for p in problems] == [(("matrix",), "unknown parameter 'matrix'")]
