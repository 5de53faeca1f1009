"""A national-scale dataset for ``bench_scale.py``: agencies, units, employees, logins and appraisals
with the history real use leaves behind.

The history is not invented: the demo organisation is seeded first and its appraisals are driven
through the real engine into every state of the national cycle (``engine.demo.seed_demo``). Each
generated appraisal is a copy of one of those, re-addressed to its own employee, supervisor and unit,
with its audit chain re-hashed and re-signed for its own stream, so ``siklus audit verify`` checks
every generated event as it checks real ones. Rows go in with PostgreSQL's COPY, or ``executemany``
on SQLite, in chunks, so memory stays flat whatever the size.
"""

from __future__ import annotations

import io
import json
import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Engine, func, select, text
from sqlalchemy.orm import Session

from engine.audit.chain import EventInfo, appraisal_stream, checkpoint_of, event_hash
from engine.audit.writer import append_system_event
from engine.chart import seed_chart
from engine.demo import DEMO_PASSWORD, FIRST, LAST, seed_demo
from engine.keys import keyring
from engine.models import (
    Appraisal,
    AuditEvent,
    CycleDefinitionRecord,
    CycleRun,
    DevelopmentActivity,
    Employee,
    Indicator,
    OrgUnit,
    Realisation,
    Result,
    User,
)
from engine.overdue_sql import overdue_in
from engine.run_verify import bounds_record
from engine.tally_sql import ancestors_in, count_in, indicators_in
from engine.users import seed_grant

TABLES = ("org_unit", "employee", "user_account", "role_grant", "cycle_run", "appraisal", "indicator",
          "realisation", "result", "development_activity", "audit_event", "audit_checkpoint")


@dataclass
class Template:
    """One demo appraisal and everything hanging off it, with the people it names as relations."""

    appraisal: dict[str, Any]
    indicators: list[dict[str, Any]]
    realisations: list[dict[str, Any]]
    results: list[dict[str, Any]]
    development: list[dict[str, Any]]
    events: list[dict[str, Any]]
    # user id -> "self" | "supervisor" | "reviewer" (the supervisor's supervisor); others are kept as they are.
    relations: dict[int, str]
    names: dict[str, str]


@dataclass
class Shape:
    """How the generated organisation looks."""

    agencies: int
    units_per_agency: int
    employees: int
    # One agency of this many employees (an HR officer's "agency of 20k"); 0 for none.
    big_agency: int = 0
    seed: int = 7


@dataclass
class Made:
    """What a generation made, for the benchmark to act as the people in it."""

    agencies: list[int]
    big_agency_root: int | None
    big_agency_run: int | None
    appraisals: int
    events: int


def _rows(session: Session, model: Any, where: Any) -> list[dict[str, Any]]:
    table = model.__table__
    return [dict(r._mapping) for r in session.execute(select(table).where(where).order_by(table.c.id))]


def generated_code(code: str) -> bool:
    """Whether a unit code is that of an agency root :class:`Generator` made (a letter and four digits)."""
    return re.fullmatch(r"[A-Z]\d{4}", code) is not None


def seed_templates(session: Session) -> list[Template]:
    """Seed the demo (when the database is empty) and read its open appraisals as templates.

    Only the demo's: on a database generated before, the runs of generated agencies are passed over, and only
    the people the templates name are read (not the country's employees and logins)."""
    if session.scalar(select(func.count()).select_from(Appraisal)) == 0:
        seed_demo(session, employees=240)
    demo_runs = [run_id for run_id, code in session.execute(
        select(CycleRun.id, OrgUnit.code).join(OrgUnit, CycleRun.unit_id == OrgUnit.id)) if not generated_code(code)]
    rows = _rows(session, Appraisal, Appraisal.closed_at.is_(None) & Appraisal.run_id.in_(demo_runs))
    staff: dict[int, Employee] = {}
    wanted = {row["employee_id"] for row in rows}
    for _level in range(3):  # the employees, their supervisors and those supervisors' supervisors
        wanted -= set(staff)
        if not wanted:
            break
        staff.update((e.id, e) for e in session.scalars(select(Employee).where(Employee.id.in_(wanted))))
        wanted = {e.supervisor_id for e in staff.values() if e.supervisor_id is not None}
    users = {u.employee_id: u for u in session.scalars(select(User).where(User.employee_id.in_(list(staff))))}
    templates = []
    for row in rows:
        employee = staff[row["employee_id"]]
        relations: dict[int, str] = {}
        names: dict[str, str] = {}
        chain = [("self", employee)]
        if employee.supervisor_id:
            boss = staff[employee.supervisor_id]
            chain.append(("supervisor", boss))
            if boss.supervisor_id:
                chain.append(("reviewer", staff[boss.supervisor_id]))
        for relation, person in chain:
            user = users.get(person.id)
            if user is not None:
                relations[user.id] = relation
                names[user.display_name] = relation
        templates.append(Template(
            appraisal=row,
            indicators=_rows(session, Indicator, Indicator.appraisal_id == row["id"]),
            realisations=_rows(session, Realisation, Realisation.appraisal_id == row["id"]),
            results=_rows(session, Result, Result.appraisal_id == row["id"]),
            development=_rows(session, DevelopmentActivity, DevelopmentActivity.appraisal_id == row["id"]),
            events=_rows(session, AuditEvent, AuditEvent.appraisal_id == row["id"]),
            relations=relations, names=names))
    return templates


class Loader:
    """Writes rows in bulk: COPY on PostgreSQL, executemany on SQLite; one transaction per chunk."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.pg = engine.dialect.name == "postgresql"
        self.columns = {name: [c.name for c in Appraisal.metadata.tables[name].columns] for name in TABLES}
        self.json = {name: {c.name for c in Appraisal.metadata.tables[name].columns if isinstance(c.type, JSON)}
                     for name in TABLES}

    def next_ids(self) -> dict[str, int]:
        """The next free id of every table (audit_checkpoint has none)."""
        with self.engine.connect() as conn:
            return {name: (conn.scalar(text(f"SELECT max(id) FROM {name}")) or 0) + 1  # noqa: S608
                    for name in TABLES if name != "audit_checkpoint"}

    def write(self, batch: dict[str, list[dict[str, Any]]]) -> None:
        """Insert every table's rows of ``batch`` in one transaction, parents first."""
        with self.engine.begin() as conn:
            if self.pg:
                # Rows are written parents first from consistent ids, so the foreign-key triggers (a lookup per
                # row per key) are skipped for the load; the database still checks every constraint it indexes.
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                conn.execute(text("SET LOCAL synchronous_commit = off"))
            for name in TABLES:
                rows = batch.get(name)
                if not rows:
                    continue
                columns = self.columns[name]
                if self.pg:
                    raw = conn.connection.driver_connection
                    assert raw is not None
                    with raw.cursor() as cursor, cursor.copy(
                            f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                        copy.write(_copy_text(rows, columns, self.json[name]))
                else:
                    conn.execute(Appraisal.metadata.tables[name].insert(), rows)
            if self.pg:
                # The triggers that keep the unit closure and the tallies were off for the load:
                # count this batch's units and appraisals in (engine.tally_sql), set-based.
                for name, table in (("org_unit", "o"), ("appraisal", "a")):
                    ids = [row["id"] for row in batch.get(name, ())]
                    if ids:
                        where = f"{table}.id BETWEEN {min(ids)} AND {max(ids)}"
                        if name == "org_unit":
                            conn.execute(text(ancestors_in(where)))
                        else:
                            conn.execute(text(count_in(where)))
                            conn.execute(text(indicators_in("postgresql", where)))
                            conn.execute(text(overdue_in("postgresql", where)))

    def finish(self) -> None:
        """Move PostgreSQL's sequences past the ids written by hand, and refresh the planner's statistics."""
        with self.engine.begin() as conn:
            if self.pg:
                for name in TABLES:
                    if name != "audit_checkpoint":
                        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                          f"(SELECT coalesce(max(id), 1) FROM {name}))"))
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def _copy_value(value: Any, is_json: bool = False) -> str:
    if is_json:
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    elif value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat() + "+00:00"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))


def _copy_text(rows: Sequence[dict[str, Any]], columns: Sequence[str], json_columns: set[str]) -> bytes:
    out = io.StringIO()
    flags = [(c, c in json_columns) for c in columns]
    for row in rows:
        out.write("\t".join(_copy_value(row.get(c), j) for c, j in flags))
        out.write("\n")
    return out.getvalue().encode("utf-8")


class Generator:
    """Adds agencies with their units, people and appraisals to a database that already has templates."""

    def __init__(self, engine: Engine, session: Session, templates: list[Template]) -> None:
        self.engine = engine
        self.loader = Loader(engine)
        self.templates = templates
        national = session.scalars(select(CycleRun).order_by(CycleRun.id).limit(1)).first()
        assert national is not None, "the demo launches the national cycle"
        self.run_template = national
        demo_user = session.scalars(select(User).where(User.employee_id.isnot(None)).order_by(User.id).limit(1)).first()
        assert demo_user is not None
        self.password_hash = demo_user.password_hash  # the demo password, DEMO_PASSWORD
        self.password = DEMO_PASSWORD
        self.key_id = keyring().current_audit_key_id
        self.events = 0
        self.appraisals = 0
        self._flush: Callable[[], None] = lambda: None
        self._grants: list[tuple[int, int]] = []  # (HR login, agency root) to grant once the rows are written
        self._record_grants = True
        self._launches: list[tuple[int, int, str, int]] = []  # (run, root, code, appraisals) to record launched
        self._chunk = 20000

    def add(self, shape: Shape, prefix: str, progress: Callable[[int], None] | None = None,
            chunk: int = 20000, *, record_grants: bool = True) -> Made:
        """Add ``shape.agencies`` agencies (plus the big one) holding ``shape.employees`` employees in all.

        Each agency's HR grant is recorded with its event (``record_grants``), as a setup script must; an agency
        added to be removed again writes the row alone (an event names its unit, which then cannot go)."""
        self._record_grants = record_grants
        rng = random.Random(shape.seed)
        ids = self.loader.next_ids()
        sizes = [shape.employees // max(1, shape.agencies)] * shape.agencies
        big = shape.big_agency if shape.big_agency else 0
        if big:
            sizes[0] = big
            rest = max(0, shape.employees - big)
            for i in range(1, shape.agencies):
                sizes[i] = rest // max(1, shape.agencies - 1)
        made = Made(agencies=[], big_agency_root=None, big_agency_run=None, appraisals=0, events=0)
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}

        def flush() -> None:
            """Write what the batch holds and empty it (its lists, in place: an agency being made holds them)."""
            self.loader.write(batch)
            made.appraisals += len(batch["appraisal"])
            made.events += len(batch["audit_event"])
            if progress:
                progress(len(batch["appraisal"]))
            for rows in batch.values():
                rows.clear()

        # An agency larger than a chunk is written in chunks of its appraisals (its units and people first).
        self._flush, self._chunk = flush, chunk
        per_unit = max(2.0, shape.employees / max(1, shape.agencies * shape.units_per_agency))
        for number, size in enumerate(sizes):
            units = max(3, round(size / per_unit))
            root_id = self._agency(batch, ids, rng, f"{prefix}{number:04d}", size, units)
            made.agencies.append(root_id)
            if number == 0 and big:
                made.big_agency_root = root_id
                made.big_agency_run = ids["cycle_run"] - 1
            if len(batch["appraisal"]) >= chunk or number == len(sizes) - 1:
                flush()
        self.loader.finish()
        with Session(self.engine) as session:
            # Units, people and logins were copied in around Siklus, as a setup script does: record each HR grant
            # and the chart and the logins' ties as such a script must, so verify proves them (engine.users,
            # engine.chart).
            for user_id, unit_id in self._grants:
                seed_grant(session, user_id=user_id, role="hr", unit_id=unit_id)
            self._grants.clear()
            self._record_launches(session)
            seed_chart(session)
            session.commit()
        return made

    def _record_launches(self, session: Session) -> None:
        """Each generated run's ``launch`` event, as :func:`engine.runs.launch` records it: the runs were written
        around it, as their appraisals and chains were (each chain's creation names its run)."""
        template = self.run_template
        record = session.get(CycleDefinitionRecord, template.definition_id)
        assert record is not None
        for run_id, root, code, appraisals in self._launches:
            append_system_event(session, EventInfo(
                kind="launch", actor_user_id=None, actor_name="siklus", role="sdm", unit_id=root,
                payload={"run_id": run_id, "cycle_id": record.cycle_id, "version": record.version,
                         "content_hash": record.content_hash, "unit": code, "period": template.period,
                         "appraisals": appraisals, "include_subunits": True, "creation_events": True,
                         **bounds_record(template.period_start, template.period_end), "skipped": []}))
        self._launches.clear()

    def _agency(self, batch: dict[str, list[dict[str, Any]]], ids: dict[str, int], rng: random.Random,
                code: str, size: int, units: int) -> int:
        """One agency: a root, bidang under it and seksi under those; a head in each with staff below."""
        now = datetime.now(UTC)

        def unit(name: str, parent: int | None, suffix: str) -> int:
            uid = ids["org_unit"]
            ids["org_unit"] += 1
            batch["org_unit"].append({"id": uid, "code": f"{code}{suffix}", "name": name, "parent_id": parent,
                                      "public_slug": None})
            return uid

        root = unit(f"Instansi {code}", None, "")
        bidang = [unit(f"Bidang {b + 1} {code}", root, f"-{b + 1}") for b in range(max(1, min(6, units // 8)))]
        parent_of: dict[int, int] = {}
        seksi = []
        for s in range(max(0, units - 1 - len(bidang))):
            above = bidang[s % len(bidang)]
            seksi.append(unit(f"Seksi {s + 1} {code}", above, f"-{s % len(bidang) + 1}-{s + 1}"))
            parent_of[seksi[-1]] = above
        leaves = seksi or bidang
        people: list[tuple[int, int | None, int]] = []  # (employee id, supervisor id, unit id)

        def person(unit_id: int, boss: int | None, position: str) -> int:
            eid = ids["employee"]
            ids["employee"] += 1
            batch["employee"].append({
                "id": eid, "nip": f"{eid:018d}", "name":
                f"{rng.choice(FIRST)} {rng.choice(LAST)}", "position": position, "position_level": None,
                "unit_id": unit_id, "supervisor_id": boss, "email": None, "active": True})
            batch["user_account"].append({
                "id": ids["user_account"], "username": f"{eid:018d}", "display_name": batch["employee"][-1]["name"],
                "password_hash": self.password_hash, "employee_id": eid, "locale": None, "is_active": True,
                "session_version": 0, "created_at": now})
            ids["user_account"] += 1
            people.append((eid, boss, unit_id))
            return eid

        first_user = ids["user_account"]
        head = person(root, None, f"Kepala Instansi {code}")
        heads = {root: head}
        for b in bidang:
            heads[b] = person(b, head, "Kepala Bidang")
        for s in seksi:
            heads[s] = person(s, heads[parent_of[s]], "Kepala Seksi")
        for i in range(max(0, size - len(people))):
            leaf = leaves[i % len(leaves)]
            person(leaf, heads[leaf], "Pelaksana")
        hr_user = ids["user_account"]
        ids["user_account"] += 1
        batch["user_account"].append({
            "id": hr_user, "username": f"sdm-{code.lower()}", "display_name": f"SDM {code}",
            "password_hash": self.password_hash, "employee_id": None, "locale": None, "is_active": True,
            "session_version": 0, "created_at": now})
        if self._record_grants:
            self._grants.append((hr_user, root))  # granted with its event once the rows are in (add)
        else:
            batch["role_grant"].append({"id": ids["role_grant"], "user_id": hr_user, "role": "hr", "unit_id": root})
            ids["role_grant"] += 1
        run_id = ids["cycle_run"]
        ids["cycle_run"] += 1
        template_run = self.run_template
        batch["cycle_run"].append({
            "id": run_id, "cycle_id": template_run.cycle_id, "definition_id": template_run.definition_id,
            "unit_id": root, "period": template_run.period, "period_start": template_run.period_start,
            "period_end": template_run.period_end, "launched_at": template_run.launched_at, "launched_by_id": None})
        if self._record_grants:
            self._launches.append((run_id, root, code, len(people)))  # its launch event once the rows are in
        first = len(batch["employee"]) - len(people)
        users_of = {e["id"]: e["id"] - people[0][0] + first_user for e in batch["employee"][first:]}
        bosses = {eid: boss for eid, boss, _ in people}
        names = {e["id"]: e["name"] for e in batch["employee"][first:]}
        for n, (eid, boss, unit_id) in enumerate(people):
            template = self.templates[rng.randrange(len(self.templates)) if n else 0]
            reviewer = bosses.get(boss) if boss else None
            self._appraisal(batch, ids, template, run_id, eid, unit_id, {
                "self": (users_of[eid], names[eid]),
                "supervisor": (users_of.get(boss), names.get(boss)) if boss else (None, None),
                "reviewer": (users_of.get(reviewer), names.get(reviewer)) if reviewer else (None, None)})
            if len(batch["appraisal"]) >= self._chunk:
                self._flush()
        return root

    def _appraisal(self, batch: dict[str, list[dict[str, Any]]], ids: dict[str, int], template: Template,
                   run_id: int, employee_id: int, unit_id: int,
                   people: dict[str, tuple[int | None, str | None]]) -> None:
        aid = ids["appraisal"]
        ids["appraisal"] += 1
        row = dict(template.appraisal, id=aid, run_id=run_id, employee_id=employee_id)

        def user(old: int | None) -> int | None:
            relation = template.relations.get(old) if old is not None else None
            return people[relation][0] if relation else old

        for source, target in ((template.indicators, "indicator"), (template.realisations, "realisation"),
                               (template.results, "result"), (template.development, "development_activity")):
            for item in source:
                copy = dict(item, id=ids[target], appraisal_id=aid)
                ids[target] += 1
                if target == "indicator":
                    copy["parent_id"] = None
                    copy["set_by_id"] = user(item["set_by_id"])
                if target == "realisation":
                    copy["recorded_by_id"] = user(item["recorded_by_id"])
                batch[target].append(copy)
        def readdress(value: Any) -> Any:
            """A payload with the template's people, run and leader links replaced by this appraisal's."""
            if isinstance(value, list):
                return [readdress(v) for v in value]
            if not isinstance(value, dict):
                return value
            out = {}
            for key, item in value.items():
                if key in ("set_by_id", "recorded_by_id"):
                    out[key] = user(item)
                elif key == "parent_id":
                    out[key] = None
                elif key == "run_id":
                    out[key] = run_id
                else:
                    out[key] = readdress(item)
            return out

        stream = appraisal_stream(aid)
        head = ""
        seq = 0
        for event in template.events:
            relation = template.relations.get(event["actor_user_id"]) if event["actor_user_id"] else None
            seq = event["seq"]
            fields = dict(event, id=ids["audit_event"], stream=stream, appraisal_id=aid,
                          employee_id=employee_id if event["employee_id"] is not None else None,
                          unit_id=unit_id if event["unit_id"] is not None else None, prev_hash=head,
                          key_id=self.key_id, payload=readdress(event["payload"]), results=readdress(event["results"]))
            ids["audit_event"] += 1
            if relation:
                fields["actor_user_id"], name = people[relation]
                fields["actor_name"] = name or fields["actor_name"]
            fields["hash"] = head = event_hash(fields)
            batch["audit_event"].append(fields)
        row["audit_seq"], row["audit_head"] = seq, head
        batch["appraisal"].append(row)
        if seq:
            last = batch["audit_event"][-1]
            batch["audit_checkpoint"].append(checkpoint_of(last))


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size``."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
