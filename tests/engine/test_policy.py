"""One policy for every role: who holds each cycle role, who may open, fire and edit, on every shipped
cycle, and the same answer from each of the resolvers' three questions (does this person hold it, who
holds it for many employees at once, which appraisals may this person list).

The test organisation (tests/support/factories.py) gets a few more people here: staf reports to ani;
tpk sits on the DINAS panel (a ``group`` grant); luar works for another government (another root
unit) whose HR officer is hr_luar. ``publik`` is an anonymous member of the public.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from engine.access import list_appraisals
from engine.definition import EDIT_KINDS, PUBLIC_ROLE_RESOLVERS, CycleDefinition, content_hash
from engine.models import Appraisal, CycleDefinitionRecord, Employee, OrgUnit, User
from engine.nominations import decide_nomination, propose_nominee
from engine.permissions import Actor
from engine.policy import Policy, opening_roles
from engine.registry import definition_of, publish_source
from engine.resolvers import RESOLVERS, HolderIndex, Subject
from engine.runs import launch
from engine.users import seed_grant
from engine.validation import load_definition

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / "workflows").glob("*.yaml"))
SCHEMA = json.loads((ROOT / "engine" / "schema" / "cycle.schema.json").read_text(encoding="utf-8"))

# Everyone who might try: the appraised employee ani, her rater kabid, the rater's supervisor kadis, her
# peer budi, her report staf, the panel member tpk, HR of her agency, HR of another agency, an admin,
# doni of another agency, luar of another government and its HR officer, and the anonymous public.
PEOPLE = ["ani", "kabid", "kadis", "budi", "staf", "tpk", "hr", "hr_lain", "admin", "doni", "luar", "hr_luar",
          "sekda", "publik"]
# Who holds a role of each resolver for ani (the regulation's reading of each kind of role).
HOLDERS = {
    "self": {"ani"},
    "supervisor": {"kabid"},
    "supervisor_of_supervisor": {"kadis"},
    "peers": {"budi"},
    "subordinates": {"staf"},
    "unit_hr": {"hr", "admin"},
    "group": {"tpk"},
    "public": set(),
    # staf, proposed by ani and approved by kabid (see the every_resolver fixture).
    "nominated": {"staf"},
}
# Who may open ani's appraisal whatever the cycle: HR of her unit and administrators.
ALWAYS_OPEN = {"hr", "admin"}

EVERY_RESOLVER = """
id: semua-peran
version: 1
title: {id: Semua jenis peran, en: Every kind of role}
period: annual
roles:
  pegawai: {resolver: self}
  penilai: {resolver: supervisor}
  atasan: {resolver: supervisor_of_supervisor}
  rekan: {resolver: peers}
  bawahan: {resolver: subordinates}
  sdm: {resolver: unit_hr}
  tpk: {resolver: group, group: tpk}
  masyarakat: {resolver: public}
  usulan: {resolver: nominated}
states:
  plan:
    label: Rencana
    initial: true
    edit: {pegawai: [skp], penilai: [realisation], sdm: [development]}
  closed:
    label: Selesai
    final: true
transitions:
  - {trigger: oleh_pegawai, source: plan, dest: closed, roles: [pegawai]}
  - {trigger: oleh_penilai, source: plan, dest: closed, roles: [penilai]}
  - {trigger: oleh_atasan, source: plan, dest: closed, roles: [atasan]}
  - {trigger: oleh_rekan, source: plan, dest: closed, roles: [rekan]}
  - {trigger: oleh_bawahan, source: plan, dest: closed, roles: [bawahan]}
  - {trigger: oleh_sdm, source: plan, dest: closed, roles: [sdm]}
  - {trigger: oleh_tpk, source: plan, dest: closed, roles: [tpk]}
  - {trigger: oleh_usulan, source: plan, dest: closed, roles: [usulan]}
"""
ROLE_OF_RESOLVER = {"self": "pegawai", "supervisor": "penilai", "supervisor_of_supervisor": "atasan",
                    "peers": "rekan", "subordinates": "bawahan", "unit_hr": "sdm", "group": "tpk",
                    "public": "masyarakat", "nominated": "usulan"}


def _groups_of_shipped_cycles() -> set[str]:
    return {r.group for path in WORKFLOWS for r in load_definition(path.read_text(encoding="utf-8"), path.name)
            .roles.values() if r.resolver == "group" and r.group} | {"tpk"}


@pytest.fixture
def people(session, org):
    """The test organisation with staf, tpk, luar and hr_luar; actors by name (``publik``: the public)."""
    staf = Employee(nip="198001012005011099", name="Staf Ani", position="Pengadministrasi", unit_id=org.bidang.id,
                    supervisor_id=org.people["ani"].id)
    elsewhere = OrgUnit(code="PEMKAB-LAIN", name="Pemerintah Kabupaten Lain")
    session.add_all([staf, elsewhere])
    session.flush()
    luar = Employee(nip="198001012005011098", name="Pegawai Luar", position="Analis", unit_id=elsewhere.id)
    session.add(luar)
    session.flush()
    users = {"staf": User(username="staf", display_name="Staf", employee_id=staf.id, password_hash="x"),
             "luar": User(username="luar", display_name="Luar", employee_id=luar.id, password_hash="x"),
             "tpk": User(username="tpk", display_name="Tim Penilai", password_hash="x"),
             "hr_luar": User(username="hr_luar", display_name="SDM Luar", password_hash="x")}
    session.add_all(users.values())
    session.flush()
    for g in sorted(_groups_of_shipped_cycles()):
        seed_grant(session, user_id=users["tpk"].id, role=f"group:{g}", unit_id=org.dinas.id)
    seed_grant(session, user_id=users["hr_luar"].id, role="hr", unit_id=elsewhere.id)
    session.commit()
    for user in users.values():
        session.refresh(user)
    org.users.update(users)
    org.people.update({"staf": staf, "luar": luar})
    actors = {name: Actor.of(org.users[name]) for name in PEOPLE if name != "publik"}
    actors["publik"] = Actor.public()
    return SimpleNamespace(org=org, actors=actors, staf=staf, luar=luar, elsewhere=elsewhere)


@pytest.fixture
def every_resolver(session, org, people) -> CycleDefinitionRecord:
    record = publish_source(session, EVERY_RESOLVER, "semua-peran.yaml", org.actor("admin"))
    launch(session, record, org.root, "2026", org.actor("admin"))
    # ani proposes staf as a nominated respondent and kabid, her rater, approves.
    ani = _ani(session, org, record)
    nomination = propose_nominee(session, people.actors["ani"], ani.id, "usulan", people.staf.nip)
    decide_nomination(session, people.actors["kabid"], nomination.id, approve=True)
    return record


def _ani(session, org, record) -> Appraisal:
    return session.scalars(select(Appraisal).where(Appraisal.definition_id == record.id,
                                                   Appraisal.employee_id == org.people["ani"].id)).one()


# -- the registry ---------------------------------------------------------------------------------

def test_every_resolver_of_the_cycle_language_is_registered_and_nothing_else():
    assert set(RESOLVERS) == set(SCHEMA["$defs"]["role"]["properties"]["resolver"]["enum"]) == set(HOLDERS)


def test_only_the_public_resolver_opens_nothing():
    assert {name for name, r in RESOLVERS.items() if not r.opens} == set(PUBLIC_ROLE_RESOLVERS) == {"public"}


# -- one table per resolver: the three questions agree --------------------------------------------

@pytest.mark.parametrize("resolver", list(HOLDERS))
def test_who_holds_each_kind_of_role_for_ani(session, people, every_resolver, resolver):
    """Holding, listing and opening: one answer per person for ani's appraisal."""
    org = people.org
    appraisal = _ani(session, org, every_resolver)
    defn = definition_of(every_resolver)
    role = ROLE_OF_RESOLVER[resolver]
    holds = {p for p in PEOPLE if Policy(session, people.actors[p]).holds(defn, role, appraisal.employee)}
    assert holds == HOLDERS[resolver]
    listed = set()
    for person in PEOPLE:
        policy = Policy(session, people.actors[person])
        ids = set(session.scalars(select(Appraisal.id).join(Appraisal.employee)
                                  .where(policy.listable(lambda d: [role], as_hr=False))))
        if appraisal.id in ids:
            listed.add(person)
    assert listed == HOLDERS[resolver]


@pytest.mark.parametrize("resolver", list(HOLDERS))
def test_the_holders_of_a_batch_are_those_who_hold_the_role_one_by_one(session, people, every_resolver, resolver):
    """The set-based answer (notices, the demo) for every employee of the run at once."""
    org = people.org
    defn = definition_of(every_resolver)
    spec = defn.roles[ROLE_OF_RESOLVER[resolver]]
    appraisals = list(session.scalars(select(Appraisal).where(Appraisal.definition_id == every_resolver.id)))
    subjects = {a.id: Subject(a.employee_id, a.employee.unit_id, a.employee.supervisor_id,
                              a.employee.supervisor.supervisor_id if a.employee.supervisor else None)
                for a in appraisals}
    index = HolderIndex(session, list(subjects.values()), {resolver})
    by_employee = {u.employee_id: name for name, u in org.users.items() if u.employee_id is not None}
    by_user = {u.id: name for name, u in org.users.items()}
    for a in appraisals:
        held = index.of(spec, subjects[a.id])
        told = {by_employee[e] for e in held.employee_ids if e in by_employee} | {by_user[u] for u in held.user_ids}
        holds = {p for p in PEOPLE if Policy(session, people.actors[p]).holds(defn, spec.id, a.employee)}
        if resolver == "unit_hr":
            # Notices go to the unit's HR officers; administrators only where no HR officer covers the unit.
            officers = holds - {"admin"}
            holds = officers or holds
        assert told == holds, (a.employee.name, told, holds)


def test_notices_for_hr_go_to_an_administrator_only_where_no_hr_officer_covers_the_unit(session, people,
                                                                                      every_resolver):
    org = people.org
    spec = definition_of(every_resolver).roles["sdm"]
    sekda = org.people["sekda"]  # PEMDA itself: no HR officer's grant covers it
    index = HolderIndex(session, [Subject(sekda.id, sekda.unit_id, None, None),
                                  Subject(org.people["ani"].id, org.bidang.id, None, None)], {"unit_hr"})
    assert index.of(spec, Subject(sekda.id, sekda.unit_id, None, None)).user_ids == (org.users["admin"].id,)
    assert index.of(spec, Subject(org.people["ani"].id, org.bidang.id, None, None)).user_ids == (org.users["hr"].id,)


def test_an_inactive_colleague_is_no_peer_and_no_subordinate(session, people, every_resolver):
    org = people.org
    defn = definition_of(every_resolver)
    appraisal = _ani(session, org, every_resolver)
    org.people["budi"].active = False
    people.staf.active = False
    session.commit()
    assert not Policy(session, people.actors["budi"]).holds(defn, "rekan", appraisal.employee)
    assert not Policy(session, people.actors["staf"]).holds(defn, "bawahan", appraisal.employee)


# -- opening, firing and editing: the cycle with every kind of role --------------------------------

def test_who_may_open_ani_appraisal_through_each_kind_of_role(session, people, every_resolver):
    appraisal = _ani(session, people.org, every_resolver)
    defn = definition_of(every_resolver)
    may_open = {p for p in PEOPLE if Policy(session, people.actors[p]).can_open(defn, appraisal.employee)}
    assert may_open == set().union(*HOLDERS.values()) | ALWAYS_OPEN
    assert not may_open & {"hr_lain", "doni", "luar", "hr_luar", "publik", "sekda"}


@pytest.mark.parametrize("person", PEOPLE)
def test_what_each_person_may_list_is_exactly_what_they_may_open(session, people, every_resolver, national, person):
    org = people.org
    launch(session, national, org.root, "2026", org.actor("admin"))
    actor = people.actors[person]
    policy = Policy(session, actor)
    every = list(session.scalars(select(Appraisal)))
    may_open = {a.id for a in every if policy.can_open(definition_of(a.definition), a.employee)}
    candidates = set(session.scalars(select(Appraisal.id).join(Appraisal.employee).where(policy.listable())))
    assert candidates == may_open
    page = list_appraisals(session, actor, limit=500)
    assert {o.appraisal.id for o in page.items} == may_open


def test_a_listing_costs_a_few_statements_however_many_units(session, people, every_resolver):
    """The unit tree is walked by recursive queries, not one query per unit or per appraisal."""
    for n in range(6):
        unit = OrgUnit(code=f"SEKSI-{n}", name=f"Seksi {n}", parent_id=people.org.bidang.id)
        session.add(unit)
        session.flush()
        session.add(Employee(nip=f"19900101201501{n:04d}", name=f"Staf Seksi {n}", position="Analis", unit_id=unit.id,
                             supervisor_id=people.org.people["kabid"].id))
    session.commit()
    launch(session, every_resolver, people.org.bidang, "2027", people.org.actor("admin"))
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listener)
    try:
        page = list_appraisals(session, people.actors["hr"], limit=500)
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listener)
    assert len(page.items) >= 13
    assert len(statements) <= 6, statements


# -- every shipped cycle: for each transition, state and kind of edit, who may act ----------------

def _expected(defn: CycleDefinition, roles) -> set[str]:
    return set().union(*(HOLDERS[defn.roles[r].resolver] for r in roles)) if roles else set()


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.stem for p in WORKFLOWS])
def test_who_may_open_fire_and_edit_on_every_shipped_cycle(session, people, path):
    """For each transition: its roles' holders fire it (ani as herself only); for each state and kind of
    edit: the editing roles' holders; to open: the holders of a role with work on the appraisal (peers,
    subordinates and nominees who only answer a feedback window do not open it) and HR of the unit. Nobody of
    another agency or government, no HR officer of another unit, and never the public."""
    org = people.org
    defn = load_definition(path.read_text(encoding="utf-8"), path.name)
    ani = org.people["ani"]
    policies = {p: Policy(session, people.actors[p]) for p in PEOPLE}
    wrong: list[str] = []
    may_open = {p for p, policy in policies.items() if policy.can_open(defn, ani)}
    if may_open != _expected(defn, sorted(opening_roles(defn))) | ALWAYS_OPEN:
        wrong.append(f"open: {sorted(may_open)}")
    for t in defn.transitions:
        may_fire = {p for p, policy in policies.items() if policy.can_fire(defn, t, ani)}
        if may_fire != _expected(defn, t.roles):
            wrong.append(f"fire {t.trigger} from {t.sources}: {sorted(may_fire)} != {sorted(_expected(defn, t.roles))}")
    for state, spec in defn.states.items():
        here = SimpleNamespace(state=state, employee=ani, employee_id=ani.id)
        for kind in EDIT_KINDS:
            may_edit = {p for p, policy in policies.items() if policy.can_edit(defn, here, kind)}
            expected = _expected(defn, [r for r, kinds in spec.edit.items() if kind in kinds])
            if may_edit != expected:
                wrong.append(f"edit {kind} in {state}: {sorted(may_edit)} != {sorted(expected)}")
    assert not wrong, "\n".join(wrong)
    for stranger in ("hr_lain", "doni", "luar", "hr_luar", "publik"):
        assert stranger not in may_open


@pytest.mark.parametrize("name, respondents", [("binjai", {"rekan"}), ("gorontalo", {"rekan"}),
                                                ("umpan-balik-pimpinan", {"bawahan", "rekan"})])
def test_colleagues_who_only_answer_a_feedback_window_do_not_open_the_appraisal(name, respondents):
    """A shipped cycle's peers, subordinates and nominees answer its 360 window: that gives them its form, not the
    ratings, evidence and notes of the colleague they answer on."""
    defn = load_definition((ROOT / "workflows" / f"{name}.yaml").read_text(encoding="utf-8"), f"{name}.yaml")
    assert respondents <= {r for w in defn.feedback for r in w.roles}
    assert not respondents & opening_roles(defn)
    assert {"pegawai", "penilai", "sdm"} <= opening_roles(defn)


# -- the public role holds nothing ------------------------------------------------------------------

def test_a_public_role_opens_fires_and_edits_nothing_even_in_a_cycle_stored_before_the_validator_refused_it(
        session, people):
    """A cycle published before ``siklus validate`` refused a public role in ``edit`` and windows."""
    source = EVERY_RESOLVER.replace("id: semua-peran", "id: lama").replace(
        "edit: {pegawai: [skp],", "edit: {masyarakat: [skp, realisation], pegawai: [skp],").replace(
        "roles: [tpk]}", "roles: [tpk, masyarakat]}") + (
        "feedback:\n  - id: survei\n    states: [plan]\n    roles: [masyarakat]\n    questions: berakhlak\n")
    record = CycleDefinitionRecord(cycle_id="lama", version=1, title="Lama", status="published", source=source,
                                   content_hash=content_hash(source), published_at=None)
    session.add(record)
    session.commit()
    launch(session, record, people.org.root, "2026", people.org.actor("admin"))
    defn = definition_of(record)
    appraisal = _ani(session, people.org, record)
    for stranger in ("luar", "doni", "hr_lain", "hr_luar", "publik"):
        policy = Policy(session, people.actors[stranger])
        assert not policy.can_open(defn, appraisal.employee)
        assert not policy.can_edit(defn, appraisal, "skp")
        assert not policy.can_answer(defn, appraisal, defn.feedback[0])
        assert not policy.can_fire(defn, defn.transition("oleh_tpk", "plan"), appraisal.employee)
        assert appraisal.id not in set(session.scalars(select(Appraisal.id).join(Appraisal.employee)
                                                       .where(policy.listable())))


# -- results hidden from the employee ---------------------------------------------------------------

def test_a_result_hidden_from_the_employee_is_seen_by_the_rater_and_hr_only(session, people, every_resolver):
    defn = definition_of(every_resolver)
    appraisal = _ani(session, people.org, every_resolver)
    hidden = SimpleNamespace(results={"kotak": SimpleNamespace(visible_to_employee=False),
                                      "predikat": SimpleNamespace(visible_to_employee=True)})
    for person, sees_hidden in (("ani", False), ("kabid", True), ("hr", True)):
        policy = Policy(session, people.actors[person])
        assert policy.can_see(hidden, appraisal, "predikat")  # type: ignore[arg-type]
        assert policy.can_see(hidden, appraisal, "kotak") == sees_hidden  # type: ignore[arg-type]
    assert not Policy(session, people.actors["ani"]).can_see(defn, appraisal, "no-such-result")


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.stem for p in WORKFLOWS])
def test_who_may_record_each_fixed_indicator_of_every_shipped_cycle(session, people, path):
    """can_edit(realisation, indicator) follows the indicator's owner: its supplied_by role while the state
    opens realisations to it, and nobody for a value the system feeds (engine.provenance decides)."""
    defn = load_definition(path.read_text(encoding="utf-8"), path.name)
    ani = people.org.people["ani"]
    policies = {p: Policy(session, people.actors[p]) for p in PEOPLE}
    for state, spec in defn.states.items():
        editors = [r for r, kinds in spec.edit.items() if "realisation" in kinds]
        here = SimpleNamespace(state=state, employee=ani, employee_id=ani.id)
        for indicator in defn.indicators:
            may = {p for p, policy in policies.items() if policy.can_edit(defn, here, "realisation", indicator.id)}
            fed = indicator.source is not None or "realisation" in (indicator.inputs or {})
            suppliers = [indicator.supplied_by] if indicator.supplied_by else editors
            expected = set() if fed else _expected(defn, [r for r in suppliers if r in editors])
            assert may == expected, (state, indicator.id)
