from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.models.base import Feature, tracked

# Vietnamese land-use codes (Thông tư 08/2024/TT-BTNMT and earlier), the ones the demo uses.
LAND_USE_CODES = {
    "LUC": ("Đất chuyên trồng lúa nước", "Paddy land"),
    "HNK": ("Đất trồng cây hằng năm khác", "Other annual crops"),
    "CLN": ("Đất trồng cây lâu năm", "Perennial crops"),
    "RSX": ("Đất rừng sản xuất", "Production forest"),
    "RPH": ("Đất rừng phòng hộ", "Protection forest"),
    "RDD": ("Đất rừng đặc dụng", "Special-use forest"),
    "NTS": ("Đất nuôi trồng thủy sản", "Aquaculture"),
    "ONT": ("Đất ở tại nông thôn", "Rural residential"),
    "ODT": ("Đất ở tại đô thị", "Urban residential"),
    "SKC": ("Đất cơ sở sản xuất phi nông nghiệp", "Non-agricultural production"),
    "SKK": ("Đất khu công nghiệp", "Industrial park"),
    "DGT": ("Đất giao thông", "Transport"),
    "TMD": ("Đất thương mại, dịch vụ", "Commerce and services"),
}


@tracked
class LandParcel(Feature):
    LandUse = models.TextChoices(
        "LandUse", [(k, (k, _(f"{k} - {v[0]}"))) for k, v in LAND_USE_CODES.items()]
    )

    sheet = models.PositiveIntegerField(_("số tờ bản đồ"))
    number = models.PositiveIntegerField(_("số thửa"))
    land_use = models.CharField(_("mục đích sử dụng"), max_length=3, choices=LandUse.choices, db_index=True)
    area_m2 = models.FloatField(_("diện tích"))
    owner_type = models.CharField(_("loại chủ sử dụng"), max_length=3, help_text="GDC, TCC, UBS...")
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        verbose_name = _("thửa đất")
        # land registrations per month (the land domain's series) by an index-only scan, 1,000,000 parcels too
        indexes = [models.Index(fields=["updated_at"], name="landparcel_updated_at")]
