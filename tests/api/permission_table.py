"""The screens' permission tables, shared by the API tests so that both interfaces are held to one answer.

``OPEN_ANI`` is the table of tests/web/test_appraisal_page.py (who may open ani's appraisal);
``MAY_FIRE`` and ``PEOPLE`` are the table of tests/engine/test_permissions.py (who may fire each
transition of the national cycle on ani's appraisal).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

OPEN_ANI = [
    ("ani", 200),      # pegawai: self
    ("kabid", 200),    # pejabat penilai
    ("kadis", 200),    # atasan pejabat penilai
    ("hr", 200),       # SDM of DINAS
    ("admin", 200),    # admin: every unit
    ("budi", 403),     # a peer: the national cycle gives peers no role
    ("doni", 403),     # another agency
    ("hr_lain", 403),  # HR of another agency
]


def _engine_table() -> tuple[list[str], dict[str, set[str]]]:
    path = Path(__file__).resolve().parents[1] / "engine" / "test_permissions.py"
    spec = importlib.util.spec_from_file_location("_siklus_engine_permission_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PEOPLE, module.MAY_FIRE


PEOPLE, MAY_FIRE = _engine_table()
