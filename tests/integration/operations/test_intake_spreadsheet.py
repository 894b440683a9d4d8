"""The spreadsheet channel of department data: templates (XLSX and CSV) for a data set and
period, and uploads read back into the one validation and store, through the HTTP endpoints
as the demo's department officers."""

import csv
import io
import json
from datetime import date, timedelta

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from layers.models import DataValue, DiseaseWeekly, Submission
from operations.intake.catalogue import get_dataset
from operations.intake.orgunits import org_units
from operations.intake.periods import period_code, period_start
from operations.intake.services import submissions_approve
from operations.intake.spreadsheet import DATA_SHEET, GUIDE_SHEET, MAX_ROWS, META_SHEET

pytestmark = pytest.mark.django_db
DS = "disease_weekly"


@pytest.fixture
def week():
    """Last week, with no report stored yet (whatever the demo holds for it)."""
    start = period_start("weekly", date.today() - timedelta(days=7))
    Submission.objects.filter(dataset=DS, period=start).delete()
    return start


@pytest.fixture
def communes():
    return org_units(get_dataset(DS))[:3]


@pytest.fixture
def officer(client):
    client.force_login(User.objects.get(username="so_yte"))
    return client


def template(client, week, fmt="xlsx", ds=DS):
    return client.get(f"/api/datasets/{ds}/template", {"period": period_code("weekly", week), "format": fmt})


def upload(client, data: bytes, name="so_lieu.xlsx", ds=DS, **fields):
    return client.post(f"/api/datasets/{ds}/upload", {"file": SimpleUploadedFile(name, data), **fields})


def filled_xlsx(content: bytes, values: dict[str, dict[str, object]]) -> tuple[bytes, dict[tuple[str, str], str]]:
    """The template with values typed into the units' rows; returns the file and each value's cell."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb[DATA_SHEET]
    columns = {ws.cell(2, c).value: ws.cell(2, c).column_letter for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    cells = {}
    for unit, by_element in values.items():
        for element, value in by_element.items():
            ref = f"{columns[element]}{rows[unit]}"
            ws[ref] = value
            cells[(unit, element)] = ref
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), cells


def cases(week, commune_ids) -> dict[tuple[int, str], int]:
    return {(w.commune_id, w.disease): w.cases
            for w in DiseaseWeekly.objects.filter(week=week, commune_id__in=commune_ids)}


def counts():
    return DataValue.objects.count(), Submission.objects.count()


def test_the_xlsx_template_lists_the_communes_and_elements(officer, week):
    r = template(officer, week)
    assert r.status_code == 200, r.content[:300]
    assert r["Content-Disposition"] == f'attachment; filename="disease_weekly_{period_code("weekly", week)}.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == [DATA_SHEET, GUIDE_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    assert dict(wb[META_SHEET].iter_rows(max_col=2, values_only=True))["period"] == period_code("weekly", week)
    ws = wb[DATA_SHEET]
    assert ws["A1"].value.startswith("Ca bệnh truyền nhiễm theo tuần — tuần ")
    assert [c.value for c in ws[2]] == ["unit_code", "unit_name", "district", "dengue_cases", "hfmd_cases"]
    assert ws.row_dimensions[2].hidden
    assert [c.value for c in ws[3]] == ["Mã đơn vị", "Tên đơn vị", "Huyện", "Số ca sốt xuất huyết (ca)",
                                        "Số ca tay chân miệng (ca)"]
    assert ws["A3"].font.b and ws.freeze_panes == "D4"
    units = org_units(get_dataset(DS))
    assert ws.max_row == 3 + len(units) and ws["A4"].value == units[0].code and ws["C4"].value
    assert ws["D4"].number_format == "#,##0"
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    dv = rules[f"D4:D{ws.max_row}"]
    assert (dv.type, dv.formula1, dv.formula2) == ("whole", "0", "500") and "Số ca sốt xuất huyết" in dv.error
    assert "Hướng dẫn" in wb[GUIDE_SHEET]["A1"].value


def test_a_filled_template_is_stored_published_and_shown_again(officer, week, communes):
    a, b = communes[0], communes[1]
    data, _cells = filled_xlsx(template(officer, week).content, {a.code: {"dengue_cases": 12, "hfmd_cases": "3"},
                                        b.code: {"dengue_cases": "250", "hfmd_cases": 0}})
    r = upload(officer, data)
    assert r.status_code == 201, r.content[:800]
    body = r.json()
    assert len(body["stored"]) == 4 and body["submissions"] == 2 and body["layout"] == "grid"
    assert {e["unit"] for e in body["report"]} == {a.code, b.code} and all(e["ok"] for e in body["report"])
    assert cases(week, [a.id, b.id]) == {(a.id, "dengue"): 12, (a.id, "hfmd"): 3, (b.id, "dengue"): 250,
                                         (b.id, "hfmd"): 0}
    subs = Submission.objects.filter(dataset=DS, period=week)
    assert {s.org_id for s in subs} == {a.id, b.id} and {s.channel for s in subs} == {"upload"}
    assert {s.status for s in subs} == {"submitted"}
    assert set(DataValue.objects.filter(submission__in=subs).values_list("channel", flat=True)) == {"upload"}
    fc = json.loads(officer.get("/ogc/collections/disease-cases-weekly/items",
                                {"datetime": week.isoformat(), "limit": 1000}).content)
    shown = {(f["properties"]["unit_code"], f["properties"]["disease"]): f["properties"]["cases"]
             for f in fc["features"]}
    assert shown[(a.code, "dengue")] == 12 and shown[(b.code, "dengue")] == 250 and shown[(a.code, "hfmd")] == 3
    page = officer.get(f"/dashboard/health/unit/{b.code}/").content.decode()  # and on the commune's dashboard
    assert '<td class="num">250</td>' in page, "the commune's dashboard does not show the uploaded count"
    again = openpyxl.load_workbook(io.BytesIO(template(officer, week).content))[DATA_SHEET]
    row = next(r for r in again.iter_rows(min_row=4) if r[0].value == a.code)
    assert (row[3].value, row[4].value) == (12, 3)


def test_an_out_of_range_value_refuses_the_whole_file_naming_its_cell(officer, week, communes):
    a, b = communes[0], communes[1]
    data, cells = filled_xlsx(template(officer, week).content,
                              {a.code: {"dengue_cases": 12, "hfmd_cases": 3},
                               b.code: {"dengue_cases": "1.250.000", "hfmd_cases": 1}})
    before = counts()
    r = upload(officer, data)
    assert r.status_code == 422, r.content[:500]
    body = r.json()
    bad = cells[(b.code, "dengue_cases")]
    assert body["errors"][0]["message"] == f"{bad}: 1.250.000 vượt mức tối đa 500 cho “Số ca sốt xuất huyết”"
    assert body["errors"][0]["cell"] == bad and body["errors"][0]["row"] == int(bad[1:])
    assert counts() == before and not cases(week, [a.id]).get((a.id, "dengue")) == 12


def test_keep_valid_stores_the_rest_and_lists_what_it_skipped(officer, week, communes):
    a, b = communes[0], communes[1]
    data, cells = filled_xlsx(template(officer, week).content,
                              {a.code: {"dengue_cases": 7, "hfmd_cases": 2},
                               b.code: {"dengue_cases": 900, "hfmd_cases": 1}})
    r = upload(officer, data, keep_valid="1")
    assert r.status_code == 201, r.content[:500]
    body = r.json()
    assert cells[(b.code, "dengue_cases")] in {e["cell"] for e in body["skipped"]}
    assert {(s["unit"], s["element"]) for s in body["stored"]} >= {(a.code, "dengue_cases"), (a.code, "hfmd_cases")}
    report = {e["unit"]: e for e in body["report"]}
    assert report[a.code]["ok"] and not report[b.code]["ok"]
    assert any(cells[(b.code, "dengue_cases")] in m for m in report[b.code]["errors"])
    assert cases(week, [a.id])[(a.id, "dengue")] == 7


def test_the_csv_template_goes_round_trip(officer, week, communes):
    a = communes[0]
    r = template(officer, week, fmt="csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert r["Content-Disposition"].endswith(f'disease_weekly_{period_code("weekly", week)}.csv"')
    assert r.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert lines[0][:5] == ["unit_code", "unit_name", "district", "dengue_cases", "hfmd_cases"]
    assert lines[1][:5] == ["Mã đơn vị", "Tên đơn vị", "Huyện", "Số ca sốt xuất huyết (ca)",
                            "Số ca tay chân miệng (ca)"]
    row = next(i for i, line in enumerate(lines) if line[0] == a.code)
    lines[row][3:5] = ["41", "5"]
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    r = upload(officer, out.getvalue().encode("utf-8-sig"), name="so_lieu.csv")
    assert r.status_code == 201, r.content[:500]
    assert [e["row"] for e in r.json()["report"]] == [row + 1]
    assert cases(week, [a.id]) == {(a.id, "dengue"): 41, (a.id, "hfmd"): 5}
    again = template(officer, week, fmt="csv").content.decode("utf-8-sig")
    assert f"{a.code},{a.name},{a.district},41,5," in again


def test_the_long_form_of_department_systems(officer, week, communes):
    a, b = communes[0], communes[1]
    code = period_code("weekly", week)
    text = (f"period;orgunit;dataelement;value;comment\n{code};{a.code};dengue_cases;8;\n"
            f"{week.isoformat()};{a.code};hfmd_cases;1;\n{code};{b.code};dengue_cases;;empty is skipped\n")
    r = upload(officer, text.encode(), name="export.csv", submit="0")
    assert r.status_code == 201, r.content[:500]
    assert r.json()["layout"] == "long" and r.json()["values_read"] == 2
    assert Submission.objects.get(dataset=DS, period=week, org_id=a.id).status == "draft"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Period", "OrgUnit", "DataElement", "Value"])
    ws.append([code, int(a.code), "dengue_cases", 9])
    ws.append([code, a.code, "hfmd_cases", 2.0])
    ws.append([code, b.code, "dengue_cases", 600])
    ws.append([code, b.code, "hfmd_cases", 0])
    out = io.BytesIO()
    wb.save(out)
    r = upload(officer, out.getvalue(), name="export.xlsx")
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors[0]["cell"] == "D4" and errors[0]["message"].startswith("D4: 600 vượt mức tối đa 500")
    assert {e["row"] for e in errors} == {4}  # and b's report, now without dengue, lacks it
    ws["D4"] = 60
    out = io.BytesIO()
    wb.save(out)
    r = upload(officer, out.getvalue(), name="export.xlsx")
    assert r.status_code == 201, r.content[:500]
    assert cases(week, [a.id, b.id]) == {(a.id, "dengue"): 9, (a.id, "hfmd"): 2, (b.id, "dengue"): 60,
                                         (b.id, "hfmd"): 0}


@pytest.mark.parametrize("data, name, words", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "anh.png", "không phải bảng tính"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "cu.xls", ".xls"),
    (b"PK\x03\x04 not really a zip", "hong.xlsx", "Không đọc được tệp Excel"),
    (b"just some words\nand more words\n", "ghi_chu.txt", "Không tìm thấy dòng tiêu đề"),
    (b"", "rong.csv", "Tệp rỗng"),
])
def test_a_file_that_is_not_a_readable_sheet_is_refused(officer, week, data, name, words):
    r = upload(officer, data, name=name)
    assert r.status_code == 400, r.content[:300]
    assert r.json()["code"] == "InvalidParameterValue" and words in r.json()["description"]


def test_a_missing_file_a_huge_file_and_too_many_rows_are_refused(officer, week):
    r = officer.post(f"/api/datasets/{DS}/upload", {"period": period_code("weekly", week)})
    assert r.status_code == 400 and "file" in r.json()["description"]
    r = upload(officer, b"unit_code,dengue_cases\n" + b"x" * (21 * 1024 * 1024), name="to.csv")
    assert r.status_code == 400 and "20 MB" in r.json()["description"]
    rows = b"unit_code,dengue_cases\n" + b"25000,\n" * (MAX_ROWS + 1)
    r = upload(officer, rows, name="dai.csv", period=period_code("weekly", week))
    assert r.status_code == 400 and "200.000" in r.json()["description"]


def test_a_file_for_another_data_set_names_both(officer, week):
    month = period_code("monthly", date.today().replace(day=1) - timedelta(days=1))
    other = officer.get("/api/datasets/health_facility_monthly/template", {"period": month})
    assert other.status_code == 200
    r = upload(officer, other.content)
    assert r.status_code == 400
    text = r.json()["description"]
    assert "Khám, điều trị tại cơ sở y tế theo tháng" in text and "Ca bệnh truyền nhiễm theo tuần" in text


def test_a_file_for_another_period_than_the_chosen_one_is_refused(officer, week):
    data = template(officer, week).content
    r = upload(officer, data, period=period_code("weekly", week - timedelta(days=7)))
    assert r.status_code == 400 and "kỳ đã chọn" in r.json()["description"]


def test_scopes(client, week):
    data = template(client, week)
    assert data.status_code == 401
    assert upload(client, b"unit_code,dengue_cases\n", name="a.csv").status_code == 401
    client.force_login(User.objects.get(username="so_gddt"))
    r = template(client, week)
    assert r.status_code == 403 and r.json()["code"] == "Forbidden"
    assert upload(client, b"unit_code,dengue_cases\n1,2\n", name="a.csv").status_code == 403


def test_an_approved_period_is_locked(officer, week, communes):
    a = communes[0]
    data, _cells = filled_xlsx(template(officer, week).content, {a.code: {"dengue_cases": 4, "hfmd_cases": 1}})
    assert upload(officer, data).status_code == 201
    assert submissions_approve(ds=get_dataset(DS), period=week, user=User.objects.get(username="ld_yte")) == 1
    data, _cells = filled_xlsx(template(officer, week).content, {a.code: {"dengue_cases": 5}})
    before = counts()
    r = upload(officer, data)
    assert r.status_code == 409 and r.json()["code"] == "Conflict"
    assert counts() == before and cases(week, [a.id])[(a.id, "dengue")] == 4


def test_the_session_needs_its_csrf_token_and_a_token_client_none(week, communes):
    from django.test import Client

    from gis_server.models import ApiToken

    a = communes[0]
    code = period_code("weekly", week)
    text = f"period,unit,element,value\n{code},{a.code},dengue_cases,3\n{code},{a.code},hfmd_cases,1\n".encode()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(User.objects.get(username="so_yte"))
    r = browser.post(f"/api/datasets/{DS}/upload", {"file": SimpleUploadedFile("x.csv", text)})
    assert r.status_code == 403  # no CSRF token
    browser.get("/accounts/login/")  # sets the CSRF cookie, as any page does
    token = browser.cookies["csrftoken"].value
    r = browser.post(f"/api/datasets/{DS}/upload", {"file": SimpleUploadedFile("x.csv", text),
                                                    "csrfmiddlewaretoken": token})
    assert r.status_code == 201, r.content[:300]
    _t, key = ApiToken.issue(User.objects.get(username="so_yte"), "sheet test")
    system = Client(enforce_csrf_checks=True)
    r = system.post(f"/api/datasets/{DS}/upload", {"file": SimpleUploadedFile("x.csv", text)},
                    HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 201, r.content[:300]
    assert cases(week, [a.id]) == {(a.id, "dengue"): 3, (a.id, "hfmd"): 1}


def test_an_officer_of_one_district_gets_and_supplies_only_its_communes(client, week):
    from layers.models import AdminUnit, Department, DepartmentScope

    district = AdminUnit.objects.get(code="694")  # Huyện Lộc Ninh
    user = User.objects.create_user("yte_locninh")
    DepartmentScope.objects.create(user=user, department=Department.objects.get(code="so_yte"), role="officer",
                                   district=district)
    client.force_login(user)
    ws = openpyxl.load_workbook(io.BytesIO(template(client, week).content))[DATA_SHEET]
    mine = [u for u in org_units(get_dataset(DS)) if u.district_id == district.id]
    assert [r[0].value for r in ws.iter_rows(min_row=4)] == [u.code for u in mine]
    other = next(u for u in org_units(get_dataset(DS)) if u.district_id != district.id)
    text = f"unit_code,dengue_cases,hfmd_cases\n{other.code},1,1\n{mine[0].code},2,2\n"
    r = upload(client, text.encode(), name="x.csv", period=period_code("weekly", week))
    assert r.status_code == 422
    assert {e["code"] for e in r.json()["errors"]} == {"unit_out_of_scope"}
    assert {e["cell"] for e in r.json()["errors"]} == {"B2", "C2"}
