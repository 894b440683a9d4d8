"""The web entry form of department officers and heads: the data sets they supply (/intake/)
and one data set's grid of units × elements for one period (save a draft, submit, approve,
reopen)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gis_server.context import page_language
from gis_server.errors import ApiError, BadRequest, Conflict, InvalidValues, NotFound, status_of
from operations.intake.catalogue import get_dataset
from operations.intake.forms import entry_grid, grid_link, intake_overview, raws_from_form, shown_text
from operations.intake.periods import parse_period, period_code
from operations.intake.services import submission_reopen, submissions_approve, values_store


def _error_page(view):
    """An ApiError raised on these pages becomes a page of its own (403, 404, 400), not JSON."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ApiError as exc:
            status = status_of(exc)[0]
            return render(request, "frontend/intake_index.html", {"error": exc.description}, status=status)

    return wrapped


@login_required
@require_http_methods(["GET"])
def intake_index(request):
    """The data sets this user may supply, by department, with their recent periods."""
    return render(request, "frontend/intake_index.html", {"groups": intake_overview(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
@_error_page
def intake_entry(request, code: str, period: str):
    """The entry grid of one data set and period; a POST saves, submits, approves or reopens."""
    ds = get_dataset(code)
    start = parse_period(ds.period_type, period)
    if period != period_code(ds.period_type, start):
        return redirect(grid_link(ds, start))
    if request.method == "POST":
        return _post(request, ds, start)
    return _grid_page(request, entry_grid(ds=ds, period=start, user=request.user))


def _labels() -> dict:
    """The words intake.js writes (its checks as one types, the upload's report)."""
    return {
        "lang": page_language(),
        "not_number": _("không phải là số"), "not_integer": _("phải là số nguyên"),
        "above": _("vượt mức tối đa %(max)s"), "below": _("thấp hơn mức tối thiểu %(min)s"),
        "sending": _("Đang tải lên và kiểm tra…"), "stored": _("Đã lưu %(n)s giá trị từ tệp."),
        "skipped": _("Bỏ qua %(n)s giá trị không hợp lệ:"), "warnings": _("Giá trị khác thường cần xác nhận:"),
        "refused": _("Tệp chưa hợp lệ; không lưu giá trị nào."), "failed": _("Không tải lên được (lỗi %(status)s)."),
        "network": _("Không kết nối được máy chủ; hãy thử lại."), "reload": _("Xem các giá trị vừa lưu"),
        "choose": _("Hãy chọn một tệp .xlsx hoặc .csv."), "none": _("Chưa chọn tệp"),
    }


def _grid_page(request, grid, status: int = 200, summary: str = ""):
    context = {"grid": grid, "summary": summary, "labels": _labels()}
    return render(request, "frontend/intake_entry.html", context, status=status)


def _see_other(ds, start):
    response = redirect(grid_link(ds, start))
    response.status_code = 303  # after a POST, the browser GETs the grid again
    return response


def _post(request, ds, start):
    post, user = request.POST, request.user
    if "approve" not in post and "reopen" not in post:
        return _save(request, ds, start)
    try:
        if "approve" in post:
            n = submissions_approve(ds=ds, period=start, user=user)
            messages.success(request, _("Đã phê duyệt %(n)s báo cáo.") % {"n": shown_text(n)})
        else:
            unit = post["reopen"]
            submission_reopen(ds=ds, unit=unit, period=start, user=user, reason=post.get(f"reason|{unit}", ""))
            messages.success(request, _("Đã mở lại báo cáo của đơn vị %(unit)s.") % {"unit": unit})
    except (BadRequest, Conflict, NotFound) as exc:  # a Forbidden is the page's own 403
        messages.error(request, exc.description)
    return _see_other(ds, start)


def _save(request, ds, start):
    """Store the grid (a draft or submitted); refused, the grid again with each problem beside its input."""
    post, user, submit = request.POST, request.user, request.POST.get("submit") == "true"
    raws, typed = raws_from_form(ds=ds, period=start, user=user, data=post)
    try:
        result = values_store(ds=ds, raws=raws, user=user, channel="form", submit=submit,
                              confirm_outliers=post.get("confirm_outliers") == "on")
    except (BadRequest, Conflict, InvalidValues) as exc:
        errors = exc.errors if isinstance(exc, InvalidValues) else [{"message": exc.description}]
        grid = entry_grid(ds=ds, period=start, user=user, typed=typed, errors=errors)
        return _grid_page(request, grid, status_of(exc)[0], exc.description if isinstance(exc, InvalidValues) else "")
    done = _("Đã gửi báo cáo: %(n)s giá trị.") if submit else _("Đã lưu %(n)s giá trị.")
    messages.success(request, done % {"n": shown_text(len(result.stored))})
    for warning in result.warnings:
        messages.warning(request, warning["message"])
    return _see_other(ds, start)


urlpatterns = [
    path("intake/", intake_index, name="intake"),
    path("intake/<str:code>/<str:period>/", intake_entry, name="intake-entry"),
]
