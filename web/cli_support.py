"""What every ``siklus`` command shares: the app's session, the person acting, and failing with one line."""

from __future__ import annotations

import errno
import getpass
import os
import sys
from typing import Any, NoReturn

import click
from sqlalchemy.orm import Session

from engine.errors import Problem, SiklusError
from engine.limits import MAX_ID, visible
from engine.permissions import Actor
from web.messages import LANGUAGES, N_, catalogue, error_message, problem_text

# A database id or version on the command line: the same 1 to 2^31-1 the screens and the API accept.
DATABASE_ID = click.IntRange(1, MAX_ID)


def language() -> str:
    """The language of the CLI's messages: ``--lang`` or ``SIKLUS_LANG`` (default English, the operator's;
    ``id`` gives engine refusals and cycle-file problems in Bahasa Indonesia)."""
    chosen = os.environ.get("SIKLUS_LANG", "en")
    return chosen if chosen in LANGUAGES else "en"


def report_language(chosen: str | None) -> str:
    """The language of a report a command draws (``graph``, ``simulate``): its own ``--lang``, else the CLI's
    when one was chosen (``siklus --lang`` or ``SIKLUS_LANG``), else Bahasa Indonesia, the cycle's readers'."""
    if chosen:
        return chosen
    found = os.environ.get("SIKLUS_LANG", "")
    return found if found in LANGUAGES else "id"


def choose_language(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """``--lang``: remembered for the whole command (the renderer reads ``SIKLUS_LANG``)."""
    if value:
        os.environ["SIKLUS_LANG"] = value


LANG_OPTION = click.Option(["--lang"], type=click.Choice(LANGUAGES), expose_value=False, is_eager=True,
                           callback=choose_language,
                           help="Language of engine messages and cycle-file problems: en (default) or id; "
                                "also SIKLUS_LANG.")


def text(msgid: str, lang: str | None = None, **params: Any) -> str:
    """A CLI sentence (Indonesian msgid) in ``lang``, by default the CLI's language."""
    found = catalogue(lang or language()).ugettext(msgid)
    return found % params if params else found


#: Where the command being looked up is kept on the root context (the app is built while it is looked up).
COMMAND_META = "siklus.command"


def schema_command() -> bool:
    """Whether the command run is one of ``siklus db`` (Flask-Migrate's schema commands): a migration signs nothing
    (none writes an audit event, a checkpoint or a keyed respondent key), so a schema upgrade runs while a key file
    is lost, and does not make the lost file again."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.find_root().meta.get(COMMAND_META) == "db"


def error_line(exc: SiklusError) -> str:
    """An engine refusal in the CLI's language (English: the error's own message)."""
    lang = language()
    return exc.message if lang == "en" else (error_message(exc, lang) or exc.message)


def say(msgid: str, *, err: bool = False, **params: Any) -> None:
    """Print a CLI sentence (Indonesian msgid, marked with ``N_``) in the CLI's language."""
    click.echo(text(msgid, **params), err=err)


def named(key: str | None, label: Any) -> str:
    """A state, step or role on a CLI line: its cycle label in Bahasa Indonesia, its key in English (the
    operator's scripts read keys)."""
    if key is None:
        return "-"
    lang = language()
    if lang == "en" or label is None:
        return key
    return str(label.get(lang) if hasattr(label, "get") else label) or key


def problem_line(problem: Problem) -> str:
    """``FILE:LINE:COL: message`` in the CLI's language."""
    lang = language()
    message = problem.message if lang == "en" else problem_text(problem, lang)
    return f"{problem.file}:{problem.line}:{problem.col}: {message}"


def database_problem(exc: BaseException) -> str | None:
    """One line for a database the command cannot use yet, in the CLI's language: no Siklus tables (run
    ``siklus db upgrade`` first) or no server answering; None for any other failure."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    if not isinstance(exc, OperationalError | ProgrammingError):
        return None
    first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else ""
    if "no such table" in first or type(exc.orig).__name__ == "UndefinedTable":
        return text(N_("basis data belum disiapkan (%(detail)s); jalankan dulu «siklus db upgrade», lalu «siklus demo» "
                       "bila ingin data contoh"), detail=first[:120])
    if isinstance(exc, OperationalError) and ("connect" in first or "unable to open" in first):
        return text(N_("basis data tidak dapat dibuka: %(detail)s; periksa DATABASE_URL dan apakah servernya berjalan"),
                    detail=first[:200])
    return None


def fail(message: str, code: int = 1) -> NoReturn:
    """One red line on stderr and the exit code; never a traceback. A character that does not show (a control
    character, a direction mark) is written as its code, wherever in the message it came from."""
    click.secho(visible(text(N_("kesalahan: %(message)s"), message=message), keep="\n"), fg="red", err=True)
    sys.exit(code)


#: Why a file could not be opened, by errno, in words an operator acts on (Indonesian msgids, N_).
_FILE_REASONS = {
    errno.ENOENT: N_("folder atau berkas itu tidak ada; periksa jalurnya"),
    errno.ENOTDIR: N_("sebagian jalurnya bukan folder; periksa jalurnya"),
    errno.EISDIR: N_("itu sebuah folder; beri nama berkas"),
    errno.EACCES: N_("tidak ada izin; pilih folder yang boleh Anda tulis atau baca"),
    errno.EPERM: N_("tidak ada izin; pilih folder yang boleh Anda tulis atau baca"),
    errno.EROFS: N_("sistem berkasnya hanya-baca; pilih folder lain"),
    errno.ENOSPC: N_("disk penuh; kosongkan ruang atau pilih disk lain"),
}


def file_problem(exc: OSError) -> str:
    """A file that could not be read or written, named with the reason (not an 'unexpected' failure)."""
    reason = _FILE_REASONS.get(exc.errno or 0)
    return text(N_("tidak dapat membuka %(path)s: %(reason)s"), path=os.fsdecode(exc.filename),
                reason=text(reason) if reason else (exc.strerror or type(exc).__name__))


def session() -> Session:
    """The app's database session (inside the command's app context)."""
    from web.extensions import db  # loaded only by the commands that use the database

    return db.session()


def actor(username: str | None) -> Actor:
    """The named user, or the operator running the CLI (acts with HR rights, named in the audit log)."""
    if not username:
        return Actor(user_id=None, username=f"cli:{getpass.getuser()}", grants=(("admin", None),))
    from engine.users import user_named

    user = user_named(session(), username)
    if user is None:
        fail(text(N_("tidak ada pengguna «%(username)s»"), username=username))
    return Actor.of(user)
