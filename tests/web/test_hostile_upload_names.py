"""The names of files uploaded to the HR forms (the organisation import, a cycle file), as a browser may send
them: with characters that reorder or hide the name, a page long, or only an extension."""

from __future__ import annotations

import io

import pytest

from tests.web.test_hr_cycles import FIXED, records, text_of
from tests.web.test_hr_people import import_folder  # noqa: F401  (a fixture)


@pytest.mark.parametrize(("sent", "shown"), [
    ("evil\u202evsc.exe", "evilvsc.exe"),          # an override showed 'evilexe.csv' in the refusal
    ("laporan\u200b.exe", "laporan.exe"),
    ("x" * 3000 + ".exe", "x" * 251 + ".exe"),      # a page-long name filled the refusal
])
@pytest.mark.usefixtures("import_folder")
def test_a_refused_import_file_is_named_without_what_hides_or_reorders_it(login, sent, shown):
    response = login("hr").post("/sdm/impor", data={"berkas": (io.BytesIO(b"NIP;Nama\n"), sent)},
                                content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Berkas {shown} bukan CSV atau XLSX." in text_of(response)
    assert "\u202e" not in page and "\u200b" not in page and "x" * 300 not in page


def test_a_cycle_file_named_only_by_its_extension_is_read(login, session):
    """secure_filename turned '.yaml' into 'yaml', refused as 'not a YAML file'."""
    response = login("hr").post("/sdm/siklus/baru", data={"berkas": (io.BytesIO(FIXED.encode()), ".yaml")},
                                content_type="multipart/form-data")
    assert response.status_code == 302, text_of(response)[:500]
    assert [r.version for r in records(session)] == [1]
