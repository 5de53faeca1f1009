"""An HR officer whose grants cover two unrelated units chooses which owns a cycle they save first; the choice
is limited to their units, a forged one is refused with the pasted YAML kept, and a new version keeps its
cycle's owner."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from engine.errors import Forbidden
from engine.models import CycleDefinitionRecord
from engine.ownership import owner_choices
from engine.registry import save_draft
from engine.users import seed_grant
from tests.engine.test_ownership import _own_cycle


@pytest.fixture
def two_units(session, logins):
    """hr (HR of DINAS) is also given HR of LAIN, a dinas beside it."""
    seed_grant(session, user_id=logins.users["hr"].id, role="hr", unit_id=logins.other.id)
    session.commit()
    return logins


def owner_of(session, cycle_id: str = "kinerja-dinas") -> list[int | None]:
    session.rollback()
    return list(session.scalars(select(CycleDefinitionRecord.owner_unit_id)
                                .where(CycleDefinitionRecord.cycle_id == cycle_id)
                                .order_by(CycleDefinitionRecord.version)))


def test_the_form_offers_the_units_the_officer_covers_with_todays_default_first(login, two_units):
    page = login("hr").get("/sdm/siklus/baru").get_data(as_text=True)
    assert '<select id="pemilik" name="pemilik"' in page
    options = page.split('<select id="pemilik"', 1)[1].split("</select>", 1)[0]
    assert options.index("Dinas Kependudukan") < options.index("Dinas Lain")
    assert f'<option value="{two_units.dinas.id}" selected>Dinas Kependudukan</option>' in options
    assert "Pemerintah Daerah" not in options and "Seluruh organisasi" not in options


def test_an_officer_of_one_unit_is_not_asked(login, logins):
    assert 'name="pemilik"' not in login("hr").get("/sdm/siklus/baru").get_data(as_text=True)


def test_the_chosen_unit_owns_the_cycle_and_its_next_versions(login, session, two_units):
    client = login("hr")
    saved = client.post("/sdm/siklus/baru", data={"sumber": _own_cycle(), "pemilik": str(two_units.other.id)})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    assert owner_of(session) == [two_units.other.id]
    # A new version keeps the cycle's owner, whatever the form says.
    again = client.post("/sdm/siklus/baru", data={"sumber": _own_cycle(2), "pemilik": str(two_units.dinas.id)})
    assert again.status_code == 302
    assert owner_of(session) == [two_units.other.id, two_units.other.id]


def test_without_a_choice_the_owner_is_todays_default(login, session, two_units):
    assert login("hr").post("/sdm/siklus/baru", data={"sumber": _own_cycle()}).status_code == 302
    assert owner_of(session) == [two_units.dinas.id]


@pytest.mark.parametrize("forged", ["root", "bidang", "999999", "abc", "organisasi", "-1"])
def test_a_forged_owner_is_refused_naming_the_choices_and_the_yaml_stays(login, session, two_units, forged):
    value = {"root": str(two_units.root.id), "bidang": str(two_units.bidang.id)}.get(forged, forged)
    response = login("hr").post("/sdm/siklus/baru", data={"sumber": _own_cycle(), "pemilik": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert ("Pemilik siklus baru dipilih dari unit yang Anda awasi sebagai SDM: Dinas Kependudukan atau Dinas Lain. "
            "Tidak ada yang disimpan") in page
    assert html.escape("id: kinerja-dinas", quote=False) in page.split("<textarea", 1)[1]
    assert owner_of(session) == []


def test_the_refusal_in_english(login, two_units):
    client = login("hr")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    page = client.post("/sdm/siklus/baru", data={"sumber": _own_cycle(), "pemilik": "abc"}).get_data(as_text=True)
    assert ("owner is chosen among the units you oversee as HR: Dinas Kependudukan or Dinas Lain. "
            "Nothing was saved; choose one of them and save again.") in page


def test_hr_of_the_whole_organisation_may_give_it_to_the_whole_organisation_or_a_unit_of_a_grant(session, org):
    seed_grant(session, user_id=org.users["hr_lain"].id, role="hr", unit_id=org.root.id)
    session.commit()
    choices = owner_choices(session, org.actor("hr_lain"))
    assert [c.unit_id for c in choices] == [None, org.other.id]
    record = save_draft(session, _own_cycle(), "x.yaml", org.actor("hr_lain"), owner=org.other.id)
    assert record.owner_unit_id == org.other.id
    with pytest.raises(Forbidden):
        save_draft(session, _own_cycle().replace("kinerja-dinas", "kinerja-lain"), "y.yaml", org.actor("hr_lain"),
                   owner=org.dinas.id)
