"""Who may supply and approve which data sets: an officer of a department enters its data
sets (for its districts, when the scope names one); a head also approves; an administrator
may do anything, and alone reopens an approved period."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gis_server.errors import Forbidden, Unauthorized
from gis_server.roles import is_administrator
from layers.models import DepartmentScope
from operations.intake.catalogue import all_datasets
from operations.intake.spec import DataSet


@dataclass(frozen=True)
class Grant:
    head: bool
    districts: frozenset[int] | None  # None: the whole province


def grants(user) -> dict[str, Grant]:
    """Department code → what this user may do there (read once per request)."""
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(user, "_ioc_intake_grants", None)
    if cached is not None:
        return cached
    found: dict[str, tuple[bool, set[int] | None]] = {}
    for dept, role, district in DepartmentScope.objects.filter(user=user, department__active=True).values_list(
        "department__code", "role", "district_id"
    ):
        head, districts = found.get(dept, (False, set()))
        districts = None if districts is None or district is None else districts | {district}
        found[dept] = (head or role == DepartmentScope.Role.HEAD, districts)
    out = {d: Grant(h, None if ds is None else frozenset(ds)) for d, (h, ds) in found.items()}
    user._ioc_intake_grants = out
    return out


def suppliable(user) -> list[DataSet]:
    """The data sets this user may read and supply."""
    if is_administrator(user):
        return all_datasets()
    mine = grants(user)
    return [ds for ds in all_datasets() if ds.department in mine]


def require_supplier(user, ds: DataSet) -> frozenset[int] | None:
    """The districts this user may supply `ds` for (None: all); Unauthorized or Forbidden."""
    if user is None or not user.is_authenticated:
        raise Unauthorized(_("Hãy đăng nhập để cung cấp dữ liệu."))
    if is_administrator(user):
        return None
    grant = grants(user).get(ds.department)
    if grant is None:
        raise Forbidden(
            _("Bộ dữ liệu “%(title)s” thuộc đơn vị khác; bạn không được xem hoặc nhập.") % {"title": ds.title_vi}
        )
    return grant.districts


def require_head(user, ds: DataSet) -> frozenset[int] | None:
    """As require_supplier, for a department head (approval, deleting a submission)."""
    districts = require_supplier(user, ds)
    if not is_administrator(user) and not grants(user)[ds.department].head:
        raise Forbidden(_("Chỉ lãnh đạo đơn vị được phê duyệt số liệu."))
    return districts


def require_administrator(user) -> None:
    if user is None or not user.is_authenticated:
        raise Unauthorized(_("Hãy đăng nhập."))
    if not is_administrator(user):
        raise Forbidden(_("Chỉ quản trị viên được mở lại kỳ đã phê duyệt."))
