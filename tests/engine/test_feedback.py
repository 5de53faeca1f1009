"""The feedback service: anonymous respondent keys that need the server's secret, the legacy keys of
earlier releases, what an answer must be, and the steps an anonymous aggregate moves in."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from engine import keys
from engine.appraisals import fire_transition
from engine.definition import FeedbackDef, Text
from engine.errors import InvalidInput
from engine.feedback import (
    MAX_COMMENT,
    WindowSummary,
    clean_feedback,
    counted_answers,
    give_feedback,
    own_answer,
    rekey_legacy_answers,
)
from engine.models import Appraisal, FeedbackResponse, User
from engine.registry import publish_source
from engine.runs import find_unit, launch
from tests.support.messages import said
from web.cli import cli

CYCLE = Path(__file__).resolve().parents[1] / "data" / "cycles" / "uji-360.yaml"
VALUES = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]
WINDOW = "rekan_360"


def all_(score: int) -> dict[str, int]:
    return {v: score for v in VALUES}


@pytest.fixture
def peer_appraisal(session, org) -> int:
    """ani's uji-360 appraisal, monitored: budi is her peer."""
    record = publish_source(session, CYCLE.read_text(encoding="utf-8"), "uji-360.yaml", org.actor("admin"))
    run = launch(session, record, find_unit(session, "DINAS"), "2026", org.actor("hr"))
    ani = session.scalars(select(Appraisal).where(Appraisal.run_id == run.id,
                                                  Appraisal.employee_id == org.people["ani"].id)).one()
    fire_transition(session, ani.id, "start", org.actor("kabid"))
    return ani.id


def legacy_digest(appraisal_id: int, user_id: int) -> str:
    return hashlib.sha256(f"{WINDOW}:{appraisal_id}:{user_id}".encode()).hexdigest()


def test_an_anonymous_answer_cannot_be_traced_by_trying_user_ids(session, org, peer_appraisal):
    give_feedback(session, peer_appraisal, org.actor("budi"), WINDOW, all_(3))
    [row] = session.scalars(select(FeedbackResponse).where(FeedbackResponse.appraisal_id == peer_appraisal)).all()
    assert row.respondent_user_id is None and not row.legacy_key
    user_ids = list(session.scalars(select(User.id))) + list(range(1, 1000))
    # The old scheme (an unsalted hash of window, appraisal and user id) finds no one any more.
    assert row.respondent_key not in {legacy_digest(peer_appraisal, uid) for uid in user_ids}
    # The key depends on the server's secret: another secret gives another key for the same person.
    mine = keys.keyring()
    try:
        keys.use(keys.KeyRing(mine.audit_keys, mine.current_audit_key_id, b"another-respondent-secret-0123456789"))
        other = keys.keyring().respondent_key("feedback", legacy_digest(peer_appraisal, org.users["budi"].id))
    finally:
        keys.use(mine)
    assert other != row.respondent_key


def test_a_legacy_answer_is_still_its_respondents_and_is_rekeyed_when_answered_again(session, org, peer_appraisal):
    budi, citra = org.users["budi"].id, org.users["kabid"].id
    session.add_all([
        FeedbackResponse(appraisal_id=peer_appraisal, window=WINDOW, role="rekan", answers=all_(2),
                         respondent_key=legacy_digest(peer_appraisal, budi), legacy_key=True),
        FeedbackResponse(appraisal_id=peer_appraisal, window=WINDOW, role="rekan", answers=all_(4),
                         respondent_key=legacy_digest(peer_appraisal, citra), legacy_key=True),
    ])
    session.commit()
    found = own_answer(session, peer_appraisal, WINDOW, org.actor("budi"))
    assert found is not None and found.answers == all_(2)
    given = give_feedback(session, peer_appraisal, org.actor("budi"), WINDOW, all_(3))
    assert given.replaced and given.response.id == found.id  # replaced in place, not a second answer
    assert not given.response.legacy_key and given.response.respondent_key != legacy_digest(peer_appraisal, budi)
    # The command upgrades the rest; a second run has nothing left to do.
    assert rekey_legacy_answers(session) == 1
    assert rekey_legacy_answers(session) == 0
    keys_now = set(session.scalars(select(FeedbackResponse.respondent_key)))
    assert keys_now.isdisjoint({legacy_digest(peer_appraisal, uid) for uid in session.scalars(select(User.id))})
    assert len(session.scalars(select(FeedbackResponse)).all()) == 2


def test_the_rekey_command_reports_what_it_did(runner, session, org, peer_appraisal):
    session.add(FeedbackResponse(appraisal_id=peer_appraisal, window=WINDOW, role="rekan", answers=all_(2),
                                 respondent_key=legacy_digest(peer_appraisal, 999), legacy_key=True))
    session.commit()
    first = runner.invoke(cli, ["feedback", "rekey"], catch_exceptions=False)
    assert first.exit_code == 0 and "1 feedback answer(s) rekeyed" in first.output
    again = runner.invoke(cli, ["feedback", "rekey"], catch_exceptions=False)
    assert again.exit_code == 0 and "already has a keyed respondent key" in again.output


def test_the_migration_marks_existing_answers_legacy(tmp_path):
    import flask_migrate
    from alembic.script import ScriptDirectory

    from web import MIGRATIONS, create_app
    from web.extensions import db

    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    before = ScriptDirectory(MIGRATIONS).get_revision("b7f3c9a1d2e4").down_revision
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision=before)
        with db.engine.begin() as conn:
            conn.execute(text("PRAGMA foreign_keys=OFF"))  # a 360 answer without building its appraisal
            conn.execute(text("INSERT INTO feedback_response (id, appraisal_id, window, role, respondent_key, answers, "
                              "comment, created_at) VALUES (1, 7, 'rekan_360', 'rekan', :key, '{}', '', '2026-01-01')"),
                         {"key": legacy_digest(7, 3)})
            conn.execute(text("INSERT INTO feedback_response (id, window, role, respondent_key, answers, comment,"
                              " created_at) VALUES (2, 'ikm', 'masyarakat', 'k', '{}', '', '2026-01-01')"))  # public
        flask_migrate.upgrade(directory=MIGRATIONS)
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        marked = conn.execute(text("SELECT id, legacy_key FROM feedback_response ORDER BY id")).all()
        assert [tuple(r) for r in marked] == [(1, 1), (2, 0)]  # only a 360 answer has an appraisal-bound key
        indexes = {r[1] for r in conn.execute(text("PRAGMA index_list('feedback_response')"))}
    engine.dispose()
    assert "ix_feedback_response_respondent_key" in indexes


# -- what an answer must be ---------------------------------------------------------------------------

OWN = FeedbackDef(id="survei", label=Text("Survei", "Survey"), roles=("rekan",), states=("monitor",),
                  questions=[{"id": "tepat", "label": {"id": "Tepat waktu", "en": "On time"}, "scale": 5},
                             {"id": "saran", "label": {"id": "Saran", "en": "Suggestions"}, "required": False}],
                  min_respondents=3, anonymous=True)


def test_a_clean_answer_keeps_whole_scores_and_the_trimmed_comment():
    clean = clean_feedback(OWN, {"tepat": "5 "}, "  Bagus.\r\nTerima kasih.  ")
    assert clean.answers == {"tepat": 5} and clean.comment == "Bagus.\nTerima kasih."  # optional 'saran' may stay empty


@pytest.mark.parametrize("answers, comment, field, problem", [
    ({"tepat": 6}, "", "answers/tepat", "'On time' must be a whole number from 1 to 5, not '6'."),
    ({"tepat": 2.5}, "", "answers/tepat", "'On time' must be a whole number from 1 to 5, not '2.5'."),
    ({"tepat": True}, "", "answers/tepat", "'On time' must be a whole number from 1 to 5, not 'True'."),
    ({"saran": 2}, "", "answers/tepat", "'On time' is not answered."),
    ({"tepat": 3, "lain": 1}, "", "answers/lain", "'lain' is not a question of the feedback 'Survey'."),
    ({"tepat": 3}, "x" * (MAX_COMMENT + 1), "comment",
     f"The comment is too long: {MAX_COMMENT + 1} characters, at most {MAX_COMMENT}."),
    ({"tepat": 3}, 7, "comment", "The comment must be text."),
    ([4], "", "answers", "The answers must map each question to a score."),
])
def test_a_wrong_answer_is_refused_naming_the_field_in_both_languages(answers, comment, field, problem):
    with pytest.raises(InvalidInput) as refused:
        clean_feedback(OWN, answers, comment)
    assert refused.value.http_status == 422
    assert refused.value.details["errors"][field] == problem
    name = field.removeprefix("answers/")
    assert refused.value.details["fields"][name]["en"] == problem and refused.value.details["fields"][name]["id"]
    assert said(refused.value)["id"].startswith("Umpan balik tidak disimpan")


# -- the steps of an anonymous aggregate --------------------------------------------------------------

@pytest.mark.parametrize("min_respondents, anonymous, answered, counted", [
    (3, True, 2, 0), (3, True, 3, 3), (3, True, 5, 3), (3, True, 6, 6),     # steps of three
    (2, True, 1, 0), (2, True, 2, 2), (2, True, 3, 2), (2, True, 4, 4),
    (1, True, 1, 0), (1, True, 2, 2), (1, True, 3, 2),                      # never a single answer alone
    (1, False, 1, 1), (2, False, 3, 3), (2, False, 1, 0),                   # named: every answer, by name
])
def test_an_anonymous_aggregate_never_moves_by_one_answer(min_respondents, anonymous, answered, counted):
    window = FeedbackDef(id="w", label=Text("W"), roles=("rekan",), states=("monitor",), questions="berakhlak",
                         min_respondents=min_respondents, anonymous=anonymous)
    assert counted_answers(window, answered) == counted
    if anonymous and answered > 1:
        shown_before = counted_answers(window, answered - 1)
        assert counted in (shown_before, shown_before + max(min_respondents, 2))


def test_a_window_mean_is_rounded_half_up_like_every_other_figure():
    """3,125 shows as 3,13 (as an explanation writes it), not 3,12 (Python's round() on a binary float)."""
    window = FeedbackDef("rekan", Text({"id": "Rekan", "en": "Peers"}), ("peers",), ("monitor",), None, 3, True)
    summary = WindowSummary(window, [], respondents=4, counted=4, means={"q1": 3.25, "q2": 3.0})
    assert summary.overall == 3.13
    assert WindowSummary(window, [], respondents=3, counted=3, means={"q1": 2.675}).overall == 2.68
