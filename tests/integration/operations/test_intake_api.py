"""The departments' push API (/api/datasets/…): listing, storing with Idempotency-Key, the one
validation (ranges, rules, outliers), the workflow (approve, 409 when locked, reopen, delete),
the values' history, and the scopes on every path. Real PostGIS, the demo's accounts."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings

from gis_server.models import ApiToken
from layers.models import DataValue, DataValueEvent, IntakeLog, IntakeRequest, Submission
from operations.intake.periods import period_code, period_start, previous_period

pytestmark = pytest.mark.django_db

DISTRICTS = ["689", "691", "692", "693", "694", "695", "696", "697", "698", "699", "700"]
FINANCE = "finance_monthly"
TRAFFIC = "traffic_monthly"
FUZZ_EXAMPLES = int(os.environ.get("IOC_FUZZ_EXAMPLES", "5"))


@pytest.fixture(autouse=True)
def _no_earlier_reports():
    """The demo may hold reports of these data sets; each test starts from none (rolled back)."""
    Submission.objects.filter(dataset__in=[FINANCE, TRAFFIC]).delete()


@pytest.fixture
def intake_schema(db):
    """The push API's part of /ogc/openapi, called in-process inside the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/ogc/openapi?f=json", get_wsgi_application())
        yield schema.include(path_regex="^/api/datasets")
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def token(username: str) -> dict:
    _, key = ApiToken.issue(User.objects.get(username=username), "test")
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def month(back: int = 0) -> str:
    p = period_start("monthly", timezone.localdate())
    for _ in range(back):
        p = previous_period("monthly", p)
    return period_code("monthly", p)


def post(client, url: str, body, headers: dict, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **headers, **extra)


def push(client, headers, period, values, **body):
    return post(client, f"/api/datasets/{FINANCE}/values", {"period": period, "values": values, **body}, headers)


def finance_month(value=97.2):
    return [{"unit": u, "element": "budget_revenue_pct", "value": value + i / 10} for i, u in enumerate(DISTRICTS)]


def indicator_rows(period: str) -> list[tuple[str, float]]:
    with connection.cursor() as cur:
        cur.execute("""SELECT u.code, v.value FROM layers_indicatorvalue v
                         JOIN layers_indicator i ON i.id = v.indicator_id
                         JOIN layers_adminunit u ON u.id = v.unit_id
                        WHERE i.code = 'budget_revenue_pct' AND v.period = %s AND u.level = 'district'
                        ORDER BY u.code""", [date.fromisoformat(period + "-01")])
        return cur.fetchall()


def counts() -> tuple[int, int, int]:
    return DataValue.objects.count(), DataValueEvent.objects.count(), IntakeRequest.objects.count()


# ------------------------------------------------------------------------------ acceptance
def test_a_month_of_one_indicator_for_every_district_is_stored_once_approved_and_then_locked(client):
    so_tc, period = token("so_tc"), month()
    key = {"HTTP_IDEMPOTENCY_KEY": "finance-2026-batch-1"}
    body = {"period": period, "values": finance_month(), "submit": True}
    first = post(client, f"/api/datasets/{FINANCE}/values", body, so_tc | key)
    assert first.status_code == 201, first.content
    answer = first.json()
    assert answer["submissions"] == 11 and answer["changed"] == 11 and len(answer["stored"]) == 11
    assert {s["status"] for s in answer["stored"]} == {"submitted"}
    assert "Idempotent-Replayed" not in first
    rows = indicator_rows(period)
    assert len(rows) == 11 and rows[0] == ("689", pytest.approx(97.2)) and rows[-1][1] == pytest.approx(98.2)

    before = counts()
    again = post(client, f"/api/datasets/{FINANCE}/values", body, so_tc | key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == answer
    assert counts() == before  # no new value, no new history event, no new request record

    other = {**body, "values": finance_month(90.0)}
    reused = post(client, f"/api/datasets/{FINANCE}/values", other, so_tc | key)
    assert reused.status_code == 422 and "Idempotency-Key" in reused.json()["description"]
    assert reused.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert counts() == before

    approved = post(client, f"/api/datasets/{FINANCE}/approve", {"period": period}, token("ld_tc"))
    assert approved.status_code == 200, approved.content
    assert approved.json()["approved"] == 11
    assert {s["status"] for s in approved.json()["submissions"]} == {"approved"}
    assert {s["approved_by"] for s in approved.json()["submissions"]} == {"ld_tc"}

    locked = push(client, so_tc, period, finance_month(99.0))
    assert locked.status_code == 409 and locked.json()["code"] == "Conflict"
    assert indicator_rows(period)[0][1] == pytest.approx(97.2)


def test_without_a_key_a_resend_changes_nothing_and_adds_no_history(client):
    so_tc, period = token("so_tc"), month()
    assert push(client, so_tc, period, finance_month()).status_code == 201
    before = counts()
    again = push(client, so_tc, period, finance_month())
    assert again.status_code == 201 and again.json()["changed"] == 0
    assert counts()[:2] == before[:2]


def test_a_failed_request_is_not_remembered_under_its_key(client):
    so_tc, period = token("so_tc"), month()
    key = {"HTTP_IDEMPOTENCY_KEY": "retry-me"}
    bad = [{"unit": "689", "element": "budget_revenue_pct", "value": 350}]
    assert post(client, f"/api/datasets/{FINANCE}/values", {"period": period, "values": bad}, so_tc | key
                ).status_code == 422
    assert not IntakeRequest.objects.filter(key="retry-me").exists()
    assert IntakeLog.objects.filter(dataset=FINANCE, channel="api", accepted=False).exists()  # the attempt is logged
    good = [{"unit": "689", "element": "budget_revenue_pct", "value": 95}]
    assert post(client, f"/api/datasets/{FINANCE}/values", {"period": period, "values": good}, so_tc | key
                ).status_code == 201
    assert IntakeRequest.objects.get(key="retry-me").status == 201
    long_key = {"HTTP_IDEMPOTENCY_KEY": "k" * 101}
    assert post(client, f"/api/datasets/{FINANCE}/values", {"period": period, "values": good}, so_tc | long_key
                ).status_code == 400


# ----------------------------------------------------------------------------- listing
def test_the_list_names_what_the_caller_may_supply_with_its_periods_and_units(client):
    body = client.get("/api/datasets/", **token("so_tc")).json()
    codes = [d["code"] for d in body["datasets"]]
    assert FINANCE in codes and "disease_weekly" not in codes
    finance = next(d for d in body["datasets"] if d["code"] == FINANCE)
    assert finance["department"]["code"] == "so_tc" and finance["department"]["name"]
    assert finance["period_type"] == "monthly" and finance["due_days"] == 10 and finance["units_in_scope"] == 11
    assert finance["open_period"] == month() and finance["last_due_period"] in (month(1), month(2))
    element = finance["elements"][0]
    assert element["code"] == "budget_revenue_pct" and element["max"] == 300 and element["required"] is True
    assert element["unit"] == "%" and element["value_type"] == "percent"
    assert finance["title_vi"] == "Thu ngân sách theo tháng" and finance["title_en"]

    detail = client.get(f"/api/datasets/{FINANCE}/", **token("so_tc")).json()
    assert [u["code"] for u in detail["units"]] == DISTRICTS
    assert detail["units"][0]["name"].endswith("Đồng Xoài") and detail["units"][0]["district"] == "Đồng Xoài"

    everything = client.get("/api/datasets/", **token("admin")).json()["datasets"]
    assert {FINANCE, TRAFFIC, "disease_weekly"} <= {d["code"] for d in everything}
    assert client.get("/api/datasets/nothing_like_this/", **token("so_tc")).status_code == 404


def test_a_session_works_as_well_as_a_token(client):
    client.force_login(User.objects.get(username="so_tc"))
    assert FINANCE in [d["code"] for d in client.get("/api/datasets/").json()["datasets"]]


# ------------------------------------------------------------------------------ scopes
def every_path(period: str) -> list[tuple[str, str, object]]:
    base = f"/api/datasets/{FINANCE}"
    return [
        ("get", f"{base}/", None),
        ("get", f"{base}/values?period={period}", None),
        ("post", f"{base}/values", {"period": period, "values": finance_month()}),
        ("get", f"{base}/history", None),
        ("post", f"{base}/approve", {"period": period}),
        ("post", f"{base}/reopen", {"unit": "689", "period": period, "reason": "sửa số liệu"}),
        ("delete", f"{base}/submissions/689/{period}", None),
    ]


def call(client, method: str, url: str, body, headers: dict):
    if method == "post":
        return post(client, url, body, headers)
    return getattr(client, method)(url, **headers)


def test_an_officer_of_another_department_gets_403_on_every_path(client):
    period = month()
    assert push(client, token("so_tc"), period, finance_month()).status_code == 201
    so_yte = token("so_yte")
    assert FINANCE not in [d["code"] for d in client.get("/api/datasets/", **so_yte).json()["datasets"]]
    for method, url, body in every_path(period):
        r = call(client, method, url, body, so_yte)
        assert r.status_code == 403, (method, url, r.status_code)
        assert r.json()["code"] == "Forbidden"
    assert Submission.objects.filter(dataset=FINANCE, status="submitted").count() == 11


def test_anonymous_callers_get_401_on_every_path(client):
    assert client.get("/api/datasets/").status_code == 401
    for method, url, body in every_path(month()):
        r = call(client, method, url, body, {})
        assert r.status_code == 401, (method, url)
        assert r.json()["code"] == "Unauthorized"


def test_an_officer_may_not_approve_nor_delete_and_only_an_administrator_reopens(client):
    so_tc, period = token("so_tc"), month()
    assert push(client, so_tc, period, finance_month()).status_code == 201
    assert post(client, f"/api/datasets/{FINANCE}/approve", {"period": period}, so_tc).status_code == 403
    assert client.delete(f"/api/datasets/{FINANCE}/submissions/689/{period}", **so_tc).status_code == 403
    assert post(client, f"/api/datasets/{FINANCE}/approve", {"period": period}, token("ld_tc")).status_code == 200
    reason = {"unit": "689", "period": period, "reason": "Số liệu Đồng Xoài cần sửa"}
    assert post(client, f"/api/datasets/{FINANCE}/reopen", reason, token("ld_tc")).status_code == 403


# ---------------------------------------------------------------------- malformed and invalid
@pytest.mark.parametrize(("body", "where"), [
    ("{not json", "body"),
    ("[1, 2]", "body"),
    ({"period": "2026-11"}, "values"),
    ({"period": "2026-11", "values": []}, "values"),
    ({"period": "2026-11", "values": [{"unit": "689", "element": "budget_revenue_pct", "value": 1}, 7]}, "values[1]"),
    ({"period": "2026-13", "values": [{"unit": "689", "element": "budget_revenue_pct", "value": 1}]}, "period"),
    ({"values": [{"unit": "689", "element": "budget_revenue_pct", "value": 1}]}, "period"),
    ({"period": "2026-11", "values": [{"unit": {"a": 1}, "element": "budget_revenue_pct", "value": 1}]},
     "values[0].unit"),
    ({"period": "2026-11", "values": [{"unit": "689", "element": "budget_revenue_pct"}]}, "values[0].value"),
    ({"period": "2026-11", "values": [{"unit": "689", "element": "x", "value": 1, "period": "tháng 11"}]},
     "values[0].period"),
    ({"period": "2026-11", "values": [{"unit": "689", "element": "x", "value": 1, "cell": "B2"}]},
     "values[0].cell"),
    ({"period": "2026-11", "values": [{"unit": "689", "element": "x", "value": 1}], "submit": "yes"}, "submit"),
])
def test_a_malformed_body_is_a_400_naming_the_path(client, body, where):
    r = post(client, f"/api/datasets/{FINANCE}/values", body, token("so_tc"))
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "InvalidParameterValue" and where in r.json()["errors"]
    assert not Submission.objects.filter(dataset=FINANCE).exists()


def test_values_out_of_range_are_a_422_naming_each_value_and_nothing_is_stored(client):
    values = finance_month()
    values[3]["value"] = 350
    values[7]["value"] = "-5"
    values.append({"unit": "999", "element": "budget_revenue_pct", "value": 1})
    values.append({"unit": "689", "element": "budget_revenue_pct", "value": 10 ** 400})
    r = push(client, token("so_tc"), month(), values)
    assert r.status_code == 422, r.content
    errors = {e["cell"]: e for e in r.json()["errors"]}
    assert errors["values[3]"]["code"] == "above_max" and "300" in errors["values[3]"]["message"]
    assert errors["values[7]"]["code"] == "below_min"
    assert errors["values[11]"]["code"] == "unknown_unit"
    assert errors["values[12]"]["code"] == "not_a_number"
    assert not Submission.objects.filter(dataset=FINANCE).exists()
    assert indicator_rows(month()) == []


def test_a_broken_rule_is_a_422_at_the_value(client):
    values = [{"unit": "689", "element": "accidents", "value": 4},
              {"unit": "689", "element": "casualties", "value": 5},
              {"unit": "689", "element": "deaths", "value": 9}]
    r = post(client, f"/api/datasets/{TRAFFIC}/values", {"period": month(), "values": values}, token("cong_an"))
    assert r.status_code == 422, r.content
    [error] = r.json()["errors"]
    assert error["code"] == "rule" and error["cell"] == "values[2]" and error["unit"] == "689"
    assert "thương vong" in error["message"]


def test_an_outlier_is_stored_flagged_listed_and_confirmable(client):
    so_tc = token("so_tc")
    for back in range(6, 0, -1):
        assert push(client, so_tc, month(back), [{"unit": "689", "element": "budget_revenue_pct",
                                                  "value": 95 + back / 2}]).status_code == 201
    period = month()
    r = push(client, so_tc, period, [{"unit": "689", "element": "budget_revenue_pct", "value": 290}])
    assert r.status_code == 201, r.content
    [warning] = r.json()["warnings"]
    assert warning["code"] == "outlier" and warning["cell"] == "values[0]" and warning["unit"] == "689"
    assert r.json()["stored"][0]["outlier"] is True
    listed = client.get(f"/api/datasets/{FINANCE}/values?period={period}&unit=689", **so_tc).json()
    [report] = listed["submissions"]
    assert report["values"][0]["outlier"] is True and report["values"][0]["outlier_confirmed"] is False
    confirmed = push(client, so_tc, period, [{"unit": "689", "element": "budget_revenue_pct", "value": 290}],
                     confirm_outliers=True)
    assert confirmed.status_code == 201 and confirmed.json()["changed"] == 1
    listed = client.get(f"/api/datasets/{FINANCE}/values?period={period}&unit=689", **so_tc).json()
    assert listed["submissions"][0]["values"][0]["outlier_confirmed"] is True


# ----------------------------------------------------------------------------- reading back
def test_values_of_a_period_with_each_reports_status_and_the_missing_units(client):
    so_tc, period = token("so_tc"), month()
    some = [v for v in finance_month() if v["unit"] in ("689", "691")]
    assert push(client, so_tc, period, some[:1]).status_code == 201
    assert push(client, so_tc, period, some[1:], submit=False).status_code == 201
    body = client.get(f"/api/datasets/{FINANCE}/values?period={period}", **so_tc).json()
    assert body["period"] == period and body["period_label"].startswith("tháng ")
    status = {s["unit"]: s["status"] for s in body["submissions"]}
    assert status == {"689": "submitted", "691": "draft"}
    assert body["submissions"][0]["submitted_by"] == "so_tc" and body["submissions"][0]["channel"] == "api"
    assert body["submissions"][0]["values"][0]["value"] == pytest.approx(97.2)
    assert len(body["missing"]) == 9 and "692" in body["missing"]
    assert client.get(f"/api/datasets/{FINANCE}/values", **so_tc).status_code == 400
    assert client.get(f"/api/datasets/{FINANCE}/values?period={period}&unit=1234", **so_tc).status_code == 404


def test_history_shows_every_version_with_who_when_channel_and_before_after(client):
    so_tc, period = token("so_tc"), month()
    one = [{"unit": "689", "element": "budget_revenue_pct", "value": 97.2}]
    assert push(client, so_tc, period, one).status_code == 201
    one[0]["value"] = "98,5"
    assert push(client, so_tc, period, one).status_code == 201
    assert push(client, so_tc, period, [{"unit": "691", "element": "budget_revenue_pct", "value": 90}]).status_code == 201
    body = client.get(f"/api/datasets/{FINANCE}/history?unit=689&period={period}", **so_tc).json()
    update, insert = body["events"]
    assert update["action"] == "update" and update["before"] == pytest.approx(97.2)
    assert update["after"] == pytest.approx(98.5)
    assert insert["action"] == "insert" and insert["before"] is None and insert["after"] == pytest.approx(97.2)
    assert update["by"] == "so_tc" and update["channel"] == "api" and update["period"] == period
    assert update["unit"] == "689" and update["at"] >= insert["at"]
    everything = client.get(f"/api/datasets/{FINANCE}/history", **so_tc).json()["events"]
    assert [e["unit"] for e in everything][:1] == ["691"] and len(everything) == 3
    assert client.get(f"/api/datasets/{FINANCE}/history?limit=1", **so_tc).json()["truncated"] is True
    assert client.get(f"/api/datasets/{FINANCE}/history?limit=x", **so_tc).status_code == 400


def test_reopened_by_an_administrator_with_a_reason_the_unit_can_submit_again_and_a_head_deletes(client):
    so_tc, ld_tc, admin, period = token("so_tc"), token("ld_tc"), token("admin"), month()
    assert push(client, so_tc, period, finance_month()).status_code == 201
    assert post(client, f"/api/datasets/{FINANCE}/approve", {"period": period, "units": ["689", "691"]},
                ld_tc).json()["approved"] == 2
    one = [{"unit": "689", "element": "budget_revenue_pct", "value": 91.5}]
    assert push(client, so_tc, period, one).status_code == 409

    no_reason = post(client, f"/api/datasets/{FINANCE}/reopen", {"unit": "689", "period": period, "reason": ""},
                     admin)
    assert no_reason.status_code == 400
    reopened = post(client, f"/api/datasets/{FINANCE}/reopen",
                    {"unit": "689", "period": period, "reason": "Sai số liệu tháng, đơn vị báo lại"}, admin)
    assert reopened.status_code == 200, reopened.content
    state = reopened.json()
    assert state["status"] == "submitted" and state["reopened_by"] == "admin" and state["unit"] == "689"
    assert state["reopen_reason"] == "Sai số liệu tháng, đơn vị báo lại"
    again = push(client, so_tc, period, one)
    assert again.status_code == 201 and again.json()["changed"] == 1
    assert indicator_rows(period)[0] == ("689", pytest.approx(91.5))

    gone = client.delete(f"/api/datasets/{FINANCE}/submissions/689/{period}", **ld_tc)
    assert gone.status_code == 200, gone.content
    assert gone.json() == {"dataset": FINANCE, "unit": "689", "period": period, "deleted": True}
    assert [r[0] for r in indicator_rows(period)][0] == "691"  # off the map
    body = client.get(f"/api/datasets/{FINANCE}/values?period={period}", **so_tc).json()
    assert "689" in body["missing"]
    assert client.delete(f"/api/datasets/{FINANCE}/submissions/689/{period}", **ld_tc).status_code == 404
    # an approved report is deleted only by an administrator
    assert client.delete(f"/api/datasets/{FINANCE}/submissions/691/{period}", **ld_tc).status_code == 409
    assert client.delete(f"/api/datasets/{FINANCE}/submissions/691/{period}", **admin).status_code == 200


# ------------------------------------------------------------------------------- OpenAPI
def test_the_openapi_document_describes_the_push_api_for_every_audience(client):
    for headers in ({}, token("so_yte"), token("admin")):
        doc = client.get("/ogc/openapi?f=json", **headers).json()
        post_values = doc["paths"]["/api/datasets/{code}/values"]["post"]
        assert set(post_values["responses"]) == {"201", "400", "401", "403", "404", "409", "422"}
        assert post_values["requestBody"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/IntakePush"}
        assert "Idempotency-Key" in [p["name"] for p in post_values["parameters"]]
        assert doc["components"]["securitySchemes"]["IntakeToken"]["scheme"] == "bearer"
        assert doc["paths"]["/api/datasets/"]["servers"][0]["url"] == "http://testserver"
        assert {"/api/datasets/{code}/approve", "/api/datasets/{code}/reopen", "/api/datasets/{code}/history",
                "/api/datasets/{code}/submissions/{unit}/{period}"} <= set(doc["paths"])
        assert doc["paths"]["/collections"]  # pygeoapi's own paths are still there


def test_fuzzed_requests_from_an_officer_never_make_a_server_error(intake_schema):
    """Schemathesis over the push API's operations, every request with so_tc's token, so the
    bodies reach the parser and the validation (the project's fuzz test sends no officer's token)."""
    headers = {"Authorization": token("so_tc")["HTTP_AUTHORIZATION"]}
    statuses, errors = [], []
    for result in intake_schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            # the in-process transport ignores a path's own `servers`; the operation knows its root
            assert not case.operation.base_url.endswith("/ogc")
            for code in (None, FINANCE):  # as generated, then for a data set the officer supplies
                if code is not None and "code" in (case.path_parameters or {}):
                    case.path_parameters = {**case.path_parameters, "code": code}
                response = case.call(headers=headers, base_url=case.operation.base_url)
                statuses.append(response.status_code)
                if response.status_code >= 500:
                    errors.append(f"{case.method} {case.formatted_path} {case.query} {str(case.body)[:200]} -> "
                                  f"{response.status_code} {response.text[:200]}")

        check()
    assert not errors, errors[:10]
    assert len(statuses) > 60 and {200, 400, 404} <= set(statuses)  # the paths were reached and bodies parsed
