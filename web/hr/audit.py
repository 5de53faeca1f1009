"""HR screens: the audit log.

Events are filtered by employee, acting user, unit, local date range and kind or trigger, and are only
ever those of the units the HR officer oversees (:func:`engine.access.hr_scope`); events filed under
no unit (publishing a definition) are for HR of every unit. Pages are keyset-paginated, newest first.
Each page verifies the chains of the streams it shows (:func:`engine.audit.verify_chain`); a separate
POST walks every stream in scope. The CSV export streams the filtered set from one joined query.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from flask import flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.access import HrScope
from engine.audit import SYSTEM_STREAM, ChainReport, appraisal_stream, check_head, verify_chain
from engine.audit.page_walk import system_walk
from engine.audit_search import (
    EventQuery,
    FoundEvent,
    UnitChoice,
    appraisal_in_scope,
    choose_unit,
    event_page,
    exported_events,
    verify_scope,
)
from engine.calendar import local_zone
from engine.db import snapshot_session
from engine.definition import CycleDefinition, Text
from engine.errors import InvalidInput
from engine.ikm_survey import ROLE as PUBLIC_ROLE
from engine.jobs.verify import enqueue_verify, events_to_walk
from engine.limits import parse_id
from engine.org_levels import UnitRef
from engine.permissions import SYSTEM_ROLE
from engine.tables import csv_line
from web.appraisals.present import DEADLINE_ACTIONS
from web.auth import safe_next
from web.context import current_actor, unit_of_work
from web.context import current_hr_scope as _scope
from web.context import db_session as _db
from web.filters import local_time, localized, message
from web.hr.blueprint import bp
from web.inputs import content_disposition, query_id, query_text
from web.jobs import verify_inline_max

PAGE_SIZE = 50
CSV_DELIMITER = ";"  # Excel in Indonesian (and most European) locales splits on ';', since ',' is the decimal mark
KINDS = {
    "create": _l("Penilaian dibuat"),
    "enrol": _l("Ditambahkan ke putaran oleh SDM"),
    "close": _l("Penilaian ditutup oleh SDM"),
    "reopen": _l("Penilaian dibuka kembali oleh SDM"),
    "transition": _l("Perpindahan tahap"),
    "skp": _l("SKP diubah"),
    "realisation": _l("Realisasi dicatat"),
    "development": _l("Pengembangan kompetensi"),
    "feedback": _l("Umpan balik"),
    "deadline": _l("Tenggat"),
    "launch": _l("Peluncuran siklus"),
    "publish": _l("Definisi diterbitkan"),
    "retire": _l("Definisi dihentikan"),
    "import": _l("Impor organisasi"),
    "user_create": _l("Pengguna dibuat"),
    "user_activate": _l("Pengguna diaktifkan"),
    "user_deactivate": _l("Pengguna dinonaktifkan"),
    "password_reset": _l("Kata sandi diatur ulang"),
    "token_create": _l("Token API dibuat"),
    "token_revoke": _l("Token API dicabut"),
    "public_answer": _l("Jawaban survei masyarakat diterima"),
    "role_grant": _l("Peran diberikan"),
    "role_revoke": _l("Peran dicabut"),
    "migrate": _l("Pindah versi siklus"),
    "rekey": _l("Log audit ditandatangani ulang"),
    "unit_predicate": _l("Predikat kinerja organisasi ditetapkan"),
    "complaint": _l("Pengaduan masyarakat ditangani"),
    "course_create": _l("Kursus ditambahkan ke katalog pelatihan"),
    "course_update": _l("Kursus katalog pelatihan diubah"),
    "course_retire": _l("Kursus katalog pelatihan dihentikan"),
    "course_reopen": _l("Kursus katalog pelatihan dibuka kembali"),
    "rater_designate": _l("Pejabat penilai ditunjuk"),
    "rater_clear": _l("Penunjukan pejabat penilai dihapus"),
    "cascade": _l("IKI tim (cascading) diubah"),
    "expectation": _l("Ekspektasi pimpinan dicatat"),
    "checkpoint": _l("Catatan evaluasi berkala"),
    "nomination": _l("Usulan responden 360"),
    "chart_seed": _l("Struktur organisasi dicatat saat penyiapan"),
}
_BROKEN_EVENT = re.compile(r"event #(\d+)")
# Roles an event is written under that no cycle declares: HR's own steps and the deadline sweep.
ENGINE_ROLES = {"sdm": _l("SDM"), SYSTEM_ROLE: _l("Sistem")}
# Who acts in an event no account took, by the name the event records (its role, when it has one, is the same):
# the deadline sweep, a member of the public, an anonymous 360 respondent. Named once ("masyarakat sebagai
# masyarakat" said nothing more).
NO_ACCOUNT = {SYSTEM_ROLE: _l("Sistem"), PUBLIC_ROLE: _l("Masyarakat"), "anonim": _l("anonim")}
# A token is recorded under the role "pegawai" when its own account's person makes or revokes it, whether or not
# the account is an employee's: it acts as the account's owner.
TOKEN_KINDS = ("token_create", "token_revoke")
OWN_TOKEN_ROLE = "pegawai"
# A moment in a payload as the engine writes it (ISO 8601 with its offset), shown in the agency's time.
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)")


# -- filters -------------------------------------------------------------------------------------

@dataclass
class AuditFilters:
    """The audit log's filters as given in the query string, and the problems found reading them."""

    employee: str = ""
    acting: str = ""
    unit_id: int | None = None
    unit_text: str = ""  # what the unit field shows: the chosen unit's code, or what was typed
    unit_matches: tuple[UnitRef, ...] = ()  # units matching what was typed, when it named none alone
    more_units: bool = False
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    trigger: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def args(self) -> dict[str, str]:
        """The filters as query arguments (for links to other pages and the export)."""
        out = {"pegawai": self.employee, "pelaku": self.acting, "unit": str(self.unit_id or ""),
               "dari": self.date_from.isoformat() if self.date_from else "",
               "sampai": self.date_to.isoformat() if self.date_to else "",
               "jenis": self.kind, "pemicu": self.trigger}
        return {k: v for k, v in out.items() if v}

    @property
    def any(self) -> bool:
        return bool(self.args())

    def query(self) -> EventQuery:
        """The search these filters ask for (dates are whole days in Western Indonesia Time)."""
        return EventQuery(
            employee=self.employee, acting=self.acting, unit_id=self.unit_id,
            since=_local_midnight(self.date_from) if self.date_from else None,
            before=_local_midnight(self.date_to + timedelta(days=1)) if self.date_to else None,
            kind=self.kind, trigger=self.trigger)


def _date(text: str, name: str, errors: dict[str, str]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors[name] = _("Tanggal tidak dikenali: %(value)s (tulis TTTT-BB-HH, misalnya 2026-03-31).",
                         value=text[:40])
        return None
    try:  # the day's bounds as stored (UTC): the first and last days a date holds have none
        _local_midnight(day).astimezone(UTC)
        _local_midnight(day + timedelta(days=1)).astimezone(UTC)
    except OverflowError:
        errors[name] = _("Tanggal %(value)s di luar jangkauan; tulis tanggal antara tahun 1 dan 9999.", value=text)
        return None
    return day


def _filter_text(args: Any, name: str, limit: int, errors: dict[str, str]) -> str:
    """A text filter; one too long (or with a line break) is named beside its field and not applied."""
    try:
        return query_text(args, name, limit) or ""
    except InvalidInput:
        raw = str(args.get(name) or "")
        errors[name] = (_("Terlalu panjang: paling banyak %(n)d karakter, tertulis %(given)d.", n=limit,
                          given=len(raw)) if len(raw) > limit else _("Tulis tanpa baris baru atau karakter kendali."))
        return ""


def parse_filters(args: Any, scope: HrScope) -> AuditFilters:
    """Read the filters from the query string; a bad value is reported and not applied."""
    errors: dict[str, str] = {}
    unit_text = _filter_text(args, "unit", 120, errors)
    choice = choose_unit(_db(), scope, unit_text) if unit_text else UnitChoice(None)
    if unit_text and choice.unit is None:
        errors["unit"] = (_("Beberapa unit cocok; pilih salah satu.") if choice.matches and parse_id(unit_text) is None
                          else _("Unit itu tidak termasuk unit yang Anda kelola."))
    filters = AuditFilters(
        employee=_filter_text(args, "pegawai", 120, errors),
        acting=_filter_text(args, "pelaku", 120, errors),
        unit_id=choice.unit.id if choice.unit else None,
        unit_text=choice.unit.code if choice.unit else unit_text,
        unit_matches=choice.matches, more_units=choice.more,
        date_from=_date(args.get("dari") or "", "dari", errors),
        date_to=_date(args.get("sampai") or "", "sampai", errors),
        kind=_filter_text(args, "jenis", 32, errors),
        trigger=_filter_text(args, "pemicu", 64, errors),
        errors=errors,
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["sampai"] = _("Tanggal akhir lebih awal daripada tanggal mulai.")
        filters.date_to = None
    return filters


def _local_midnight(day: date) -> datetime:
    """The start of a calendar day in the agency's zone (SIKLUS_TIMEZONE), the zone the screens show."""
    return datetime.combine(day, time.min, tzinfo=local_zone())


# -- showing an event ------------------------------------------------------------------------------

#: What the page shows of one event's payload or results: the CSV export carries them whole. A chart a setup script
#: recorded before it wrote 1,000 accounts to an event (engine.chart.seed_chart) holds every account in one.
SHOWN_VALUES = 2_000
SHOWN_ROWS = 200
SHOWN_TEXT = 2_000
SHOWN_JSON = 20_000


def pruned(value: Any, budget: list[int]) -> tuple[Any, bool]:
    """``value`` with at most ``budget[0]`` values in all (a dict's first keys in order, a list's first items,
    texts cut at :data:`SHOWN_TEXT`), and whether anything was left out; costs what it keeps, not what it holds."""
    if budget[0] <= 0:
        return "…", True
    budget[0] -= 1
    if isinstance(value, dict):
        room = budget[0] + 1
        keys = heapq.nsmallest(room, value, key=str) if len(value) > room else sorted(value, key=str)
        kept: dict[Any, Any] = {}
        cut = False
        for key in keys:
            if budget[0] <= 0:
                break
            kept[key], part_cut = pruned(value[key], budget)
            cut = cut or part_cut
        return kept, cut or len(kept) < len(value)
    if isinstance(value, list):
        items: list[Any] = []
        cut = False
        for item in value:
            if budget[0] <= 0:
                break
            shown, part_cut = pruned(item, budget)
            items.append(shown)
            cut = cut or part_cut
        return items, cut or len(items) < len(value)
    if isinstance(value, str) and len(value) > SHOWN_TEXT:
        return value[:SHOWN_TEXT] + "…", True
    return value, False


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT] + "…"


def _rows_of(data: Any, prefix: str, depth: int) -> Iterator[tuple[str, str]]:
    if isinstance(data, dict) and data and depth < 4:
        for key in sorted(data, key=str):
            yield from _rows_of(data[key], f"{prefix}.{key}" if prefix else str(key), depth + 1)
        return
    yield (prefix or "–", _text(data))


def readable(data: Any, limit: int = SHOWN_ROWS) -> tuple[list[tuple[str, str]], bool]:
    """Nested payload or results as (key path, value) rows, deep or list-of-object values as JSON, at most
    ``limit`` rows; and whether rows were left out."""
    rows = list(itertools.islice(_rows_of(data, "", 0), limit + 1))
    return rows[:limit], len(rows) > limit


@dataclass(frozen=True)
class Shown:
    """What the page shows of a payload or results: its rows, its JSON, and whether either is only part of it."""

    rows: list[tuple[str, str]]
    json: str
    cut: bool


def shown(data: Any) -> Shown:
    kept, cut = pruned(data, [SHOWN_VALUES])
    rows, rows_cut = readable(kept)
    text = json.dumps(kept, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    if len(text) > SHOWN_JSON:
        text, cut = text[:SHOWN_JSON] + "…", True
    return Shown(_local_moments(rows), text, cut or rows_cut)


@dataclass(frozen=True)
class Named:
    """A key of the cycle file with the label a person reads it by (the key itself when nothing names it)."""

    key: str
    label: str

    @property
    def labelled(self) -> bool:
        return self.label != self.key


def _named(key: str | None, label: Text | None) -> Named | None:
    if not key:
        return None
    return Named(key, localized(label) if label is not None else key)


def _transition_label(defn: CycleDefinition, trigger: str) -> Text | None:
    return next((t.label for t in defn.transitions if t.trigger == trigger), None)


@dataclass
class EventRow(FoundEvent):
    """One event as the log shows it: its states, trigger and role by the labels of the definition its
    appraisal runs on, in the page's language, each with its key (HR searches by key)."""

    broken: bool = False

    def _state(self, state: str | None) -> Named | None:
        found = self.definition.states.get(state) if self.definition and state else None
        return _named(state, found.label if found else None)

    @property
    def from_state(self) -> Named | None:
        return self._state(self.event.from_state)

    @property
    def to_state(self) -> Named | None:
        return self._state(self.event.to_state)

    @property
    def trigger(self) -> Named | None:
        trigger = self.event.trigger
        if not trigger:
            return None
        if self.event.kind == "deadline" and trigger in DEADLINE_ACTIONS:
            return Named(trigger, str(DEADLINE_ACTIONS[trigger]))
        return _named(trigger, _transition_label(self.definition, trigger) if self.definition else None)

    @property
    def no_account(self) -> str | None:
        """Who acted when no account did (the public, the deadline sweep), named once; None for an account."""
        label = NO_ACCOUNT.get(self.event.actor_name) if self.event.actor_user_id is None else None
        return str(label) if label is not None else None

    @property
    def token_account(self) -> str | None:
        """The user name of the account whose API token the event made or revoked."""
        if self.event.kind not in TOKEN_KINDS:
            return None
        username = (self.event.payload or {}).get("username")
        return str(username) if username else None

    @property
    def role(self) -> Named | None:
        role = self.event.role
        if not role or self.no_account is not None:
            return None  # who acts without an account is named once: the public, the system (as set up)
        if self.event.kind in TOKEN_KINDS and role == OWN_TOKEN_ROLE:
            return Named(role, _("pemilik akun"))
        found = self.definition.roles.get(role) if self.definition else None
        if found is not None:
            return _named(role, found.label)
        builtin = ENGINE_ROLES.get(role)
        return Named(role, str(builtin)) if builtin is not None else Named(role, role)

    @property
    def kind_label(self) -> str:
        label = KINDS.get(self.event.kind)
        return str(label) if label is not None else self.event.kind

    @cached_property
    def payload(self) -> Shown | None:
        return shown(self.event.payload) if self.event.payload else None

    @cached_property
    def results(self) -> Shown | None:
        return shown(self.event.results) if self.event.results else None


def _local_moments(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rows with each moment (a token's expiry, a deadline) in the agency's time, as the page shows when each event
    happened; the JSON beside keeps what was recorded."""
    out = []
    for key, value in rows:
        if _MOMENT.fullmatch(value):
            with contextlib.suppress(ValueError):  # a date no calendar has is shown as recorded
                value = local_time(datetime.fromisoformat(value))
        out.append((key, value))
    return out


def broken_event_id(report: ChainReport | None) -> int | None:
    """The id of the event a broken chain report names, to mark it on the page."""
    if report is None or report.broken is None:
        return None
    found = _BROKEN_EVENT.search(report.broken)
    return int(found.group(1)) if found else None


# -- the log ---------------------------------------------------------------------------------------

@bp.get("/audit")
@login_required
def audit_log() -> str:
    """The filtered log, newest first, PAGE_SIZE events a page, with the chain status of their streams."""
    session = _db()
    scope = _scope()
    filters = parse_filters(request.args, scope)
    before = query_id(request.args, "sebelum")
    found, more = event_page(session, scope, filters.query(), after_event=before, size=PAGE_SIZE)
    rows = [EventRow(**vars(one)) for one in found]
    # The system chain grows with every public answer of the organisation, so a page walks what it shows: from
    # its oldest system event to the head, or past SYSTEM_WALK events the runs it shows (engine.audit.page_walk;
    # a whole check is the button's, and `siklus audit verify`'s). The check reads one state of the database, so
    # answers given meanwhile are not taken for edits.
    system, report = None, None
    if rows:
        with snapshot_session(session) as reader:
            system = system_walk(reader, [r.event.seq for r in rows if r.event.stream == SYSTEM_STREAM])
            report = verify_chain(reader, sorted({r.event.stream for r in rows}), system=system)
    broken_id = broken_event_id(report)
    for row in rows:
        row.broken = row.event.id == broken_id
    return render_template(
        "hr/audit.html", rows=rows, filters=filters, more=more, report=report, system=system,
        kinds=[(k, str(v)) for k, v in KINDS.items()], first_page=not before,
        next_args={**filters.args(), "sebelum": rows[-1].event.id} if more and rows else None,
    )


@bp.post("/audit/verifikasi")
@login_required
def audit_verify() -> Response:
    """Walk every chain in scope and report the outcome; a long walk goes to the worker and its page."""
    scope = _scope()
    if events_to_walk(_db(), scope, verify_inline_max()) > verify_inline_max():
        with unit_of_work() as session:
            job = enqueue_verify(session, current_actor())
        flash(_("Rantai audit yang Anda periksa panjang, jadi diperiksa di latar belakang; hasilnya tampil di "
                "halaman ini setelah selesai."), "info")
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    report = verify_scope(_db(), scope)
    if report.ok:
        flash(_("Rantai utuh: %(events)s peristiwa dalam %(streams)s rantai diperiksa, tidak ada yang diubah, "
                "disisipkan atau dihapus.", events=report.events, streams=report.streams), "success")
        if not scope.every_unit:
            # What only a whole verification reads is not among what was checked: say so, not "intact" over it.
            flash(_("Yang diperiksa: rantai unit Anda, serta jawaban survei dan pengaduan masyarakat tentang unit "
                    "Anda. Struktur organisasi, cara masuk akun, dan jawaban survei dari sebelum jawaban dicatat "
                    "diperiksa oleh verifikasi seluruh unit: perintah siklus audit verify, atau SDM seluruh unit di "
                    "halaman ini."), "info")
    else:
        flash(_("Rantai rusak (%(events)s peristiwa diperiksa). Laporkan kepada admin Siklus, yang dapat menampilkan "
                "setiap masalah dengan perintah siklus audit verify. Masalah pertama yang ditemukan: %(where)s",
                events=report.events, where=message(report.broken)), "error")
    return redirect(safe_next(request.form.get("next"), url_for("hr.audit_log")))


@bp.post("/audit/periksa-dokumen")
@login_required
def audit_check_document() -> Response:
    """Check the audit hash printed on an evaluation document or a results export against the chain."""
    back = safe_next(request.form.get("next"), url_for("hr.audit_log"))
    raw_id, head = (request.form.get("penilaian") or "").strip().lstrip("#"), (request.form.get("hash") or "").strip()
    scope = _scope()
    appraisal_id = parse_id(raw_id)
    if not raw_id:
        flash(_("Tuliskan nomor penilaian yang tercetak pada dokumen, misalnya 12, beserta hash auditnya."), "error")
        return redirect(back)
    appraisal = appraisal_in_scope(_db(), scope, appraisal_id) if appraisal_id is not None else None
    if appraisal is None:
        flash(_("Tidak ada penilaian #%(id)s di unit Anda.", id=raw_id[:12]), "error")
        return redirect(back)
    if not re.fullmatch(r"[0-9a-fA-F]{16,64}", head):
        flash(_("Tuliskan hash audit dari dokumen: 16 sampai 64 karakter heksadesimal."), "error")
        return redirect(back)
    with snapshot_session(_db()) as reader:
        found = check_head(reader, appraisal.id, head)
        report = verify_chain(reader, [appraisal_stream(appraisal.id)])
    if found.found_seq is None:
        flash(_("Hash ini tidak ada dalam rantai audit penilaian #%(id)s: dokumen itu tidak berasal dari "
                "penilaian ini atau telah diubah.", id=appraisal.id), "error")
    elif not report.ok:
        flash(_("Hash ini ada dalam rantai penilaian #%(id)s, tetapi rantai atau datanya rusak: %(where)s",
                id=appraisal.id, where=message(report.broken)), "error")
    elif found.current:
        flash(_("Dokumen sesuai dengan penilaian #%(id)s sebagaimana adanya sekarang (urutan %(seq)s).",
                id=appraisal.id, seq=found.found_seq), "success")
    else:
        flash(_("Dokumen sesuai dengan penilaian #%(id)s pada urutan %(seq)s; sesudahnya tercatat %(later)s "
                "perubahan lagi.", id=appraisal.id, seq=found.found_seq, later=found.current_seq - found.found_seq),
              "info")
    return redirect(back)


# -- export ----------------------------------------------------------------------------------------

# The keys first, as scripts have read them; then what the screen shows for them, in the page's language.
CSV_HEADER = ("waktu_lokal", "id", "rantai", "urutan", "jenis", "pemicu", "pelaku", "nama_pelaku", "peran", "nip",
              "pegawai", "unit", "dari_tahap", "ke_tahap", "payload", "hasil", "hash",
              "label_jenis", "label_pemicu", "label_peran", "label_dari_tahap", "label_ke_tahap")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else _text(value)


def _label(named: Named | None) -> str | None:
    """A state's, trigger's or role's label for the CSV (its key when nothing names it, as on the screen)."""
    return named.label if named is not None else None


def _csv_line(values: Any) -> str:
    return csv_line(values, CSV_DELIMITER)


@bp.get("/audit/ekspor.csv")
@login_required
def audit_export() -> Response:
    """The filtered set as CSV (UTF-8 with BOM, ';'-separated), oldest first, streamed from one query (and one
    for each cycle version not seen before); states, triggers and roles by key and, after the keys, by the
    labels the screen shows, in the page's language."""
    scope = _scope()
    filters = parse_filters(request.args, scope)
    if filters.errors:  # a filter that cannot be read is not applied on the page; a file must not hold more
        return Response(audit_log(), status=422, mimetype="text/html")
    query = filters.query()

    def lines() -> Iterator[str]:
        yield "\ufeff" + _csv_line(CSV_HEADER)
        for found in exported_events(_db(), scope, query):
            row, event = EventRow(**vars(found)), found.event
            yield _csv_line([_cell(v) for v in (
                event.occurred_at.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M:%S"), str(event.id), event.stream,
                str(event.seq), event.kind, event.trigger, event.actor_name, found.actor_display, event.role,
                found.nip, found.employee, found.unit_code, event.from_state, event.to_state,
                event.payload or {}, event.results or {}, event.hash,
                row.kind_label, _label(row.trigger), _label(row.role), _label(row.from_state), _label(row.to_state))])

    stamp = datetime.now(local_zone()).strftime("%Y%m%d-%H%M")
    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(f"audit-{stamp}.csv"),
                             "Content-Type": "text/csv; charset=utf-8"})
