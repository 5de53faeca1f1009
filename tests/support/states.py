"""Put an appraisal of the national cycle into a given state quickly, through the engine."""

from __future__ import annotations

from engine.appraisals import fire_transition, record_realisation, set_skp

SESUAI = "Sesuai Ekspektasi"
VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
SKP = [{"key": "iki_1", "label": "Berkas terverifikasi", "target": 100, "weight": 100, "aspect": "kuantitas"}]

# (trigger, who, payload) to reach each state of the national cycle, in order.
PATH = [
    ("plan", None),
    ("plan_review", ("submit_plan", "self", {})),
    ("monitor", ("approve_plan", "rater", {})),
    ("rate", ("close_monitoring", "rater", {})),
    ("review", ("rate", "rater", {"perilaku": {v: SESUAI for v in VALUES}})),
    ("rated", ("confirm_rating", "reviewer", {})),
    ("appeal", ("appeal", "self", {"alasan": "Realisasi belum lengkap dihitung."})),
    ("develop", ("decide_appeal", "reviewer", {"keputusan": "tetap", "pertimbangan": "Rating sudah sesuai bukti."})),
    ("closed", ("complete_development", "rater", {})),
]
STATES = [s for s, _ in PATH]


def drive(session, org, appraisal_id: int, employee: str, target: str, rater: str = "kabid",
          reviewer: str = "kadis") -> None:
    who = {"self": employee, "rater": rater, "reviewer": reviewer}
    set_skp(session, appraisal_id, org.actor(employee), SKP)
    for state, step in PATH:
        if step is not None:
            trigger, role, payload = step
            if trigger == "close_monitoring":
                record_realisation(session, appraisal_id, org.actor(employee), "iki_1", 100)
            fire_transition(session, appraisal_id, trigger, org.actor(who[role]), payload)
        if state == target:
            return
    raise ValueError(target)
