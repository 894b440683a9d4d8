"""operations.intake.dossiers without the database: dates, statuses, channels, and how rows are
read from CSV and JSON (delimiters, line numbers, headings, shapes)."""

import json
from datetime import UTC, datetime

import pytest

from gis_server.errors import BadRequest
from operations.intake.dossiers import csv_rows, fold, json_rows, parse_channel, parse_local_datetime, parse_status


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("15/03/2026", datetime(2026, 3, 14, 17, 0, tzinfo=UTC)),
        ("5/3/2026 8:30", datetime(2026, 3, 5, 1, 30, tzinfo=UTC)),
        ("15/03/2026 08:30:15", datetime(2026, 3, 15, 1, 30, 15, tzinfo=UTC)),
        ("2026-03-15", datetime(2026, 3, 14, 17, 0, tzinfo=UTC)),
        ("2026-03-15T08:30:00", datetime(2026, 3, 15, 1, 30, tzinfo=UTC)),
        ("2026-03-15T08:30:00Z", datetime(2026, 3, 15, 8, 30, tzinfo=UTC)),
        ("2026-03-15 08:30:00+07:00", datetime(2026, 3, 15, 1, 30, tzinfo=UTC)),
    ],
)
def test_dates_are_local_unless_they_say_otherwise(text, utc):
    assert parse_local_datetime(text) == utc


@pytest.mark.parametrize("text", ["31/02/2026", "15/13/2026", "2026/03/15", "hôm qua", "15-03-2026 8h", "15/03/26"])
def test_what_is_not_a_date(text):
    with pytest.raises(ValueError, match="is not a date"):
        parse_local_datetime(text)


def test_a_year_out_of_range_is_refused():
    with pytest.raises(ValueError, match="outside 2000–2100"):
        parse_local_datetime("15/03/0226")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Đang xử lý", "processing"),
        ("ĐANG XỬ LÝ", "processing"),
        ("dang xu ly", "processing"),
        ("Đã giải quyết", "resolved"),
        ("Đã trả kết quả", "resolved"),
        ("Trả lại", "returned"),
        ("Bổ sung", "returned"),
        ("returned", "returned"),
    ],
)
def test_statuses(text, status):
    assert parse_status(text) == status


@pytest.mark.parametrize(
    ("text", "channel"),
    [("Trực tuyến", "online"), ("Trực tiếp", "offline"), ("Bưu chính", "offline"), ("ONLINE", "online")],
)
def test_channels(text, channel):
    assert parse_channel(text) == channel


def test_unknown_words_say_what_is_expected():
    with pytest.raises(ValueError, match="unknown status 'Chờ' .*processing, resolved, returned"):
        parse_status("Chờ")
    with pytest.raises(ValueError, match="unknown channel 'Fax'"):
        parse_channel("Fax")


def test_fold():
    assert fold("  Đơn_vị   TIẾP nhận ") == "don vi tiep nhan"


HEADER = "STT;Mã hồ sơ;Thủ tục;Đơn vị tiếp nhận;Ngày tiếp nhận;Hạn giải quyết;Trạng thái;Kênh"


def test_csv_semicolons_blank_lines_and_a_cell_over_two_lines():
    text = "\n".join(
        [
            HEADER,
            "1;A-1;Thủ tục;694;01/04/2026;02/04/2026;Đang xử lý;Trực tuyến",
            "",
            '2;A-2;"Thủ tục\ntrên hai dòng";694;01/04/2026;02/04/2026;Đang xử lý;Trực tuyến',
            "3;A-3;Thủ tục;694;01/04/2026;02/04/2026;Đang xử lý;Trực tuyến;thừa",
        ]
    )
    rows = list(csv_rows(text))
    assert [r.where for r in rows] == ["line 2", "line 4", "line 6"]
    assert rows[0].values["code"] == "A-1" and rows[0].labels["unit"] == "Đơn vị tiếp nhận"
    assert rows[1].values["procedure"] == "Thủ tục\ntrên hai dòng"
    assert [str(p) for p in rows[2].problems] == ["line 6, row: 9 cells where the header has 8"]


def test_csv_without_the_needed_columns_is_refused_as_a_whole():
    with pytest.raises(BadRequest) as excinfo:
        list(csv_rows("code,procedure,unit,received,due,status,Kênh,kenh\n"))
    assert excinfo.value.description.startswith("the file cannot be imported, nothing was stored: ")
    assert [e["message"] for e in excinfo.value.errors] == ["line 1, kenh: a second column for channel (first: 'Kênh')"]


def test_json_shapes():
    item = {"Mã hồ sơ": "A-1", "unit": 694, "resolved": None, "other": "ignored"}
    (row,) = json_rows(json.dumps({"items": [item]}))
    assert row.values == {"code": "A-1", "unit": "694", "resolved": ""} and row.labels["code"] == "Mã hồ sơ"
    (row,) = json_rows("[42]")
    assert [str(p) for p in row.problems] == ["item 1, item: not an object"]
    with pytest.raises(BadRequest, match="expected a list of dossiers"):
        list(json_rows('{"data": []}'))
