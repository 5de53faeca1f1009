"""The ``siklus`` command line: validate and publish cycles, launch runs, fire transitions, sweep
deadlines, verify the audit chain, rekey feedback respondents, draw a cycle, migrate appraisals, seed
a demo, serve the app.

Every error a user can cause ends as one line on stderr and exit code 1, never a traceback
(set SIKLUS_DEBUG=1 to see one for an unexpected failure).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask.cli import FlaskGroup, with_appcontext

from engine.errors import DefinitionError, Problem, SiklusError
from engine.json_text import NotANumber, parse_json
from engine.limits import echoed
from web import ConfigurationError
from web.cli_support import (
    COMMAND_META,
    DATABASE_ID,
    LANG_OPTION,
    database_problem,
    error_line,
    file_problem,
    named,
    problem_line,
    report_language,
    say,
    schema_command,
    text,
)
from web.cli_support import actor as _actor
from web.cli_support import fail as _fail
from web.cli_support import session as _session
from web.messages import N_, problem_text


def _create_app() -> Any:
    from web import create_app

    return create_app(keys=not schema_command())



class SiklusGroup(FlaskGroup):
    """FlaskGroup that turns Siklus errors into one line and an exit code."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        ctx.find_root().meta[COMMAND_META] = name  # which command the app is built for (see schema_command)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DefinitionError as exc:
            for problem in exc.problems:
                click.echo(problem_line(problem), err=True)
            sys.exit(1)
        except SiklusError as exc:
            _fail(error_line(exc))
        except ConfigurationError as exc:
            _fail(str(exc))
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:  # a file that cannot be read or written: say which and why; else unexpected
            if isinstance(exc, OSError) and exc.filename is not None:
                _fail(file_problem(exc))
            if (said := database_problem(exc)) is not None:  # a first run before `siklus db upgrade`
                _fail(said, code=2)
            if os.environ.get("SIKLUS_DEBUG"):
                raise
            _fail(text(N_("kegagalan tak terduga %(kind)s: %(detail)s (setel SIKLUS_DEBUG=1 untuk rinciannya)"),
                       kind=type(exc).__name__, detail=exc), code=2)


cli = SiklusGroup(
    name="siklus",
    create_app=_create_app,
    add_default_commands=False,
    params=[LANG_OPTION],
    help="Siklus: ASN performance appraisal cycles declared in YAML (PermenPAN-RB 6/2022).",
)


@cli.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate_cmd(files: tuple[str, ...]) -> None:
    """Check cycle files; print every problem as FILE:LINE:COL: message. Exit 1 on any problem."""
    from engine.validation import validate_file

    bad = 0
    for name in files:
        problems = validate_file(name)
        for problem in problems:
            click.echo(problem_line(problem))
        bad += bool(problems)
    if bad:
        click.echo(text(N_("%(bad)s dari %(total)s berkas bermasalah"), bad=bad, total=len(files)), err=True)
        sys.exit(1)
    click.echo(text(N_("%(total)s berkas valid"), total=len(files)), err=True)


@cli.command("publish")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "as_user", help="HR user to publish as (default: the CLI operator).")
@with_appcontext
def publish_cmd(file: str, as_user: str | None) -> None:
    """Validate and publish a cycle file; a published version is immutable."""
    from engine.limits import CYCLE_FILE, check_size
    from engine.registry import publish_source
    from engine.validation import read_cycle_file

    check_size(CYCLE_FILE, Path(file).stat().st_size, file)  # refused as every channel refuses it, by its size
    record = publish_source(_session(), read_cycle_file(file), file, _actor(as_user))
    say(N_("%(cycle)s versi %(version)s diterbitkan (hash %(hash)s, #%(id)s)"), cycle=record.cycle_id,
        version=record.version, hash=record.content_hash[:12], id=record.id)


@cli.command("launch")
@click.argument("cycle_id")
@click.option("--unit", required=True, help="Unit code (sub-units are included).")
@click.option("--period", required=True, help="e.g. 2026, 2026-S1, 2026-Q3, 2026-07 (by the cycle's period kind).")
@click.option("--version", "version", type=DATABASE_ID, help="Definition version (default: newest published).")
@click.option("--no-subunits", is_flag=True, help="Only the unit itself.")
@click.option("--as", "as_user", help="HR user to launch as (default: the CLI operator).")
@with_appcontext
def launch_cmd(cycle_id: str, unit: str, period: str, version: int | None, no_subunits: bool,
               as_user: str | None) -> None:
    """Start a cycle for every employee of a unit in a period."""
    from engine.org import count_employees
    from engine.registry import find_record
    from engine.runs import find_unit, launch_cycle, unit_and_descendants

    session = _session()
    record = find_record(session, cycle_id, version)
    org_unit = find_unit(session, unit)
    units = [org_unit.id] if no_subunits else unit_and_descendants(session, org_unit.id)
    total = count_employees(session, units)
    try:
        with click.progressbar(length=total, file=sys.stderr,
                               label=text(N_("Meluncurkan %(cycle)s v%(version)s untuk %(unit)s %(period)s"),
                                          cycle=cycle_id, version=record.version, unit=org_unit.code,
                                          period=period)) as bar:
            outcome = launch_cycle(session, record, org_unit, period, _actor(as_user),
                                   include_subunits=not no_subunits, progress=bar.update)
    except SiklusError as exc:
        for skipped in exc.details.get("skipped", []):
            click.echo(_skipped_line(skipped), err=True)
        raise
    say(N_("putaran #%(run)s: %(count)s penilaian dimulai pada %(cycle)s v%(version)s, %(period)s"),
        run=outcome.run.id, count=outcome.started, cycle=record.cycle_id, version=record.version, period=period)
    if outcome.skipped:
        say(N_("%(count)s pegawai dilewati: mereka sudah punya penilaian %(cycle)s periode %(period)s"),
            count=len(outcome.skipped), cycle=record.cycle_id, period=period)
        for skipped in outcome.skipped:
            click.echo(_skipped_line(skipped.as_json()))


_CLOSE_KINDS = {"left": N_("keluar"), "transferred": N_("pindah")}


def _state(appraisal: Any) -> str:
    """An appraisal's state on a CLI line (its label in Bahasa Indonesia, its key in English)."""
    from engine.loaded import definition_of

    states = definition_of(appraisal.definition).states
    return named(appraisal.state, states[appraisal.state].label if appraisal.state in states else None)


def _skipped_line(skipped: dict[str, Any]) -> str:
    closed = text(N_(", ditutup")) if skipped["closed"] else ""
    return text(N_("  dilewati %(nip)s %(name)s: penilaian #%(appraisal)s (putaran #%(run)s, %(unit)s, "
                   "%(state)s%(closed)s)"), nip=skipped["nip"], name=skipped["name"],
                appraisal=skipped["appraisal_id"], run=skipped["run_id"], unit=skipped["run_unit"],
                state=skipped["state"], closed=closed)


@cli.command("add-employee")
@click.argument("run_id", type=int)
@click.argument("nip")
@click.option("--reason", required=True, help="Why, e.g. the appointment decree (SK) of a joiner.")
@click.option("--as", "as_user", help="HR user acting (default: the CLI operator).")
@with_appcontext
def add_employee_cmd(run_id: int, nip: str, reason: str, as_user: str | None) -> None:
    """Add a joiner to a running run: a new appraisal in the cycle's initial state.

    Exit 1 (nothing written) for HR of another unit, an inactive employee, one outside the run's unit,
    or one who already has an open appraisal of the cycle and period.
    """
    from engine.runs import add_employee, reopened

    added = add_employee(_session(), run_id, nip, _actor(as_user), reason=reason)
    if reopened(added):  # they left this run and came back: the appraisal carries on where it was closed
        say(N_("penilaian #%(id)s atas %(nip)s %(name)s di putaran #%(run)s (%(cycle)s %(period)s) dibuka kembali, "
               "berlanjut dari tahap %(state)s"), id=added.id, nip=added.employee.nip, name=added.employee.name,
            run=run_id, cycle=added.cycle_id, period=added.period, state=_state(added))
        return
    say(N_("penilaian #%(id)s dimulai untuk %(nip)s %(name)s di putaran #%(run)s (%(cycle)s %(period)s), tahap "
           "%(state)s"), id=added.id, nip=added.employee.nip, name=added.employee.name, run=run_id,
        cycle=added.cycle_id, period=added.period, state=_state(added))


@cli.command("close-appraisal")
@click.argument("appraisal_id", type=int)
@click.option("--reason", required=True, help="Why, e.g. the retirement or transfer decree.")
@click.option("--kind", type=click.Choice(["left", "transferred"]), default="left", show_default=True,
              help="left: the employee left the agency; transferred: moved to a unit outside Siklus' runs.")
@click.option("--as", "as_user", help="HR user acting (default: the CLI operator).")
@with_appcontext
def close_appraisal_cmd(appraisal_id: int, reason: str, kind: str, as_user: str | None) -> None:
    """Close the appraisal of an employee who left or moved (kept as history, takes no more actions)."""
    from engine.runs import close_appraisal

    closed = close_appraisal(_session(), appraisal_id, _actor(as_user), kind=kind, reason=reason)
    say(N_("penilaian #%(id)s atas %(nip)s %(name)s ditutup (%(kind)s) pada tahap %(state)s"), id=closed.id,
        nip=closed.employee.nip, name=closed.employee.name, kind=text(_CLOSE_KINDS[kind]), state=_state(closed))


@cli.command("transfer")
@click.argument("appraisal_id", type=int)
@click.option("--to-run", "to_run", type=int, required=True,
              help="The run of the employee's new unit (same cycle and period).")
@click.option("--reason", required=True, help="The transfer decree (SK mutasi).")
@click.option("--as", "as_user", help="HR user acting (default: the CLI operator).")
@with_appcontext
def transfer_cmd(appraisal_id: int, to_run: int, reason: str, as_user: str | None) -> None:
    """Mutasi: close the appraisal and start one in the new unit's run, together.

    The organisation data must already place the employee in the new run's unit (siklus import).
    """
    from engine.runs import reopened, transfer_employee

    old, new = transfer_employee(_session(), appraisal_id, to_run, _actor(as_user), reason=reason)
    if reopened(new):  # moved back to a run they had been moved out of: that appraisal carries on
        say(N_("penilaian #%(old)s ditutup (pindah); penilaian #%(new)s di putaran #%(run)s untuk %(nip)s %(name)s "
               "dibuka kembali, berlanjut dari tahap %(state)s"), old=old.id, new=new.id, run=new.run_id,
            nip=new.employee.nip, name=new.employee.name, state=_state(new))
        return
    say(N_("penilaian #%(old)s ditutup (pindah); penilaian #%(new)s dimulai di putaran #%(run)s untuk %(nip)s "
           "%(name)s, tahap %(state)s"), old=old.id, new=new.id, run=new.run_id, nip=new.employee.nip,
        name=new.employee.name, state=_state(new))


@cli.command("fire")
@click.argument("appraisal_id", type=DATABASE_ID)
@click.argument("trigger")
@click.option("--as", "as_user", required=True, help="Username of the person firing.")
@click.option("--data", "data", default="{}", help="Payload as a JSON object.")
@click.option("--version", "expected_version", type=DATABASE_ID,
              help="The appraisal version you saw (refused if stale).")
@click.option("--role", "as_role", help="Act as this cycle role when you hold several.")
@with_appcontext
def fire_cmd(appraisal_id: int, trigger: str, as_user: str, data: str, expected_version: int | None,
             as_role: str | None) -> None:
    """Fire a transition on an appraisal, as a user."""
    from engine.appraisals import fire_transition
    from engine.loaded import definition_of
    from engine.models import Appraisal

    try:
        payload = parse_json(data)
    except NotANumber as exc:
        _fail(text(N_("--data memuat %(value)s di %(where)s: JSON tidak punya NaN, Infinity atau angka sebesar "
                      "itu; tulis angka biasa, atau null"), value=exc.value, where=exc.where or "--data"))
    except json.JSONDecodeError as exc:
        _fail(text(N_("--data bukan JSON yang sah (baris %(line)s kolom %(col)s)"), line=exc.lineno, col=exc.colno))
    except (ValueError, RecursionError):  # digits past Python's limit, or nested past its depth
        _fail(text(N_("--data bukan JSON yang sah")))
    if not isinstance(payload, dict):
        _fail(text(N_("--data harus berupa objek JSON, misalnya '{}' atau '{\"catatan\": \"...\"}'")))
    outcome = fire_transition(_session(), appraisal_id, trigger, _actor(as_user), payload,
                              expected_version=expected_version, as_role=as_role)
    fired = _session().get(Appraisal, outcome.appraisal_id)
    defn = definition_of(fired.definition) if fired is not None else None
    states = defn.states if defn is not None else {}
    roles = defn.roles if defn is not None else {}
    say(N_("penilaian #%(id)s: %(source)s -> %(dest)s oleh %(user)s sebagai %(role)s (versi %(version)s)"),
        id=outcome.appraisal_id, user=as_user, version=outcome.version,
        source=named(outcome.from_state, states[outcome.from_state].label if outcome.from_state in states else None),
        dest=named(outcome.to_state, states[outcome.to_state].label if outcome.to_state in states else None),
        role=named(outcome.role, roles[outcome.role].label if outcome.role in roles else None))
    for name, result in outcome.results.items():
        click.echo(f"  {name} = {json.dumps(result.get('value'), ensure_ascii=False)}")


@cli.command("tick")
@click.option("--now", "now_text", help="Pretend it is this ISO time (for trials).")
@with_appcontext
def tick_cmd(now_text: str | None) -> None:
    """Apply passed deadlines (remind, escalate, fire), then send notifications.

    Safe to run from cron on several hosts.
    """
    from engine.deadlines import tick

    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            _fail(text(N_("--now «%(value)s» bukan waktu ISO seperti 2026-12-31T23:00"), value=echoed(now_text)))
        try:  # as the deadlines are stored (UTC): year 1 at +14:00 is before the first moment a datetime holds
            now = now.astimezone(UTC) if now.tzinfo is not None else now.replace(tzinfo=UTC)
        except OverflowError:
            _fail(text(N_("--now «%(value)s» di luar tahun 1 sampai 9999 menurut UTC"), value=echoed(now_text)))
    from web.cli_org import run_notifications

    report = tick(_session(), now=now)
    say(N_("diingatkan %(reminded)s, dieskalasi %(escalated)s, dijalankan %(fired)s, gagal %(failed)s, titik pantau "
           "ditutup %(closed)s, dijalankan karena peran kosong %(vacant)s"), reminded=report.reminded,
        escalated=report.escalated, fired=report.fired, failed=len(report.failed), closed=report.checkpoints_closed,
        vacant=report.vacancies_filled)
    for line in report.failed:
        click.echo(f"  {line}", err=True)
    for line in run_notifications(now):
        click.echo(line)


@cli.group("feedback")
def feedback_group() -> None:
    """Feedback (360) answers."""


@feedback_group.command("rekey")
@with_appcontext
def feedback_rekey_cmd() -> None:
    """Replace the unkeyed respondent keys of answers given before the respondent secret by keyed ones.

    Run once after upgrading, with the instance's respondent secret in place (SIKLUS_RESPONDENT_SECRET
    or instance/respondent.key); running it again changes nothing.
    """
    from engine.feedback import rekey_legacy_answers

    done = rekey_legacy_answers(_session())
    if done:
        say(N_("%(count)s jawaban umpan balik diberi kunci responden yang baru"), count=done)
    else:
        say(N_("setiap jawaban umpan balik sudah memakai kunci responden yang dikunci"))


def _problem_in(problem: Problem, lang: str) -> str:
    """A cycle-file problem's sentence in ``lang`` (English: the problem's own message)."""
    return problem.message if lang == "en" else problem_text(problem, lang)


@cli.command("graph")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False), help="Also write an SVG drawing here.")
@click.option("--lang", type=click.Choice(["id", "en"]),
              help="Language of the report: id or en (default: the one siklus --lang or SIKLUS_LANG chose, else id).")
def graph_cmd(file: str, svg_path: str | None, lang: str | None) -> None:
    """Print a cycle as Mermaid text (and draw it as SVG with --svg)."""
    from engine.graph import to_mermaid, to_svg
    from engine.validation import load_definition_file

    lang = report_language(lang)
    try:
        defn = load_definition_file(file)
    except DefinitionError as exc:
        for problem in exc.problems:  # in the drawing's language
            click.echo(f"{problem.file}:{problem.line}:{problem.col}: {_problem_in(problem, lang)}", err=True)
        sys.exit(1)
    click.echo(to_mermaid(defn, lang))
    if svg_path:
        Path(svg_path).write_text(to_svg(defn, lang), encoding="utf-8")
        say(N_("ditulis ke %(path)s"), err=True, path=svg_path)


@cli.command("simulate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--period", help="Period to simulate (default: the current one of the cycle's period kind).")
@click.option("--lang", type=click.Choice(["id", "en"]),
              help="Language of the report: id or en (default: the one siklus --lang or SIKLUS_LANG chose, else id).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file instead of text.")
def simulate_cmd(files: tuple[str, ...], period: str | None, lang: str | None, as_json: bool) -> None:
    """Dry-run cycle files before publishing: walk every path with generated people and inputs.

    Reports states never reached, paths that never end, transitions no role can fire and deadlines
    that could never be met, and prints the timeline of one typical path. Exit 0 when clean, 1 when a
    problem is found, 2 when a file does not validate.
    """
    from engine.simulate import format_report, simulate

    lang = report_language(lang)
    worst = 0
    for name in files:
        try:
            report = simulate(Path(name).read_bytes().decode("utf-8"), name, period=period)
        except DefinitionError as exc:
            for problem in exc.problems:  # in the report's language
                click.echo(f"{problem.file}:{problem.line}:{problem.col}: {_problem_in(problem, lang)}", err=True)
            worst = 2
            continue
        except UnicodeDecodeError:
            click.echo(text(N_("%(file)s: bukan teks UTF-8"), lang, file=name), err=True)
            worst = 2
            continue
        if as_json:
            click.echo(json.dumps({"file": name, **report.to_dict()}, ensure_ascii=False))
        else:
            click.echo(f"== {name}")
            click.echo(format_report(report, lang))
        if not report.ok:
            worst = max(worst, 1)
    sys.exit(worst)


@cli.command("migrate-appraisals")
@click.argument("cycle_id")
@click.option("--from", "from_version", type=DATABASE_ID, required=True, help="Version the appraisals run on now.")
@click.option("--to", "to_version", type=DATABASE_ID, required=True, help="Published version to move them to.")
@click.option("--map", "mappings", multiple=True, metavar="OLD=NEW", help="State mapping; repeat for each state.")
@click.option("--run", "run_id", type=DATABASE_ID, help="Only this run.")
@click.option("--dry-run", is_flag=True, help="List what would move, disappear and be recomputed; change nothing.")
@click.option("--leave-stranded", is_flag=True,
              help="Move the others and leave the appraisals the move would strand on their version.")
@click.option("--as", "as_user", help="HR user (default: the CLI operator).")
@with_appcontext
def migrate_cmd(cycle_id: str, from_version: int, to_version: int, mappings: tuple[str, ...], run_id: int | None,
                dry_run: bool, leave_stranded: bool, as_user: str | None) -> None:
    """Move running appraisals to another version of their cycle (audited, in short batches).

    Closed appraisals are never moved. A move that would strand an appraisal is refused before anything
    moves. Each appraisal moves whole or not at all; run the command again to finish a migration that
    stopped, or to move appraisals someone changed while it ran.
    """
    from engine.migration import migrate_appraisals, plan_migration
    from engine.registry import find_record
    from web.cli_migration import message_line, move_lines, refusal_text

    mapping: dict[str, str] = {}
    for item in mappings:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            _fail(text(N_("--map «%(item)s» harus berbentuk LAMA=BARU"), item=echoed(item)))
        if old.strip() in mapping:  # the last would win without a word
            _fail(text(N_("--map menyebut tahap «%(state)s» dua kali"), state=echoed(old.strip())))
        mapping[old.strip()] = new.strip()
    actor = _actor(as_user)  # an unknown --as is refused before the plan, a dry run included
    session = _session()
    source = find_record(session, cycle_id, from_version, status=None)
    target = find_record(session, cycle_id, to_version, status=None)
    plan = plan_migration(session, source, target, mapping, run_id)
    session.rollback()
    labels = {m.from_state: m.from_label for m in plan.moves}
    target_labels = {m.to_state: m.to_label for m in plan.moves}
    for state, n in sorted(plan.by_state.items()):
        to_state = mapping.get(state, state)
        click.echo(f"  {named(state, labels.get(state))} -> {named(to_state, target_labels.get(to_state))}: {n}")
    if plan.left_alone:
        say(N_("dibiarkan (ditutup, tidak pernah dipindah): %(count)s"), count=len(plan.left_alone))
        for kept in plan.left_alone:
            click.echo(f"  #{kept.appraisal_id} {kept.employee} (NIP {kept.nip}): {message_line(kept.reason)}")
    for move in plan.moves:
        lines = [f"{kind}: {detail}" for kind, detail in move_lines(move)]
        if lines:
            click.echo(f"#{move.appraisal_id} {move.employee} (NIP {move.nip}), "
                       f"{named(move.from_state, move.from_label)} -> {named(move.to_state, move.to_label)}")
            for line in lines:
                click.echo(f"  {line}")
    movable = len(plan.moves) - len(plan.stranded)
    if plan.stranded and not leave_stranded:
        _fail(refusal_text(plan))
    if dry_run:
        kept_back = text(N_("; %(count)s yang tertahan akan tetap di v%(version)s"), count=len(plan.stranded),
                         version=from_version) if plan.stranded else ""
        say(N_("uji coba: %(count)s penilaian akan dipindah dari v%(old)s ke v%(new)s%(kept)s"), count=movable,
            old=from_version, new=to_version, kept=kept_back)
        return
    with click.progressbar(length=movable, label=text(N_("Memindahkan")), file=sys.stderr) as bar:
        report = migrate_appraisals(session, source, target, mapping, actor, run_id, progress=bar.update,
                                    leave_stranded=leave_stranded)
    say(N_("%(count)s penilaian dipindah dari v%(old)s ke v%(new)s"), count=report.moved, old=from_version,
        new=to_version)
    for appraisal_id in report.changed:
        say(N_("penilaian #%(id)s berubah selama pemindahan; jalankan lagi untuk memindahkannya"), id=appraisal_id)
    if report.stranded_left:
        say(N_("%(count)s penilaian yang tertahan dibiarkan di v%(version)s: %(ids)s"), count=len(report.stranded_left),
            version=from_version, ids=", ".join(f"#{m.appraisal_id}" for m in report.stranded_left))


@cli.command("demo")
@click.option("--employees", default=240, show_default=True, type=click.IntRange(10, 200_000))
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has employees.")
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option("--agency",
              help="Run an agency's cycle (a file stem under workflows/, e.g. bungo) instead of the national one.")
@click.option("--period", help="Period to launch (default: the current one of the cycle's period kind).")
@with_appcontext
def demo_cmd(employees: int, if_empty: bool, seed: int, agency: str | None, period: str | None) -> None:
    """Seed a realistic organisation, publish a cycle (the national one by default) and spread
    appraisals over its states through the real engine."""
    from engine.demo import available_cycles, seed_demo
    from engine.demo_agency import AGENCIES, seed_agency
    from engine.org import employee_total

    if agency is not None and agency not in available_cycles():
        _fail(text(N_("tidak ada siklus instansi «%(agency)s»; yang tersedia: %(known)s"), agency=agency,
                   known=", ".join(available_cycles())))
    session = _session()
    if if_empty and employee_total(session):
        say(N_("basis data sudah berisi data; demo tidak dimuat"))
        return
    if agency in AGENCIES:
        # The agency's own organisation, SKPs and three past periods (engine.demo_agency).
        logins = seed_agency(session, AGENCIES[agency], seed=seed,
                             progress=lambda line: click.echo(f"  {line}", err=True))
    else:
        with click.progressbar(length=employees, label="Seeding demo", file=sys.stderr) as bar:
            logins = seed_demo(session, employees=employees, seed=seed, progress=bar.update, agency=agency,
                               period=period)
    say(N_("Login demo (kata sandi semuanya: siklus):"))
    for username, what in logins:
        click.echo(f"  {username:<12} {what}")
    click.secho(text(N_("peringatan: login ini memakai kata sandi yang diumumkan dan hanya untuk demo; jangan pernah "
                        "memuat demo ke basis data yang dipakai orang sungguhan.")), fg="yellow", err=True)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", envvar="SIKLUS_WORKERS", default=2, show_default=True, show_envvar=True,
              type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--threads", envvar="SIKLUS_THREADS", default=4, show_default=True, show_envvar=True,
              type=click.IntRange(1, 64), help="Threads per worker.")
@click.option("--timeout", default=60, show_default=True, type=click.IntRange(5, 3600),
              help="Seconds a request may take before its worker is restarted.")
@click.option("--dev", is_flag=True, help="Werkzeug's development server instead (one process, for development only).")
def serve_cmd(host: str, port: int, workers: int, threads: int, timeout: int, dev: bool) -> None:
    """Serve Siklus over HTTP with gunicorn (a production WSGI server).

    Behind a reverse proxy set SIKLUS_PROXY_HOPS to the number of proxies, so client addresses and
    HTTPS are taken from their X-Forwarded-* headers (and from nobody else). See docs/deploy.md.
    """
    from web import ConfigurationError, create_app

    try:
        app = create_app()
    except ConfigurationError as exc:
        _fail(str(exc))
    if dev:
        from werkzeug.serving import run_simple

        click.echo(f"Siklus (development server) on http://{host}:{port}/  (Ctrl+C to stop)")
        run_simple(host, port, app, threaded=True, use_reloader=False)
        return
    from web.server import serve

    click.echo(f"Siklus on http://{host}:{port}/  ({workers} worker(s) x {threads} thread(s); Ctrl+C to stop)")
    serve(app, host=host, port=port, workers=workers, threads=threads, timeout=timeout)


def _register_optional() -> None:
    from web.cli_audit import audit_group
    from web.cli_jobs import worker_cmd
    from web.cli_org import export_org_cmd, export_results_cmd, import_cmd, notify_cmd
    from web.cli_reports import reports_group
    from web.cli_rules import rules_group
    from web.cli_unit_predicate import unit_predicate_group

    cli.add_command(audit_group)
    cli.add_command(reports_group)
    cli.add_command(rules_group)
    cli.add_command(unit_predicate_group)
    for command in (import_cmd, export_org_cmd, export_results_cmd, notify_cmd, worker_cmd):
        cli.add_command(command)


_register_optional()


def main() -> None:
    cli.main(prog_name="siklus")
