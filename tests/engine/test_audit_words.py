"""A row forged below Siklus is named to the HR officer in words, not in the machine's values: an empty value as
empty, a person by name, a role by its cycle label, a status in words and a moment in the agency's time (WIB), in
Bahasa Indonesia and in English alike. The log keeps what a script reads (keys, UTC)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, select, update

from engine.appraisals import record_development
from engine.audit import verify_chain
from engine.models import Appraisal, DevelopmentActivity, Indicator, Realisation, User
from engine.runs import find_unit, launch
from tests.engine.test_audit import _closed
from tests.support.states import drive
from web.messages import finding_text

RAW = ("null", "None", "+00:00", " UTC", "'approved'", "'done'", "'withdrawn'")


def _problems(session, aid: int, forged) -> list[str]:
    with session.bind.begin() as conn:
        conn.execute(forged)
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok
    return [p for p in report.problems if p.startswith(f"appraisal #{aid}:")]


def _screen(problem: str) -> dict[str, str]:
    """The finding as the HR audit page shows it, in each language, with no machine value left in it."""
    shown = {lang: finding_text(problem, lang) for lang in ("id", "en")}
    for text in shown.values():
        assert not [raw for raw in RAW if raw in text], text
    return shown


def _one(problems: list[str], words: str) -> str:
    found = [p for p in problems if words in p]
    assert len(found) == 1, problems
    return found[0]


def _ani(org) -> str:
    return f"Ani Lestari (NIP {org.people['ani'].nip})"


def test_a_realisation_credited_to_another_account_names_both_accounts(session, org, national):
    aid = _closed(session, org, national)
    hr = session.scalar(select(User.id).where(User.username == "hr"))
    problems = _problems(session, aid, update(Realisation).where(Realisation.appraisal_id == aid)
                         .values(recorded_by_id=hr))
    problem = _one(problems, "who recorded it")
    shown = _screen(problem)
    assert f"pencatat bernilai Pengelola Kinerja (hr), tetapi menurut rantai {_ani(org)}" in shown["id"]
    assert f"who recorded it is Pengelola Kinerja (hr) but the chain says {_ani(org)}" in shown["en"]
    assert problem.endswith(f"who recorded it is Pengelola Kinerja (hr) but the chain says {_ani(org)}")


def test_an_emptied_value_reads_as_empty_and_a_role_by_its_label(session, org, national):
    aid = _closed(session, org, national)
    problems = _problems(session, aid, update(Realisation).where(Realisation.appraisal_id == aid)
                         .values(recorded_by_id=None, supplied_role="penilai"))
    shown = _screen(_one(problems, "who recorded it"))
    assert f"pencatat bernilai tidak seorang pun, tetapi menurut rantai {_ani(org)}" in shown["id"]
    shown = _screen(_one(problems, "role of who supplied the value"))
    assert "peran pemberi nilai bernilai Pejabat Penilai Kinerja, tetapi menurut rantai Pegawai" in shown["id"]
    assert "role of who supplied the value is Rater (direct supervisor) but the chain says Employee" in shown["en"]
    # The log keeps the cycle's keys, as scripts read them.
    assert "role of who supplied the value is penilai but the chain says pegawai" in _one(problems, "supplied")


def test_a_changed_skp_names_who_set_it_when_in_local_time_and_an_empty_target(session, org, national):
    aid = _closed(session, org, national)
    hr = session.scalar(select(User.id).where(User.username == "hr"))
    problems = _problems(session, aid, update(Indicator).where(Indicator.appraisal_id == aid, Indicator.key == "iki_1")
                         .values(target=None, set_by_id=hr, set_at=datetime(2025, 1, 2, 3, 4, 5)))
    shown = _screen(_one(problems, " target is "))
    assert "indikator SKP 'iki_1' target bernilai kosong, tetapi menurut rantai 100" in shown["id"]
    assert "SKP indicator 'iki_1' target is empty but the chain says 100" in shown["en"]
    shown = _screen(_one(problems, "who set it"))
    assert f"penetap bernilai Pengelola Kinerja (hr), tetapi menurut rantai {_ani(org)}" in shown["id"]
    problem = _one(problems, "time it was set")
    shown = _screen(problem)
    assert "waktu penetapan bernilai 2 Jan 2025, 10.04 WIB, tetapi menurut rantai " in shown["id"]
    assert "time it was set is 2 Jan 2025, 10.04 WIB but the chain says " in shown["en"]
    # The log keeps the moment in UTC ISO, as every finding's moment.
    assert "time it was set is 2025-01-02T03:04:05+00:00 but the chain says 20" in problem


def test_moments_of_the_timeline_read_in_local_time(session, org, national):
    aid = _closed(session, org, national)
    problems = _problems(session, aid, update(Realisation).where(Realisation.appraisal_id == aid)
                         .values(recorded_at=datetime(2025, 1, 2, 3, 4, 5)))
    shown = _screen(_one(problems, "was recorded at"))
    assert "dicatat pada 2 Jan 2025, 10.04 WIB, tetapi menurut rantai " in shown["id"]
    assert "WIB" in shown["id"].split("menurut rantai ", 1)[1]
    problems = _problems(session, aid, update(Appraisal).where(Appraisal.id == aid)
                         .values(due_at=datetime(2025, 1, 2, 3, 4, 5)))
    shown = _screen(_one(problems, "has its deadline"))
    assert shown["id"].endswith("tenggatnya 2 Jan 2025, 10.04 WIB, tetapi menurut rantai tidak ada")
    assert shown["en"].endswith("has its deadline at 2 Jan 2025, 10.04 WIB but the chain says none")


def test_a_development_activitys_status_reads_in_words(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "develop")
    record_development(session, aid, org.actor("ani"), "Pelatihan pelayanan prima", 20, done=True)
    problems = _problems(session, aid, update(DevelopmentActivity).where(DevelopmentActivity.appraisal_id == aid)
                         .values(status="withdrawn"))
    shown = _screen(_one(problems, "activity status"))
    assert "status kegiatan bernilai dibatalkan, tetapi menurut rantai selesai" in shown["id"]
    assert "activity status is withdrawn but the chain says done" in shown["en"]


def test_the_accounts_a_batch_names_are_read_in_one_query(session, org, national):
    """However many realisations a forger credits to someone else, their accounts are named from one query."""
    aid = _closed(session, org, national)
    hr = session.scalar(select(User.id).where(User.username == "hr"))
    with session.bind.begin() as conn:
        conn.execute(update(Realisation).where(Realisation.appraisal_id == aid).values(recorded_by_id=hr))
        conn.execute(update(Indicator).where(Indicator.appraisal_id == aid).values(set_by_id=hr))
    session.expire_all()
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("SELECT user_account.id, user_account.username, user_account.display_name"):
            statements.append(statement)  # naming logins (Names.user), not the system chain's checks of them

    event.listen(session.bind, "before_cursor_execute", seen)
    try:
        problems = verify_chain(session).problems
    finally:
        event.remove(session.bind, "before_cursor_execute", seen)
    assert len([p for p in problems if "Pengelola Kinerja (hr)" in p]) >= 2, problems
    assert len(statements) == 1, statements


def test_a_state_reads_by_its_cycle_label_and_the_log_keeps_its_key(session, org, national):
    aid = _closed(session, org, national)
    problems = _problems(session, aid, update(Appraisal).where(Appraisal.id == aid).values(state="rate"))
    problem = _one(problems, "state is ")
    assert problem.endswith("state is 'rate' but the chain says 'closed'")
    shown = _screen(problem)
    assert shown["id"].endswith("tahapnya 'Penilaian oleh pejabat penilai', tetapi menurut rantai 'Selesai'")
    assert shown["en"].endswith("state is 'Rating by the rater' but the chain says 'Closed'")
    assert "'rate'" not in shown["id"] + shown["en"]


def test_when_a_state_was_entered_names_the_state_by_its_label(session, org, national):
    aid = _closed(session, org, national)
    entries = dict(session.scalar(select(Appraisal.state_entries).where(Appraisal.id == aid)))
    entries["rate"] = "2025-01-02T03:04:05+00:00"
    entries["monitor_reopened"] = "2025-01-03T03:04:05+00:00"
    del entries["review"]
    problems = _problems(session, aid, update(Appraisal).where(Appraisal.id == aid).values(state_entries=entries))
    at = _one(problems, "entered state 'rate'")
    assert "entered state 'rate' at 2025-01-02T03:04:05+00:00 but the chain says 20" in at
    assert "masuk tahap 'Penilaian oleh pejabat penilai' pada 2 Jan 2025, 10.04 WIB, tetapi menurut rantai " \
        in _screen(at)["id"]
    never = _screen(_one(problems, "which the chain never entered"))
    assert "mencatat masuk tahap 'Pemantauan dibuka kembali' pada 3 Jan 2025, 10.04 WIB" in never["id"]
    assert "says it entered state 'Monitoring reopened' at 3 Jan 2025, 10.04 WIB" in never["en"]
    untimed = _screen(_one(problems, "has no time of entering state"))
    assert "tidak mencatat waktu masuk tahap 'Pemeriksaan atasan pejabat penilai'" in untimed["id"]
    assert "'review'" not in untimed["id"] + untimed["en"]


def test_how_an_appraisal_was_closed_reads_in_words(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    drive(session, org, aid, "ani", "review")
    problems = _problems(session, aid, update(Appraisal).where(Appraisal.id == aid)
                         .values(closed_at=datetime(2026, 5, 1), closed_kind="left"))
    problem = _one(problems, "is closed")
    assert problem.endswith("is closed (left) but the chain says open")
    shown = _screen(problem)
    assert shown["id"].endswith("statusnya ditutup (pegawai keluar), tetapi menurut rantai terbuka")
    assert shown["en"].endswith("is closed (the employee left) but the chain says open")
    problems = _problems(session, aid, update(Appraisal).where(Appraisal.id == aid).values(closed_kind=None))
    shown = _screen(_one(problems, "is closed"))
    assert shown["id"].endswith("statusnya ditutup (tanpa alasan tercatat), tetapi menurut rantai terbuka")


def test_an_appraisal_in_no_run_reads_in_words():
    """The schema keeps an appraisal's run (NOT NULL): what verify says of one without is checked below it."""
    from engine.replay import Live, Replayed
    from engine.replay_compare import _identity_differences

    live = Live("rate", "c", 1, "h", "h", "c", 1, {}, run_id=None, period="2026", row_cycle_id="c")
    replayed = Replayed(1, run_id=7, period="2026", cycle_id="c")
    [problem] = _identity_differences(live, replayed, None)  # type: ignore[arg-type]
    assert problem == "is in no run but the chain says run #7"
    assert "None" not in _screen(problem)["id"]
    assert _screen(problem)["id"] == "tidak berada di putaran mana pun, tetapi menurut rantai putaran #7"
