"""The push API of department data (/api/datasets/…) described for the OpenAPI document at
/ogc/openapi: paths, parameters, bodies, the error shape and the token scheme. It names no
layer and no data set, so every audience gets the same description. The paths sit at the site's
root, beside /ogc, so each path item carries its own `servers`."""

from __future__ import annotations

import copy

from django.conf import settings
from django.utils.translation import gettext as _

TAG = "intake"
ERROR = "#/components/schemas/IntakeError"
SECURITY = [{"IntakeToken": []}, {"IntakeSession": []}]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _schemas() -> dict:
    text, number, boolean = {"type": "string"}, {"type": "number"}, {"type": "boolean"}
    maybe_text = {"type": "string", "nullable": True}
    moment = {"type": "string", "format": "date-time", "nullable": True}
    element = {"type": "object", "properties": {
        "code": text, "name_vi": text, "name_en": text,
        "value_type": {"type": "string", "enum": ["integer", "number", "percent"]},
        "unit": text, "min": {"type": "number", "nullable": True}, "max": {"type": "number", "nullable": True},
        "required": boolean}}
    dataset = {"type": "object", "required": ["code", "title_vi", "department", "period_type", "elements"],
               "properties": {
                   "code": text, "title_vi": text, "title_en": text, "domain": text,
                   "department": {"type": "object", "properties": {"code": text, "name": text, "name_en": text}},
                   "period_type": {"type": "string",
                                   "enum": ["weekly", "monthly", "quarterly", "school_year", "yearly"]},
                   "due_days": {"type": "integer"}, "org_unit_kind": text,
                   "org_unit_label_vi": text, "org_unit_label_en": text,
                   "units_in_scope": {"type": "integer"},
                   "open_period": {"type": "string", "description": _("Kỳ đang diễn ra (chứa ngày hôm nay)")},
                   "last_due_period": {"type": "string", "description": _("Kỳ gần nhất đã quá hạn nộp")},
                   "elements": {"type": "array", "items": element},
                   "rules": {"type": "array", "items": {"type": "object"}}}}
    detail = {"allOf": [_ref("IntakeDataSet"), {"type": "object", "properties": {"units": {
        "type": "array", "items": {"type": "object", "properties": {"code": text, "name": text, "district": text}}}}}]}
    value_in = {"type": "object", "required": ["unit", "element", "value"], "additionalProperties": False,
                "properties": {
                    "unit": {"type": "string", "example": "689", "description": _("Mã đơn vị báo cáo")},
                    "element": {"type": "string", "example": "budget_revenue_pct", "description": _("Mã chỉ tiêu")},
                    "value": {"oneOf": [number, text], "nullable": True, "example": 97.2,
                              "description": _("Số, hoặc chữ số kiểu Việt Nam như “1.250.000” hay “92,8”")},
                    "period": {"type": "string", "example": "2026-11",
                               "description": _("Kỳ riêng của giá trị này (nếu khác kỳ chung)")}}}
    push = {"type": "object", "required": ["values"], "additionalProperties": False, "properties": {
        "period": {"type": "string", "example": "2026-11",
                   "description": _("Kỳ báo cáo: 2026W48, 2026-11, 2026Q4, 2025-2026 hoặc 2026")},
        "values": {"type": "array", "minItems": 1, "items": _ref("IntakeValueIn")},
        "submit": {"type": "boolean", "default": True, "description": _("Gửi báo cáo (false: lưu bản nháp)")},
        "confirm_outliers": {"type": "boolean", "default": False,
                             "description": _("Xác nhận các giá trị bất thường")}}}
    issue = {"type": "object", "properties": {
        "code": text, "message": text, "cell": {"type": "string", "example": "values[3]"}, "unit": text,
        "element": text, "period": text, "value": {}, "rule": text}}
    stored = {"type": "object", "properties": {
        "stored": {"type": "array", "items": {"type": "object", "properties": {
            "unit": text, "element": text, "period": text, "value": number, "status": text, "outlier": boolean}}},
        "warnings": {"type": "array", "items": _ref("IntakeValueError")},
        "skipped": {"type": "array", "items": _ref("IntakeValueError")},
        "submissions": {"type": "integer"}, "changed": {"type": "integer"}}}
    submission = {"type": "object", "properties": {
        "unit": text, "unit_name": text, "district": text, "period": text,
        "status": {"type": "string", "enum": ["draft", "submitted", "approved"]}, "channel": text,
        "submitted_at": moment, "submitted_by": maybe_text, "approved_at": moment, "approved_by": maybe_text,
        "reopened_at": moment, "reopened_by": maybe_text, "reopen_reason": text, "updated_at": moment,
        "values": {"type": "array", "items": {"type": "object", "properties": {
            "element": text, "value": number, "outlier": boolean, "outlier_confirmed": boolean, "channel": text,
            "entered_at": moment, "entered_by": maybe_text}}}}}
    period_state = {"type": "object", "properties": {
        "dataset": text, "period": text, "period_label": text, "units_in_scope": {"type": "integer"},
        "submissions": {"type": "array", "items": _ref("IntakeSubmission")},
        "missing": {"type": "array", "items": text}}}
    event = {"type": "object", "properties": {
        "event": {"type": "integer"}, "at": moment, "by": maybe_text, "channel": maybe_text, "via": maybe_text,
        "action": {"type": "string", "enum": ["insert", "update", "delete"]}, "unit": text, "unit_name": text,
        "period": text, "element": text, "before": {"type": "number", "nullable": True},
        "after": {"type": "number", "nullable": True}, "outlier": boolean, "outlier_confirmed": boolean}}
    return {
        "IntakeError": {"type": "object", "required": ["code", "description"], "properties": {
            "code": text, "description": text,
            "errors": {"oneOf": [{"type": "object", "additionalProperties": {"type": "string"}},
                                 {"type": "array", "items": _ref("IntakeValueError")}]}}},
        "IntakeValueError": issue,
        "IntakeDataSet": dataset,
        "IntakeDataSetDetail": detail,
        "IntakeValueIn": value_in,
        "IntakePush": push,
        "IntakeStored": stored,
        "IntakeSubmission": submission,
        "IntakePeriodState": period_state,
        "IntakeApprove": {"type": "object", "required": ["period"], "additionalProperties": False, "properties": {
            "period": {"type": "string", "example": "2026-11"},
            "units": {"type": "array", "items": text, "description": _("Chỉ các đơn vị này (mặc định: tất cả)")}}},
        "IntakeReopen": {"type": "object", "required": ["unit", "period", "reason"], "additionalProperties": False,
                         "properties": {"unit": text, "period": text, "reason": {"type": "string", "minLength": 5}}},
        "IntakeApproved": {"type": "object", "properties": {
            "dataset": text, "period": text, "approved": {"type": "integer"},
            "submissions": {"type": "array", "items": _ref("IntakeSubmission")}}},
        "IntakeDeleted": {"type": "object", "properties": {
            "dataset": text, "unit": text, "period": text, "deleted": boolean}},
        "IntakeHistory": {"type": "object", "properties": {
            "dataset": text, "unit": maybe_text, "period": maybe_text, "truncated": boolean,
            "events": {"type": "array", "items": event}}},
    }


def _responses() -> dict:
    words = {
        400: _("Yêu cầu sai dạng (không phải JSON, thiếu trường, kỳ sai); `errors` nêu đường dẫn của trường"),
        401: _("Chưa đăng nhập hoặc mã truy cập sai"),
        403: _("Bộ dữ liệu thuộc đơn vị khác, hoặc không đủ quyền"),
        404: _("Không có bộ dữ liệu, đơn vị hoặc báo cáo này trong phạm vi của bạn"),
        409: _("Kỳ đã được phê duyệt và khóa, hoặc báo cáo không ở trạng thái cho phép"),
        422: _("Giá trị không hợp lệ: `errors` liệt kê từng giá trị với `cell` = values[i]"),
    }
    return {f"Intake{s}": _json(w, {"$ref": ERROR}) for s, w in words.items()}


def _param(name: str, where: str, description: str, required: bool = False, **schema) -> dict:
    return {"name": name, "in": where, "required": required or where == "path", "description": description,
            "schema": {"type": "string", **schema}}


def _operation(summary: str, ok: tuple[int, str, str], errors: tuple[int, ...], parameters=(), body: str = "") -> dict:
    status, description, schema = ok
    op = {"tags": [TAG], "summary": summary, "security": SECURITY, "parameters": list(parameters),
          "responses": {str(status): _json(description, _ref(schema))}
          | {str(s): {"$ref": f"#/components/responses/Intake{s}"} for s in errors}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    return op


def _paths(root_url: str) -> dict:
    servers = [{"url": root_url or "/", "description": _("Máy chủ của cổng (ngoài /ogc)")}]
    code = _param("code", "path", _("Mã bộ dữ liệu"), example="finance_monthly")
    period_q = _param("period", "query", _("Kỳ báo cáo, ví dụ 2026-11"), required=True)
    unit_q = _param("unit", "query", _("Mã đơn vị báo cáo"))
    key = _param("Idempotency-Key", "header", _("Khóa chống gửi trùng: gửi lại cùng yêu cầu với cùng khóa "
                                                "nhận lại đúng câu trả lời cũ và không lưu gì thêm"), maxLength=100)
    read = (401, 403, 404)
    return {
        "/api/datasets/": {"servers": servers, "get": _operation(
            _("Các bộ dữ liệu bạn được cung cấp"), (200, _("Danh sách bộ dữ liệu"), "IntakeDataSetList"), (401,))},
        "/api/datasets/{code}/": {"servers": servers, "get": _operation(
            _("Một bộ dữ liệu và các đơn vị báo cáo của bạn"), (200, _("Bộ dữ liệu"), "IntakeDataSetDetail"),
            read, [code])},
        "/api/datasets/{code}/values": {"servers": servers, "get": _operation(
            _("Số liệu đã lưu và trạng thái báo cáo của một kỳ"), (200, _("Số liệu của kỳ"), "IntakePeriodState"),
            (400, *read), [code, period_q, unit_q]),
            "post": _operation(
                _("Gửi số liệu (cùng kiểm tra như biểu mẫu và bảng tính)"),
                (201, _("Đã lưu; `warnings` nêu các giá trị bất thường"), "IntakeStored"),
                (400, *read, 409, 422), [code, key], body="IntakePush")},
        "/api/datasets/{code}/approve": {"servers": servers, "post": _operation(
            _("Phê duyệt và khóa các báo cáo đã gửi của một kỳ (lãnh đạo đơn vị)"),
            (200, _("Đã phê duyệt"), "IntakeApproved"), (400, *read, 409), [code], body="IntakeApprove")},
        "/api/datasets/{code}/reopen": {"servers": servers, "post": _operation(
            _("Mở lại một báo cáo đã phê duyệt, có lý do (quản trị viên)"),
            (200, _("Báo cáo đã mở lại"), "IntakeSubmission"), (400, *read, 409), [code], body="IntakeReopen")},
        "/api/datasets/{code}/submissions/{unit}/{period}": {"servers": servers, "delete": _operation(
            _("Xóa một báo cáo và gỡ số liệu của nó khỏi bản đồ (lãnh đạo đơn vị hoặc quản trị viên)"),
            (200, _("Đã xóa"), "IntakeDeleted"), (400, *read, 409),
            [code, _param("unit", "path", _("Mã đơn vị báo cáo")), _param("period", "path", _("Kỳ báo cáo"))])},
        "/api/datasets/{code}/template": {"servers": servers, "get": _template(code)},
        "/api/datasets/{code}/upload": {"servers": servers, "post": _upload(code)},
        "/api/datasets/{code}/history": {"servers": servers, "get": _operation(
            _("Lịch sử mọi phiên bản của số liệu: ai, lúc nào, qua kênh nào, trước và sau"),
            (200, _("Lịch sử, mới nhất trước"), "IntakeHistory"), (400, *read),
            [code, unit_q, _param("period", "query", _("Kỳ báo cáo")),
             {"name": "limit", "in": "query", "required": False, "description": _("Số sự kiện tối đa"),
              "schema": {"type": "integer", "minimum": 1, "maximum": 5000, "default": 500}}])},
    }


def _template(code: dict) -> dict:
    """The spreadsheet template: a file, not JSON."""
    op = _operation(_("Biểu mẫu bảng tính của một kỳ: các đơn vị của bạn và các chỉ tiêu (XLSX hoặc CSV)"),
                    (200, "", "IntakeError"), (400, 401, 403, 404),
                    [code, _param("period", "query", _("Kỳ báo cáo (mặc định: kỳ gần nhất đã kết thúc)")),
                     _param("format", "query", _("Định dạng tệp"), enum=["xlsx", "csv"], default="xlsx")])
    op["responses"]["200"] = {"description": _("Tệp biểu mẫu"), "content": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "schema": {"type": "string", "format": "binary"}},
        "text/csv": {"schema": {"type": "string"}}}}
    return op


def _upload(code: dict) -> dict:
    """A filled template (or the long form period, orgunit, dataelement, value) uploaded."""
    op = _operation(_("Tải lên bảng tính đã điền (cùng kiểm tra như biểu mẫu và API); mỗi lỗi nêu ô, ví dụ B14"),
                    (201, _("Đã lưu; `report` nêu từng dòng"), "IntakeStored"), (400, 401, 403, 404, 409, 422),
                    [code])
    flag = {"type": "string", "enum": ["0", "1"]}
    op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": _("Tệp XLSX hoặc CSV, tối đa 20 MB")},
            "period": {"type": "string", "description": _("Kỳ báo cáo (mặc định: kỳ ghi trong tệp)")},
            "submit": {**flag, "default": "1"}, "keep_valid": {**flag, "default": "0"},
            "confirm_outliers": {**flag, "default": "0"}}}}}}
    return op


def intake_openapi(root_url: str) -> dict:
    """The push API's part of the OpenAPI document: paths, components and its tag."""
    schemas = _schemas()
    schemas["IntakeDataSetList"] = {"type": "object", "properties": {
        "datasets": {"type": "array", "items": _ref("IntakeDataSet")}}}
    return {
        "tags": [{"name": TAG, "description": _(
            "Các sở, ngành gửi số liệu của mình: bộ dữ liệu, giá trị, phê duyệt, lịch sử. Xác thực bằng "
            "`Authorization: Token <mã>` (tạo ở /accounts/tokens/) hoặc phiên đăng nhập (kèm CSRF).")}],
        "paths": _paths(root_url),
        "components": {
            "schemas": schemas,
            "responses": _responses(),
            "securitySchemes": {
                "IntakeToken": {"type": "http", "scheme": "bearer", "description": _(
                    "Mã truy cập API cá nhân; gửi `Authorization: Token <mã>` hoặc `Bearer <mã>`")},
                "IntakeSession": {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                                  "description": _("Phiên đăng nhập của cổng (ghi dữ liệu cần mã CSRF)")},
            },
        },
    }


def with_intake_api(doc: dict, root_url: str) -> dict:
    """The OpenAPI document `doc` with the push API merged in (a new dict; `doc` is left alone)."""
    out = copy.copy(doc)
    part = intake_openapi(root_url)
    out["tags"] = [*doc.get("tags", []), *part["tags"]]
    out["paths"] = {**doc.get("paths", {}), **part["paths"]}
    components = {k: dict(v) for k, v in doc.get("components", {}).items()}
    for section, defs in part["components"].items():
        components.setdefault(section, {}).update(defs)
    out["components"] = components
    return out
