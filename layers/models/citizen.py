from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import Feature, tracked


@tracked
class CitizenReport(Feature):
    """A citizen field report (phản ánh hiện trường) with its status workflow."""

    class Category(models.TextChoices):
        ROAD = "road", _("Hư hỏng đường sá")
        LIGHTING = "lighting", _("Chiếu sáng công cộng")
        WASTE = "waste", _("Rác thải, vệ sinh môi trường")
        ORDER = "order", _("Trật tự đô thị")
        WATER = "water", _("Cấp, thoát nước")
        OTHER = "other", _("Khác")

    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("Đường dây nóng 1022")
        WEB = "web", _("Cổng thông tin")
        APP = "app", _("Ứng dụng di động")

    class Status(models.TextChoices):
        NEW = "new", _("Mới")
        ASSIGNED = "assigned", _("Đã giao xử lý")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        RESOLVED = "resolved", _("Đã xử lý")
        REJECTED = "rejected", _("Từ chối")

    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    category = models.CharField(_("lĩnh vực"), max_length=10, choices=Category.choices)
    description = models.TextField(_("nội dung"))
    channel = models.CharField(_("kênh tiếp nhận"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), db_index=True)
    due_date = models.DateField(_("hạn xử lý"))
    assigned_unit = models.ForeignKey("layers.AdminUnit", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("đơn vị xử lý"))
    reporter_name = models.CharField(_("người phản ánh"), max_length=120, blank=True, db_default="")
    reporter_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True, db_default="")
    geom = models.PointField(srid=4326)

    class Meta:
        verbose_name = _("phản ánh hiện trường")

    # the status workflow, enforced by layers.editing on every editing path
    TRANSITIONS = ("status", {"new": {"assigned", "rejected"}, "assigned": {"in_progress", "rejected"},
                              "in_progress": {"resolved", "rejected"}, "resolved": set(), "rejected": set()})
