"""The web entry form of department data (/intake/): who sees which data sets, the grid of one
period, saving a draft, submitting (the values reach the map's tables), a refused save that
keeps what was typed and stores nothing, the head's approval and the locked rows after it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import User

from layers.models import DataValue, DiseaseWeekly, Submission
from operations.intake.catalogue import get_dataset
from operations.intake.orgunits import org_units

pytestmark = pytest.mark.django_db

WEEK, WEEK_CODE = date(2024, 3, 4), "2024W10"  # a week before the demo's submissions
URL = f"/intake/disease_weekly/{WEEK_CODE}/"


def _login(client, username):
    client.force_login(User.objects.get(username=username))


@pytest.fixture
def communes():
    """Two communes of the weekly disease data set, with nothing yet stored for the test week."""
    ds = get_dataset("disease_weekly")
    Submission.objects.filter(dataset=ds.code, period__in=[WEEK, date(2024, 2, 26)]).delete()
    DiseaseWeekly.objects.filter(week=WEEK).delete()
    return org_units(ds)[:2]


def _name(unit, element):
    return f"v|{unit.code}|{element}"


def _values(communes, dengue=("12", "3"), hfmd=("4", "0")):
    return {**{_name(u, "dengue_cases"): v for u, v in zip(communes, dengue, strict=True)},
            **{_name(u, "hfmd_cases"): v for u, v in zip(communes, hfmd, strict=True)}}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _input(response, name) -> str:
    m = re.search(rf'<input name="{re.escape(name)}"[^>]*>', response.content.decode())
    assert m, name
    return m[0]


def test_the_pages_need_a_login_and_every_page_links_them(client):
    r = client.get("/intake/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    r = client.get(URL)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    _login(client, "viewer")
    assert 'href="/intake/">Nhập số liệu</a>' in client.get("/dashboard/supply/").content.decode()


def test_an_officer_sees_the_data_sets_of_the_department_only(client):
    _login(client, "so_yte")
    r = client.get("/intake/")
    assert r.status_code == 200
    sets = set(re.findall(r'data-dataset="(\w+)"', r.content.decode()))
    assert sets == {"disease_weekly", "health_facility_monthly"}
    text = _text(r)
    assert "Sở Y tế" in text and "Thu ngân sách" not in text
    assert re.search(r"hạn nộp \d{2}/\d{2}/\d{4}", text)
    assert re.search(r"\d+/111 đơn vị đã gửi", text)  # the weekly disease report: 111 communes
    assert any(w in text for w in ("Chưa nhập", "Bản nháp", "Đã gửi", "Đã phê duyệt", "Quá hạn"))
    assert re.search(r'href="/intake/disease_weekly/\d{4}W\d{2}/"', r.content.decode())


def test_a_user_without_a_department_is_told_so(client):
    _login(client, "viewer")
    r = client.get("/intake/")
    assert r.status_code == 200
    assert 'id="no-datasets"' in r.content.decode() and "chưa thuộc sở, ban, ngành nào" in _text(r)


def test_another_departments_form_is_a_403_page_and_bad_addresses_say_why(client):
    _login(client, "so_yte")
    r = client.get("/intake/finance_monthly/2026-11/")
    assert r.status_code == 403 and r["Content-Type"].startswith("text/html")
    assert "thuộc đơn vị khác" in _text(r)
    r = client.post("/intake/finance_monthly/2026-11/", {"v|x|budget_revenue_pct": "50", "submit": "true"})
    assert r.status_code == 403
    r = client.get("/intake/disease_weekly/2026-99/")
    assert r.status_code == 400 and "Kỳ báo cáo “2026-99” không hợp lệ" in _text(r)
    assert client.get("/intake/no_such_set/2026-11/").status_code == 404
    r = client.get("/intake/disease_weekly/2024-03-06/")  # a day within the week: its canonical address
    assert r.status_code == 302 and r["Location"] == URL


def test_the_grid_lists_the_units_and_elements_with_last_periods_values(client, communes):
    _login(client, "so_yte")
    r = client.post("/intake/disease_weekly/2024W09/", {**_values(communes, ("18", "7"), ("2", "1")),
                                                         "submit": "false"})
    assert r.status_code == 303  # last week (2024W09), as a draft
    r = client.get(URL)
    assert r.status_code == 200
    page, text = r.content.decode(), _text(r)
    assert len(re.findall(r'<tr class="row-', page)) == 111
    assert "Số ca sốt xuất huyết" in text and "Giá trị cho phép: từ 0 đến 500 ca" in page
    assert 'inputmode="decimal"' in _input(r, _name(communes[0], "dengue_cases"))
    assert "kỳ trước: 18" in text and "kỳ trước: 7" in text
    assert communes[0].name in text and communes[0].district in text
    for label in ("Lưu nháp", "Gửi báo cáo", "Tải biểu mẫu Excel", "Tải biểu mẫu CSV", "Giữ lại các dòng hợp lệ",
                  "Tôi xác nhận các giá trị bất thường", "kỳ trước", "kỳ sau"):
        assert label in text, label
    assert f"/api/datasets/disease_weekly/template?period={WEEK_CODE}&amp;format=xlsx" in page
    assert 'action="/api/datasets/disease_weekly/upload"' in page and 'enctype="multipart/form-data"' in page
    assert "Phê duyệt kỳ này" not in text  # an officer does not approve


def test_a_draft_then_a_submission_stores_the_values_and_publishes_them(client, communes):
    _login(client, "so_yte")
    r = client.post(URL, {**_values(communes), "submit": "false"})
    assert r.status_code == 303 and r["Location"] == URL
    subs = Submission.objects.filter(dataset="disease_weekly", period=WEEK)
    assert {s.status for s in subs} == {"draft"} and subs.count() == 2
    got = {(v.submission.org_id, v.element): v.value for v in DataValue.objects.filter(submission__in=subs)}
    assert got[(communes[0].id, "dengue_cases")] == 12 and got[(communes[1].id, "hfmd_cases")] == 0
    assert all(v.channel == "form" for v in DataValue.objects.filter(submission__in=subs))
    assert not DiseaseWeekly.objects.filter(week=WEEK).exists()  # a draft is not on the map
    r = client.get(URL)
    assert "Đã lưu 4 giá trị." in _text(r) and "Bản nháp" in _text(r)
    assert 'value="12"' in _input(r, _name(communes[0], "dengue_cases"))

    r = client.post(URL, {**_values(communes), "submit": "true"})
    assert r.status_code == 303
    assert {s.status for s in subs.all()} == {"submitted"}
    assert all(s.submitted_by.username == "so_yte" and s.submitted_at for s in subs.all())
    cases = {(d.commune_id, d.disease): d.cases for d in DiseaseWeekly.objects.filter(week=WEEK)}
    assert cases == {(communes[0].id, "dengue"): 12, (communes[1].id, "dengue"): 3,
                     (communes[0].id, "hfmd"): 4, (communes[1].id, "hfmd"): 0}
    r = client.get(URL)
    text = _text(r)
    assert "Đã gửi báo cáo: 4 giá trị." in text and "Đã gửi, chờ duyệt" in text


def test_vietnamese_numbers_are_read_and_shown_the_vietnamese_way(client):
    _login(client, "so_yte")
    ds = get_dataset("health_facility_monthly")
    facility = org_units(ds)[0]
    Submission.objects.filter(dataset=ds.code, period__in=[date(2024, 2, 1), date(2024, 3, 1)]).delete()
    r = client.post("/intake/health_facility_monthly/2024-02/",
                    {f"v|{facility.code}|examinations": "1180", f"v|{facility.code}|inpatients": "92,0",
                     "submit": "false"})
    assert r.status_code == 303
    r = client.post("/intake/health_facility_monthly/2024-03/",
                    {f"v|{facility.code}|examinations": "1.250", f"v|{facility.code}|inpatients": "92",
                     "submit": "false"})
    assert r.status_code == 303
    v = DataValue.objects.get(submission__dataset=ds.code, submission__period=date(2024, 3, 1),
                              submission__org_id=facility.id, element="examinations")
    assert v.value == 1250
    r = client.get("/intake/health_facility_monthly/2024-03/")
    assert 'value="1.250"' in _input(r, f"v|{facility.code}|examinations")
    assert "kỳ trước: 1.180" in _text(r)
    # a cross-element rule is shown beside the element it names
    r = client.post("/intake/health_facility_monthly/2024-03/",
                    {f"v|{facility.code}|examinations": "10", f"v|{facility.code}|inpatients": "20", "submit": "false"})
    assert r.status_code == 422
    bad = _input(r, f"v|{facility.code}|inpatients")
    assert 'aria-invalid="true"' in bad and 'value="20"' in bad
    assert "Số điều trị nội trú không được lớn hơn số lượt khám" in _text(r)
    assert v.__class__.objects.get(pk=v.pk).value == 1250


def test_an_out_of_range_value_is_shown_beside_its_input_and_nothing_is_stored(client, communes):
    _login(client, "so_yte")
    r = client.post(URL, {**_values(communes, ("600", "abc")), "submit": "true"})
    assert r.status_code == 422 and r["Content-Type"].startswith("text/html")
    text = _text(r)
    assert "không lưu giá trị nào" in text
    assert "600 vượt mức tối đa 500 cho “Số ca sốt xuất huyết”" in text
    assert "“abc” không phải là số" in text
    bad = _input(r, _name(communes[0], "dengue_cases"))
    assert 'value="600"' in bad and 'aria-invalid="true"' in bad  # what was typed stays, marked
    assert 'value="abc"' in _input(r, _name(communes[1], "dengue_cases"))
    assert 'aria-invalid' not in _input(r, _name(communes[0], "hfmd_cases"))
    assert not Submission.objects.filter(dataset="disease_weekly", period=WEEK).exists()
    assert not DiseaseWeekly.objects.filter(week=WEEK).exists()


def test_a_missing_required_value_is_shown_on_its_row_when_submitting(client, communes):
    _login(client, "so_yte")
    r = client.post(URL, {_name(communes[0], "dengue_cases"): "5", "submit": "true"})
    assert r.status_code == 422
    assert "còn thiếu “Số ca tay chân miệng”" in _text(r)
    assert not Submission.objects.filter(dataset="disease_weekly", period=WEEK).exists()
    r = client.post(URL, {"submit": "true"})  # nothing typed at all
    assert r.status_code == 400 and "Không có giá trị nào để lưu" in _text(r)


def test_the_head_approves_and_the_approved_rows_are_read_only(client, communes):
    _login(client, "so_yte")
    assert client.post(URL, {**_values(communes), "submit": "true"}).status_code == 303
    r = client.post(URL, {"approve": "1"})
    assert r.status_code == 403  # an officer does not approve
    _login(client, "ld_yte")
    r = client.get(URL)
    assert "Phê duyệt kỳ này" in _text(r) and "2 báo cáo chờ duyệt" in _text(r)
    r = client.post(URL, {"approve": "1"})
    assert r.status_code == 303
    subs = Submission.objects.filter(dataset="disease_weekly", period=WEEK)
    assert {s.status for s in subs} == {"approved"} and all(s.approved_by.username == "ld_yte" for s in subs)
    r = client.get(URL)
    text = _text(r)
    assert "Đã phê duyệt 2 báo cáo." in text and "Đã phê duyệt" in text
    assert "Lãnh đạo Sở Y tế" in text  # who approved, by name
    assert "readonly" in _input(r, _name(communes[0], "dengue_cases"))
    assert "readonly" not in _input(r, _name(org_units(get_dataset("disease_weekly"))[2], "dengue_cases"))

    _login(client, "so_yte")  # a changed value in a locked row is not taken
    r = client.post(URL, {**_values(communes, ("99", "99")), "submit": "true"})
    assert r.status_code == 400
    assert DataValue.objects.get(submission__org_id=communes[0].id, submission__period=WEEK,
                                 submission__dataset="disease_weekly", element="dengue_cases").value == 12
    assert "Mở lại" not in _text(client.get(URL))  # only an administrator reopens


def test_an_administrator_reopens_an_approved_row_with_a_reason(client, communes):
    _login(client, "so_yte")
    client.post(URL, {**_values(communes), "submit": "true"})
    _login(client, "ld_yte")
    client.post(URL, {"approve": "1"})
    _login(client, "admin")
    unit = communes[0].code
    r = client.get(URL)
    assert f'name="reopen" value="{unit}"' in r.content.decode()
    r = client.post(URL, {"reopen": unit, f"reason|{unit}": "x"})  # too short a reason: said, nothing changes
    assert r.status_code == 303
    assert "Hãy ghi lý do mở lại" in _text(client.get(URL))
    r = client.post(URL, {"reopen": unit, f"reason|{unit}": "Sai số liệu tuần này"})
    assert r.status_code == 303
    sub = Submission.objects.get(dataset="disease_weekly", period=WEEK, org_id=communes[0].id)
    assert sub.status == "submitted" and sub.reopen_reason == "Sai số liệu tuần này"
    text = _text(client.get(URL))
    assert "mở lại bởi admin: Sai số liệu tuần này" in text
