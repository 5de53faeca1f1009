"""``siklus reports check``: the appraisal tally the reports count from, held against a recount.

Reports, run progress and calibration sum ``appraisal_tally``, ``indicator_tally`` and ``overdue_tally``
(engine.tallies), which triggers keep in step with the appraisals. ``check`` recounts the open appraisals from
their rows and results and names every key where the two differ; ``--rebuild`` then replaces the tallies with the
recount.

Exit codes: 0 the tally agrees (or was rebuilt and now agrees); 1 a difference was found and left; 2 the check
could not run (an unexpected failure, such as a database that cannot be reached).
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from engine.overdue_sql import OVERDUE
from engine.tallies import Difference, check, rebuild
from engine.tally_sql import ANCESTORS, INDICATORS
from web.cli_support import LANG_OPTION, text
from web.cli_support import session as cli_session
from web.messages import N_

#: Differences printed one by one; the rest are summed up in one line.
SHOWN = 50


@click.group("reports")
def reports_group() -> None:
    """Reports: the appraisal tally they count from."""


def _staff(own: int) -> str:
    return text(N_("pegawainya sendiri")) if own else text(N_("pegawai unit di bawahnya"))


def _line(difference: Difference) -> str:
    """One difference in the CLI's language."""
    if difference.table == ANCESTORS:
        unit, ancestor = difference.key
        return text(N_("BEDA: unit %(unit)s di bawah unit %(ancestor)s: kedalaman tercatat %(tallied)s, "
                       "dihitung %(counted)s (-1: tidak ada)"),
                    unit=unit, ancestor=ancestor, tallied=difference.tallied, counted=difference.counted)
    if difference.table == INDICATORS:
        unit, own, run, definition, indicator, label = difference.key
        return text(N_("BEDA: indikator %(indicator)s (%(label)s) unit %(unit)s (%(staff)s), putaran %(run)s, "
                       "definisi %(definition)s: dinilai/tidak tercapai tercatat %(tallied)s, dihitung %(counted)s"),
                    indicator=indicator, label=label or "-", unit=unit, staff=_staff(own), run=run,
                    definition=definition, tallied="/".join(map(str, difference.tallied)),
                    counted="/".join(map(str, difference.counted)))
    if difference.table == OVERDUE:
        unit, own, run, definition, state, hour = difference.key
        return text(N_("BEDA: tenggat unit %(unit)s (%(staff)s), putaran %(run)s, definisi %(definition)s, tahap "
                       "%(state)s, jam %(hour)s UTC: tercatat %(tallied)s, dihitung %(counted)s"),
                    unit=unit, staff=_staff(own), run=run, definition=definition, state=state, hour=hour,
                    tallied=difference.tallied, counted=difference.counted)
    unit, own, run, definition, state, predicate, rating = difference.key
    return text(N_("BEDA: unit %(unit)s (%(staff)s), putaran %(run)s, definisi %(definition)s, tahap %(state)s, "
                   "predikat %(predicate)s, nilai %(rating)s: tercatat %(tallied)s, dihitung %(counted)s"),
                unit=unit, staff=_staff(own),
                run=run, definition=definition, state=state, predicate=predicate or "-", rating=rating or "-",
                tallied=difference.tallied, counted=difference.counted)


@reports_group.command("check", params=[LANG_OPTION])
@click.option("--rebuild", "rebuild_", is_flag=True,
              help="Replace the tally with the recount after naming the differences.")
@with_appcontext
def check_cmd(rebuild_: bool) -> None:
    """Recount the open appraisals and name every key where the appraisal tally differs (exit 1)."""
    session = cli_session()
    try:
        differences = check(session)
        for difference in differences[:SHOWN]:
            click.secho(_line(difference), fg="red", err=True)
        if len(differences) > SHOWN:
            click.secho(text(N_("BEDA: ... dan %(more)s lagi"), more=len(differences) - SHOWN), fg="red", err=True)
        if rebuild_:
            rows = rebuild(session)
            session.commit()
            click.echo(text(N_("Rekap dibangun ulang dari penilaian: %(rows)s baris."), rows=rows))
            differences = check(session)
        if differences:
            raise SystemExit(1)
        click.echo(text(N_("Rekap penilaian sesuai dengan hitungan ulang.")))
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 (any failure of the check itself is exit 2, named)
        session.rollback()
        click.secho(f"error: {type(exc).__name__}: {exc}", fg="red", err=True)
        raise SystemExit(2) from exc


__all__ = ["reports_group"]
