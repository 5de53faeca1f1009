"""`siklus validate` and `siklus simulate` know checkpoints: each problem at its line, the shipped cycles clean."""

from __future__ import annotations

from importlib import resources

import pytest

from engine.simulate import simulate
from engine.validation import validate_source


def national_v2() -> str:
    return resources.files("workflows").joinpath("permenpan-6-2022-v2.yaml").read_text(encoding="utf-8")


def _with(*changes: tuple[str, str]) -> str:
    text = national_v2()
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def _problems(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in validate_source(text, "cycle.yaml")]


@pytest.mark.parametrize("name", ["permenpan-6-2022-v2", "solok-v2", "bungo-v2"])
def test_the_shipped_cycles_with_checkpoints_validate_clean(name):
    source = resources.files("workflows").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    assert validate_source(source, f"{name}.yaml") == []


def test_a_quarterly_checkpoint_in_a_monthly_cycle_is_an_error_at_its_line():
    text = _with(("period: annual", "period: monthly"))
    problems = _problems(text)
    line = _line_of(text, "    every: quarterly")
    assert (line, "a quarterly checkpoint does not fit inside a monthly period: every run of this cycle is one "
                  "month long; use a shorter series or a longer period") in problems


def test_an_explicit_date_outside_a_semester_period_is_an_error_at_its_line():
    text = _with(("period: annual", "period: semester"),
                 ("    every: quarterly\n", "    dates:\n      - {id: tengah_tahun, end: \"06-30\"}\n"
                                           "      - {id: akhir_tahun, end: \"12-31\"}\n"))
    problems = _problems(text)
    assert any(line == _line_of(text, '{id: tengah_tahun, end: "06-30"}') and "'06-30' is outside the period"
               in message for line, message in problems), problems


def test_an_impossible_or_out_of_order_date_is_an_error_at_its_line():
    dates = ("    dates:\n      - {id: awal, end: \"02-30\"}\n      - {id: tengah, end: \"09-30\"}\n"
             "      - {id: akhir, end: \"06-30\"}\n")
    text = _with(("    every: quarterly\n", dates))
    problems = _problems(text)
    assert (_line_of(text, '"02-30"'), "checkpoint end '02-30' is not a day of the year (MM-DD)") in problems
    assert (_line_of(text, '{id: akhir, end: "06-30"}'),
            "checkpoint end '06-30' does not come after the one before it; list dates in order") in problems


def test_a_date_not_written_mm_dd_says_how_to_write_it_and_a_superscript_digit_is_no_internal_error():
    """'6-30' was called "not a valid name: use lower-case letters"; '0²-15' (a digit to str.isdigit, not to
    int) raised inside the checks and was reported as an internal error."""
    for typed in ("6-30", "0\u00b2-15"):
        text = _with(("    every: quarterly\n", f"    dates:\n      - {{id: awal, end: \"{typed}\"}}\n"
                                                 "      - {id: akhir, end: \"12-31\"}\n"))
        problems = _problems(text)
        assert (_line_of(text, f'"{typed}"'),
                f"'{typed}' is not a day of the year: write it MM-DD with two digits each, e.g. '06-30'") in problems
        assert not any("internal error" in message for _line, message in problems), problems


def test_paths_into_the_series_name_what_exists():
    text = _with(('"checkpoints.triwulan[*].rating.rating_hasil_kerja"',
                  '"checkpoints.triwulanan[*].results.predikat"'))
    problems = _problems(text)
    assert (_line_of(text, "checkpoints.triwulanan"),
            "unknown checkpoint series 'triwulanan' in 'checkpoints.triwulanan[*].results.predikat'; "
            "the series are triwulan") in problems
    unknown_result = _with(('"checkpoints.triwulan[*].rating.rating_hasil_kerja"',
                            '"checkpoints.triwulan[*].results.nilai"'))
    assert any("reads no periodic result of series 'triwulan'; its results are predikat" in m
               for _, m in _problems(unknown_result))


def test_a_periodic_result_reading_nothing_is_named():
    text = _with(("work_results: checkpoint.rating.rating_hasil_kerja", "work_results: checkpoint.nilai"))
    problems = _problems(text)
    assert any(line == _line_of(text, "checkpoint.nilai") and "unknown part 'nilai'" in message
               for line, message in problems), problems


def test_unknown_states_and_roles_of_a_series_are_named():
    text = _with(("    states: [monitor, monitor_reopened, rate]", "    states: [monitor, pemantauan]"),
                 ("    feedback: {roles: [penilai]}", "    feedback: {roles: [atasan]}"))
    messages = [m for _, m in _problems(text)]
    assert any("unknown state 'pemantauan' in checkpoint series 'triwulan'" in m for m in messages)
    assert any("unknown role 'atasan' in the feedback of checkpoint series 'triwulan'" in m for m in messages)


def test_simulate_walks_the_quarters_and_finds_nothing_wrong_with_the_national_cycle():
    report = simulate(national_v2(), "permenpan-6-2022-v2.yaml", period="2026")
    assert [f.message for f in report.findings if f.kind == "checkpoint"] == []
    assert report.ok


def test_simulate_names_a_series_whose_states_are_never_reached_and_entries_nobody_can_make():
    text = _with(("    states: [monitor, monitor_reopened, rate]", "    states: [closed]"))
    report = simulate(text, "cycle.yaml", period="2026")
    assert ("checkpoint", "triwulan") in [(f.kind, f.subject) for f in report.findings]
    # Realisations per quarter in a state where nobody may edit realisations: none is ever recorded.
    rating_only = _with(("    states: [monitor, monitor_reopened, rate]", "    states: [rate]"))
    findings = [f.message for f in simulate(rating_only, "cycle.yaml", period="2026").findings
                if f.kind == "checkpoint"]
    assert findings == ["checkpoint series 'triwulan': no realisation could be recorded in any checkpoint "
                        "(nobody holds a role that may here)"]
