"""Refusals about cycle definitions and their runs: publishing, retiring, launching, migrating, periods."""

from __future__ import annotations

from engine.messages.text import MessageText as T

TEXTS = {
    "definition.problems": T("Berkas siklus memuat %(count)s masalah.", "The cycle file has %(count)s problem(s)."),
}
