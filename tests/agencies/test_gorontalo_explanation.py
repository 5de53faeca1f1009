"""Gorontalo's talent group is explained in the words the cycle gives, in the reader's language: the
employee reads why they are in their group, never the formula that put them there."""

from __future__ import annotations

import pytest

from tests.agencies.conftest import Agency, behaviour, build_agency, one_iki, plan_approved, publish_and_launch, section
from tests.agencies.test_gorontalo import HR, PEOPLE, UNITS

FORMULA_WORDS = ("kotak >=", "if kotak", "else", "'Pembinaan kinerja'", "Rumus instansi")


@pytest.fixture
def gorontalo(session) -> Agency:
    return build_agency(session, UNITS, PEOPLE, HR)


def test_the_talent_group_is_explained_in_the_cycles_words_not_by_its_formula(session, gorontalo, browser):
    publish_and_launch(session, gorontalo, "gorontalo.yaml", "BKPSDM_GTO")
    hasan = gorontalo.appraisal_ids["hasan"]
    plan_approved(browser, hasan, "hasan", "kabid", one_iki(
        "Jumlah ASN yang mengikuti pelatihan kompetensi", "100", "orang", "Pengembangan kompetensi ASN"))
    browser.login("hasan").realise(hasan, "iki_1", "100")
    browser.login("kabid").fire(hasan, "close_monitoring")
    browser.fire(hasan, "rate", {**behaviour(), "p-potensi": "Menengah"})
    browser.login("kaban").fire(hasan, "confirm_rating")

    group = section(browser.login("hasan").page(hasan), "Kelompok talenta")
    assert "Kotak talenta 5 dari 9, maka kelompoknya Pengembangan di jabatan saat ini." in group
    assert "kotak 1-3 dibina untuk meningkatkan kinerjanya" in group
    assert not [word for word in FORMULA_WORDS if word in group]

    browser.client.post("/bahasa", data={"lang": "en", "next": f"/penilaian/{hasan}"})
    group = section(browser.page(hasan), "Talent group")
    assert "Talent box 5 of 9. High performers in boxes 7-9 have the potential to hold strategic posts" in group
    assert "Kotak talenta" not in group and not [word for word in FORMULA_WORDS if word in group]
