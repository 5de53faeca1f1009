"""A query parameter an operation does not take is refused, naming it and the ones it takes: a mistyped filter
never returns the unfiltered list as if it were the filtered one."""

from __future__ import annotations

from flask import Flask

from web.api.queries import declared_queries, document_path


def test_a_mistyped_filter_is_refused_naming_it_and_the_filters_there_are(client, token, run):
    response = client.get("/api/v1/appraisals?stat=rated", headers=token("hr"))
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == "api.unknown_query"
    assert "'stat'" in body["text"]["en"] and "state" in body["text"]["en"] and "waiting_for_me" in body["text"]["en"]
    assert body["text"]["id"].startswith("Operasi ini tidak mengenal parameter 'stat'")


def test_the_declared_filters_still_filter(client, token, run):
    everyone = client.get("/api/v1/appraisals", headers=token("hr")).get_json()["items"]
    planning = client.get("/api/v1/appraisals?state=plan&period=2026&limit=50", headers=token("hr"))
    assert planning.status_code == 200, planning.get_data(as_text=True)
    assert len(everyone) > 0 and len(planning.get_json()["items"]) <= len(everyone)


def test_an_operation_that_takes_no_query_says_to_remove_it(client, token):
    response = client.get("/api/v1/me?verbose=1", headers=token("ani"))
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "api.no_query" and "'verbose'" in body["text"]["en"]


def test_a_long_or_odd_name_is_repeated_back_only_in_part(client, token):
    response = client.get("/api/v1/me?" + "x" * 5000 + "=1&a%01b=2", headers=token("ani"))
    assert response.status_code == 400
    text = response.get_json()["text"]["en"]
    assert "x" * 39 + "…" in text and "x" * 41 not in text and "'a?b'" in text


def test_an_unauthenticated_caller_is_told_to_authenticate_first(client):
    assert client.get("/api/v1/appraisals?stat=rated").status_code == 401


def test_every_api_route_is_described_so_its_query_is_checked(app: Flask):
    undescribed = sorted(
        (method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (document_path(rule.rule), method) not in declared_queries())
    assert undescribed == []
