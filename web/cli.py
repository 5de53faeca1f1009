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

from engine.errors import DefinitionError, SiklusError
from web import ConfigurationError
from web.cli_support import DATABASE_ID, LANG_OPTION, error_line, problem_line, text
from web.cli_support import actor as _actor
from web.cli_support import fail as _fail
from web.cli_support import session as _session
from web.messages import N_


def _create_app() -> Any:
    from web import create_app

    return create_app()


class SiklusGroup(FlaskGroup):
    """FlaskGroup that turns Siklus errors into one line and an exit code."""

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
        except Exception as exc:  # an unexpected failure: say what, not a traceback
            if os.environ.get("SIKLUS_DEBUG"):
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (set SIKLUS_DEBUG=1 for details)", code=2)


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
    from engine.registry import publish_source

    record = publish_source(_session(), Path(file).read_text(encoding="utf-8"), file, _actor(as_user))
    click.echo(f"published {record.cycle_id} version {record.version} (hash {record.content_hash[:12]}, #{record.id})")


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
                               label=f"Launching {cycle_id} v{record.version} for {org_unit.code} {period}") as bar:
            outcome = launch_cycle(session, record, org_unit, period, _actor(as_user),
                                   include_subunits=not no_subunits, progress=bar.update)
    except SiklusError as exc:
        for skipped in exc.details.get("skipped", []):
            click.echo(_skipped_line(skipped), err=True)
        raise
    click.echo(f"run #{outcome.run.id}: {outcome.started} appraisal(s) started in {record.cycle_id} "
               f"v{record.version}, {period}")
    if outcome.skipped:
        click.echo(f"{len(outcome.skipped)} employee(s) skipped: they already have an appraisal of "
                   f"{record.cycle_id} in {period}")
        for skipped in outcome.skipped:
            click.echo(_skipped_line(skipped.as_json()))


def _skipped_line(skipped: dict[str, Any]) -> str:
    closed = ", closed" if skipped["closed"] else ""
    return (f"  skipped {skipped['nip']} {skipped['name']}: appraisal #{skipped['appraisal_id']} "
            f"(run #{skipped['run_id']}, {skipped['run_unit']}, {skipped['state']}{closed})")


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
    from engine.runs import add_employee

    added = add_employee(_session(), run_id, nip, _actor(as_user), reason=reason)
    click.echo(f"appraisal #{added.id} started for {added.employee.nip} {added.employee.name} in run #{run_id} "
               f"({added.cycle_id} {added.period}), state {added.state}")


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
    click.echo(f"appraisal #{closed.id} of {closed.employee.nip} {closed.employee.name} closed ({kind}) "
               f"in state {closed.state}")


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
    from engine.runs import transfer_employee

    old, new = transfer_employee(_session(), appraisal_id, to_run, _actor(as_user), reason=reason)
    click.echo(f"appraisal #{old.id} closed (transferred); appraisal #{new.id} started in run #{new.run_id} "
               f"for {new.employee.nip} {new.employee.name}, state {new.state}")


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

    try:
        payload = json.loads(data)
    except json.JSONDecodeError as exc:
        _fail(f"--data is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    outcome = fire_transition(_session(), appraisal_id, trigger, _actor(as_user), payload,
                              expected_version=expected_version, as_role=as_role)
    click.echo(f"appraisal #{outcome.appraisal_id}: {outcome.from_state} -> {outcome.to_state} "
               f"by {as_user} as {outcome.role} (version {outcome.version})")
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
            _fail(f"--now '{now_text}' is not an ISO time such as 2026-12-31T23:00")
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
    from web.cli_org import run_notifications

    report = tick(_session(), now=now)
    click.echo(f"reminded {report.reminded}, escalated {report.escalated}, fired {report.fired}, "
               f"failed {len(report.failed)}, checkpoints closed {report.checkpoints_closed}")
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
    click.echo(f"{done} feedback answer(s) rekeyed with the respondent secret" if done
               else "every feedback answer already has a keyed respondent key")


@cli.command("graph")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False), help="Also write an SVG drawing here.")
@click.option("--lang", default="id", type=click.Choice(["id", "en"]), show_default=True)
def graph_cmd(file: str, svg_path: str | None, lang: str) -> None:
    """Print a cycle as Mermaid text (and draw it as SVG with --svg)."""
    from engine.graph import to_mermaid, to_svg
    from engine.validation import load_definition_file

    try:
        defn = load_definition_file(file)
    except DefinitionError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    click.echo(to_mermaid(defn, lang))
    if svg_path:
        Path(svg_path).write_text(to_svg(defn, lang), encoding="utf-8")
        click.echo(f"wrote {svg_path}", err=True)


@cli.command("simulate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--period", help="Period to simulate (default: the current one of the cycle's period kind).")
@click.option("--lang", default="id", type=click.Choice(["id", "en"]), show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file instead of text.")
def simulate_cmd(files: tuple[str, ...], period: str | None, lang: str, as_json: bool) -> None:
    """Dry-run cycle files before publishing: walk every path with generated people and inputs.

    Reports states never reached, paths that never end, transitions no role can fire and deadlines
    that could never be met, and prints the timeline of one typical path. Exit 0 when clean, 1 when a
    problem is found, 2 when a file does not validate.
    """
    from engine.simulate import format_report, simulate

    worst = 0
    for name in files:
        try:
            report = simulate(Path(name).read_bytes().decode("utf-8"), name, period=period)
        except DefinitionError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            worst = 2
            continue
        except UnicodeDecodeError:
            click.echo(f"{name}: not UTF-8 text", err=True)
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
    from engine.migration import migrate_appraisals, plan_migration, refusal
    from engine.registry import find_record

    mapping: dict[str, str] = {}
    for item in mappings:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            _fail(f"--map '{item}' must look like OLD=NEW")
        mapping[old.strip()] = new.strip()
    session = _session()
    source = find_record(session, cycle_id, from_version, status=None)
    target = find_record(session, cycle_id, to_version, status=None)
    plan = plan_migration(session, source, target, mapping, run_id)
    session.rollback()
    for state, n in sorted(plan.by_state.items()):
        click.echo(f"  {state} -> {mapping.get(state, state)}: {n}")
    if plan.left_alone:
        click.echo(f"left alone (closed, never moved): {len(plan.left_alone)}")
        for kept in plan.left_alone:
            click.echo(f"  #{kept.appraisal_id} {kept.employee} (NIP {kept.nip}): {kept.reason}")
    for move in plan.moves:
        lines = [f"{kind}: {text}" for kind, text in _move_lines(move)]
        if lines:
            click.echo(f"#{move.appraisal_id} {move.employee} (NIP {move.nip}), {move.from_state} -> {move.to_state}")
            for line in lines:
                click.echo(f"  {line}")
    movable = len(plan.moves) - len(plan.stranded)
    if plan.stranded and not leave_stranded:
        _fail(refusal(plan))
    if dry_run:
        kept_back = f"; {len(plan.stranded)} stranded one(s) would stay on v{from_version}" if plan.stranded else ""
        click.echo(f"dry run: {movable} appraisal(s) would move from v{from_version} to v{to_version}{kept_back}")
        return
    with click.progressbar(length=movable, label="Migrating", file=sys.stderr) as bar:
        report = migrate_appraisals(session, source, target, mapping, _actor(as_user), run_id, progress=bar.update,
                                    leave_stranded=leave_stranded)
    click.echo(f"moved {report.moved} appraisal(s) from v{from_version} to v{to_version}")
    for appraisal_id in report.changed:
        click.echo(f"appraisal #{appraisal_id} changed while migrating; run again to move it")
    if report.stranded_left:
        click.echo(f"left {len(report.stranded_left)} stranded appraisal(s) on v{from_version}: "
                   + ", ".join(f"#{m.appraisal_id}" for m in report.stranded_left))


def _move_lines(move: Any) -> list[tuple[str, str]]:
    """What a planned move makes disappear, recomputes or cannot do, one line each."""
    out = []
    gone = [f"indicator {k}" + (f" (realisation {v:g})" if v is not None else "")
            for k, v in move.dropped_indicators.items()]
    gone += [f"result {n} (= {json.dumps(v, ensure_ascii=False)})" for n, v in move.dropped_results.items()]
    gone += [f"saved data {k}" for k in move.dropped_data]
    if gone:
        out.append(("would disappear", ", ".join(gone)))
    if move.recomputed:
        out.append(("would be recomputed", ", ".join(
            f"{n} {json.dumps(a, ensure_ascii=False)} -> {json.dumps(b, ensure_ascii=False)}"
            for n, (a, b) in move.recomputed.items())))
    for reason in move.stranded:
        out.append(("stranded", reason))
    for reason in move.stuck_already:
        out.append(("cannot go on on its current version either (moved as it is)", reason))
    return out


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
        _fail(f"no agency cycle '{agency}'; available: {', '.join(available_cycles())}")
    session = _session()
    if if_empty and employee_total(session):
        click.echo("database already has data; demo not loaded")
        return
    if agency in AGENCIES:
        # The agency's own organisation, SKPs and three past periods (engine.demo_agency).
        logins = seed_agency(session, AGENCIES[agency], seed=seed,
                             progress=lambda line: click.echo(f"  {line}", err=True))
    else:
        with click.progressbar(length=employees, label="Seeding demo", file=sys.stderr) as bar:
            logins = seed_demo(session, employees=employees, seed=seed, progress=bar.update, agency=agency,
                               period=period)
    click.echo("Demo logins (password for all: siklus):")
    for username, what in logins:
        click.echo(f"  {username:<12} {what}")
    click.secho("warning: these logins share a published password and are for a demo only; never load the "
                "demo into a database that real people use.", fg="yellow", err=True)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=lambda: int(os.environ.get("SIKLUS_WORKERS", "2")),
              show_default="2 or SIKLUS_WORKERS",
              type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--threads", default=lambda: int(os.environ.get("SIKLUS_THREADS", "4")),
              show_default="4 or SIKLUS_THREADS",
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
