"""Seeding one agency's demo: its organisation and logins, HR's training catalogue, its cycle published,
three past periods driven to the end through the real engine (so trends, the talent grid and JP reports
have history), and the current period spread so every demo login has something to do."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.appraisals import record_development, set_skp
from engine.chart import seed_chart
from engine.definition import CycleDefinition
from engine.demo_agency.complaints import seed_complaints
from engine.demo_agency.model import AgencyDemo, Iki, public_slug
from engine.demo_cast import Cast, public_answers
from engine.development.catalogue import CourseInput, add_course
from engine.development.view import recommendation_results
from engine.models import Appraisal, CycleRun, Employee, OrgUnit, Result, User, utcnow
from engine.permissions import Actor
from engine.raters import designate_rater
from engine.registry import definition_of, publish_source
from engine.runs import launch, period_bounds
from engine.simulate import default_period
from engine.simulate.driver import PROFILES, Driver
from engine.users import seed_grant
from engine.validation import load_definition

DEMO_PASSWORD = "siklus"
#: The way every shipped agency cycle runs from planning to the end: (trigger, role).
PATH = (("submit_plan", "pegawai"), ("approve_plan", "penilai"), ("close_monitoring", "penilai"),
        ("rate", "penilai"), ("confirm_rating", "atasan_penilai"), ("accept_rating", "pegawai"),
        ("complete_development", "penilai"))
#: The SKP of a top official (a Sekretaris Daerah, a camat) whose unit has none of its own.
TOP_SKP = (Iki("Meningkatnya akuntabilitas kinerja pemerintah daerah", "Nilai evaluasi SAKIP", "kualitas", 70,
               "nilai"),
           Iki("Terkoordinasinya pelaksanaan tugas perangkat daerah", "Rapat koordinasi pimpinan yang ditindaklanjuti",
               "kuantitas", 12, "rapat"))
#: How many past periods each demo closes.
PAST_PERIODS = 3
#: How many days back the current period's steps begin; its run is launched the day before.
HISTORY_DAYS = 60
Progress = Callable[[str], None]


class AgencyDriver(Driver):
    """The simulator's driver with the agency's own SKP per unit and its recommended courses as development."""

    def __init__(self, session: Session, defn: CycleDefinition, skp_of: Mapping[int, tuple[Iki, ...]]) -> None:
        super().__init__(session, defn)
        self.skp_of: dict[int, tuple[Iki, ...]] = dict(skp_of)  # appraisal id -> the unit's SKP

    def _edit(self, kind: str, appraisal_id: int, actor: Actor, profile: str, moment: datetime,
              withhold_one: bool = False) -> None:
        iki = self.skp_of.get(appraisal_id)
        if kind == "skp" and iki:
            weight = round(100 / len(iki), 6)
            set_skp(self.session, appraisal_id, actor, [
                {"key": f"iki_{n}", "rhk": i.rhk, "label": i.label, "aspect": i.aspect, "target": i.target,
                 "unit": i.unit, "weight": weight if n < len(iki) else round(100 - weight * (len(iki) - 1), 6)}
                for n, i in enumerate(iki, start=1)], now=moment)
        elif kind == "development":
            self._courses_done(appraisal_id, actor, moment)
        else:
            super()._edit(kind, appraisal_id, actor, profile, moment, withhold_one)

    def _courses_done(self, appraisal_id: int, actor: Actor, moment: datetime) -> None:
        """The recommended courses done (or a general one), and an e-learning that makes up the year's JP."""
        names = recommendation_results(self.defn)
        values = self.session.scalars(select(Result.value).where(Result.appraisal_id == appraisal_id,
                                                                 Result.name.in_(names))).all() if names else []
        courses = [c for v in values if isinstance(v, list) for c in v if isinstance(c, dict)][:2]
        done = 0.0
        for course in courses or [{"title": "Pelatihan Pelayanan Prima", "jp": 12}]:
            record_development(self.session, appraisal_id, actor, str(course["title"]), course["jp"], done=True,
                               now=moment)
            done += float(course["jp"])
        if done < self.defn.jp_target:
            record_development(self.session, appraisal_id, actor, "E-learning Corporate University ASN",
                               self.defn.jp_target - done, done=True, now=moment)


def _organisation(session: Session, demo: AgencyDemo,
                  setup: datetime) -> tuple[OrgUnit, dict[str, Employee], Actor, Actor]:
    """Units, employees, a login per employee (their NIP), HR of the whole agency (``sdm``), ``admin`` and the
    regional head's login, whom HR designates as the rater of each top official; the chart, the grants and
    the designations are recorded at ``setup``."""
    password = generate_password_hash(DEMO_PASSWORD)
    units: dict[str, OrgUnit] = {}
    for unit in demo.units:
        made = OrgUnit(code=unit.code, name=unit.name, parent_id=units[unit.parent].id if unit.parent else None,
                       public_slug=public_slug(unit.code))
        session.add(made)
        session.flush()
        units[unit.code] = made
    people: dict[str, Employee] = {}
    for p in demo.people:
        row = Employee(nip=p.nip, name=p.name, position=p.position, position_level=p.level,
                       unit_id=units[p.unit].id, supervisor_id=people[p.boss].id if p.boss else None,
                       email=f"{p.nip}@demo.siklus.id")
        session.add(row)
        session.flush()
        people[p.nip] = row
    session.add_all(User(username=nip, display_name=e.name, password_hash=password, employee_id=e.id)
                    for nip, e in people.items())
    hr = User(username="sdm", display_name=f"Pengelola Kinerja SDM {demo.title}", password_hash=password)
    admin = User(username="admin", display_name="Administrator Siklus", password_hash=password)
    # The regional head (Pejabat Pembina Kepegawaian) is a political official, not an employee: an account only.
    head = User(username=demo.head[0], display_name=demo.head[1], password_hash=password)
    session.add_all([hr, admin, head])
    session.flush()
    root = units[demo.units[0].code]
    seed_chart(session, now=setup)
    seed_grant(session, user_id=hr.id, role="hr", unit_id=root.id, now=setup)
    seed_grant(session, user_id=admin.id, role="admin", now=setup)
    session.commit()
    hr_actor = Actor(user_id=hr.id, username="sdm", grants=(("hr", root.id),))
    for top in (people[p.nip] for p in demo.people if p.boss is None):
        # The top official has no superior in Siklus: HR names the regional head's account, on the record.
        designate_rater(session, hr_actor, top.id, head.username, basis=f"Keputusan {demo.head[1]} (demo)",
                        now=setup)
    return root, people, hr_actor, Actor(user_id=admin.id, username="admin", grants=(("admin", None),))


def _public_survey(session: Session, rng: random.Random, run: CycleRun, unit_ids: list[int]) -> None:
    """Residents' answers to each unit's public survey (IKM) within the run's period."""
    public_answers(session, rng, unit_ids, run.period_start + timedelta(days=40), respondents=6,
                   scale=(2, 3, 3, 4, 4), key=f"demo-{run.id}-{{unit}}-{{n}}")


class _Run:
    """One run being driven: who holds each role on each appraisal, and the driver."""

    def __init__(self, session: Session, defn: CycleDefinition, run: CycleRun, demo: AgencyDemo) -> None:
        self.session, self.defn, self.run = session, defn, run
        self.rows = list(session.scalars(select(Appraisal).where(Appraisal.run_id == run.id).order_by(Appraisal.id)))
        self.cast = Cast(session, defn, self.rows)
        self.bosses, self.subjects = self.cast.bosses, self.cast.subjects
        unit_codes = {u.id: u.code for u in session.scalars(select(OrgUnit))}
        skp = {u.code: u.skp for u in demo.units}
        employees = self.cast.employees
        self.driver = AgencyDriver(session, defn, {
            a.id: skp.get(unit_codes[employees[a.employee_id].unit_id], ()) for a in self.rows})
        for appraisal in self.rows:
            if self.bosses.get(appraisal.employee_id) is None:  # the top official: their own SKP
                self.driver.skp_of[appraisal.id] = self.driver.skp_of.get(appraisal.id) or TOP_SKP

    def holders(self, appraisal: Appraisal) -> Callable[[str], list[Actor]]:
        held = self.cast.held(appraisal.id)
        return lambda role: held.get(role, [])

    def drive(self, appraisal: Appraisal, steps: int, profile: str, start: datetime) -> None:
        """Take the appraisal ``steps`` steps along :data:`PATH`, filling in each state as its people would."""
        holders, when = self.holders(appraisal), start
        for trigger, role in PATH[:steps]:
            self.driver.fill_inputs(appraisal.id, holders, profile, when)
            when += timedelta(days=3)
            state = self.session.scalar(select(Appraisal.state).where(Appraisal.id == appraisal.id))
            if not any(t.trigger == trigger for t in self.defn.transitions_from(str(state))):
                continue  # the system took this step: nobody holds its role and the cycle says what then
            if self.driver.fire(appraisal.id, self.driver.transition(trigger), role, holders, profile, when):
                return
            when += timedelta(days=1)
        self.driver.fill_inputs(appraisal.id, holders, profile, when)

    def rated(self) -> list[Appraisal]:
        """The appraisals of the run with a rater and a reviewer (the top official is rated outside Siklus)."""
        def reviewer(employee_id: int) -> int | None:
            boss = self.bosses.get(employee_id)
            return self.bosses.get(boss) if boss is not None else None

        return [a for a in self.rows if reviewer(a.employee_id) is not None]

    def completable(self) -> list[Appraisal]:
        """The appraisals of the run on which every step of :data:`PATH` has someone to take it: besides
        :meth:`rated`, the heads under the top official (reviewed by the top official's designated rater),
        and the top official, whom nobody reviews, where the cycle lets the rating stand without review
        (``vacant``, engine.vacancy)."""
        stands = {role for state in self.defn.states.values() for role in state.vacant}
        roles = {role for _trigger, role in PATH} - stands
        return [a for a in self.rows if all(self.holders(a)(role) for role in roles)]


def seed_agency(session: Session, demo: AgencyDemo, seed: int = 2026, progress: Progress | None = None,
                now: datetime | None = None) -> list[tuple[str, str]]:
    """Seed ``demo`` into an empty database; returns the (login, who) pairs to print."""
    rng = random.Random(seed)
    now = now or utcnow()
    say = progress or (lambda _message: None)
    source = resources.files("workflows").joinpath(f"{demo.cycle}.yaml").read_text(encoding="utf-8")
    kind = load_definition(source, f"{demo.cycle}.yaml").period
    current = default_period(kind, now)
    year = int(current[:4])
    # In UTC, as the engine's own clock gives it: the period's bounds are in the agency's zone. Each year
    # is launched the day before its first step, so its history reads in order.
    starts = {str(past): (period_bounds(kind, str(past))[1] - timedelta(days=75)).astimezone(UTC)
              for past in range(year - PAST_PERIODS, year)}
    # HR sets the agency up (its chart, grants, designations, catalogue and cycle) just before the first
    # launch, so the system chain reads in order too.
    setup = min(starts.values(), default=now - timedelta(days=HISTORY_DAYS + 1)) - timedelta(days=1, hours=1)
    root, people, hr, admin = _organisation(session, demo, setup)
    say(f"{demo.title}: {len(people)} pegawai, {len(demo.units)} unit")
    for course in demo.courses:
        add_course(session, hr, CourseInput(course.code, course.title, course.jp, course.kind,
                                            course.certificate_required), now=setup)
    record = publish_source(session, source, f"{demo.cycle}.yaml", admin, now=setup)
    defn = definition_of(record)
    public = "unit.ikm" in source or "scores_with_public" in source
    for past, start in starts.items():
        run = launch(session, record, root, past, admin, now=start - timedelta(days=1))
        driving = _Run(session, defn, run, demo)
        if public:
            _public_survey(session, rng, run, sorted({s.unit_id for s in driving.subjects.values()}))
        # A past year is over: each appraisal someone can take to the end is closed, none is left half-done
        # in its people's lists.
        completable = driving.completable()
        for appraisal in completable:
            driving.drive(appraisal, len(PATH), rng.choices(PROFILES, [3, 5, 2])[0], start)
        say(f"periode {past}: {len(completable)} penilaian selesai")
    run = launch(session, record, root, current, admin, now=now - timedelta(days=HISTORY_DAYS + 1))
    driving = _Run(session, defn, run, demo)
    if public:
        _public_survey(session, rng, run, sorted({s.unit_id for s in driving.subjects.values()}))
    _spread(driving, demo, people, rng, now)
    # After the spread, not before: a verified complaint is recounted into its employee's open appraisal, so
    # its event follows the steps the spread dates from the period's start (tests/test_demo_agency.py checks
    # each appraisal's steps still end before the complaint's triage).
    if demo.complaints:
        say(f"pengaduan masyarakat: {len(seed_complaints(session, demo, hr, people, rng, now))}")
    for appraisal in driving.rows:
        if driving.bosses.get(appraisal.employee_id) is None:
            # The top official's plan waits for the regional head's approval.
            driving.drive(appraisal, 1, PROFILES[0], now - timedelta(days=20))
    say(f"periode {current}: berjalan")
    return _logins(demo, people)


def _spread(driving: _Run, demo: AgencyDemo, people: Mapping[str, Employee], rng: random.Random,
            now: datetime) -> None:
    """The current period: the employee login drafts an SKP, the rater's staff wait for the rater (a plan to
    approve, a rating to give) and for the reviewer (a rating to confirm), one is developing; the rest
    anywhere along the way."""
    rater_staff = [a for a in driving.rows if driving.bosses.get(a.employee_id) == people[demo.rater].id
                   and a.employee_id != people[demo.employee].id]
    planned = {people[demo.employee].id: 0}
    for appraisal, steps in zip(rater_staff, (1, 4, 3, 6), strict=False):
        planned[appraisal.employee_id] = steps  # plan_review, review (the reviewer's), rate, develop
    start = now - timedelta(days=HISTORY_DAYS)
    for appraisal in driving.rated():
        steps = planned.get(appraisal.employee_id, rng.randint(0, 6))
        driving.drive(appraisal, steps, rng.choices(PROFILES, [3, 5, 2])[0], start)


def _logins(demo: AgencyDemo, people: Mapping[str, Employee]) -> list[tuple[str, str]]:
    def who(nip: str, role: str) -> tuple[str, str]:
        return nip, f"{people[nip].name}, {people[nip].position} ({role})"

    tops = ", ".join(f"{people[p.nip].position} {people[p.nip].name}" for p in demo.people if p.boss is None)
    return [who(demo.employee, "Pegawai: SKP menunggu diajukan"),
            who(demo.rater, "Pejabat Penilai: SKP untuk disetujui, penilaian untuk diberikan"),
            who(demo.reviewer, "Atasan Pejabat Penilai: penilaian untuk ditetapkan"),
            (demo.head[0], f"{demo.head[1]} (Pejabat Penilai {tops}: SKP untuk disetujui / approves the top "
                           "official's SKP)"),
            ("sdm", f"Pengelola Kinerja SDM {demo.title}: kotak talenta, laporan JP, katalog pelatihan"),
            ("admin", "Administrator")]


