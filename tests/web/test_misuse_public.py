"""The public unit pages as a citizen with a mistyped or forged link meets them: not found, said in the
reader's language, with nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.models import FeedbackResponse

PATHS = ["/layanan/{slug}", "/layanan/{slug}/kinerja", "/layanan/{slug}/terima-kasih"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("slug", ["tidak-ada", "x" * 300])
def test_an_unknown_unit_link_is_not_found_in_indonesian(client, org, path, slug):
    response = client.get(path.format(slug=slug))
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Tidak ada unit layanan dengan tautan" in page and "Periksa alamat atau kode QR-nya." in page
    assert "no service unit" not in page


@pytest.mark.parametrize("path", PATHS)
def test_a_link_climbing_out_of_the_service_pages_is_not_found(client, org, path):
    response = client.get(path.format(slug="..%2f..%2fetc"))
    assert response.status_code == 404 and "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_an_unknown_unit_link_is_not_found_in_english_for_an_english_reader(client, org):
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    page = client.get("/layanan/tidak-ada/kinerja").get_data(as_text=True)
    assert "No service unit has the public link" in page and "Check the address or its QR code." in page


def test_an_answer_to_an_unknown_unit_stores_nothing(client, session, org):
    response = client.post("/layanan/tidak-ada", data={f"U{i}": "3" for i in range(1, 10)})
    assert response.status_code == 404
    session.rollback()
    assert session.scalar(select(func.count()).select_from(FeedbackResponse)) == 0
