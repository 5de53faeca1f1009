"""The training recommendation names each weak point as people know it. Its stored explanation read "Tidak ada
kursus di katalog untuk: iki_2" and Bungo's "untuk komunikasi": the rule's input keys. An IKI is named as the
work-results rating names it ("IKI 2 (Laporan tepat waktu)"), an item a cycle's form rates by its title there,
a BerAKHLAK value by its name; the value and details keep the keys, and the audit chain stays intact."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import select

from engine.appraisals import fire_transition, record_realisation, set_skp
from engine.audit import verify_chain
from engine.models import Appraisal, AuditEvent, Result
from engine.registry import definition_of, publish_source
from engine.runs import find_unit, launch
from engine.weak_points import weak_points
from rules import get_rule
from rules.terms import Named
from tests.support.states import SESUAI, VALUES

BELOW = "Di Bawah Ekspektasi"
TWO_IKI = [
    {"key": "iki_1", "label": "Berkas terverifikasi", "target": 100, "weight": 60, "aspect": "kuantitas"},
    {"key": "iki_2", "label": "Laporan tepat waktu", "target": 12, "weight": 40, "aspect": "waktu"},
]


def _definition(session, org, name: str):
    source = resources.files("workflows").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return publish_source(session, source, f"{name}.yaml", org.actor("admin"))


def test_the_rule_speaks_of_named_keys_by_name_and_keeps_the_keys():
    catalog = {"komunikasi": [{"id": "public_speaking", "title": "Public Speaking", "jp": 16}],
               "kolaboratif": [{"id": "kerja_tim", "title": "Kerja Sama Tim", "jp": 12}]}
    weak = [Named("komunikasi", {"id": "Komunikasi", "en": "Communication"}), "kolaboratif",
            Named("iki_2", {"id": "IKI 2 (Laporan tepat waktu)", "en": "IKI 2 (Timely reports)"})]
    result = get_rule("training_recommendation").evaluate({"catalog": catalog}, {"weak": weak, "jp_done": 8})
    assert "Public Speaking (public_speaking, 16 JP) untuk Komunikasi" in result.explanation["id"]
    assert "Kerja Sama Tim (kerja_tim, 12 JP) untuk Kolaboratif" in result.explanation["id"]
    assert "Tidak ada kursus di katalog untuk: IKI 2 (Laporan tepat waktu)." in result.explanation["id"]
    assert "for Communication" in result.explanation["en"]
    assert "for: IKI 2 (Timely reports)." in result.explanation["en"]
    assert "iki_2" not in result.explanation["id"] + result.explanation["en"]
    # What is stored for machines keeps the keys, as plain text.
    assert [c["for"] for c in result.value] == [["komunikasi"], ["kolaboratif"]]
    assert result.details["unmatched"] == ["iki_2"]
    assert all(type(k) is str for c in result.value for k in c["for"])
    assert all(type(k) is str for k in result.details["unmatched"])


def test_bare_keys_read_as_before():
    """A weak point given as a bare key (the rule tried by hand, a plugin's input) is shown as it was."""
    result = get_rule("training_recommendation").evaluate(
        {"catalog": {"kolaboratif": [{"id": "kerja_tim", "title": "Kerja Sama Tim", "jp": 12}]}},
        {"weak": ["kolaboratif", "iki_2"]})
    assert result.explanation["id"].startswith("Kursus yang disarankan: Kerja Sama Tim (kerja_tim, 12 JP) untuk "
                                               "Kolaboratif; jumlah 12 JP. Tidak ada kursus di katalog untuk: iki_2.")


def test_weak_points_carry_the_names_of_the_iki_and_of_the_items_a_form_rates(session, org):
    bungo = definition_of(_definition(session, org, "bungo"))
    data = {"penilaian": {"perilaku": {"kolaboratif": BELOW, "loyal": SESUAI},
                          "kontribusi_tim": {"komunikasi": BELOW, "kerja_sama": SESUAI}}}
    rows = [{"id": "iki_1", "name": "IKI 1", "label": "Berkas terverifikasi", "label_en": "Berkas terverifikasi",
             "achievement": 100.0},
            {"id": "iki_2", "name": "IKI 2", "label": "Laporan tepat waktu", "label_en": "Laporan tepat waktu",
             "achievement": 75.0}]
    weak = weak_points(bungo, data, rows)
    assert weak == ["kolaboratif", "komunikasi", "iki_2"]
    assert [getattr(w, "names", None) for w in weak] == [
        None, {"id": "Komunikasi", "en": "Komunikasi"},
        {"id": "IKI 2 (Laporan tepat waktu)", "en": "IKI 2 (Laporan tepat waktu)"}]


def test_the_stored_recommendation_names_the_iki_and_the_chain_stays_intact(session, org, national):
    launch(session, national, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    aid = session.scalars(select(Appraisal.id).where(Appraisal.employee_id == org.people["ani"].id)).one()
    set_skp(session, aid, org.actor("ani"), TWO_IKI)
    fire_transition(session, aid, "submit_plan", org.actor("ani"))
    fire_transition(session, aid, "approve_plan", org.actor("kabid"))
    record_realisation(session, aid, org.actor("ani"), "iki_1", 100)
    record_realisation(session, aid, org.actor("ani"), "iki_2", 9)
    fire_transition(session, aid, "close_monitoring", org.actor("kabid"))
    fire_transition(session, aid, "rate", org.actor("kabid"),
                    {"perilaku": {v: BELOW if v == "kolaboratif" else SESUAI for v in VALUES}})
    fire_transition(session, aid, "confirm_rating", org.actor("kadis"))
    fire_transition(session, aid, "accept_rating", org.actor("ani"))
    session.expire_all()
    stored = session.scalars(select(Result).where(Result.appraisal_id == aid,
                                                  Result.name == "rekomendasi_pelatihan")).one()
    assert "Kerja Sama Tim (kerja_tim, 12 JP) untuk Kolaboratif" in stored.explanation["id"]
    assert "Tidak ada kursus di katalog untuk: IKI 2 (Laporan tepat waktu)." in stored.explanation["id"]
    assert "No course in the catalog for: IKI 2 (Laporan tepat waktu)." in stored.explanation["en"]
    assert stored.details["unmatched"] == ["iki_2"] and stored.value[0]["for"] == ["kolaboratif"]
    event = session.scalars(select(AuditEvent).where(AuditEvent.appraisal_id == aid)
                            .order_by(AuditEvent.seq.desc())).first()
    assert event.results["rekomendasi_pelatihan"]["explanation"] == stored.explanation
    assert verify_chain(session).ok
