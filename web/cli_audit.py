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

    Replay also checks each recorded step against its cycle and computes again every result the chain
    determines (IKI achievements, ratings, predicates) from the recorded decisions.

    By default a chain unchanged since the last run is confirmed by its verified head (its last event
    re-hashed, its rows against the signed digest); run with --full regularly to re-hash every event.
    """
    if head and appraisal_id is None:
        _fail(text(N_("--head memerlukan --appraisal: penilaian yang dimaksud dokumen itu")))
    if restart and not full:
        _fail(text(N_("--restart hanya bersama --full")))
    if appraisal_id is not None and (full or workers is not None):
        _fail(text(N_("--full, --restart dan --workers berlaku untuk seluruh log; --appraisal memeriksa satu rantai "
                      "secara penuh")))
    if appraisal_id is not None:
        _verify_one(appraisal_id, head, chain_only)
        return
    from flask import current_app

    from engine.audit import verify_all

    update, close = _progress()
    try:
        report = verify_all(current_app.config["SQLALCHEMY_DATABASE_URI"], workers=workers, full=full,
                            restart=restart, data=not chain_only, progress=update,
                            evidence=current_app.config.get("UPLOAD_FOLDER"))
    finally:
        close()
    _report_problems(report.problems, report.unlisted)
    if not report.ok:
        sys.exit(1)
    if report.resumed:
        how = text(N_("%(rechecked)s rantai ditelusuri, %(confirmed)s tidak berubah sejak diverifikasi, dilanjutkan; "
                      "%(seconds)s dtk"), rechecked=report.rechecked, confirmed=report.confirmed,
                   seconds=_seconds(report.seconds))
    else:
        how = text(N_("%(rechecked)s rantai ditelusuri, %(confirmed)s tidak berubah sejak diverifikasi; "
                      "%(seconds)s dtk"), rechecked=report.rechecked, confirmed=report.confirmed,
                   seconds=_seconds(report.seconds))
    click.echo(f"{_intact(report.events, report.streams, None if chain_only else report.appraisals)} ({how})")


def _verify_one(appraisal_id: int, head: str | None, chain_only: bool) -> None:
    from engine.audit import appraisal_stream, check_head, verify_chain

    session = _session()
    report = verify_chain(session, [appraisal_stream(appraisal_id)], data=not chain_only)
    if report.streams == 0 and report.ok:
        _fail(text(N_("tidak ada penilaian #%(id)s dan tidak ada rantainya"), id=appraisal_id))
    _report_problems(report.problems, report.unlisted)
    if head:
        found = check_head(session, appraisal_id, head)
        if found.found_seq is None:
            click.secho(text(N_("RUSAK: tidak ada peristiwa penilaian #%(id)s dengan hash %(head)s: dokumen itu tidak "
                                "berasal dari rantai audit penilaian ini"), id=appraisal_id, head=_shortened(head)),
                        fg="red", err=True)
            sys.exit(1)
        if found.current:
            say(N_("dokumen itu cocok dengan penilaian #%(id)s seperti sekarang (urutan %(seq)s)"), id=appraisal_id,
                seq=found.found_seq)
        else:
            say(N_("dokumen itu cocok dengan penilaian #%(id)s seperti pada urutan %(seq)s; %(count)s perubahan "
                   "tercatat sesudahnya"), id=appraisal_id, seq=found.found_seq,
                count=found.current_seq - found.found_seq)
    if not report.ok:
        sys.exit(1)
    click.echo(_intact(report.events, report.streams, None if chain_only else report.appraisals))


def _intact(events: int, streams: int, appraisals: int | None) -> str:
    """The summary of a log that holds, in the CLI's language; ``appraisals`` None when data was not replayed."""
    if appraisals is None:
        return text(N_("rantai audit utuh: %(events)s peristiwa dalam %(streams)s rantai"), events=events,
                    streams=streams)
    return text(N_("rantai audit utuh: %(events)s peristiwa dalam %(streams)s rantai; data %(appraisals)s penilaian "
                   "cocok dengan rantainya"), events=events, streams=streams, appraisals=appraisals)


def _seconds(seconds: float) -> str:
    """Seconds to one decimal, with the CLI language's decimal mark (1.5 s, 1,5 dtk)."""
    from babel.numbers import format_decimal

    return format_decimal(seconds, format="0.0", locale=language())


def _shortened(typed: str, limit: int = 80) -> str:
    """What the operator typed, repeated back in part: a pasted page must not fill the terminal."""
    return typed if len(typed) <= limit else typed[:limit] + "…"


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
        _fail(text(N_("tidak ada yang ditandatangani ulang; pulihkan dulu rantai yang rusak dari cadangan")))
    if dry_run:
        said = N_("%(events)s peristiwa dalam %(streams)s rantai akan ditandatangani ulang; %(started)s rantai "
                  "penilaian akan dimulai, %(closures)s penutupan akan dicatat")
    else:
        said = N_("%(events)s peristiwa dalam %(streams)s rantai ditandatangani ulang; %(started)s rantai penilaian "
                  "dimulai, %(closures)s penutupan dicatat")
    say(said, events=report.events, streams=report.streams, started=report.started, closures=report.closures)


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
