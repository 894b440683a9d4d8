"""Spreadsheets for department data: a template per data set and period (XLSX or CSV; the
units in the officer's scope, the elements, and the values already stored), and the upload
that reads a sheet back (the template's grid, or the long form department systems export:
period, unit, element, value) into the one validation and store of every channel."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from gis_server.context import page_language
from gis_server.errors import ApiError, BadRequest, InvalidValues
from layers.models import IntakeLog
from operations.dashboard import number_text
from operations.intake.catalogue import DATASETS
from operations.intake.orgunits import OrgUnit, normalise_code, org_units
from operations.intake.periods import parse_period, period_code, period_end, period_label, period_start, previous_period
from operations.intake.scopes import require_supplier
from operations.intake.services import LOGGED_ERRORS, stored_values, values_check, values_store
from operations.intake.spec import DataSet, Element
from operations.intake.validation import RawValue

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000  # rows with content
HEADER_SCAN = 20  # the heading row must be among the first rows with content
DATA_SHEET = "Số liệu"
GUIDE_SHEET = "Hướng dẫn"
META_SHEET = "_meta"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# the headings a sheet may use for its fixed columns (codes, English, Vietnamese)
UNIT_KEYS = {"unit_code", "unit", "unit code", "orgunit", "org_unit", "organisationunit", "ou", "mã đơn vị", "ma_don_vi"}
ELEMENT_KEYS = {"element", "dataelement", "data_element", "element_code", "de", "chỉ tiêu", "mã chỉ tiêu"}
VALUE_KEYS = {"value", "giá trị"}
PERIOD_KEYS = {"period", "pe", "kỳ", "kỳ báo cáo"}
DATASET_KEYS = {"dataset", "data_set", "bộ dữ liệu"}


# ------------------------------------------------------------------------------ template
@dataclass(frozen=True)
class SheetFile:
    filename: str
    content_type: str
    content: bytes


def default_period(ds: DataSet, today: date | None = None) -> date:
    """The latest finished period (the one being reported now)."""
    return previous_period(ds.period_type, period_start(ds.period_type, today or date.today()))


def template_build(*, ds: DataSet, user, period: str | None, fmt: str = "xlsx") -> SheetFile:
    """The data set's template for a period: one row per unit in the user's scope, one column per
    element, pre-filled with the values already stored (a re-download shows what is there)."""
    districts = require_supplier(user, ds)
    if fmt not in ("xlsx", "csv"):
        raise BadRequest(_("Định dạng “%(fmt)s” không được hỗ trợ; chọn xlsx hoặc csv.") % {"fmt": fmt})
    start = parse_period(ds.period_type, period) if period else default_period(ds)
    units = org_units(ds, districts)
    stored = stored_values(ds, {(u.id, start) for u in units})
    rows = [(u, stored.get((u.id, start), {})) for u in units]
    name = f"{ds.code}_{period_code(ds.period_type, start)}.{fmt}"
    if fmt == "csv":
        return SheetFile(name, CSV_TYPE, _template_csv(ds, start, rows))
    return SheetFile(name, XLSX_TYPE, _template_xlsx(ds, start, rows))


def _name(e: Element) -> str:
    return e.name_en if page_language() == "en" else e.name_vi


def _heading(e: Element) -> str:
    return f"{_name(e)} ({e.unit})" if e.unit else _name(e)


def _fixed_headings() -> list[str]:
    return [_("Mã đơn vị"), _("Tên đơn vị"), _("Huyện")]


def _plain(v: float) -> str:
    """A bound as Excel's formulas write it (no exponent, a dot for decimals)."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _csv_number(v: float) -> str:
    """A stored value as a Vietnamese officer types it (92,8; no grouping, so it reads back)."""
    return str(int(v)) if float(v).is_integer() else repr(float(v)).replace(".", ",")


def _template_csv(ds: DataSet, start: date, rows: list[tuple[OrgUnit, dict]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    code = period_code(ds.period_type, start)
    w.writerow(["unit_code", "unit_name", "district", *(e.code for e in ds.elements), "period", "dataset"])
    w.writerow([*_fixed_headings(), *(_heading(e) for e in ds.elements), _("Kỳ báo cáo"), _("Bộ dữ liệu")])
    for unit, values in rows:
        cells = ["" if values.get(e.code) is None else _csv_number(values[e.code]) for e in ds.elements]
        w.writerow([unit.code, unit.name, unit.district, *cells, code, ds.code])
    return out.getvalue().encode("utf-8-sig")  # the BOM: Excel then reads UTF-8


def _range_text(e: Element) -> str:
    lo = "" if e.min is None else number_text(e.min, 2)
    hi = "" if e.max is None else number_text(e.max, 2)
    return f"{lo}–{hi}" if lo and hi else (f"≥ {lo}" if lo else (f"≤ {hi}" if hi else ""))


def _validation(e: Element, ref: str):
    """An Excel data validation for one element column: its type and allowed range."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if e.min is None and e.max is None:
        return None
    kind = "whole" if e.value_type == "integer" else "decimal"
    if e.min is not None and e.max is not None:
        operator, f1, f2 = "between", _plain(e.min), _plain(e.max)
    elif e.min is not None:
        operator, f1, f2 = "greaterThanOrEqual", _plain(e.min), None
    else:
        operator, f1, f2 = "lessThanOrEqual", _plain(e.max), None
    what = _("số nguyên") if kind == "whole" else _("số")
    text = _("“%(name)s”: nhập %(what)s trong khoảng %(range)s %(unit)s.") % {
        "name": _name(e), "what": what, "range": _range_text(e), "unit": e.unit}
    dv = DataValidation(type=kind, operator=operator, formula1=f1, formula2=f2, allow_blank=True,
                        showErrorMessage=True, errorTitle=_("Giá trị không hợp lệ")[:32], error=text[:255],
                        showInputMessage=True, promptTitle=_name(e)[:32], prompt=text[:255])
    dv.add(ref)
    return dv


def _template_xlsx(ds: DataSet, start: date, rows: list[tuple[OrgUnit, dict]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ncols = 3 + len(ds.elements)
    code = period_code(ds.period_type, start)
    ws.cell(1, 1, f"{ds.title(page_language())} — {period_label(ds.period_type, start)}").font = Font(bold=True,
                                                                                                      size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    for col, value in enumerate(["unit_code", "unit_name", "district", *(e.code for e in ds.elements)], 1):
        ws.cell(2, col, value)  # the codes the upload reads back, whatever the headings say
    ws.row_dimensions[2].hidden = True
    fill = PatternFill("solid", fgColor="DDE7F0")
    for col, value in enumerate([*_fixed_headings(), *(_heading(e) for e in ds.elements)], 1):
        c = ws.cell(3, col, value)
        c.font, c.fill = Font(bold=True), fill
        c.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[3].height = 32
    for r, (unit, values) in enumerate(rows, 4):
        ws.cell(r, 1, unit.code).number_format = "@"  # a code stays text ("25216", not 25.216)
        ws.cell(r, 2, unit.name)
        ws.cell(r, 3, unit.district)
        for col, e in enumerate(ds.elements, 4):
            c = ws.cell(r, col, values.get(e.code))
            c.number_format = "#,##0" if e.value_type == "integer" else "#,##0.0#"
    last = max(4, 3 + len(rows))
    for col, e in enumerate(ds.elements, 4):
        letter = get_column_letter(col)
        dv = _validation(e, f"{letter}4:{letter}{last}")
        if dv is not None:
            ws.add_data_validation(dv)
        ws.column_dimensions[letter].width = min(40, max(14, len(_heading(e)) * 0.9))
    for letter, width in (("A", 12), ("B", 32), ("C", 22)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "D4"
    _guide_sheet(wb.create_sheet(GUIDE_SHEET), ds, start)
    meta = wb.create_sheet(META_SHEET)
    for row in (("dataset", ds.code), ("period", code), ("period_type", ds.period_type), ("layout", "grid"),
                ("header_row", 2), ("version", 1)):
        meta.append(row)
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _guide_sheet(ws, ds: DataSet, start: date) -> None:
    from openpyxl.styles import Font

    due = period_end(ds.period_type, start) + timedelta(days=ds.due_days)
    lines = [
        (_("Hướng dẫn nhập số liệu"), True),
        (_("Bộ dữ liệu: %(title)s (mã %(code)s); kỳ báo cáo: %(period)s (mã %(pcode)s); hạn nộp: %(due)s.")
         % {"title": ds.title(page_language()), "code": ds.code, "period": period_label(ds.period_type, start),
            "pcode": period_code(ds.period_type, start), "due": f"{due:%d/%m/%Y}"}, False),
        (_("1. Nhập số liệu ở trang “%(sheet)s”: mỗi dòng một đơn vị, mỗi cột một chỉ tiêu. Không sửa cột mã "
           "đơn vị, các dòng tiêu đề và trang ẩn “_meta”.") % {"sheet": DATA_SHEET}, False),
        (_("2. Ô để trống được bỏ qua; số liệu đã lưu trước đó được điền sẵn, sửa ô nào thì gửi lại ô đó."), False),
        (_("3. Số viết kiểu Việt Nam (1.250.000; 92,8) hoặc số của Excel đều được."), False),
        (_("4. Khi gửi, mỗi đơn vị đã có số liệu phải đủ các chỉ tiêu bắt buộc."), False),
        (_("5. Tải tệp lên ở trang Nhập số liệu. Nếu có lỗi, hệ thống báo từng ô (ví dụ B14) và không lưu gì, "
           "trừ khi bạn chọn giữ lại các giá trị hợp lệ."), False),
        (_("6. Giá trị khác thường so với các kỳ trước vẫn được lưu và được đánh dấu để xác nhận."), False),
        ("", False),
    ]
    for text, bold in lines:
        ws.append([text])
        ws.cell(ws.max_row, 1).font = Font(bold=bold, size=13 if bold else 11)
    ws.append([_("Mã chỉ tiêu"), _("Tên chỉ tiêu"), _("Đơn vị tính"), _("Kiểu"), _("Khoảng cho phép"),
               _("Bắt buộc")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    kinds = {"integer": _("số nguyên"), "number": _("số"), "percent": _("phần trăm")}
    for e in ds.elements:
        ws.append([e.code, _name(e), e.unit, kinds.get(e.value_type, e.value_type), _range_text(e),
                   _("có") if e.required else _("không")])
    if ds.rules:
        ws.append([])
        ws.append([_("Quy tắc kiểm tra")])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for rule in ds.rules:
            ws.append([rule.message_en if page_language() == "en" else rule.message_vi])
    for letter, width in (("A", 24), ("B", 40), ("C", 14), ("D", 12), ("E", 18), ("F", 10)):
        ws.column_dimensions[letter].width = width


# ------------------------------------------------------------------------------ reading
@dataclass
class Sheet:
    """What a file holds for one data set: the values with their cells, the problems found while
    reading (a bad period, a missing unit code), and the rows they came from."""

    raws: list[RawValue] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    rows: dict[int, str] = field(default_factory=dict)  # row number -> unit code as written
    layout: str = ""
    kind: str = ""
    elements: set[str] = field(default_factory=set)  # the long form's element codes, as written


def _key(value) -> str:
    """A heading as compared: NFC, case-folded, single spaces, without a required-mark."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).casefold().replace("*", " ").split())


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _letter(col: int, cache: dict[int, str]) -> str:
    got = cache.get(col)
    if got is None:
        from openpyxl.utils import get_column_letter

        got = cache[col] = get_column_letter(col + 1)
    return got


def _rows_xlsx(data: bytes) -> tuple[dict[str, str], Iterator[tuple[int, tuple]]]:
    """The file's metadata (from the template's hidden sheet) and its data sheet's rows."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        meta = {}
        if META_SHEET in wb.sheetnames:
            for row in wb[META_SHEET].iter_rows(max_col=2, values_only=True):
                if row and row[0] is not None:
                    meta[str(row[0]).strip()] = "" if row[1] is None else str(row[1]).strip()
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
    except Exception as exc:  # a corrupt or foreign file: openpyxl raises many kinds
        raise BadRequest(_("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không đúng định dạng.")) from exc

    def rows():
        try:
            for n, row in enumerate(ws.iter_rows(values_only=True), 1):
                yield n, row
        except ApiError:
            raise
        except Exception as exc:
            raise BadRequest(_("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không đúng định dạng.")) from exc
        finally:
            wb.close()

    return meta, rows()


def _rows_csv(data: bytes) -> tuple[dict[str, str], Iterator[tuple[int, tuple]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")  # Vietnamese Windows, as older Excel saves CSV
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count)  # Excel in a Vietnamese locale saves with ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        try:
            for n, row in enumerate(reader, 1):
                yield n, tuple(row)
        except csv.Error as exc:
            raise BadRequest(_("Tệp CSV không đọc được: %(error)s.") % {"error": exc}) from exc

    return {}, rows()


def _file_kind(data: bytes, name: str) -> str:
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadRequest(_("Tệp Excel 97–2003 (.xls) không được hỗ trợ; hãy lưu lại dạng .xlsx hoặc .csv."))
    if not data.strip():
        raise BadRequest(_("Tệp rỗng."))
    if b"\x00" in data[:8192]:
        raise BadRequest(_("Tệp “%(name)s” không phải bảng tính XLSX hoặc CSV.") % {"name": name})
    return "csv"


@dataclass
class _Layout:
    kind: str  # grid or long
    unit: int
    elements: dict[int, str] = field(default_factory=dict)  # grid: column -> element code
    element: int = -1  # long form
    value: int = -1
    period: int = -1
    dataset: int = -1


def _element_keys(ds: DataSet) -> dict[str, str]:
    keys = {}
    for e in ds.elements:
        for text in (e.code, e.name_vi, e.name_en, f"{e.name_vi} ({e.unit})", f"{e.name_en} ({e.unit})"):
            keys[_key(text)] = e.code
    return keys


def _layout(ds: DataSet, cells: tuple) -> _Layout | None:
    """The heading row's layout, or None when the row is not a heading row."""
    keys = [_key(c) for c in cells]
    found = {}
    for i, k in enumerate(keys):
        for name, group in (("unit", UNIT_KEYS), ("element", ELEMENT_KEYS), ("value", VALUE_KEYS),
                            ("period", PERIOD_KEYS), ("dataset", DATASET_KEYS)):
            if k in group and name not in found:
                found[name] = i
    if "unit" not in found:
        return None
    extra = {k: found[k] for k in ("period", "dataset") if k in found}
    if "element" in found and "value" in found:
        return _Layout("long", found["unit"], element=found["element"], value=found["value"], **extra)
    mine = _element_keys(ds)
    elements = {i: mine[k] for i, k in enumerate(keys) if k in mine}
    if not elements:
        _refuse_other_dataset(ds, keys)
        raise BadRequest(_("Dòng tiêu đề không có cột chỉ tiêu nào của bộ dữ liệu “%(title)s” (%(codes)s).")
                         % {"title": ds.title(page_language()), "codes": ", ".join(ds.element_by_code)})
    return _Layout("grid", found["unit"], elements=elements, **extra)


def _refuse_other_dataset(ds: DataSet, keys: list[str]) -> None:
    for other in DATASETS.values():
        if other.code != ds.code and set(_element_keys(other)) & set(keys):
            _wrong_dataset(ds, other.code)


def _wrong_dataset(ds: DataSet, code: str) -> None:
    other = DATASETS.get(code)
    lang = page_language()
    raise BadRequest(
        _("Tệp này dành cho bộ dữ liệu “%(file)s” (%(file_code)s), không phải “%(this)s” (%(code)s).")
        % {"file": other.title(lang) if other else code, "file_code": code, "this": ds.title(lang), "code": ds.code})


class _Periods:
    """Period texts of a file as dates (each distinct text parsed once); the chosen period, if
    any, is the only one a row may carry."""

    def __init__(self, ds: DataSet, chosen: date | None):
        self.ds, self.chosen, self.seen = ds, chosen, {}

    def of(self, text) -> date | str:
        """The period, or the problem's message."""
        if _empty(text):
            return self.chosen or _("tệp không ghi kỳ báo cáo; hãy chọn kỳ")
        if isinstance(text, datetime):
            text = text.date()
        key = text.isoformat() if isinstance(text, date) else str(text).strip()
        got = self.seen.get(key)
        if got is None:
            try:
                got = parse_period(self.ds.period_type, key)
            except BadRequest as exc:
                got = exc.description
            if isinstance(got, date) and self.chosen and got != self.chosen:
                got = _("kỳ %(row)s khác kỳ đã chọn %(chosen)s") % {
                    "row": period_code(self.ds.period_type, got),
                    "chosen": period_code(self.ds.period_type, self.chosen)}
            self.seen[key] = got
        return got


def sheet_read(*, ds: DataSet, data: bytes, name: str = "", period: str | None = None) -> Sheet:
    """The values of an XLSX or CSV file for `ds`, each with its cell ("B14"); empty cells are
    skipped. `period` (a code) is the period of the upload, else the file's."""
    kind = _file_kind(data, name)
    meta, rows = _rows_xlsx(data) if kind == "xlsx" else _rows_csv(data)
    if meta.get("dataset") and meta["dataset"] != ds.code:
        _wrong_dataset(ds, meta["dataset"])
    chosen = parse_period(ds.period_type, period) if period else None
    if meta.get("period"):
        in_file = parse_period(ds.period_type, meta["period"])
        if chosen and in_file != chosen:
            raise BadRequest(_("Tệp dành cho kỳ %(file)s, nhưng kỳ đã chọn là %(chosen)s.") % {
                "file": period_label(ds.period_type, in_file), "chosen": period_label(ds.period_type, chosen)})
        chosen = in_file
    sheet = Sheet(kind=kind)
    _read_rows(ds, sheet, rows, _Periods(ds, chosen))
    if sheet.layout == "long" and sheet.elements:
        _refuse_foreign_elements(ds, sheet.elements)
    return sheet


def _refuse_foreign_elements(ds: DataSet, codes: set[str]) -> None:
    """A long-form file none of whose elements is this data set's, but all another's."""
    if codes & set(ds.element_by_code):
        return
    for other in DATASETS.values():
        if other.code != ds.code and codes <= set(other.element_by_code):
            _wrong_dataset(ds, other.code)


def _read_rows(ds: DataSet, sheet: Sheet, rows: Iterator[tuple[int, tuple]], periods: _Periods) -> None:
    layout, seen, letters = None, 0, {}
    for n, cells in rows:
        if not any(not _empty(c) for c in cells):
            continue
        seen += 1
        if seen > MAX_ROWS:
            raise BadRequest(_("Tệp có hơn %(n)s dòng; hãy chia thành nhiều tệp.") % {"n": f"{MAX_ROWS:,}".replace(
                ",", ".")})
        if layout is None:
            layout = _layout(ds, cells)
            if layout is None and seen >= HEADER_SCAN:
                break
            if layout is not None and layout.period < 0 and periods.chosen is None:
                raise BadRequest(_("Tệp không ghi kỳ báo cáo; hãy chọn kỳ (tham số period)."))
            continue
        unit = cells[layout.unit] if layout.unit < len(cells) else None
        if _key(unit) in UNIT_KEYS:
            continue  # the template's second heading row
        if layout.dataset >= 0 and layout.dataset < len(cells) and not _empty(cells[layout.dataset]):
            if str(cells[layout.dataset]).strip() != ds.code:
                _wrong_dataset(ds, str(cells[layout.dataset]).strip())
        if layout.kind == "grid":
            _grid_row(ds, sheet, layout, n, cells, unit, periods, letters)
        else:
            _long_row(ds, sheet, layout, n, cells, unit, periods, letters)
    if layout is None:
        raise BadRequest(_("Không tìm thấy dòng tiêu đề: cần cột mã đơn vị (unit_code hoặc “Mã đơn vị”) và các "
                           "cột chỉ tiêu, hoặc các cột period, orgunit, dataelement, value."))
    sheet.layout = layout.kind


def _period_of(sheet, layout, n, cells, periods, letters) -> date | None:
    text = cells[layout.period] if 0 <= layout.period < len(cells) else None
    got = periods.of(text)
    if isinstance(got, date):
        return got
    cell = f"{_letter(layout.period, letters)}{n}" if layout.period >= 0 else f"A{n}"
    sheet.problems.append({"code": "bad_period", "cell": cell, "row": n, "period": "" if text is None else str(text),
                           "message": f"{cell}: {got}"})
    return None


def _grid_row(ds, sheet, layout, n, cells, unit, periods, letters) -> None:
    filled = [(i, code) for i, code in layout.elements.items() if i < len(cells) and not _empty(cells[i])]
    if not filled:
        return
    period = _period_of(sheet, layout, n, cells, periods, letters)
    if period is None:
        return
    if _empty(unit):
        cell = f"{_letter(layout.unit, letters)}{n}"
        sheet.problems.append({"code": "missing_unit", "cell": cell, "row": n,
                               "message": f"{cell}: " + _("thiếu mã đơn vị")})
        return
    sheet.rows[n] = normalise_code(ds, unit)
    for i, code in filled:
        sheet.raws.append(RawValue(unit, code, cells[i], period, f"{_letter(i, letters)}{n}"))


def _long_row(ds, sheet, layout, n, cells, unit, periods, letters) -> None:
    value = cells[layout.value] if layout.value < len(cells) else None
    if _empty(value):
        return
    element = cells[layout.element] if layout.element < len(cells) else None
    sheet.elements.add("" if element is None else str(element).strip())
    period = _period_of(sheet, layout, n, cells, periods, letters)
    if period is None:
        return
    sheet.rows[n] = "" if unit is None else normalise_code(ds, unit)
    sheet.raws.append(RawValue("" if unit is None else unit, "" if element is None else str(element).strip(), value,
                               period, f"{_letter(layout.value, letters)}{n}"))


# ------------------------------------------------------------------------------ upload
_ROW_OF_CELL = re.compile(r"^[A-Z]{1,3}(\d+)$")


def _with_rows(ds: DataSet, sheet: Sheet, issues: list[dict]) -> list[dict]:
    """Each issue with the row it concerns (from its cell, else its unit's first row)."""
    first_row: dict[str, int] = {}
    for n, unit in sheet.rows.items():
        first_row.setdefault(unit, n)
    for issue in issues:
        if "row" in issue:
            continue
        m = _ROW_OF_CELL.match(issue.get("cell") or "")
        issue["row"] = int(m[1]) if m else first_row.get(normalise_code(ds, issue.get("unit", "")))
    return issues


def _row_report(sheet: Sheet, skipped: list[dict], warnings: list[dict]) -> list[dict]:
    """Per row of the file that held values: ok, or the messages of its skipped values."""
    counts: dict[int, int] = defaultdict(int)
    for raw in sheet.raws:
        m = _ROW_OF_CELL.match(raw.cell)
        counts[int(m[1])] += 1
    errors, notes = defaultdict(list), defaultdict(list)
    for issue in skipped:
        errors[issue.get("row")].append(issue["message"])
    for issue in warnings:
        notes[issue.get("row")].append(issue["message"])
    out = []
    for n in sorted(set(sheet.rows) | {r for r in errors if r is not None}):
        entry = {"row": n, "unit": sheet.rows.get(n, ""), "values": counts.get(n, 0), "ok": not errors.get(n)}
        if errors.get(n):
            entry["errors"] = errors[n]
        if notes.get(n):
            entry["warnings"] = notes[n]
        out.append(entry)
    return out


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, refused when missing or over MAX_BYTES."""
    if upload is None:
        raise BadRequest(_("Hãy chọn tệp XLSX hoặc CSV để tải lên (trường “file”)."))
    if upload.size > MAX_BYTES:
        raise BadRequest(_("Tệp lớn hơn %(mb)s MB; hãy chia thành nhiều tệp.") % {"mb": MAX_BYTES // (1024 * 1024)})
    return upload.read()


def sheet_upload(*, ds: DataSet, upload, user, period: str | None = None, submit: bool = True,
                 keep_valid: bool = False, confirm_outliers: bool = False) -> dict:
    """Read an uploaded sheet and store its values (channel "upload"): all or nothing unless
    `keep_valid`; the answer is the store's result plus a report per row."""
    require_supplier(user, ds)  # 401/403 before the file is even read
    sheet = sheet_read(ds=ds, data=read_upload(upload), name=getattr(upload, "name", ""), period=period)
    if not sheet.raws and not sheet.problems:
        raise BadRequest(_("Tệp không có giá trị nào (ô trống được bỏ qua)."))
    if sheet.problems and (not keep_valid or not sheet.raws):
        found = values_check(ds=ds, raws=sheet.raws, user=user, submit=submit)[0].errors if sheet.raws else []
        issues = _with_rows(ds, sheet, sheet.problems + found)
        # refused before the store: logged here as the store logs its own refusals
        IntakeLog.objects.create(dataset=ds.code, user=user, channel="upload", accepted=False,
                                 values=len(sheet.raws), errors=issues[:LOGGED_ERRORS])
        raise InvalidValues(_("%(n)s giá trị không hợp lệ; không lưu giá trị nào.") % {"n": len(issues)}, issues)
    try:
        result = values_store(ds=ds, raws=sheet.raws, user=user, channel="upload", submit=submit,
                              confirm_outliers=confirm_outliers, keep_valid=keep_valid)
    except InvalidValues as exc:
        exc.errors = _with_rows(ds, sheet, sheet.problems + list(exc.errors))
        raise
    result.skipped = _with_rows(ds, sheet, sheet.problems + result.skipped)
    result.warnings = _with_rows(ds, sheet, result.warnings)
    body = result.as_json()
    body.update({"dataset": ds.code, "format": sheet.kind, "layout": sheet.layout, "values_read": len(sheet.raws),
                 "report": _row_report(sheet, result.skipped, result.warnings)})
    return body
