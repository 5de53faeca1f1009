"""The tests' PDF reader takes a stream by its /Length: compressed bytes that end in a carriage return (one
stream in 256, depending on what the page prints, such as the time) read whole, not one byte short."""

from __future__ import annotations

import zlib

from tests.support.pdf import pdf_text


def _page_ending_in_a_carriage_return() -> tuple[bytes, str]:
    for n in range(100_000):
        text = f"JP selesai: 20 dari target 20 JP, dicetak {n}"
        packed = zlib.compress(f"BT /F1 10 Tf ({text}) Tj ET".encode())
        if packed.endswith(b"\r"):
            return packed, text
    raise AssertionError("no such page in 100,000 tries")


def test_a_stream_whose_compressed_bytes_end_in_a_carriage_return_reads_whole():
    packed, text = _page_ending_in_a_carriage_return()
    pdf = (b"%PDF-1.4\n1 0 obj\n<</Type /Page /Contents 2 0 R>>\nendobj\n"
           b"2 0 obj\n<</Filter /FlateDecode /Length " + str(len(packed)).encode() + b">>\nstream\n"
           + packed + b"\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    assert pdf_text(pdf) == text
