"""Department intake, below every channel: validation rule types, the workflow, scopes,
publishing to the layers, completeness from submissions, and the upward report."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection

from gis_server.errors import Conflict, Forbidden, InvalidValues, Unauthorized
from layers.models import AdminUnit, DataValue, Department, DepartmentScope, DiseaseWeekly, IntakeLog, Submission
from operations import reporting, supply
from operations.intake.catalogue import get_dataset
from operations.intake.completeness import dataset_supply, last_due_period, missing_units
from operations.intake.orgunits import org_units
from operations.intake.periods import period_start
from operations.intake.services import (
    submission_delete,
    submission_reopen,
    submissions_approve,
    values_store,
)
from operations.intake.validation import RawValue

pytestmark = pytest.mark.django_db
PAST = date.today() - timedelta(days=21)  # a period the demo has reported: the tests clear it first


def cleared(dataset: str, kind: str, day: date = PAST) -> date:
    """The period of `kind` containing `day`, without any report of `dataset` (the demo's are removed)."""
    p = period_start(kind, day)
    Submission.objects.filter(dataset=dataset, period=p).delete()
    return p


def user(name):
    return User.objects.get(username=name)


def disease(units=2, dengue="7", hfmd="2", period=None):
    ds = get_dataset("disease_weekly")
    p = period or cleared("disease_weekly", "weekly")
    raws = []
    for i, u in enumerate(org_units(ds)[:units]):
        raws += [RawValue(u.code, "dengue_cases", dengue, p, f"D{i + 5}"), RawValue(u.code, "hfmd_cases", hfmd, p,
                                                                                    f"E{i + 5}")]
    return ds, p, raws


def codes(exc):
    return sorted(e["code"] for e in exc.value.errors)


def test_range_and_type_errors_name_the_cell_and_store_nothing():
    ds, p, raws = disease()
    raws[0].value = "1.250.000"
    raws[1].value = "ba"
    raws[2].value = "2,5"
    raws[3].value = -1
    before = DataValue.objects.count()
    with pytest.raises(InvalidValues) as exc:
        values_store(ds=ds, raws=raws, user=user("so_yte"), channel="upload")
    assert codes(exc) == ["above_max", "below_min", "not_a_number", "not_an_integer"]
    messages = [e["message"] for e in exc.value.errors]
    assert "D5: 1.250.000 vượt mức tối đa 500 cho “Số ca sốt xuất huyết”" in messages
    assert DataValue.objects.count() == before and not Submission.objects.filter(period=p).exists()
    assert IntakeLog.objects.filter(dataset=ds.code, accepted=False).latest("created_at").errors[0]["cell"] == "D5"


def test_unknown_units_and_elements_and_duplicates_are_errors():
    ds, p, raws = disease(units=1)
    raws += [RawValue("99999", "dengue_cases", 1, p, "D9"), RawValue(raws[0].unit, "malaria", 1, p, "F5"),
             RawValue(raws[0].unit, "dengue_cases", 3, p, "D6")]
    with pytest.raises(InvalidValues) as exc:
        values_store(ds=ds, raws=raws, user=user("so_yte"), channel="api")
    assert codes(exc) == ["duplicate", "unknown_element", "unknown_unit"]


def test_required_elements_on_submit_but_not_in_a_draft():
    ds, p, raws = disease(units=1)
    with pytest.raises(InvalidValues) as exc:
        values_store(ds=ds, raws=raws[:1], user=user("so_yte"), channel="form")
    assert codes(exc) == ["missing_required"] and "Số ca tay chân miệng" in exc.value.errors[0]["message"]
    r = values_store(ds=ds, raws=raws[:1], user=user("so_yte"), channel="form", submit=False)
    assert r.stored[0]["status"] == "draft"
    r = values_store(ds=ds, raws=raws[1:], user=user("so_yte"), channel="form")  # the draft's value counts
    assert r.stored[0]["status"] == "submitted"


def test_cross_element_rules_less_or_equal_and_ratio():
    ds = get_dataset("traffic_monthly")
    p = cleared("traffic_monthly", "monthly")
    u = org_units(ds)[0].code
    with pytest.raises(InvalidValues) as exc:
        values_store(ds=ds, raws=[RawValue(u, "accidents", 5, p), RawValue(u, "casualties", 4, p),
                                  RawValue(u, "deaths", 6, p)], user=user("cong_an"), channel="api")
    assert codes(exc) == ["rule"] and "Số người chết không được lớn hơn số người thương vong" in \
        exc.value.errors[0]["message"]
    school = get_dataset("school_year")
    s = org_units(school)[0].code
    sy = cleared("school_year", "school_year")
    with pytest.raises(InvalidValues) as exc:
        values_store(ds=school, raws=[RawValue(s, "enrolment", 900, sy), RawValue(s, "teachers", 10, sy)],
                     user=user("so_gddt"), channel="api")
    assert codes(exc) == ["rule"]
    values_store(ds=school, raws=[RawValue(s, "enrolment", 900, sy), RawValue(s, "teachers", 30, sy)],
                 user=user("so_gddt"), channel="api")


def test_an_outlier_is_stored_flagged_for_confirmation_not_refused():
    ds = get_dataset("finance_monthly")
    p = cleared(ds.code, "monthly")
    u = org_units(ds)[0]
    r = values_store(ds=ds, raws=[RawValue(u.code, "budget_revenue_pct", "280", p)], user=user("so_tc"),
                     channel="api")
    assert r.warnings and r.warnings[0]["code"] == "outlier" and r.stored[0]["outlier"] is True
    value = DataValue.objects.get(submission__dataset=ds.code, submission__org_id=u.id, submission__period=p)
    assert value.outlier and not value.outlier_confirmed
    submissions_approve(ds=ds, period=p, user=user("ld_tc"))
    value.refresh_from_db()
    assert value.outlier_confirmed  # the head's approval confirms it


def test_submitted_values_land_in_the_layer_table_and_drafts_do_not():
    ds, p, raws = disease(dengue="123")
    commune = AdminUnit.objects.get(code=raws[0].unit)

    def cases():
        with connection.cursor() as cur:
            cur.execute("SELECT disease, cases FROM layers_diseaseweekly WHERE commune_id = %s AND week = %s "
                        "ORDER BY disease", [commune.id, p])
            return cur.fetchall()

    before = cases()  # the demo's own figures for that week
    values_store(ds=ds, raws=raws, user=user("so_yte"), channel="form", submit=False)
    assert cases() == before
    values_store(ds=ds, raws=raws, user=user("so_yte"), channel="form")
    assert cases() == [("dengue", 123), ("hfmd", 2)]


def test_workflow_approve_locks_reopen_needs_an_administrator_and_a_reason():
    ds, p, raws = disease()
    values_store(ds=ds, raws=raws, user=user("so_yte"), channel="api")
    with pytest.raises(Forbidden):
        submissions_approve(ds=ds, period=p, user=user("so_yte"))  # an officer does not approve
    assert submissions_approve(ds=ds, period=p, user=user("ld_yte")) == 2
    with pytest.raises(Conflict):
        values_store(ds=ds, raws=raws, user=user("so_yte"), channel="api")
    with pytest.raises(Forbidden):
        submission_reopen(ds=ds, unit=raws[0].unit, period=p, user=user("ld_yte"), reason="sai số liệu")
    with pytest.raises(Exception, match="lý do"):
        submission_reopen(ds=ds, unit=raws[0].unit, period=p, user=user("admin"), reason="")
    sub = submission_reopen(ds=ds, unit=raws[0].unit, period=p, user=user("admin"), reason="Sai số ca tuần này")
    assert sub.status == "submitted" and sub.reopen_reason == "Sai số ca tuần này"
    raws[0].value = "9"
    values_store(ds=ds, raws=raws[:2], user=user("so_yte"), channel="api")
    events = apps.get_model("layers", "DataValueEvent").objects.filter(pgh_obj__submission=sub, element="dengue_cases").order_by("pgh_id")
    assert [e.value for e in events] == [7, 9]  # the previous value is kept


def test_scopes_departments_and_districts():
    ds, p, raws = disease()
    with pytest.raises(Forbidden):
        values_store(ds=ds, raws=raws, user=user("so_gddt"), channel="api")
    with pytest.raises(Unauthorized):
        values_store(ds=ds, raws=raws, user=None, channel="api")
    officer = User.objects.create(username="yte_dongxoai")
    first = AdminUnit.objects.get(code=raws[0].unit)
    DepartmentScope.objects.create(user=officer, department=Department.objects.get(code="so_yte"),
                                   district=first.parent)
    other = next(u for u in org_units(ds) if u.district_id != first.parent_id)
    with pytest.raises(InvalidValues) as exc:
        values_store(ds=ds, raws=raws[:2] + [RawValue(other.code, "dengue_cases", 1, p, "D40"),
                                             RawValue(other.code, "hfmd_cases", 1, p, "E40")],
                     user=officer, channel="api")
    assert codes(exc) == ["unit_out_of_scope", "unit_out_of_scope"]


def test_completeness_comes_from_submissions_and_deleting_one_makes_the_data_set_late_again():
    ds = get_dataset("security_monthly")
    sup = dataset_supply(ds)
    assert sup.state == "current" and sup.stat.complete == sup.stat.expected == 11
    unit = org_units(ds)[0]
    submission_delete(ds=ds, unit=unit.code, period=sup.period, user=user("admin"))
    after = dataset_supply(ds)
    assert after.state == "incomplete" and after.stat.complete == 10
    assert [m.unit.code for m in missing_units(ds, sup.period)] == [unit.code]
    Submission.objects.filter(dataset=ds.code, period=sup.period).delete()
    assert dataset_supply(ds).state == "late"
    assert {s.id: s.state for s in supply.sources()}["dataset:security_monthly"] == "late"


def test_the_upward_report_sends_approved_values_and_completeness():
    ds = get_dataset("finance_monthly")
    p = last_due_period(ds)
    Submission.objects.filter(dataset=ds.code, period=p).update(status="approved")
    sent = reporting.build_payload(p)
    assert len([v for v in sent["values"] if v["indicator"] == "budget_revenue_pct"]) == 11
    Submission.objects.filter(dataset=ds.code, period=p, org_id=org_units(ds)[0].id).update(status="submitted")
    sent = reporting.build_payload(p)
    assert len([v for v in sent["values"] if v["indicator"] == "budget_revenue_pct"]) == 10
    finance = next(c for c in sent["completeness"] if c["dataset"] == "finance_monthly")
    assert finance["expected"] == 11 and finance["approved"] == 10


def test_the_supply_pages_show_what_is_missing(client):
    client.force_login(user("viewer"))
    board = client.get("/dashboard/supply/").content.decode()
    assert "Xếp hạng cơ quan" in board and "/dashboard/supply/disease_weekly/" in board
    page = client.get("/dashboard/supply/disease_weekly/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "chưa gửi đủ" in text and "Số ca sốt xuất huyết" in text and "Bị từ chối" in text
    assert client.get("/dashboard/supply/nope/").status_code == 404


def test_a_period_not_begun_is_refused_and_an_overflowing_number_is_an_error():
    ds = get_dataset("disease_weekly")
    u = org_units(ds)[0].code
    future = period_start("weekly", date.today() + timedelta(days=14))
    with pytest.raises(InvalidValues) as exc:
        values_store(ds=ds, raws=[RawValue(u, "dengue_cases", 1, future, "D5"), RawValue(u, "hfmd_cases", 10**400,
                                                                                           cleared(ds.code, "weekly"))],
                     user=user("so_yte"), channel="api")
    assert codes(exc) == ["future_period", "not_a_number"]


def test_keeping_the_valid_values_keeps_whole_reports_only():
    ds, p, raws = disease(units=3)
    raws[2].value = "9999"  # the second commune's dengue count is refused: its report is left out whole
    r = values_store(ds=ds, raws=raws, user=user("so_yte"), channel="upload", keep_valid=True)
    assert {v["unit"] for v in r.stored} == {raws[0].unit, raws[4].unit}
    assert [e["code"] for e in r.skipped] == ["above_max"]  # and not also "missing" for the same value
    assert not Submission.objects.filter(dataset=ds.code, period=p, org_id=AdminUnit.objects.get(
        code=raws[2].unit).id).exists()


def test_a_submitted_outbreak_is_an_alert_at_once(django_capture_on_commit_callbacks):
    from layers.models import Alert
    ds = get_dataset("disease_weekly")
    latest = DiseaseWeekly.objects.order_by("-week").values_list("week", flat=True).first()
    p = cleared(ds.code, "weekly", latest)
    commune = org_units(ds)[5]
    Alert.objects.filter(key=f"dengue_outbreak:{commune.id}").delete()
    with django_capture_on_commit_callbacks(execute=True):
        values_store(ds=ds, raws=[RawValue(commune.code, "dengue_cases", 400, p, "D9"),
                                  RawValue(commune.code, "hfmd_cases", 0, p, "E9")],
                     user=user("so_yte"), channel="api", confirm_outliers=True)
    alert = Alert.objects.get(key=f"dengue_outbreak:{commune.id}", resolved_at__isnull=True)
    assert alert.severity == "critical" and "400 ca" in alert.title
