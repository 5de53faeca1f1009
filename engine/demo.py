"""A realistic demo organisation: a regency government with agencies, divisions, supervisors, HR,
18-digit NIPs and Indonesian names; the national cycle published, launched, and appraisals driven
through the real engine into every state (so every screen has something to show, with real audit trails).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.appraisals import fire_transition, record_development, record_realisation, set_skp
from engine.chart import seed_chart
from engine.definition import CycleDefinition
from engine.demo_cast import Cast, public_answers
from engine.errors import InvalidInput
from engine.messages import Message
from engine.models import Appraisal, CycleRun, Employee, Indicator, OrgUnit, User, utcnow
from engine.permissions import Actor
from engine.provenance import system_source
from engine.raters import designate_rater
from engine.registry import definition_of, publish_source
from engine.runs import launch
from engine.simulate import PROFILES, Driver, default_period, simulate
from engine.users import seed_grant

DEMO_PASSWORD = "siklus"
NIP_LOGIN = "setiap pegawai masuk dengan NIP-nya / every employee logs in with their NIP"
FIRST = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gilang", "Hendra", "Indah", "Joko", "Kartika", "Lestari",
         "Made", "Nur", "Oktaviani", "Putri", "Rahmat", "Sari", "Taufik", "Utami", "Wahyu", "Yuni", "Zainal", "Ayu",
         "Bambang", "Dian", "Fajar", "Hadi", "Ikhsan", "Ratna", "Siti", "Teguh", "Wulan", "Yoga", "Rina", "Andi"]
LAST = ["Saputra", "Wijaya", "Lestari", "Hidayat", "Nasution", "Siregar", "Pratama", "Kusuma", "Santoso", "Rahayu",
        "Harahap", "Simanjuntak", "Setiawan", "Permana", "Gunawan", "Nugroho", "Utomo", "Purba", "Lubis", "Syahputra"]
AGENCIES = [
    ("DINKES", "Dinas Kesehatan", ["Bidang Pelayanan Kesehatan", "Bidang Kesehatan Masyarakat", "Puskesmas Kota"]),
    ("DISDIK", "Dinas Pendidikan", ["Bidang Pembinaan SD", "Bidang Pembinaan SMP"]),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil",
     ["Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pencatatan Sipil"]),
    ("DPMPTSP", "Dinas Penanaman Modal dan PTSP", ["Bidang Pelayanan Perizinan", "Bidang Pengaduan"]),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM",
     ["Bidang Penilaian Kinerja", "Bidang Pengembangan Kompetensi"]),
]
LEVELS = ["Ahli Pertama", "Ahli Muda", "Terampil", "Mahir", None]
RATINGS = ["Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"]
VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
# Where the demo leaves appraisals: every state gets a share.
SPREAD = [("plan", 12), ("plan_review", 14), ("monitor", 28), ("rate", 14), ("monitor_reopened", 2), ("review", 10),
          ("rated", 8), ("appeal", 4), ("develop", 5), ("closed", 3)]


class _Org:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seq = 0
        self.nips: set[str] = set()

    def nip(self) -> str:
        """NIP: birth date (8), appointment year-month (6), sex (1), sequence (3): 18 digits."""
        while True:
            born = f"{self.rng.randint(1968, 1998)}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}"
            tmt = f"{self.rng.randint(int(born[:4]) + 22, 2024)}{self.rng.randint(1, 12):02d}"
            self.seq += 1
            nip = f"{born}{tmt}{self.rng.randint(1, 2)}{self.seq % 1000:03d}"
            if nip not in self.nips:
                self.nips.add(nip)
                return nip

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"


NATIONAL = "permenpan-6-2022"
#: The national cycle's newest version, which the demo runs by default: quarterly checkpoints, and the top
#: official's rating stands without review where nobody reviews them (workflows/permenpan-6-2022-v3.yaml).
NATIONAL_LATEST = "permenpan-6-2022-v3"


def available_cycles() -> list[str]:
    """The cycle files shipped under workflows/, by name (file stem): the national one and each agency's."""
    return sorted(p.name[:-5] for p in resources.files("workflows").iterdir()
                  if p.name.endswith(".yaml"))


def seed_demo(session: Session, employees: int = 240, seed: int = 2026, period: str | None = None,
              progress: Callable[[int], None] | None = None, agency: str | None = None) -> list[tuple[str, str]]:
    """Create the demo organisation and drive its appraisals; returns (username, description) logins.

    ``agency`` names a cycle file under workflows/ (e.g. ``bungo``); without it the national cycle's newest
    version runs.
    """
    cycle_name = agency or NATIONAL_LATEST
    if cycle_name not in available_cycles():
        raise InvalidInput(f"no cycle '{cycle_name}' under workflows/; available: {', '.join(available_cycles())}",
                           msg=Message("definition.demo_cycle", cycle=cycle_name, known=list(available_cycles())))
    rng = random.Random(seed)
    org = _Org(rng)
    now = utcnow()
    # The run is launched before the first step the demo takes (below, up to 50 days back), and HR sets the
    # organisation up just before that, so the system chain and each history read in order.
    launched = now - timedelta(days=60)
    setup = launched - timedelta(hours=1)
    password = generate_password_hash(DEMO_PASSWORD)
    root = OrgUnit(code="PEMKAB", name="Pemerintah Kabupaten Siklus Raya", public_slug="pemkab")
    session.add(root)
    session.flush()
    sekda = Employee(nip=org.nip(), name=org.name(), position="Sekretaris Daerah", unit_id=root.id)
    session.add(sekda)
    session.flush()
    staff_per_division = max(2, (employees - 1 - len(AGENCIES)) // sum(len(d) for _, _, d in AGENCIES) - 1)
    made = 1
    logins: list[tuple[str, str]] = []
    users: list[User] = []
    first_division = None
    for code, name, divisions in AGENCIES:
        agency_unit = OrgUnit(code=code, name=name, parent_id=root.id, public_slug=code.lower())
        session.add(agency_unit)
        session.flush()
        head = Employee(nip=org.nip(), name=org.name(), position=f"Kepala {name}", unit_id=agency_unit.id,
                        supervisor_id=sekda.id)
        session.add(head)
        session.flush()
        made += 1
        for n, division_name in enumerate(divisions, start=1):
            division = OrgUnit(code=f"{code}-{n}", name=division_name, parent_id=agency_unit.id,
                               public_slug=f"{code.lower()}-{n}")
            session.add(division)
            session.flush()
            chief = Employee(nip=org.nip(), name=org.name(), position=f"Kepala {division_name}", unit_id=division.id,
                             supervisor_id=head.id)
            session.add(chief)
            session.flush()
            made += 1
            for _ in range(staff_per_division):
                if made >= employees:
                    break
                level = rng.choice(LEVELS)
                position = "Pelaksana"
                if level:  # the title is drawn only for a level, so the seeded demo stays the same
                    position = f"{'Pranata Komputer' if rng.random() < .3 else 'Analis Kebijakan'} {level}"
                session.add(Employee(nip=org.nip(), name=org.name(), position=position, position_level=level,
                                     unit_id=division.id, supervisor_id=chief.id))
                made += 1
            if first_division is None:
                first_division = (division, chief, head)
    session.flush()
    for e in session.query(Employee).order_by(Employee.id):
        user = User(username=e.nip, display_name=e.name, password_hash=password, employee_id=e.id)
        users.append(user)
        session.add(user)
    session.flush()
    assert first_division is not None
    division, chief, head = first_division
    staff_member = session.query(Employee).filter(Employee.supervisor_id == chief.id).order_by(Employee.id).first()
    assert staff_member is not None  # every division was given staff above
    named = {"pegawai": staff_member, "penilai": chief, "atasan": head}
    for username, employee in named.items():
        user = next(u for u in users if u.employee_id == employee.id)
        user.username = username
    hr_employee = (session.query(Employee).join(OrgUnit).filter(OrgUnit.code == "BKPSDM-1")
                   .order_by(Employee.id.desc()).first())
    hr_user = User(username="sdm", display_name=f"{hr_employee.name} (SDM)" if hr_employee else "Pengelola Kinerja",
                   password_hash=password)
    admin = User(username="admin", display_name="Administrator Siklus", password_hash=password)
    # The regent (Pejabat Pembina Kepegawaian) is a political official, not an employee: an account only.
    regent = User(username="bupati", display_name="Bupati Siklus Raya", password_hash=password)
    session.add_all([hr_user, admin, regent])
    session.flush()
    seed_chart(session, now=setup)
    seed_grant(session, user_id=hr_user.id, role="hr", unit_id=root.id, now=setup)
    seed_grant(session, user_id=admin.id, role="admin", now=setup)
    session.commit()
    colleague = (session.query(Employee).filter(Employee.supervisor_id == chief.id, Employee.id != staff_member.id)
                 .order_by(Employee.id).first())
    logins += [
        ("pegawai", f"{staff_member.name}, {staff_member.position} (Pegawai: menyusun SKP / drafts the SKP)"),
        ("penilai", f"{chief.name}, {chief.position} (Pejabat Penilai: menyetujui SKP / approves the SKP)"),
        ("atasan", f"{head.name}, {head.position} (Atasan Pejabat Penilai / the rater's supervisor)"),
        ("bupati", f"Bupati Siklus Raya (Pejabat Penilai Sekretaris Daerah {sekda.name} / rates the Regional "
                   "Secretary, reviews the agency heads)"),
        ("sdm", "Pengelola Kinerja SDM seluruh pemerintah daerah"),
        ("admin", "Administrator"),
    ]
    if colleague is not None:
        # Every employee logs in with their NIP as user name (the same demo password).
        logins.append((colleague.nip, f"{colleague.name}, {colleague.position}: {NIP_LOGIN}"))
    if progress:
        progress(made // 2)

    operator = Actor(user_id=admin.id, username="admin", grants=(("admin", None),))
    # The Sekda has no superior in Siklus: HR names the regent's account as their rater, on the record.
    designate_rater(session, operator, sekda.id, regent.username, basis="Keputusan Bupati Siklus Raya (demo)",
                    now=setup)
    source = resources.files("workflows").joinpath(f"{cycle_name}.yaml").read_text(encoding="utf-8")
    record = publish_source(session, source, f"{cycle_name}.yaml", operator, now=setup)
    defn = definition_of(record)
    groups = sorted({r.group for r in defn.roles.values() if r.resolver == "group" and r.group})
    for group in groups:
        # Named groups (e.g. a calibration team) get a member so their steps can happen.
        member = User(username=f"tim-{group}"[:80], display_name=f"Tim {group}", password_hash=password)
        session.add(member)
        session.flush()
        seed_grant(session, user_id=member.id, role=f"group:{group}", unit_id=root.id, now=setup)
        logins.append((member.username, f"Anggota grup {group}"))
    session.commit()
    period = period or default_period(defn.period, now)
    run = launch(session, record, root, period, operator, now=launched)
    if cycle_name in (NATIONAL, NATIONAL_LATEST):
        _drive(session, run.id, rng, named, progress)
    else:
        _drive_generic(session, run.id, defn, source, rng, named, progress)
    return logins


def _drive(session: Session, run_id: int, rng: random.Random, named: dict[str, Employee],
           progress: Callable[[int], None] | None) -> None:
    """Move each appraisal to a target state through the engine, acting as the real people."""
    rows = session.query(Appraisal).filter(Appraisal.run_id == run_id).order_by(Appraisal.id).all()
    actors: dict[int, Actor] = {}
    for user in session.query(User).filter(User.employee_id.isnot(None)):
        if user.employee_id is not None:
            actors[user.employee_id] = Actor.of(user)
    bosses = {e.id: e.supervisor_id for e in session.query(Employee)}
    states = [s for s, _ in SPREAD]
    weights = [w for _, w in SPREAD]
    # The first ten minutes: the demo employee drafts an SKP from scratch, and their supervisor, who
    # already has plans waiting (below), approves it.
    special = {named["pegawai"].id: "plan"}
    team = session.query(Employee).filter(Employee.supervisor_id == named["penilai"].id).order_by(Employee.id)
    for e in team.offset(1).limit(3):
        special[e.id] = "plan_review"
    for e in team.offset(4).limit(1):
        special[e.id] = "monitor_reopened"  # a reopened monitoring is rare, but the demo shows one
    now = utcnow()
    driven = 0
    # Leaders write their SKP first, top down, so their staff have RHK to support (the cascade).
    plans = _leader_plans(session, rows, actors, bosses, now - timedelta(days=50))
    for appraisal in rows:
        employee_id = appraisal.employee_id
        boss = bosses.get(employee_id)
        grand = bosses.get(boss) if boss else None
        if boss is None or grand is None:
            continue  # the top officials' plans move below, once every other appraisal has
        # Every state gets an appraisal first, whatever the draw; then they spread by weight.
        target = special.get(employee_id) or (states[driven] if driven < len(states)
                                              else rng.choices(states, weights)[0])
        driven += 1 if employee_id not in special else 0
        me, rater, reviewer = actors[employee_id], actors[boss], actors[grand]
        steps = _path_to(target)
        aid = appraisal.id
        supports = plans.get(boss, {})
        if not steps:
            if rng.random() < .5 and employee_id not in plans and employee_id != named["pegawai"].id:
                set_skp(session, aid, me, _skp(rng, supports))
            continue
        # One clock per appraisal, moving forward a few days per step, ending before today.
        days_back = 14 if target in ("rated", "appeal") else 45
        when = now - timedelta(days=days_back)
        if employee_id not in plans:
            set_skp(session, aid, me, _skp(rng, supports), now=when)
        for step in steps:
            when = min(when + timedelta(days=rng.randint(1, 4)), now)
            if step == "realise":
                for key in ("iki_1", "iki_2", "iki_3"):
                    record_realisation(session, aid, me, key, round(100.0 * rng.uniform(.7, 1.25), 1),
                                       note="Laporan bulanan", now=when)
            elif step == "develop":
                record_development(session, aid, me, "Pelatihan Pelayanan Prima", rng.choice([8, 12, 16]), done=True,
                                   now=when)
            else:
                trigger, who, payload = step
                actor = {"me": me, "rater": rater, "reviewer": reviewer}[who]
                fire_transition(session, aid, trigger, actor, payload(rng) if callable(payload) else payload, now=when)
        if progress:
            progress(1)
    _drive_top(session, rows, actors, bosses, now - timedelta(days=40))


def _drive_top(session: Session, rows: list[Appraisal], actors: dict[int, Actor], bosses: dict[int, int | None],
               when: datetime) -> None:
    """The top officials submit their plans: the Sekda's waits for the regent (the ``bupati`` login, their
    designated rater), and each agency head's is approved by the Sekda."""
    for appraisal in rows:
        boss = bosses.get(appraisal.employee_id)
        if boss is not None and bosses.get(boss) is not None:
            continue
        fire_transition(session, appraisal.id, "submit_plan", actors[appraisal.employee_id], {}, now=when)
        if boss is not None:
            fire_transition(session, appraisal.id, "approve_plan", actors[boss], {}, now=when + timedelta(days=2))


def _public_survey(session: Session, rng: random.Random, run: CycleRun, respondents: int = 8) -> None:
    """Public survey answers (IKM) about every unit of the run, early in its period: indicators fed by
    ``unit.ikm`` read them, as they would read the public's answers in production."""
    units = {unit_id for (unit_id,) in session.query(Employee.unit_id)
             .join(Appraisal, Appraisal.employee_id == Employee.id)
             .filter(Appraisal.run_id == run.id).distinct()}
    public_answers(session, rng, sorted(units), run.period_start + timedelta(days=20), respondents=respondents,
                   scale=(2, 3, 3, 4), key="demo-{unit}-{n}")


def _drive_generic(session: Session, run_id: int, defn: CycleDefinition, source: str, rng: random.Random,
                   named: dict[str, Employee], progress: Callable[[int], None] | None) -> None:
    """Spread an agency cycle's appraisals over its states by replaying, as the real people, the paths a
    dry run (engine.simulate) found to each state."""
    run = session.get(CycleRun, run_id)
    report = simulate(source, f"{defn.id}.yaml", period=run.period)  # type: ignore[union-attr]
    paths = report.paths
    if any(system_source(i) == "unit.ikm" for i in defn.indicators):
        _public_survey(session, rng, run)  # type: ignore[arg-type]
    reachable = [s for s in defn.states if s in paths]
    driver = Driver(session, defn)
    rows = session.query(Appraisal).filter(Appraisal.run_id == run_id).order_by(Appraisal.id).all()
    # Who acts for each role: the role's holders as the policy's resolvers see them.
    cast = Cast(session, defn, rows)
    bosses = cast.bosses
    team: dict[int | None, list[int]] = {}
    for employee_id, boss in bosses.items():
        team.setdefault(boss, []).append(employee_id)

    def first_state(resolver: str) -> str:
        """The earliest reachable state where someone of this kind acts (the demo logins land there)."""
        for state in reachable:
            for t in defn.transitions:
                if state in t.sources and any(defn.roles[r].resolver == resolver for r in t.roles):
                    return state
        return reachable[0]

    special = {named["pegawai"].id: first_state("self")}
    staff = sorted(team.get(named["penilai"].id, []))
    for employee_id in staff[1:4]:
        special[employee_id] = first_state("supervisor")
    for employee_id in staff[4:6]:
        special[employee_id] = first_state("supervisor_of_supervisor")
    now = utcnow()
    driven = 0
    for appraisal in rows:
        me = appraisal.employee_id
        boss = bosses.get(me)
        grand = bosses.get(boss) if boss else None
        if boss is None or grand is None:
            continue
        # Every reachable state gets a share; the rest spread at random.
        target = special.get(me) or (reachable[driven % len(reachable)] if driven < 3 * len(reachable)
                                     else rng.choice(reachable))
        driven += 1
        held = cast.held(appraisal.id)
        for role_id, spec in defn.roles.items():
            if spec.resolver == "peers":
                rng.shuffle(held[role_id])

        def holders(role: str, held: dict[str, list[Actor]] = held) -> list[Actor]:
            return held.get(role, [])

        profile = rng.choices(PROFILES, [2, 6, 2])[0]
        when = now - timedelta(days=40)
        path = paths[target]
        for step in path:
            transition = driver.transition(step.trigger)
            when = min(when + timedelta(days=rng.randint(1, 3)), now)
            driver.fill_inputs(appraisal.id, holders, profile, when)
            when = min(when + timedelta(hours=1), now)
            if driver.fire(appraisal.id, transition, step.role, holders, profile, when) is not None:
                break
        else:
            if not defn.states[target].final:
                driver.fill_inputs(appraisal.id, holders, profile, min(when + timedelta(hours=2), now))
        if progress:
            progress(1)


def _skp(rng: random.Random, supports: dict[str, int] | None = None) -> list[Mapping[str, Any]]:
    """A staff member's SKP; each RHK supports the leader's RHK of the same kind when the leader has one."""
    up = supports or {}
    return [
        {"key": "iki_1", "rhk": "Meningkatnya kualitas layanan publik",
         "label": "Persentase layanan selesai tepat waktu",
         "aspect": "waktu", "target": 100, "unit": "%", "weight": 40, "parent_id": up.get("iki_2")},
        {"key": "iki_2", "rhk": "Meningkatnya kualitas layanan publik",
         "label": "Jumlah dokumen layanan yang diselesaikan",
         "aspect": "kuantitas", "target": 100, "unit": "dokumen", "weight": 35, "parent_id": up.get("iki_1")},
        {"key": "iki_3", "rhk": "Tersusunnya laporan kinerja", "label": "Laporan kinerja tanpa revisi",
         "aspect": "kualitas", "target": 100, "unit": "%", "weight": 25, "parent_id": up.get("iki_3")},
    ]


def _leader_skp(unit: str, supports: dict[str, int]) -> list[dict[str, Any]]:
    """A leader's written SKP for their unit, each RHK supporting their own leader's (the cascade)."""
    return [
        {"key": "iki_1", "rhk": f"Meningkatnya kualitas layanan {unit}", "label": f"Indeks kepuasan layanan {unit}",
         "aspect": "kualitas", "target": 85, "unit": "indeks", "weight": 40, "parent_id": supports.get("iki_1")},
        {"key": "iki_2", "rhk": f"Terselesaikannya layanan {unit} tepat waktu",
         "label": "Persentase layanan selesai tepat waktu", "aspect": "waktu", "target": 95, "unit": "%", "weight": 35,
         "parent_id": supports.get("iki_2")},
        {"key": "iki_3", "rhk": f"Tersusunnya laporan kinerja {unit}", "label": "Laporan kinerja tepat waktu",
         "aspect": "kualitas", "target": 100, "unit": "%", "weight": 25, "parent_id": supports.get("iki_3")},
    ]


def _leader_plans(session: Session, rows: list[Appraisal], actors: dict[int, Actor], bosses: dict[int, int | None],
                  when: datetime) -> dict[int, dict[str, int]]:
    """Every leader (someone with staff) writes an SKP, the highest first; their IKI ids by key, per leader."""
    def depth(employee_id: int) -> int:
        n, seen = 0, employee_id
        while bosses.get(seen) is not None and n < 50:
            seen, n = bosses[seen], n + 1  # type: ignore[assignment]
        return n

    leaders = {b for b in bosses.values() if b is not None}
    plans: dict[int, dict[str, int]] = {}
    for appraisal in sorted((a for a in rows if a.employee_id in leaders), key=lambda a: depth(a.employee_id)):
        leader = appraisal.employee_id
        unit = appraisal.employee.unit.name
        set_skp(session, appraisal.id, actors[leader], _leader_skp(unit, plans.get(bosses.get(leader) or -1, {})),
                now=when)
        plans[leader] = dict(session.execute(select(Indicator.key, Indicator.id)
                                             .where(Indicator.appraisal_id == appraisal.id)).all())
    return plans


def _rating(rng: random.Random) -> dict[str, object]:
    return {"perilaku": {v: rng.choices(RATINGS, [2, 7, 1])[0] for v in VALUES}, "catatan": "Kinerja dipantau rutin."}


def _path_to(target: str) -> list[Any]:
    plan: list[Any] = [("submit_plan", "me", {})]
    approve = plan + [("approve_plan", "rater", {})]
    rate: list[Any] = approve + ["realise", ("close_monitoring", "rater", {})]
    reopened = rate + [("reopen_monitoring", "rater", {"komentar": "Bukti dukung realisasi IKI 3 belum diunggah."})]
    review = rate + [("rate", "rater", _rating)]
    rated = review + [("confirm_rating", "reviewer", {})]
    appeal = rated + [("appeal", "me", {"alasan": "Realisasi IKI 2 belum memperhitungkan dokumen bulan Desember."})]
    develop = rated + [("accept_rating", "me", {})]
    paths: dict[str, list[Any]] = {
        "plan": [],
        "plan_review": plan,
        "monitor": approve + ["realise"],
        "rate": rate,
        "monitor_reopened": reopened,
        "review": review,
        "rated": rated,
        "appeal": appeal,
        "develop": develop + ["develop"],
        "closed": develop + ["develop", ("complete_development", "rater", {})],
    }
    return paths[target]
