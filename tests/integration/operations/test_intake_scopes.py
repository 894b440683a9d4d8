"""Issue 12's third acceptance line: an officer of one department can neither read nor write
another department's data sets on any path: entry form, template, upload, push API, values,
history, approval, deletion; and nothing is stored by trying."""


import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from gis_server.models import ApiToken
from layers.models import DataValue, Submission
from operations.intake.catalogue import get_dataset
from operations.intake.completeness import last_due_period
from operations.intake.orgunits import org_units
from operations.intake.periods import period_code

pytestmark = pytest.mark.django_db


def paths(code: str, period: str, unit: str) -> list[tuple[str, str, dict]]:
    csv = f"period,orgunit,dataelement,value\n{period},{unit},dengue_cases,1\n{period},{unit},hfmd_cases,1\n"
    return [
        ("get", f"/intake/{code}/{period}/", {}),
        ("post", f"/intake/{code}/{period}/", {"data": {f"v|{unit}|dengue_cases": "1", f"v|{unit}|hfmd_cases": "1", "submit": "true"}}),
        ("get", f"/api/datasets/{code}/template?period={period}", {}),
        ("get", f"/api/datasets/{code}/template?period={period}&format=csv", {}),
        ("post", f"/api/datasets/{code}/upload", {"data": {"file": SimpleUploadedFile("t.csv", csv.encode())}}),
        ("get", f"/api/datasets/{code}/", {}),
        ("get", f"/api/datasets/{code}/values?period={period}", {}),
        ("post", f"/api/datasets/{code}/values", {"data": {"period": period, "values": [
            {"unit": unit, "element": "dengue_cases", "value": 1}, {"unit": unit, "element": "hfmd_cases", "value": 1}]},
            "content_type": "application/json"}),
        ("get", f"/api/datasets/{code}/history?unit={unit}&period={period}", {}),
        ("post", f"/api/datasets/{code}/approve", {"data": {"period": period}, "content_type": "application/json"}),
        ("delete", f"/api/datasets/{code}/submissions/{unit}/{period}", {}),
    ]


@pytest.mark.parametrize("auth", ["session", "token"])
def test_another_departments_officer_is_refused_on_every_path(client, auth):
    ds = get_dataset("disease_weekly")
    period = period_code(ds.period_type, last_due_period(ds))
    unit = org_units(ds)[0].code
    outsider = User.objects.get(username="so_gddt")  # education, not health
    headers = {}
    if auth == "session":
        client.force_login(outsider)
    else:
        _tok, key = ApiToken.issue(outsider, "test")
        headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    before = (Submission.objects.filter(dataset=ds.code).count(), DataValue.objects.count(),
              list(Submission.objects.filter(dataset=ds.code).values_list("status", flat=True).order_by("id")))
    for method, path, kw in paths(ds.code, period, unit):
        if auth == "token" and path.startswith("/intake/"):
            continue  # the entry form is a page for a signed-in browser
        r = getattr(client, method)(path, **kw, **headers)
        assert r.status_code == 403, (auth, method, path, r.status_code)
    listed = client.get("/api/datasets/", **headers).json()
    codes = {d["code"] for d in (listed["datasets"] if isinstance(listed, dict) else listed)}
    assert "disease_weekly" not in codes and "school_year" in codes
    after = (Submission.objects.filter(dataset=ds.code).count(), DataValue.objects.count(),
             list(Submission.objects.filter(dataset=ds.code).values_list("status", flat=True).order_by("id")))
    assert after == before


def test_anonymous_is_asked_to_log_in_on_every_api_path(client):
    ds = get_dataset("disease_weekly")
    period = period_code(ds.period_type, last_due_period(ds))
    for method, path, kw in paths(ds.code, period, org_units(ds)[0].code):
        r = getattr(client, method)(path, **kw)
        expected = (302,) if path.startswith("/intake/") else (401,)
        assert r.status_code in expected, (method, path, r.status_code)
