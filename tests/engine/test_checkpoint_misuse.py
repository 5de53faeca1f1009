"""Periodic checkpoints against misuse: what a checkpoint entry refuses, in both languages, writing nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

import pytest
from sqlalchemy import func, select

from engine.appraisals import fire_transition, set_skp
from engine.checkpoints.service import record_checkpoint_realisation, submit_self_assessment
from engine.errors import InvalidInput, NotFound
from engine.limits import COMMENT_CHARS
from engine.models import Appraisal, CheckpointEntry, Realisation
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.messages import said

SKP = [{"key": "iki_1", "rhk": "Layanan KTP-el", "label": "Berkas terverifikasi", "target": 1200, "weight": 100}]
IN_Q1 = datetime(2026, 2, 15, 3, tzinfo=UTC)
SELF_ASSESSMENT = """    self_assessment:
      roles: [pegawai]
      questions:
        - id: capaian
          label: {id: "Apa yang Anda capai triwulan ini?", en: "What did you achieve this quarter?"}
        - id: kendala
          label: {id: Kendala dan dukungan yang dibutuhkan, en: Obstacles and the support you need}
        - id: hasil_kerja
          label: {id: Hasil kerja menurut Anda sendiri, en: Your own view of your work results}
          kind: rating
"""


def national_v2(without_self_assessment: bool = False) -> str:
    source = resources.files("workflows").joinpath("permenpan-6-2022-v2.yaml").read_text(encoding="utf-8")
    if without_self_assessment:
        assert SELF_ASSESSMENT in source
        source = source.replace(SELF_ASSESSMENT, "")
    return source


def in_monitoring(session, fresh_session, org, source: str) -> int:
    record = publish_source(session, source, "permenpan-6-2022-v2.yaml", org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    appraisal_id = fresh_session().scalar(select(Appraisal.id).where(
        Appraisal.run_id == run.id, Appraisal.employee_id == org.people["ani"].id))
    start = datetime(2026, 1, 5, 3, tzinfo=UTC)
    set_skp(fresh_session(), appraisal_id, org.actor("ani"), SKP, now=start)
    fire_transition(fresh_session(), appraisal_id, "submit_plan", org.actor("ani"), now=start)
    fire_transition(fresh_session(), appraisal_id, "approve_plan", org.actor("kabid"), now=start)
    return appraisal_id


def test_a_checkpoint_realisation_note_is_held_to_a_comments_length(session, fresh_session, org) -> None:
    appraisal_id = in_monitoring(session, fresh_session, org, national_v2())
    with pytest.raises(InvalidInput) as refused:
        record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1", "iki_1",
                                      300, note="x" * 10_000, now=IN_Q1)
    text = said(refused.value)
    assert "lebih dari 4.000 karakter (10.000)" in text["id"] and "4,000" in text["en"]
    assert fresh_session().scalar(select(func.count()).select_from(Realisation)) == 0
    record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1", "iki_1",
                                  300, note="x" * COMMENT_CHARS, now=IN_Q1)
    assert fresh_session().scalar(select(func.count()).select_from(Realisation)) == 1


def test_an_entry_the_series_does_not_take_says_so_rather_than_naming_nobody(session, fresh_session, org) -> None:
    appraisal_id = in_monitoring(session, fresh_session, org, national_v2(without_self_assessment=True))
    with pytest.raises(InvalidInput) as refused:
        submit_self_assessment(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1",
                               {"capaian": "Semua berkas selesai"}, now=IN_Q1)
    assert refused.value.msg.code == "checkpoint.kind_not_taken"
    text = said(refused.value)
    assert "tidak menerima penilaian diri" in text["id"] and "tidak seorang pun" not in text["id"]
    assert "takes no self-assessment" in text["en"]
    assert fresh_session().scalar(select(func.count()).select_from(CheckpointEntry)) == 0


@pytest.mark.parametrize("name", ["triwulan." + "x" * 5000, "y" * 5000])
def test_a_mistyped_checkpoint_is_repeated_back_only_in_part(session, fresh_session, org, name) -> None:
    """A 5,000-character checkpoint name in the address filled the refusal."""
    appraisal_id = in_monitoring(session, fresh_session, org, national_v2())
    with pytest.raises((InvalidInput, NotFound)) as refused:
        record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), name, "iki_1", 3, now=IN_Q1)
    text = said(refused.value)
    assert len(text["id"]) < 300 and len(text["en"]) < 300
    assert ("x" * 40 + "…" in text["id"]) or ("y" * 40 + "…" in text["id"])


def test_a_mistyped_iki_is_repeated_back_only_in_part(session, fresh_session, org) -> None:
    appraisal_id = in_monitoring(session, fresh_session, org, national_v2())
    with pytest.raises(InvalidInput) as refused:
        record_checkpoint_realisation(fresh_session(), appraisal_id, org.actor("ani"), "triwulan.2026-Q1",
                                      "k" * 5000, 3, now=IN_Q1)
    text = said(refused.value)
    assert "k" * 64 + "…" in text["id"] and len(text["id"]) < 200
