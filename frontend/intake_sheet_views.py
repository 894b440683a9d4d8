"""Spreadsheets for department data: download a data set's template for a period (XLSX or CSV)
and upload it filled in (or the long form a department system exports). The intake pages
link to the first and post their form (session and CSRF token) to the second; API clients
use a token."""

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gis_server.errors import BadRequest, Unauthorized
from operations.intake.catalogue import get_dataset
from operations.intake.spreadsheet import sheet_upload, template_build

TRUE, FALSE = ("1", "true", "on", "yes"), ("0", "false", "off", "no", "")


def _signed_in(request) -> None:
    if not request.user.is_authenticated:
        raise Unauthorized(_("Hãy đăng nhập để cung cấp dữ liệu."))


def _flag(request, name: str, default: bool) -> bool:
    raw = request.POST.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in TRUE + FALSE:
        return raw.strip().lower() in TRUE
    raise BadRequest(_("Tham số “%(name)s” phải là 1 hoặc 0.") % {"name": name})


@require_GET
def dataset_template(request, code: str):
    _signed_in(request)
    sheet = template_build(ds=get_dataset(code), user=request.user, period=request.GET.get("period") or None,
                           fmt=request.GET.get("format") or "xlsx")
    response = HttpResponse(sheet.content, content_type=sheet.content_type)
    response["Content-Disposition"] = f'attachment; filename="{sheet.filename}"'
    response["Cache-Control"] = "no-store"  # it carries the values stored a moment ago
    return response


@require_POST
def dataset_upload(request, code: str):
    _signed_in(request)
    body = sheet_upload(ds=get_dataset(code), upload=request.FILES.get("file"), user=request.user,
                        period=request.POST.get("period") or None, submit=_flag(request, "submit", True),
                        keep_valid=_flag(request, "keep_valid", False),
                        confirm_outliers=_flag(request, "confirm_outliers", False))
    return JsonResponse(body, status=201)


urlpatterns = [
    path("api/datasets/<str:code>/template", dataset_template, name="dataset-template"),
    path("api/datasets/<str:code>/upload", dataset_upload, name="dataset-upload"),
]
