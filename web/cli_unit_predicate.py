"""``siklus unit-predicate record`` and ``siklus unit-predicate list``: the organisation's predicate of a
run's units as recorded decisions with their penetapan (engine.unit_predicate; docs/rules.md).

A refusal (a predicate outside the five, a period outside the run, a file that is not a PDF or too large,
someone without authority) prints one line on stderr, writes nothing and exits 1.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from engine.errors import Forbidden
from engine.limits import MAX_ID, check_size, upload_name
from engine.messages import Message
from engine.permissions import Actor
from engine.runs import find_unit, get_run
from engine.unit_predicate import PENETAPAN_FILE, Penetapan, record_unit_predicate, run_decisions
from engine.users import user_named
from rules.terms import UNIT_PREDICATES
from web.cli_support import say, text
from web.cli_support import session as cli_session
from web.messages import N_


def _named_actor(username: str) -> Actor:
    """The user recording: decisions name who recorded them, so the CLI acts as a named user."""
    user = user_named(cli_session(), username)
    if user is None:
        raise Forbidden(f"no user '{username}'", msg=Message("cli.no_user", username=username))
    return Actor.of(user)


@click.group("unit-predicate")
def unit_predicate_group() -> None:
    """The organisation's predicate (predikat kinerja organisasi) of a run's units, per period."""


@unit_predicate_group.command("record")
@click.argument("run_id", type=click.IntRange(1, MAX_ID))
@click.option("--predicate", required=True, help=f"One of: {', '.join(UNIT_PREDICATES)}.")
@click.option("--date", "decided_on", required=True, help="Date of the penetapan, e.g. 2026-12-20.")
@click.option("--decided-by", required=True, help="Who decided, as the penetapan names them (e.g. 'Bupati Solok').")
@click.option("--penetapan", "document", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=f"The signed penetapan, a PDF of at most {PENETAPAN_FILE.shown}.")
@click.option("--unit", help="Code of the unit (the run's unit or one below it; default: the run's unit).")
@click.option("--period", help="The run's period or one within it: 2026, 2026-S1, 2026-Q3, 2026-07 "
                               "(default: the run's period).")
@click.option("--as", "as_user", required=True, help="The HR user or authorised official recording it.")
@with_appcontext
def record_cmd(run_id: int, predicate: str, decided_on: str, decided_by: str, document: Path, unit: str | None,
               period: str | None, as_user: str) -> None:
    """Record a unit's organisation predicate for a period with its penetapan; supersedes the standing one.

    Exit 1 (nothing written) for a predicate outside the five, a period outside the run, a file that is
    not a PDF or too large, or a user without authority over the unit.
    """
    session = cli_session()
    actor = _named_actor(as_user)
    run = get_run(session, run_id)
    unit_id = find_unit(session, unit).id if unit else run.unit_id
    with document.open("rb") as f:
        # A file over the limit is named with its own size, not read: the size a refusal reports is the file's.
        size = os.fstat(f.fileno()).st_size
        check_size(PENETAPAN_FILE, size, upload_name(document.name, "penetapan"))
        content = f.read(PENETAPAN_FILE.max_bytes + 1)
    decision = record_unit_predicate(
        session, actor, run_id=run.id, unit_id=unit_id, period=period or run.period, predicate=predicate,
        decided_on=decided_on, decided_by=decided_by, document=Penetapan(document.name, content),
        storage=Path(current_app.config["UPLOAD_FOLDER"]))
    say(N_("keputusan #%(id)s: %(unit)s %(period)s berpredikat %(predicate)s (ditetapkan %(day)s oleh %(by)s; "
           "penetapan %(file)s, sha256 %(sha)s)"), id=decision.id, unit=decision.unit.name, period=decision.period,
        predicate=decision.predicate, day=decision.decided_on.isoformat(), by=decision.decided_by,
        file=decision.document_name, sha=decision.document_sha256[:16])


@unit_predicate_group.command("list")
@click.argument("run_id", type=click.IntRange(1, MAX_ID))
@click.option("--as", "as_user", required=True, help="The HR user or authorised official reading them.")
@with_appcontext
def list_cmd(run_id: int, as_user: str) -> None:
    """The decisions for the run's units and periods, newest first within each; superseded ones marked."""
    shown = run_decisions(cli_session(), _named_actor(as_user), run_id)
    if not shown.decisions:
        say(N_("belum ada predikat kinerja organisasi yang dicatat untuk unit-unit putaran #%(run)s"), run=run_id)
    for d in shown.decisions:
        status = (text(N_("digantikan oleh #%(id)s"), id=d.superseded_by_id) if d.superseded_at is not None
                  else text(N_("berlaku")))
        click.echo(f"#{d.id}\t{d.unit.code}\t{d.period}\t{d.predicate}\t{d.decided_on.isoformat()}\t{d.decided_by}\t"
                   f"{status}")


__all__ = ["unit_predicate_group"]
