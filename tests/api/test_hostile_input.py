"""Hostile input on every door (the API, the screens beside it, the CLI).

Ids no row can have, digits that are not ASCII, control characters and bodies over their limit get
a 404 or a refusal (problem+json on the API, a page on the screens), never a server error or a hang,
and a download's file name never carries what a caller typed raw."""

from __future__ import annotations

import base64
import io
import json

import pytest
from flask import Flask

from engine.limits import CYCLE_FILE, JSON_BODY, JSON_DEPTH, MAX_ID, ORG_IMPORT_FILE
from tests.web.test_every_route import fill
from web.cli import cli
from web.inputs import content_disposition

# Numbers no row can have: just past PostgreSQL's INTEGER, past SQLite's INTEGER, past Python's
# 4300-digit int() limit; digits of other scripts; zero.
HOSTILE_IDS = [str(2**31), str(2**63), str(10**30), "9" * 5000, "%D9%A3", "%C2%B3", "0"]


def id_routes(app: Flask) -> list[tuple[str, str]]:
    """(method, rule) of every route that takes a database id in its path."""
    return sorted((method, rule.rule) for rule in app.url_map.iter_rules() if "<id:" in rule.rule
                  for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))


def test_every_route_taking_an_id_reads_it_through_the_one_id_converter(app: Flask):
    rules = [r.rule for r in app.url_map.iter_rules()]
    assert [r for r in rules if "<int:" in r] == []
    screens = {rule for _m, rule in id_routes(app) if not rule.startswith("/api/")}
    api = {rule for _m, rule in id_routes(app) if rule.startswith("/api/")}
    assert len(screens) >= 7 and len(api) >= 4


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_an_id_no_row_can_have_is_not_found_on_every_route(app, login, run, appraisal_of, national, org, hostile):
    """The 7 screens and 4 API routes that once failed with a database error, and every other route with an id."""
    client = login("hr")
    real = {"appraisal_id": appraisal_of("ani").id, "record_id": national.id, "definition_id": national.id,
            "run_id": run.id, "user_id": org.users["ani"].id, "window_id": "umpan_balik_penilai",
            "trigger": "submit_plan", "realisation_id": 1, "grant_id": 1, "token_id": 1, "notification_id": 1,
            "entry_id": 1, "checkpoint": "triwulan_1", "name": "triwulan_1", "decision_id": 1, "unit_id": 1,
            "activity_id": 1, "nomination_id": 1, "job_id": 1, "course_id": 1, "case_id": 1, "complaint_id": 1,
            "fmt": "csv"}
    for method, rule in id_routes(app):
        for name in [part.split(">")[0] for part in rule.split("<id:")[1:]]:
            path = fill(rule, {**real, name: hostile})
            response = client.open(path, method=method, json={} if path.startswith("/api/") else None)
            # A POST to a path that also answers GET is 405 (the router names the allowed method first).
            assert response.status_code == 404 or (method != "GET" and response.status_code == 405), \
                f"{method} {path}: {response.status_code}"
            if path.startswith("/api/"):
                assert response.mimetype == "application/problem+json", f"{method} {path}"


@pytest.mark.parametrize("query", [
    f"/sdm/siklus/permenpan-6-2022/banding?dari={2**31}&ke={2**63}", "/sdm/siklus/permenpan-6-2022/banding?dari=%C2%B3",
    f"/sdm/audit?sebelum={2**63}&unit={2**31}", "/sdm/audit?unit=%C2%B3&sebelum=%D9%A3",
    f"/sdm/putaran?halaman={2**63}",
    f"/laporan/?unit={2**63}", "/laporan/?unit=%C2%B3",
])
def test_ids_in_a_query_string_outside_the_id_range_are_ignored_or_refused(login, run, query):
    response = login("hr").get(query)
    assert 200 <= response.status_code < 500, f"{query}: {response.status_code}"


@pytest.mark.parametrize("query", ["/sdm/audit?pegawai=%00", "/sdm/pengguna?q=%00",
                                   f"/sdm/pengguna?q={'x' * 121}", "/sdm/audit/ekspor.csv?pelaku=%1B"])
def test_a_screen_refuses_query_text_with_a_control_character_or_over_its_length(login, run, query):
    """PostgreSQL refuses a NUL in a string with an error: it never gets that far."""
    response = login("hr").get(query)
    assert response.status_code == 422
    assert "karakter kendali" in response.get_data(as_text=True) or "lebih dari" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", [
    f"/api/v1/audit/events?appraisal_id={2**31}", f"/api/v1/audit/events?appraisal_id={2**63}",
    "/api/v1/audit/events?appraisal_id=%C2%B3", "/api/v1/audit/events?limit=%D9%A3",
    f"/api/v1/appraisals?limit={'9' * 5000}",
])
def test_a_number_out_of_range_or_in_other_digits_in_an_api_query_is_a_400(client, token, run, query):
    response = client.get(query, headers=token("hr"))
    assert response.status_code == 400, query
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("unit", ["³", "١٢", str(2**31), str(2**63), "9" * 5000])
def test_launching_for_a_unit_written_in_other_digits_or_past_the_id_range_is_not_found(client, token, national, unit):
    response = client.post("/api/v1/runs", headers=token("hr"),
                           json={"definition_id": national.id, "unit": unit[:64], "period": "2026"})
    assert response.status_code in (404, 422), response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("period", ["2026\n", "2026\r\nSet-Cookie: x=1", "20\x0026", "x" * 201])
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_a_control_character_or_an_overlong_query_text_is_refused_with_422(client, token, run, period, fmt):
    response = client.get("/api/v1/results", query_string={"period": period, "format": fmt}, headers=token("hr"))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("name", ["unit", "state", "nip", "cycle_id", "period", "cursor"])
def test_every_text_filter_of_the_appraisal_list_refuses_a_line_break(client, token, run, name):
    response = client.get("/api/v1/appraisals", query_string={name: "a\nb"}, headers=token("hr"))
    assert response.status_code == 422 and response.json["errors"][0]["path"] == name


@pytest.mark.parametrize("period, ascii_name", [
    ('2026"; filename="evil.exe', "hasil-kinerja-2026_filename_evil.exe.csv"),
    ("2026 😀", "hasil-kinerja-2026.csv"),
    ("2026/../../etc", "hasil-kinerja-2026_.._.._etc.csv"),
])
def test_a_download_name_built_from_a_query_never_injects_into_the_header(client, token, run, period, ascii_name):
    response = client.get("/api/v1/results", query_string={"period": period, "format": "csv"}, headers=token("hr"))
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{ascii_name}"')
    assert disposition.count('"') == 2 and "\n" not in disposition
    disposition.encode("latin-1")  # a header a server can send: an emoji once dropped the connection


def test_a_download_name_keeps_its_letters_for_browsers_that_read_filename_star():
    value = content_disposition("laporan-Dinas Pendidikan-2026 Ü.csv")
    assert value == ("attachment; filename=\"laporan-Dinas_Pendidikan-2026_U.csv\"; "
                     "filename*=UTF-8''laporan-Dinas%20Pendidikan-2026%20%C3%9C.csv")
    assert content_disposition("penilaian-1987.pdf", inline=True) == 'inline; filename="penilaian-1987.pdf"'
    assert content_disposition("\r\n\"") == 'attachment; filename="unduhan"'


# -- sizes: one limit per kind of input, the same on every channel -----------------------------------

def test_the_api_and_the_cli_refuse_a_cycle_file_the_screen_refuses(client, token, login, runner, tmp_path):
    """256 KiB of UTF-8, however it arrives: a pasted form, a JSON body, a file on the command line."""
    big = "# " + "é" * (CYCLE_FILE.max_bytes // 2) + "\n"  # fewer characters than bytes
    assert len(big) < CYCLE_FILE.max_bytes < len(big.encode())
    for path in ("/api/v1/definitions", "/api/v1/definitions/validate"):
        api = client.post(path, json={"source": big, "filename": "besar.yaml"}, headers=token("hr"))
        assert api.status_code == 413 and api.mimetype == "application/problem+json", path
        assert api.json["type"] == "urn:siklus:problem:too-large"
        assert "The cycle file besar.yaml is 262,147 bytes; at most 256 KiB" in api.json["detail"]
    screen = login("hr").post("/sdm/siklus/baru", data={"sumber": big})
    assert screen.status_code == 422
    page = screen.get_data(as_text=True)
    assert "lebih besar dari 256 KiB" in page and "é" * 100 in page  # what was typed stays in the form
    cycle = tmp_path / "besar.yaml"
    cycle.write_text(big, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(cycle)])
    assert result.exit_code == 1 and "larger than 256 KiB" in result.output
    result = runner.invoke(cli, ["publish", str(cycle)])
    assert result.exit_code == 1 and "at most 256 KiB" in result.output


def test_a_cycle_file_over_the_documented_length_is_refused_by_the_document_check(client, token):
    api = client.post("/api/v1/definitions", json={"source": "x" * (CYCLE_FILE.max_bytes + 1)}, headers=token("hr"))
    assert api.status_code == 422 and api.json["errors"][0] == {"path": "source",
                                                                 "message": "is longer than 262144 characters"}


def test_a_ten_megabyte_cycle_file_is_413_problem_json_before_it_is_read(client, token):
    response = client.post("/api/v1/definitions", data=b'{"source": "' + b"x" * (10 * 1024 * 1024) + b'"}',
                           content_type="application/json", headers=token("hr"))
    assert response.status_code == 413 and response.mimetype == "application/problem+json"
    assert response.json["type"] == "urn:siklus:problem:too-large"
    assert f"{JSON_BODY.max_bytes:,}" in response.json["detail"]


def test_a_body_over_the_whole_request_limit_is_413_problem_json(client, token):
    response = client.post("/api/v1/org/import", headers=token("admin"),
                           data={"file": (io.BytesIO(b"x" * (ORG_IMPORT_FILE.max_bytes + 2 * 1024 * 1024)), "a.csv")})
    assert response.status_code == 413 and response.mimetype == "application/problem+json"


def test_an_org_import_file_over_its_limit_is_refused_by_the_api_the_screen_and_the_cli(
        client, token, login, runner, tmp_path):
    data = b"nip,nama\n" + b"1" * ORG_IMPORT_FILE.max_bytes
    api = client.post("/api/v1/org/import", headers=token("admin"), data={"file": (io.BytesIO(data), "org.csv")})
    assert api.status_code == 413 and api.json["type"] == "urn:siklus:problem:too-large"
    screen = login("admin").post("/sdm/impor", data={"berkas": (io.BytesIO(data), "org.csv")})
    assert screen.status_code == 413
    assert "Berkas impor organisasi org.csv terlalu besar: paling besar 10 MiB." in screen.get_data(as_text=True)
    path = tmp_path / "org.csv"
    path.write_bytes(data)
    result = runner.invoke(cli, ["import", str(path)])
    assert result.exit_code != 0 and "at most 10 MiB" in result.output


def test_the_cli_refuses_ids_past_the_id_range(runner):
    result = runner.invoke(cli, ["fire", str(2**31), "submit_plan"])
    assert result.exit_code == 2 and "2147483647" in result.output


def test_ids_are_the_columns_range():
    assert MAX_ID == 2**31 - 1


def test_the_api_refuses_a_nul_in_a_json_text_naming_where(client, token, appraisal_of):
    ani = appraisal_of("ani")
    response = client.post(f"/api/v1/appraisals/{ani.id}/transitions", headers=token("kabid"),
                           json={"trigger": "return_plan", "version": ani.version,
                                 "payload": {"komentar": "Target\x00 belum terukur"}})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "input.nul" and "payload/komentar" in problem["detail"]
    assert appraisal_of("ani").version == ani.version


@pytest.mark.parametrize("depth", [JSON_DEPTH + 1, 990, 100_000])
def test_a_body_nested_too_deep_is_400_problem_json_naming_the_limit(client, token, appraisal_of, depth):
    """Once a 500 (the parser's recursion limit) at ~990 levels; below it, junk kept in the audit chain."""
    ani = appraisal_of("ani")
    nested = "[" * depth + "1" + "]" * depth
    body = f'{{"trigger": "submit_plan", "version": {ani.version}, "payload": {{"x": {nested}}}}}'
    for path in (f"/api/v1/appraisals/{ani.id}/transitions", "/api/v1/public/units/dinas/feedback"):
        response = client.post(path, data=body, content_type="application/json", headers=token("ani"))
        assert response.status_code == 400, path
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["code"] == "api.body_nested" and str(JSON_DEPTH) in problem["text"]["id"]
    assert appraisal_of("ani").version == ani.version


def test_a_body_just_within_the_nesting_limit_is_read(client, token, appraisal_of):
    ani = appraisal_of("ani")
    nested = "[" * (JSON_DEPTH - 2) + "1" + "]" * (JSON_DEPTH - 2)
    response = client.post(f"/api/v1/appraisals/{ani.id}/transitions", headers=token("ani"),
                           data=f'{{"trigger": "submit_plan", "version": {ani.version}, "payload": {{"x": {nested}}}}}',
                           content_type="application/json")
    # Read, then refused for what it says: a step that takes no input gets none.
    assert response.status_code == 422 and response.get_json()["code"] == "payload.unexpected"


@pytest.mark.parametrize("query", ["since=0001-01-01T00:00:00%2B14:00", "until=9999-12-31T23:59:59-12:00",
                                   "since=0001-01-01T00:00:00%2B14:00&format=csv"])
def test_a_moment_outside_what_a_datetime_holds_in_utc_is_refused_not_a_server_error(client, token, run, query):
    """Year 1 at +14:00 is before the first moment Python holds in UTC: it failed converting for the query."""
    response = client.get(f"/api/v1/audit/events?{query}", headers=token("hr"))
    assert response.status_code == 400 and response.json["code"] == "api.date_range"
    assert "di luar tahun 1 sampai 9999" in response.json["text"]["id"]


@pytest.mark.parametrize("query", ["dari=0001-01-01", "sampai=9999-12-31", "dari=0001-01-01&sampai=0001-01-01"])
@pytest.mark.parametrize("page", ["/sdm/audit", "/sdm/audit/ekspor.csv"])
def test_the_audit_log_refuses_a_day_at_the_end_of_the_calendar(login, run, page, query):
    """The first and last days a date holds have no start or end in UTC: the log and its export failed."""
    response = login("hr").get(f"{page}?{query}")
    assert response.status_code == (200 if page == "/sdm/audit" else 422)
    assert "di luar jangkauan" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["dari=kemarin", "sampai=2026-02-30", "unit=TIDAK-ADA",
                                   "dari=2026-03-02&sampai=2026-03-01"])
def test_the_audit_export_refuses_a_filter_it_cannot_read_rather_than_export_everything(login, run, query):
    """The page shows such a filter as a mistake and leaves it out; a file downloaded from a typed address held
    every event in scope, as if it were the filtered set."""
    response = login("hr").get(f"/sdm/audit/ekspor.csv?{query}")
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert "field-error" in response.get_data(as_text=True)


@pytest.mark.parametrize(("query", "said"), [
    (f"pegawai={'x' * 121}", "Terlalu panjang: paling banyak 120 karakter, tertulis 121."),
    ("pemicu=a%0Ab", "Tulis tanpa baris baru atau karakter kendali.")])
def test_the_audit_log_names_an_unreadable_text_filter_beside_its_field_and_keeps_the_others(login, run, query,
                                                                                            said):
    """A name filter past its length was a bare error page naming the parameter ('pegawai'); it is said beside
    its field, the other filters kept and applied (a line break in the trigger was refused the same way)."""
    response = login("hr").get(f"/sdm/audit?{query}&jenis=transition")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="field-error"' in page and said in page
    assert '<option value="transition" selected>' in page
    assert login("hr").get(f"/sdm/audit/ekspor.csv?{query}").status_code == 422


def _cursor(after: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode().rstrip("=")


@pytest.mark.parametrize("after", [MAX_ID + 1, 2**63, 10**30])
@pytest.mark.parametrize("path", ["/api/v1/appraisals", "/api/v1/audit/events"])
def test_a_forged_cursor_past_every_id_is_refused_as_a_cursor(client, token, run, path, after):
    """A cursor is base64 JSON anyone can write: one past SQLite's INTEGER was a server error."""
    response = client.get(path, query_string={"cursor": _cursor(after)}, headers=token("hr"))
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "api.cursor"


def test_a_forged_cursor_up_to_the_last_id_still_pages(client, token, run):
    response = client.get("/api/v1/appraisals", query_string={"cursor": _cursor(MAX_ID)}, headers=token("hr"))
    assert response.status_code == 200 and response.get_json()["items"] == []
