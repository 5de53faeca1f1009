"""``siklus import``, ``siklus export-org``, ``siklus export-results`` and ``siklus notify``.

``siklus import FILE [--dry-run]`` reads units and employees from CSV or XLSX (docs/import.md); a
rejected file prints each problem as ``FILE:ROW: column: message``, writes nothing and exits 1.
``siklus export-results --period P`` writes the e-Kinerja predicate list; ``siklus notify`` turns new
audit events into notices and e-mails what waits in the outbox (``siklus tick`` does the same).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import click
from flask.cli import with_appcontext

from engine.access import HrScope
from engine.limits import echoed, visible
from engine.mail import MailSettings, SmtpMailer
from web.cli_support import actor as _actor
from web.cli_support import fail, language, say, text
from web.cli_support import session as _session
from web.messages import N_, message_text

if TYPE_CHECKING:
    from engine.orgimport import RowError


def mail_settings() -> MailSettings | None:
    """SMTP settings from the environment, overridden by the app's config; None without SIKLUS_SMTP_HOST."""
    from flask import current_app

    values: dict[str, Any] = {k: v for k, v in os.environ.items() if k.startswith("SIKLUS_")}
    values.update({k: v for k, v in current_app.config.items() if k.startswith("SIKLUS_")})
    return MailSettings.from_mapping(values)


def run_notifications(now: datetime | None = None) -> list[str]:
    """Dispatch every pending audit event, then deliver e-mail; one line per step for the operator."""
    from engine.notifications import dispatch
    from engine.outbox import deliver, outbox_counts

    session = _session()
    created = events = 0
    while True:
        report = dispatch(session, now=now)
        created += report.created
        events += report.events
        if not report.more:
            break
    settings = mail_settings()
    sent = deliver(session, mailer=SmtpMailer(settings) if settings else None)
    counts = outbox_counts(session)
    lines = [text(N_("notifikasi: %(count)s baru dari %(events)s peristiwa"), count=created, events=events)]
    if settings:
        lines.append(text(N_("e-mail: %(sent)s terkirim, %(failed)s gagal, %(waiting)s menunggu"), sent=sent,
                          failed=counts.get("failed", 0), waiting=counts.get("outbox", 0)))
    else:
        lines.append(text(N_("e-mail: SMTP belum diatur (SIKLUS_SMTP_HOST); %(waiting)s di kotak keluar"),
                          waiting=counts.get("outbox", 0)))
    return lines


@click.command("notify")
@with_appcontext
def notify_cmd() -> None:
    """Turn new audit events into notices and e-mail the outbox (once; run it from cron or use tick)."""
    for line in run_notifications():
        click.echo(line)


class _Progress:
    """A progress bar that appears once the total is known (only for files worth waiting on)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if total < 1000:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def row_error_text(error: RowError) -> str:
    """A row problem in the CLI's language (English: the import's own sentence, as scripts read it)."""
    lang = language()
    return error.message if lang == "en" else message_text(error.msg, lang)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and count the changes; write nothing.")
@click.option("--as", "as_user", help="Admin or HR user to import as (default: the CLI operator).")
@with_appcontext
def import_cmd(file: str, dry_run: bool, as_user: str | None) -> None:
    """Import units and employees from a CSV or XLSX file (an upsert; see docs/import.md)."""
    from engine.limits import ORG_IMPORT_FILE, check_size
    from engine.orgimport import import_org

    check_size(ORG_IMPORT_FILE, Path(file).stat().st_size, Path(file).name)  # before reading it into memory
    progress = _Progress(text(N_("Mengimpor %(file)s"), file=Path(file).name))
    try:
        report = import_org(_session(), Path(file).read_bytes(), Path(file).name, _actor(as_user), dry_run=dry_run,
                            progress=progress)
    finally:
        progress.close()
    if not report.ok:
        file = visible(file)  # the path as typed, nothing in it hidden: it begins each line
        for error in report.errors:
            where = f"{file}:{error.row}: {error.column}: " if error.column else f"{file}:{error.row}: "
            click.echo(where + row_error_text(error), err=True)
        click.secho(text(N_("%(file)s: ditolak, %(count)s masalah; tidak ada yang disimpan"), file=file,
                         count=len(report.errors)), fg="red", err=True)
        sys.exit(1)
    say(N_("%(file)s: %(rows)s baris; unit %(units_new)s dibuat, %(units_changed)s diubah; pegawai %(people_new)s "
           "dibuat, %(people_changed)s diubah; %(unchanged)s tidak berubah"), file=file, rows=report.rows,
        units_new=report.units_created, units_changed=report.units_updated, people_new=report.employees_created,
        people_changed=report.employees_updated, unchanged=report.unchanged)
    if report.designations_set or report.designations_cleared:
        say(N_("pejabat penilai: %(set)s ditunjuk atau diubah, %(cleared)s dihapus"), set=report.designations_set,
            cleared=report.designations_cleared)
    if dry_run:
        say(N_("uji coba: tidak ada yang ditulis (perubahan ini akan dibuat)"))


def _write(data: bytes, output: str | None) -> None:
    _write_chunks((data,), output)


@contextmanager
def _target(output: str) -> Iterator[BinaryIO]:
    """The file an export is written to. A file (new, or one there already) is written beside it and put in its
    place only when whole: an export that fails half-way (a full disk, a refusal while streaming) leaves no
    half-written file, and an earlier export under that name as it was. A device or a pipe is written directly.
    A failure names ``output`` (the CLI says which file and why), not the temporary file."""
    path = Path(output)
    direct = path.exists() and not path.is_file()
    temporary = path if direct else path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(temporary, "wb") as stream:
            yield stream
        if not direct:
            os.replace(temporary, path)
    except BaseException as exc:
        if not direct:
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            exc.filename = output
        raise


def _write_chunks(chunks: Iterable[bytes], output: str | None) -> None:
    """Write a streamed export as it is produced (to the file, or standard output)."""
    if output:
        with _target(output) as target:
            for chunk in chunks:
                target.write(chunk)
        say(N_("ditulis ke %(path)s"), err=True, path=output)
        return
    try:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
    except OSError as exc:  # standard output redirected to a full disk: named, not 'unexpected'
        exc.filename = "<stdout>"
        raise


def _format_of(fmt: str | None, output: str | None) -> str:
    """The export's format: ``--format``, else the output file's extension (.csv or .xlsx), else CSV.

    Another extension (hasil.pdf, hasil.xls) is refused: CSV written under it would open as a broken file.
    """
    if fmt:
        return fmt
    extension = Path(output).suffix.lower() if output else ""
    if extension in ("", ".csv", ".xlsx"):
        return "xlsx" if extension == ".xlsx" else "csv"
    raise click.UsageError(text(N_("%(path)s: format berkas %(extension)s tidak dikenal; beri nama .csv atau .xlsx, "
                                   "atau pilih --format"), path=output, extension=extension))


@click.command("export-org")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), help="Default: by the file name, else csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: standard output).")
@with_appcontext
def export_org_cmd(fmt: str | None, output: str | None) -> None:
    """Write every unit and employee in the shape ``siklus import`` reads."""
    from engine.org_export import export_org

    fmt = _format_of(fmt, output)
    if fmt == "xlsx" and not output:
        raise click.UsageError(text(N_("ekspor XLSX memerlukan -o BERKAS")))
    _write(export_org(_session(), fmt), output)


@click.command("export-results")
@click.option("--period", required=True, help="e.g. 2026, 2026-S1 (the run's period).")
@click.option("--unit", help="Unit code (sub-units included; default: every unit).")
@click.option("--cycle", "cycle_id", help="Only this cycle id.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), help="Default: by the file name, else csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: standard output).")
@with_appcontext
def export_results_cmd(period: str, unit: str | None, cycle_id: str | None, fmt: str | None,
                       output: str | None) -> None:
    """Results of a period as the e-Kinerja predicate list (NIP, name, unit, ratings, predicate)."""
    from engine.export import iter_results, results_csv_stream, results_xlsx_stream, run_periods
    from engine.registry import find_record
    from engine.runs import find_unit, unit_and_descendants

    session = _session()
    fmt = _format_of(fmt, output)
    if fmt == "xlsx" and not output:
        raise click.UsageError(text(N_("ekspor XLSX memerlukan -o BERKAS")))
    if cycle_id:  # a mistyped cycle is named with the known ones, not exported as an empty list
        find_record(session, cycle_id, status=None)
    known = run_periods(session, cycle_id)
    if period not in known:  # nor a period no run was launched for
        fail(text(N_("tidak ada putaran untuk periode «%(period)s»; periode yang ada: %(known)s"),
                  period=echoed(period), known=", ".join(known) or "-"))
    scope = HrScope(True, ())
    if unit:
        scope = HrScope(False, tuple(unit_and_descendants(session, find_unit(session, unit).id)))
    counted = [0]

    def rows() -> Iterator[dict[str, str]]:
        for row in iter_results(session, period=period, scope=scope, cycle_id=cycle_id):
            counted[0] += 1
            yield row

    _write_chunks(results_csv_stream(rows()) if fmt == "csv" else results_xlsx_stream(rows()), output)
    say(N_("%(count)s baris untuk periode %(period)s"), err=True, count=counted[0], period=period)
