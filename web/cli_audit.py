"""``siklus audit verify``, ``siklus audit rekey`` and ``siklus audit canonicalise``: the tamper-evident audit log
from the command line.

``siklus audit verify`` checks the whole log (:func:`engine.audit.verify_all`): by default only the
chains that moved since the last run are walked again (the others are confirmed by their verified
head), in parallel processes, with a progress bar on a terminal; ``--full`` walks every chain again
(resuming a full run that was interrupted). With ``--appraisal`` it checks one appraisal's chain and,
with ``--head``, whether a document's printed hash comes from it.

Exit codes: 0 the log holds; 1 a problem was found (each named on stderr), a document's hash is not in
the chain, or the arguments are wrong; 2 the check could not run (an unexpected failure, such as a
database that cannot be reached).
"""

from __future__ import annotations

import sys
from typing import Any

import click
from flask.cli import with_appcontext

from web.cli_support import DATABASE_ID, language, say, text
from web.cli_support import actor as _actor
from web.cli_support import fail as _fail
from web.cli_support import session as _session
from web.messages import N_, finding_text


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit log."""


def _progress(label: str = "verifying") -> tuple[Any, Any]:
    """A progress callback drawing a bar on a terminal (nothing when stderr is not one), and its closer."""
    if not sys.stderr.isatty():
        return None, lambda: None
    bars: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=max(total, 1), label=label, file=sys.stderr,
                                          show_pos=True, show_eta=True))
            bars[0].__enter__()
        bars[0].update(done - bars[0].pos)

    def close() -> None:
        if bars:
            bars[0].__exit__(None, None, None)

    return update, close


def _report_problems(problems: tuple[str, ...], unlisted: int) -> None:
    """Each problem on stderr, in the CLI's language (``--lang id``: Bahasa Indonesia)."""
    lang = language()
    for problem in problems:
        click.secho(text(N_("RUSAK: %(problem)s"), problem=finding_text(problem, lang)), fg="red", err=True)
    if unlisted:
        click.secho(text(N_("RUSAK: ... dan %(count)s masalah lain"), count=unlisted), fg="red", err=True)


@audit_group.command("verify")
@click.option("--appraisal", "appraisal_id", type=DATABASE_ID, help="Verify only this appraisal's chain and data.")
@click.option("--head", help="With --appraisal: the audit hash printed on a document (PDF, export) to check.")
@click.option("--chain-only", is_flag=True, help="Check the links and signatures only, without replaying the data.")
@click.option("--full", is_flag=True,
              help="Walk every chain again, not only those that moved since the last run (resumes an interrupted "
                   "full run).")
@click.option("--restart", is_flag=True, help="With --full: start the full run over instead of resuming it.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes checking chains side by side (default: one per core).")
@with_appcontext
def audit_verify_cmd(appraisal_id: int | None, head: str | None, chain_only: bool, full: bool, restart: bool,
                     workers: int | None) -> None:
    """Walk the chains and replay them against the live rows; name each difference and exit 1, or confirm it holds.

    By default a chain unchanged since the last run is confirmed by its verified head (its last event
    re-hashed, its rows against the signed digest); run with --full regularly to re-hash every event.
    """
    if head and appraisal_id is None:
        _fail("--head needs --appraisal: the appraisal the document is about")
    if restart and not full:
        _fail("--restart goes with --full")
    if appraisal_id is not None and (full or workers is not None):
        _fail("--full, --restart and --workers apply to the whole log; --appraisal checks one chain in full")
    if appraisal_id is not None:
        _verify_one(appraisal_id, head, chain_only)
        return
    from flask import current_app

    from engine.audit import verify_all

    update, close = _progress()
    try:
        report = verify_all(current_app.config["SQLALCHEMY_DATABASE_URI"], workers=workers, full=full,
                            restart=restart, data=not chain_only, progress=update)
    finally:
        close()
    _report_problems(report.problems, report.unlisted)
    if not report.ok:
        sys.exit(1)
    what = "" if chain_only else f"; the data of {report.appraisals} appraisal(s) match their chains"
    how = (f" ({report.rechecked} chain(s) walked, {report.confirmed} unchanged since verified"
           f"{', resumed' if report.resumed else ''}; {report.seconds:.1f} s)")
    click.echo(f"audit chain intact: {report.events} event(s) in {report.streams} chain(s){what}{how}")


def _verify_one(appraisal_id: int, head: str | None, chain_only: bool) -> None:
    from engine.audit import appraisal_stream, check_head, verify_chain

    session = _session()
    report = verify_chain(session, [appraisal_stream(appraisal_id)], data=not chain_only)
    if report.streams == 0 and report.ok:
        _fail(f"no appraisal #{appraisal_id} and no chain of it")
    _report_problems(report.problems, report.unlisted)
    if head:
        found = check_head(session, appraisal_id, head)
        if found.found_seq is None:
            click.secho(f"BROKEN: no event of appraisal #{appraisal_id} has the hash {head}: the document does not "
                        "come from this appraisal's audit chain", fg="red", err=True)
            sys.exit(1)
        if found.current:
            click.echo(f"the document matches appraisal #{appraisal_id} as it stands (seq {found.found_seq})")
        else:
            click.echo(f"the document matches appraisal #{appraisal_id} as it stood at seq {found.found_seq}; "
                       f"{found.current_seq - found.found_seq} change(s) were recorded since")
    if not report.ok:
        sys.exit(1)
    what = "" if chain_only else f"; the data of {report.appraisals} appraisal(s) match their chains"
    click.echo(f"audit chain intact: {report.events} event(s) in {report.streams} chain(s){what}")


@audit_group.command("rekey")
@click.option("--dry-run", is_flag=True, help="Check and count what would be re-signed; change nothing.")
@click.option("--as", "username", help="Act as this user (named in the audit log).")
@with_appcontext
def audit_rekey_cmd(dry_run: bool, username: str | None) -> None:
    """Sign every event not signed with the current audit key (events of earlier versions, a retired key).

    Each chain is checked with its old hashes first; a broken one is named and nothing changes.
    Appraisals launched before they had a chain get one. The system chain records the re-signing.
    """
    from engine.audit import rekey

    actor = _actor(username)
    report = rekey(_session(), actor.username, actor.user_id, dry_run=dry_run)
    _report_problems(report.problems, 0)
    if not report.ok:
        _fail("nothing was re-signed; restore the broken chain(s) from a backup first")
    verb = "would re-sign" if dry_run else "re-signed"
    click.echo(f"{verb} {report.events} event(s) in {report.streams} chain(s); "
               f"{report.started} appraisal chain(s) {'would be ' if dry_run else ''}started, "
               f"{report.closures} closure(s) {'would be ' if dry_run else ''}recorded")


@audit_group.command("canonicalise")
@click.option("--dry-run", is_flag=True, help="Count the events whose JSON text would be rewritten; change nothing.")
@with_appcontext
def audit_canonicalise_cmd(dry_run: bool) -> None:
    """Store the JSON of events written by earlier versions in the canonical text their hash is taken over.

    Nothing hashed changes, so every event verifies as before; `siklus audit verify` then hashes the
    stored text without decoding it. In batches, one transaction each; a second run finds nothing to do.
    """
    from engine.audit.canonical import canonicalise

    update, close = _progress("rewriting")
    try:
        report = canonicalise(_session(), dry_run=dry_run, progress=update)
    finally:
        close()
    if dry_run:
        say(N_("teks JSON %(rewritten)s dari %(events)s peristiwa akan ditulis ulang dalam bentuk kanonis"),
            rewritten=report.rewritten, events=report.events)
    else:
        say(N_("teks JSON %(rewritten)s dari %(events)s peristiwa ditulis ulang dalam bentuk kanonis"),
            rewritten=report.rewritten, events=report.events)
