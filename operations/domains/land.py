"""Land and planning: parcels by use, construction-planning zones, the parcels whose use
conflicts with the plan, and land-cover shares per district (from the land-cover raster)."""

from django.utils.translation import gettext_lazy as _

from layers.models import LandParcel, PlanningZone
from layers.registry import Style, layer_from_model, layer_from_view
from operations.domain import (
    UNIT_IDS,
    CardFigures,
    Column,
    Domain,
    Figure,
    RankingDef,
    RecordsDef,
    SeriesDef,
    commune_filter,
    month_so_far,
    read_one,
)
from operations.intake.report_layers import report_layers
from operations.intake.spec import DataSet, Element, OrgUnits

AMBER_BELOW_CONFLICTS = 1000  # parcels in conflict with the plan, the card's state (none: green)

LAND_USE_PALETTE = (
    ("LUC", "#f6e05e"), ("HNK", "#fbd38d"), ("CLN", "#68d391"), ("RSX", "#2f855a"),
    ("RPH", "#276749"), ("RDD", "#1c4532"), ("NTS", "#63b3ed"), ("ONT", "#fc8181"),
    ("ODT", "#e53e3e"), ("SKC", "#b794f4"), ("SKK", "#805ad5"), ("DGT", "#a0aec0"),
    ("TMD", "#ed64a6"),
)

LAYERS = (
    layer_from_model(
        LandParcel, id="land-parcels", title_vi="Thửa đất theo mục đích sử dụng",
        department="Sở Tài nguyên và Môi trường",
        title_en="Land parcels by use", domain="land", units={"area_m2": _("m²")}, min_zoom=14, editable=True,
        tile_geometry="geom_3857",
        title_field="land_use",
        style=Style(color="#4a5568", weight=1, by="land_use", palette=LAND_USE_PALETTE),
    ),
    layer_from_model(
        PlanningZone, id="planning-zones", title_vi="Khu quy hoạch xây dựng", title_en="Construction-planning zones",
        department="Sở Xây dựng",
        domain="land", title_field="name", editable=True,
        style=Style(color="#6b46c1", fill="#b794f4", weight=2),
    ),
    layer_from_view(
        id="land-use-conflicts", title_vi="Thửa đất trái quy hoạch", title_en="Parcels in conflict with the plan",
        domain="land", table="ioc_land_conflicts", geometry_type="MultiPolygon", title_field="zone",
        joins_commune=True, min_zoom=12,
        fields=(("sheet", "integer", _("số tờ bản đồ")), ("number", "integer", _("số thửa")),
                ("current_use", "string", _("mục đích hiện trạng")), ("planned_use", "string", _("chức năng quy hoạch")),
                ("zone", "string", _("khu quy hoạch")), ("plan", "string", _("đồ án quy hoạch")),
                ("area_m2", "number", _("diện tích"), _("m²"))),
        style=Style(color="#c53030", fill="#feb2b2", weight=1),
    ),
    # a choropleth from the land-cover raster's zonal statistics
    layer_from_view(
        id="land-cover-by-district", title_vi="Cơ cấu lớp phủ theo huyện", title_en="Land-cover shares per district",
        domain="land", table="ioc_land_cover_by_district", geometry_type="MultiPolygon", title_field="unit_name",
        fields=(("unit_code", "string", _("mã đơn vị")), ("unit_name", "string", _("đơn vị")),
                ("dominant_class", "integer", _("lớp phủ chiếm ưu thế")),
                ("built_up_pct", "number", _("đất xây dựng"), "%"), ("perennial_pct", "number", _("cây lâu năm"), "%"),
                ("forest_pct", "number", _("rừng"), "%")),
        style=Style(color="#276749", fill="#9ae6b4", weight=1),
    ),
)


USE_CHOICES = tuple(LandParcel.LandUse.choices)
# A parcel's record changes (updated_at) when a land registration, transfer or conversion is entered
# (đăng ký biến động) or the parcel is edited: the land office's monthly workload.
RECENT = "interval '24 months'"


def card(district: int | None) -> CardFigures:
    f, p = commune_filter("c.commune_id", district)
    n, area = read_one(f"SELECT count(*), coalesce(sum(c.area_m2), 0) / 10000 FROM ioc_land_conflicts c WHERE true{f}", p)
    state = "green" if n == 0 else "amber" if n < AMBER_BELOW_CONFLICTS else "red"
    return CardFigures([Figure(str(_("Thửa đất trái quy hoạch")), n, str(_("thửa")), str(_("hiện tại")), state=state),
                        Figure(str(_("Diện tích trái quy hoạch")), round(float(area), 1), "ha", str(_("hiện tại"))),
                        month_so_far("layers_landparcel", "updated_at", district,
                                     label=str(_("Thửa đăng ký biến động")), unit_name=str(_("thửa")))],
                       None, "", state)


SERIES = SeriesDef(f"""SELECT date_trunc('month', t.updated_at)::date, count(*) FROM layers_landparcel t
                       WHERE t.updated_at >= date_trunc('month', now()) - {RECENT} {{f_commune}}
                       GROUP BY 1 ORDER BY 1""", _("Thửa đăng ký biến động"), _("thửa"))

RANKING = RankingDef("""SELECT u.id, u.code, u.name, count(*) FROM ioc_land_conflicts t
                          JOIN layers_adminunit u ON u.id = t.commune_id
                         WHERE true {f_commune} GROUP BY u.id ORDER BY 4 DESC, u.code LIMIT 30""",
                     _("Thửa trái quy hoạch"), _("thửa"), drill_url="/dashboard/land/unit/{code}/")

RECORDS = (
    RecordsDef(
        _("Thửa đất trái quy hoạch (lớn nhất trước)"),
        f"""SELECT count(*) OVER (), t.id, t.sheet, t.number, t.current_use, t.planned_use, t.zone, t.area_m2, u.name
              FROM ioc_land_conflicts t JOIN layers_adminunit u ON u.id = t.commune_id
             WHERE t.commune_id IN {UNIT_IDS} ORDER BY t.area_m2 DESC, t.id LIMIT %(n)s""",
        (Column(_("Tờ bản đồ"), kind="number"), Column(_("Số thửa"), kind="number"),
         Column(_("Mục đích hiện trạng"), choices=USE_CHOICES), Column(_("Chức năng quy hoạch"), choices=USE_CHOICES),
         Column(_("Khu quy hoạch")), Column(_("Diện tích"), "m²", kind="number"), Column(_("Xã/phường"))),
        layer="land-use-conflicts"),
    RecordsDef(
        _("Thửa đăng ký biến động gần đây (mới nhất trước)"),
        f"""SELECT count(*) OVER (), t.id, t.updated_at, t.sheet, t.number, t.land_use, t.area_m2, u.name
              FROM layers_landparcel t JOIN layers_adminunit u ON u.id = t.commune_id
             WHERE t.commune_id IN {UNIT_IDS} AND t.updated_at >= date_trunc('month', now()) - {RECENT}
             ORDER BY t.updated_at DESC, t.id LIMIT %(n)s""",
        (Column(_("Ngày"), kind="date"), Column(_("Tờ bản đồ"), kind="number"), Column(_("Số thửa"), kind="number"),
         Column(_("Mục đích sử dụng"), choices=USE_CHOICES), Column(_("Diện tích"), "m²", kind="number"),
         Column(_("Xã/phường"))),
        layer="land-parcels"),
)


DATASETS = (
    DataSet("land_monthly", "Đăng ký đất đai theo tháng", "Land registrations per month", "so_tnmt", "monthly",
            OrgUnits(level="district"),
            (
             Element("registrations", "Số hồ sơ đăng ký biến động", "Change registrations", unit="hồ sơ", max=20000),
             Element("certificates", "Số giấy chứng nhận đã cấp", "Certificates issued", unit="giấy", max=20000),
             ),
            due_days=10, domain="land"),
)


DOMAIN = Domain(
    id="land", title_vi="Đất đai, quy hoạch", title_en="Land and planning",
    layers=LAYERS + report_layers(DATASETS, domain="land"), card_layers=("planning-zones", "land-use-conflicts", "land-parcels"), card=card,
    series=SERIES, ranking=RANKING, drill_down=("province", "district", "commune", "parcel"), records=RECORDS,
    datasets=DATASETS,
)
