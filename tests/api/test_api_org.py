"""Organisation import and the results export over the API: the same services and refusals as the CLI
and the HR screens."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import func, select

from engine.models import Employee, OrgUnit

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "organisasi.csv"


def upload(client, headers, data: bytes, name: str = "organisasi.csv", dry_run: bool = False):  # type: ignore[no-untyped-def]
    query = "?dry_run=true" if dry_run else ""
    return client.post(f"/api/v1/org/import{query}", headers=headers,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def test_a_dry_run_counts_then_the_import_writes_and_a_second_import_changes_nothing(client, session, token):
    admin = token("admin")
    before = count(session, Employee), count(session, OrgUnit)
    dry = upload(client, admin, EXAMPLE.read_bytes(), dry_run=True)
    assert dry.status_code == 200, dry.get_json()
    assert dry.get_json()["dry_run"] is True and dry.get_json()["employees_created"] > 0
    session.expire_all()
    assert (count(session, Employee), count(session, OrgUnit)) == before
    done = upload(client, admin, EXAMPLE.read_bytes()).get_json()
    session.expire_all()
    assert count(session, Employee) == before[0] + done["employees_created"]
    assert count(session, OrgUnit) == before[1] + done["units_created"]
    again = upload(client, admin, EXAMPLE.read_bytes()).get_json()
    assert again["units_created"] == again["employees_created"] == again["employees_updated"] == 0
    assert again["unchanged"] == done["rows"]


def test_a_rejected_file_answers_422_with_each_row_problem_and_writes_nothing(client, session, token):
    lines = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()
    employee_row = next(n for n, line in enumerate(lines) if line[:1].isdigit())
    broken = lines[:]
    broken[employee_row] = "12345" + broken[employee_row][18:]
    before = count(session, Employee)
    answer = upload(client, token("admin"), "\n".join(broken).encode())
    assert answer.status_code == 422
    assert answer.content_type == "application/problem+json"
    problem = answer.get_json()
    assert any(e["row"] == employee_row + 1 and e["column"] == "NIP" for e in problem["errors"]), problem
    session.expire_all()
    assert count(session, Employee) == before


def test_each_row_problem_carries_its_code_and_its_text_in_both_languages(client, token):
    answer = upload(client, token("admin"), b"NIP;Nama;Kode Unit\n12345;Gita;DINAS\n")
    assert answer.status_code == 422
    problem = answer.get_json()
    assert problem["code"] == "org.rejected" and problem["text"]["id"].startswith("organisasi.csv tidak diimpor")
    (error,) = problem["errors"]
    assert error["row"] == 2 and error["column"] == "NIP"
    assert error["code"] == "org.row.nip" and error["params"] == {"value": "12345"}
    assert error["text"] == {"id": "«12345» bukan NIP 18 angka.", "en": "'12345' is not an 18-digit NIP."}
    assert error["message"] == "'12345' is not an 18-digit NIP"


def test_only_hr_of_every_unit_may_import(client, token):
    answer = upload(client, token("hr"), EXAMPLE.read_bytes())
    assert answer.status_code == 403 and "every unit" in answer.get_json()["detail"]
    assert upload(client, token("ani"), EXAMPLE.read_bytes()).status_code == 403


def test_a_request_without_a_file_says_how_to_send_it(client, token):
    answer = client.post("/api/v1/org/import", headers=token("admin"))
    assert answer.status_code == 400 and "'file'" in answer.get_json()["detail"]


def test_the_results_export_has_the_e_kinerja_columns_for_hr_only(client, token, run, org):
    answer = client.get("/api/v1/results?period=2026&format=csv", headers=token("hr"))
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    text = answer.get_data(as_text=True).lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ","))
    assert header == ["NIP", "Nama", "Unit Kerja", "Periode", "Rating Hasil Kerja", "Rating Perilaku Kerja",
                      "Predikat Kinerja", "ID Penilaian", "Urutan Audit", "Hash Audit"]
    listed = client.get("/api/v1/results?period=2026", headers=token("hr")).get_json()
    # Everyone of DINAS launched for 2026; nobody rated yet, so the predicate is still empty.
    assert {row["Nama"] for row in listed["items"]} == {org.people[k].name for k in ("kadis", "kabid", "ani", "budi")}
    assert {row["Predikat Kinerja"] for row in listed["items"]} == {""}
    # Each row names its appraisal and the head of its audit chain (the launch's create event).
    assert {row["Urutan Audit"] for row in listed["items"]} == {"1"}
    assert all(len(row["Hash Audit"]) == 64 for row in listed["items"])
    xlsx = client.get("/api/v1/results?period=2026&format=xlsx", headers=token("hr"))
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/api/v1/results?period=2026", headers=token("ani")).status_code == 403
    assert client.get("/api/v1/results", headers=token("hr")).status_code == 400
