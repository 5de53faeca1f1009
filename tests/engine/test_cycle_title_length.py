"""A cycle title longer than the 255 characters the cycle list keeps: publishing it was a server error on
PostgreSQL. `siklus validate` names it at its line with its length, and publishing refuses it."""

from __future__ import annotations

from importlib import resources

import pytest
from sqlalchemy import func, select

from engine.errors import SiklusError
from engine.models import CycleDefinitionRecord
from engine.registry import publish_source
from engine.validation import validate_source

TITLE = "  id: Siklus Kinerja ASN Nasional (PermenPAN-RB 6/2022)"


def national(title: str) -> str:
    source = resources.files("workflows").joinpath("permenpan-6-2022.yaml").read_text(encoding="utf-8")
    assert TITLE in source
    return source.replace(TITLE, f"  id: {title}")


def test_validate_names_a_title_over_255_characters_at_its_line() -> None:
    problems = validate_source(national("T" * 300), "panjang.yaml")
    assert [(p.line, p.message) for p in problems] == [
        (15, "'title.id' is longer than 255 characters (300); shorten it")]
    assert validate_source(national("T" * 255), "pas.yaml") == []


def test_publishing_a_title_over_255_characters_is_refused_and_stores_nothing(session, org) -> None:
    with pytest.raises(SiklusError):
        publish_source(session, national("T" * 300), "panjang.yaml", org.actor("admin"))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(CycleDefinitionRecord)) == 0
