"""Every list page and API list costs the same number of SQL statements whether it lists N rows or 3N
(no N+1 query per row listed), on SQLite and PostgreSQL.

The rows are the staff of a section under kabid: their appraisals wait for kabid's approval or are
open to kabid's feedback, they have logins HR lists, launch events HR's audit log lists, and kabid
has a notice about each. Each page is opened with N staff, the section grows to 3N, and the page is
opened again: it must list the new staff and run no more statements than before.
"""

from __future__ import annotations

from sqlalchemy import update

from engine.models import Appraisal
from tests.scale.conftest import Counter, N, Section

ALL, WAITING, UNNAMED = "all", "waiting", ""
# (who, page, which of the new staff the page names: all, those waiting for approval, or none by name)
PAGES = [
    ("kabid", "/", ALL),                       # home: what waits for me, feedback to give
    ("kabid", "/tim", ALL),                    # my team
    ("kabid", "/penilaian/massal?aksi=approve_plan", WAITING),  # the queue of bulk approval
    ("kabid", "/notifikasi/", UNNAMED),        # notices (listed by subject)
    ("hr", "/", UNNAMED),                      # HR's home: the summary by state, and what waits for HR
    ("hr", "/sdm/pengguna", ALL),              # HR's people: logins of their units
    ("hr", "/sdm/audit", UNNAMED),             # HR's audit log (launch events of the staff)
    ("admin", "/sdm/audit", UNNAMED),          # the administrator's audit log, every unit
]

API_LISTS = [
    ("kabid", "/api/v1/appraisals?limit=200"),
    ("kabid", "/api/v1/appraisals?waiting_for_me=true&limit=200"),
    ("kadis", "/api/v1/appraisals?limit=200"),                  # the reviewer: the staff of their staff
    ("hr", "/api/v1/appraisals?limit=200"),
    ("hr", "/api/v1/appraisals?unit=BIDANG&limit=200"),
    ("admin", "/api/v1/appraisals?limit=200"),
    ("hr", "/api/v1/audit/events?limit=500"),
    ("hr", "/api/v1/results?period=2026"),
]


def _grown(section: Section, measure) -> tuple[dict[str, int], dict[str, int], list[str], dict[str, str]]:  # noqa: ANN001
    few = {key: measure(key)[0] for key in measure.keys}
    new_names = section.grow()
    assert len(section.staff) == 3 * N
    pages = {}
    many = {}
    for key in measure.keys:
        many[key], pages[key] = measure(key)
    return few, many, new_names, pages


class _Pages:
    def __init__(self, counter: Counter, login, token=None) -> None:  # noqa: ANN001
        self.counter, self.login, self.token = counter, login, token
        self.keys: list[tuple[str, str]] = []

    def __call__(self, key: tuple[str, str]) -> tuple[int, str]:
        who, url = key
        if self.token is not None:
            return self.counter.statements(url, headers=self.token(who))
        self.login(who)
        return self.counter.statements(url)


def test_list_pages_cost_the_same_statements_for_n_and_3n_rows(section: Section, counter: Counter, login) -> None:
    measure = _Pages(counter, login)
    measure.keys = [(who, url) for who, url, _named in PAGES]
    few, many, new_names, pages = _grown(section, measure)
    for who, url, named in PAGES:
        if named:
            expected = new_names if named == ALL else new_names[::2]  # every other one is in plan_review
            assert all(name in pages[(who, url)] for name in expected), f"{who} {url} does not list the new staff"
    assert "SKP Staf" in pages[("kabid", "/notifikasi/")]
    grew = {key: (few[key], many[key]) for key in few if many[key] > few[key]}
    assert not grew, f"statements grew with the rows listed (N -> 3N): {grew}"


def test_api_lists_cost_the_same_statements_for_n_and_3n_rows(section: Section, counter: Counter, token) -> None:
    headers = {who: token(who) for who in {who for who, _url in API_LISTS}}
    measure = _Pages(counter, None, lambda who: headers[who])
    measure.keys = list(API_LISTS)
    few, many, new_names, pages = _grown(section, measure)
    for who in ("kabid", "kadis", "hr", "admin"):
        listed = pages[(who, "/api/v1/appraisals?limit=200")]
        assert all(name in listed for name in new_names), f"{who}'s API list does not list the new staff"
    assert all(name in pages[("kabid", "/api/v1/appraisals?waiting_for_me=true&limit=200")]
               for name in new_names[::2])  # those in plan_review wait for kabid
    grew = {key: (few[key], many[key]) for key in few if many[key] > few[key]}
    assert not grew, f"statements grew with the rows listed (N -> 3N): {grew}"


def test_the_queue_lists_each_appraisal_waiting_for_kabid_once_after_growth(section: Section, login) -> None:
    section.grow()
    waiting = login("kabid").get("/").get_data(as_text=True).split("Menunggu tindakan saya", 1)[1]
    assert waiting.count("Setujui SKP") == len(section.staff[::2])  # every other one is in plan_review


def test_a_reviewers_lists_cost_the_same_statements_for_n_and_3n_ratings_to_confirm(section: Section, counter: Counter,
                                                                                   login, token) -> None:
    """Kadis confirms the ratings kabid gave. Whether kadis gave any of them (one hand in a rating,
    engine.appraisals.own_rating) is read for the whole list at once, not per appraisal."""
    def to_review() -> None:
        section.session.execute(update(Appraisal).where(Appraisal.employee_id.in_([p.id for p in section.staff]))
                                .values(state="review"))
        section.session.commit()

    header = token("kadis")
    pages = _Pages(counter, login)
    api = _Pages(counter, None, lambda _who: header)
    to_review()
    few_home, _page = pages(("kadis", "/"))
    few_api, _listed = api(("kadis", "/api/v1/appraisals?waiting_for_me=true&limit=200"))
    section.grow()
    to_review()
    many_home, home = pages(("kadis", "/"))
    many_api, listed = api(("kadis", "/api/v1/appraisals?waiting_for_me=true&limit=200"))
    waiting = home.split("Menunggu tindakan saya", 1)[1]
    assert waiting.count("Tetapkan hasil penilaian") == len(section.staff) == 3 * N
    assert all(p.name in listed for p in section.staff)
    assert (many_home, many_api) == (few_home, few_api), "statements grew with the ratings listed (N -> 3N)"
