"""Reading department sheets (no database): the grid and the long form, Vietnamese headings and
numbers, CSV dialects and encodings, cells named as in Excel, and the file-level refusals."""

import io
import unicodedata
from datetime import date

import openpyxl
import pytest

from gis_server.errors import BadRequest
from operations.intake.catalogue import get_dataset
from operations.intake.spreadsheet import sheet_read

DS = get_dataset("disease_weekly")
WEEK = date(2026, 11, 16)  # 2026W47


def read(text: str, encoding="utf-8", **kw):
    data = cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    return sheet_read(ds=DS, data=data, name="x.csv", **kw)


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with their tone mark apart."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            out += unicodedata.normalize("NFC", d[:-1]).encode("cp1258") + d[-1].encode("cp1258")
    return out


def triples(sheet):
    return [(str(r.unit), r.element, r.value, r.cell) for r in sheet.raws]


def test_a_grid_with_vietnamese_headings_semicolons_and_numbers():
    sheet = read("Mã đơn vị;Tên đơn vị;Số ca sốt xuất huyết (ca);Số ca tay chân miệng\n"
                 "25432;Phường Tân Phú;1.250.000;\n25435;Phường Tân Đồng;;3\n;;;\n", period="2026W47")
    assert sheet.layout == "grid"
    assert triples(sheet) == [("25432", "dengue_cases", "1.250.000", "C2"), ("25435", "hfmd_cases", "3", "D3")]
    assert {r.period for r in sheet.raws} == {WEEK} and sheet.rows == {2: "25432", 3: "25435"}


def test_the_template_csv_with_its_code_line_and_period_column():
    sheet = read("\ufeffunit_code,unit_name,district,dengue_cases,hfmd_cases,period,dataset\n"
                 "Mã đơn vị,Tên đơn vị,Huyện,Số ca sốt xuất huyết (ca),Số ca tay chân miệng (ca),Kỳ báo cáo,Bộ dữ liệu\n"
                 '25432,"Phường Tân Phú",Đồng Xoài,"92,0",4,2026W47,disease_weekly\n')
    assert triples(sheet) == [("25432", "dengue_cases", "92,0", "D3"), ("25432", "hfmd_cases", "4", "E3")]
    assert sheet.raws[0].period == WEEK


def test_a_windows_vietnamese_csv_is_read():
    sheet = read("Mã đơn vị;Số ca sốt xuất huyết\n25432;5\n", encoding="cp1258", period="2026W47")
    assert triples(sheet) == [("25432", "dengue_cases", "5", "B2")]


def test_the_long_form_names_the_value_cell_and_parses_each_period():
    sheet = read("orgunit,dataelement,period,value\n25432,dengue_cases,2026W47,7\n25432,hfmd_cases,16/11/2026,\n"
                 "25435,hfmd_cases,2026-W47,1\n25435,dengue_cases,2026W99,2\n")
    assert sheet.layout == "long"
    assert triples(sheet) == [("25432", "dengue_cases", "7", "D2"), ("25435", "hfmd_cases", "1", "D4")]
    assert [p["cell"] for p in sheet.problems] == ["C5"] and "2026W99" in sheet.problems[0]["message"]


def test_a_row_of_another_period_than_the_chosen_one_is_a_problem():
    sheet = read("orgunit,dataelement,period,value\n25432,dengue_cases,2026W46,7\n", period="2026W47")
    assert not sheet.raws and "khác kỳ đã chọn" in sheet.problems[0]["message"]


def test_an_xlsx_grid_by_headings_with_excel_numbers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Báo cáo tuần"])
    ws.append(["mã đơn vị", "Số ca sốt xuất huyết*", "ghi chú"])
    ws.append([25432, 12.0, "ok"])
    ws.append([None, 3, None])
    out = io.BytesIO()
    wb.save(out)
    sheet = sheet_read(ds=DS, data=out.getvalue(), name="x.xlsx", period="2026W47")
    assert triples(sheet) == [("25432", "dengue_cases", 12.0, "B3")]
    assert [p["code"] for p in sheet.problems] == ["missing_unit"] and sheet.problems[0]["cell"] == "A4"


@pytest.mark.parametrize("text, words", [
    ("a,b,c\n1,2,3\n", "Không tìm thấy dòng tiêu đề"),
    ("unit_code,dengue_cases\n25432,1\n", "không ghi kỳ báo cáo"),
    ("unit_code,examinations,inpatients\n25432,1,1\n", "Khám, điều trị tại cơ sở y tế theo tháng"),
    ("orgunit,dataelement,period,value\nYT00001,examinations,2026-11,5\n", "Khám, điều trị tại cơ sở y tế"),
    ("unit_code,dengue_cases,period,dataset\n25432,1,2026W47,finance_monthly\n", "finance_monthly"),
    ("unit_code,ghi chú\n25432,x\n", "không có cột chỉ tiêu nào"),
])
def test_file_level_refusals(text, words):
    with pytest.raises(BadRequest, match=words):
        read(text)
