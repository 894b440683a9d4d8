"""The public-service dossier feed: the portal's export (CSV or JSON) imported by dossier code,
all or nothing, against the demo's units and one-stop centres."""

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gis_server.errors import BadRequest
from layers.models import AdminUnit, Dossier, ServiceCentre
from operations.intake.dossiers import dossiers_import

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]

VI_HEADER = "Mã hồ sơ,Thủ tục,Đơn vị tiếp nhận,Ngày tiếp nhận,Hạn giải quyết,Ngày giải quyết,Trạng thái,Kênh"


def vi_csv(*rows: str, header: str = VI_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def three_rows(district: AdminUnit, commune: AdminUnit) -> bytes:
    return vi_csv(
        f"T-0001,Cấp giấy phép xây dựng,{district.code},15/03/2026 08:30,25/03/2026 17:00,,Đang xử lý,Trực tuyến",
        f'T-0002,"Đăng ký khai sinh, kết hợp",{commune.name.upper()},16/03/2026,17/03/2026,17/03/2026 10:00,'
        "Đã trả kết quả,Trực tiếp",
        f"T-0003,Chứng thực bản sao,{commune.code},2026-03-16T09:00:00,2026-03-18,,Bổ sung,Bưu chính",
    )


@pytest.fixture
def district():
    return AdminUnit.objects.get(code="694")  # Huyện Lộc Ninh


@pytest.fixture
def commune():
    return AdminUnit.objects.get(name="Lộc Hiệp")  # one commune of that name


def imported(data: bytes | str, format: str | None = None):
    return dossiers_import(path_or_file=io.BytesIO(data.encode() if isinstance(data, str) else data), format=format)


def problems_of(excinfo) -> list[str]:
    return [e["message"] for e in excinfo.value.errors]


def test_csv_with_vietnamese_headings_is_stored(district, commune):
    result = imported(three_rows(district, commune))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    one, two, three = Dossier.objects.filter(code__startswith="T-").order_by("code")
    assert one.unit == district and one.centre == ServiceCentre.objects.get(unit=district)
    assert one.received_at == datetime(2026, 3, 15, 1, 30, tzinfo=UTC)  # 08:30 in Hồ Chí Minh time
    assert (one.status, one.channel, one.resolved_at) == ("processing", "online", None)
    assert two.unit == commune and two.procedure == "Đăng ký khai sinh, kết hợp"  # unit by name, any case
    assert (two.status, two.channel) == ("resolved", "offline")
    assert two.resolved_at == datetime(2026, 3, 17, 3, 0, tzinfo=UTC)
    assert (three.status, three.channel) == ("returned", "offline")  # Bổ sung, Bưu chính
    assert three.due_at == datetime(2026, 3, 17, 17, 0, tzinfo=UTC)  # a date alone is midnight local


def test_unit_name_without_accents_and_with_its_kind(commune):
    result = imported(
        vi_csv(
            "T-0010,Thủ tục A,xa loc hiep,01/04/2026,05/04/2026,,Dang xu ly,truc tuyen",
            "T-0011,Thủ tục A,Huyện Bù Gia Mập,01/04/2026,05/04/2026,,processing,online",
        )
    )
    assert result.created == 2
    assert Dossier.objects.get(code="T-0010").unit == commune
    assert Dossier.objects.get(code="T-0011").unit.code == "693"  # not the commune Bù Gia Mập


def test_json_list_and_items_with_english_keys(district):
    items = [
        {
            "code": "T-0100",
            "procedure": "Thủ tục B",
            "unit": district.code,
            "received": "2026-04-01T08:00:00+07:00",
            "due": "2026-04-05T17:00:00+07:00",
            "resolved": None,
            "status": "processing",
            "channel": "online",
        },
        {
            "dossier_code": "T-0101",
            "procedure": "Thủ tục B",
            "unit": f"{district.kind} {district.name}",
            "received_at": "01/04/2026",
            "due_at": "03/04/2026",
            "resolved_at": "02/04/2026 15:00",
            "status": "Đã giải quyết",
            "channel": "Trực tiếp",
        },
    ]
    assert imported(json.dumps(items)).created == 2
    assert imported(json.dumps({"items": items}), format="json").unchanged == 2
    assert Dossier.objects.get(code="T-0101").resolved_at == datetime(2026, 4, 2, 8, 0, tzinfo=UTC)


def test_reimporting_the_same_file_changes_nothing(district, commune):
    data = three_rows(district, commune)
    imported(data)
    before = list(Dossier.objects.filter(code__startswith="T-").order_by("code").values())
    result = imported(data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Dossier.objects.filter(code__startswith="T-").order_by("code").values()) == before


def test_one_dossier_resolved_later_is_updated_alone(district, commune):
    imported(three_rows(district, commune))
    later = (
        three_rows(district, commune)
        .decode()
        .replace(",,Đang xử lý,Trực tuyến", ",24/03/2026 16:00,Đã giải quyết,Trực tuyến")
    )
    new_row = f"T-0004,Chứng thực bản sao,{commune.code},20/03/2026,22/03/2026,,Đang xử lý,Trực tiếp\n"
    result = imported(later + new_row)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    one = Dossier.objects.get(code="T-0001")
    assert one.status == "resolved" and one.resolved_at == datetime(2026, 3, 24, 9, 0, tzinfo=UTC)


def test_one_bad_row_stores_nothing_and_is_named(district, commune):
    data = three_rows(district, commune).decode().replace("16/03/2026,17/03/2026,", "16/03/2026,31/02/2026,")
    with pytest.raises(BadRequest) as excinfo:
        imported(data)
    assert problems_of(excinfo) == [
        "line 3, Hạn giải quyết: '31/02/2026' is not a date (dd/mm/yyyy [HH:MM[:SS]] or ISO 8601)"
    ]
    assert "1 bad row, nothing was stored" in excinfo.value.description
    assert not Dossier.objects.filter(code__startswith="T-").exists()


def test_every_bad_row_is_listed(district):
    ok = f"{district.code},01/04/2026,05/04/2026,,Đang xử lý,Trực tuyến"
    data = vi_csv(
        f"T-0201,Thủ tục C,{ok}",
        f"T-0202,Thủ tục C,{district.code},hôm qua,05/04/2026,,Đang xử lý,Trực tuyến",
        f"T-0203,Thủ tục C,{district.code},01/04/2026,05/04/2026,,Chờ xử lý gấp,Fax",
        f"T-0201,Thủ tục C,{ok}",
        f",Thủ tục C,{ok}",
        f"T-0206,Thủ tục C,{district.code},05/04/2026,01/04/2026,,Đang xử lý,Trực tuyến",
        f"T-0207,Thủ tục C,{district.code},01/04/2026,05/04/2026,,Đã giải quyết,Trực tuyến",
    )
    with pytest.raises(BadRequest) as excinfo:
        imported(data)
    assert problems_of(excinfo) == [
        "line 3, Ngày tiếp nhận: 'hôm qua' is not a date (dd/mm/yyyy [HH:MM[:SS]] or ISO 8601)",
        "line 4, Trạng thái: unknown status 'Chờ xử lý gấp' (Đang xử lý, Đã giải quyết, Đã trả kết quả, "
        "Trả lại, Bổ sung or processing, resolved, returned)",
        "line 4, Kênh: unknown channel 'Fax' (Trực tuyến, Trực tiếp, Bưu chính or online, offline)",
        "line 5, Mã hồ sơ: dossier 'T-0201' is already on line 2",
        "line 6, Mã hồ sơ: missing",
        "line 7, Hạn giải quyết: falls before the received date",
        "line 8, Ngày giải quyết: missing for a resolved dossier",
    ]
    assert not Dossier.objects.filter(code__startswith="T-").exists()


def test_unknown_ambiguous_and_centreless_units_are_refused():
    row = "01/04/2026,05/04/2026,,Đang xử lý,Trực tuyến"
    with pytest.raises(BadRequest) as excinfo:
        imported(
            vi_csv(
                f"T-0301,Thủ tục D,Xã Không Có,{row}", f"T-0302,Thủ tục D,Tân Thành,{row}", f"T-0303,Thủ tục D,70,{row}"
            )
        )
    unknown, ambiguous, province = problems_of(excinfo)
    assert unknown == "line 2, Đơn vị tiếp nhận: unknown unit 'Xã Không Có' (neither a unit code nor a unit name)"
    assert ambiguous.startswith("line 3, Đơn vị tiếp nhận: 'Tân Thành' names several units (")
    assert ambiguous.endswith("); give the code")
    assert (
        province == "line 4, Đơn vị tiếp nhận: Tỉnh Bình Phước (70) has no one-stop service centre to receive dossiers"
    )


def test_bom_and_semicolons(district, commune):
    data = (
        b"\xef\xbb\xbf"
        + three_rows(district, commune)
        .decode()
        .replace(",", ";")
        .replace('"Đăng ký khai sinh; kết hợp"', '"Đăng ký khai sinh, kết hợp"')
        .encode()
    )
    assert imported(data).created == 3
    assert Dossier.objects.get(code="T-0002").procedure == "Đăng ký khai sinh, kết hợp"


def test_missing_columns_and_bad_json_refuse_the_file():
    with pytest.raises(BadRequest) as excinfo:
        imported(vi_csv(header="Mã hồ sơ,Thủ tục,Ngày tiếp nhận,Trạng thái,Kênh"))
    assert problems_of(excinfo) == [
        "line 1, Đơn vị tiếp nhận: no column for unit (heading 'Đơn vị tiếp nhận' or 'unit')",
        "line 1, Hạn giải quyết: no column for due (heading 'Hạn giải quyết' or 'due')",
    ]
    with pytest.raises(BadRequest, match="the file cannot be imported.*not valid JSON"):
        imported('[{"code": "T-1",', format="json")
    with pytest.raises(BadRequest, match=r"item 1, unit: missing"):
        imported(
            json.dumps(
                [
                    {
                        "code": "T-0401",
                        "procedure": "P",
                        "received": "01/04/2026",
                        "due": "02/04/2026",
                        "status": "processing",
                        "channel": "online",
                    }
                ]
            )
        )


def test_command_prints_the_counts(tmp_path, district, commune):
    path = tmp_path / "dossiers.csv"
    path.write_bytes(three_rows(district, commune))
    out = io.StringIO()
    call_command("import_dossiers", str(path), stdout=out)
    assert out.getvalue() == "dossiers: 3 created, 0 updated, 0 unchanged\n"
    out = io.StringIO()
    json_path = tmp_path / "export.txt"
    json_path.write_text(
        json.dumps(
            [
                {
                    "code": "T-0001",
                    "procedure": "Cấp giấy phép xây dựng",
                    "unit": "694",
                    "received": "15/03/2026 08:30",
                    "due": "25/03/2026 17:00",
                    "status": "processing",
                    "channel": "online",
                }
            ]
        )
    )
    call_command("import_dossiers", str(json_path), "--format", "json", stdout=out)
    assert out.getvalue() == "dossiers: 0 created, 0 updated, 1 unchanged\n"


def test_command_on_a_bad_file_names_each_row_and_stores_nothing(tmp_path, district):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        vi_csv(
            f"T-0501,Thủ tục E,{district.code},01/04/2026,05/04/2026,,Đang xử lý,Trực tuyến",
            "T-0502,Thủ tục E,999999,01/04/2026,05/04/2026,,Đang xử lý,Trực tuyến",
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"Import failed, nothing was written: 1 bad row \(bad.csv\)"):
        call_command("import_dossiers", str(path), stderr=err)
    assert err.getvalue() == "line 3, Đơn vị tiếp nhận: unknown unit '999999' (neither a unit code nor a unit name)\n"
    assert not Dossier.objects.filter(code__startswith="T-").exists()


def test_command_exit_code_and_stderr_without_a_traceback(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(vi_csv("T-0601,Thủ tục F,Nowhere,01/04/2026,05/04/2026,,Đang xử lý,Trực tuyến"))
    env = {**os.environ, "IOC_DB_NAME": connection.settings_dict["NAME"]}
    run = subprocess.run(
        [sys.executable, "manage.py", "import_dossiers", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert "line 2, Đơn vị tiếp nhận: unknown unit 'Nowhere'" in run.stderr
    assert "CommandError: Import failed, nothing was written: 1 bad row (bad.csv)" in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
