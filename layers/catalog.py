"""The static layers: each declared once, here."""

from django.utils.translation import gettext_lazy as _

from layers.models import (
    AdminUnit,
    Alert,
    BlackSpot,
    CitizenReport,
    HealthFacility,
    LandParcel,
    PlanningZone,
    School,
    SecurityIncident,
    TouristSite,
    TrafficAccident,
    TrafficCamera,
)
from layers.registry import LayerSpec, Style, layer_from_model, layer_from_view

LAND_USE_PALETTE = (
    ("LUC", "#f6e05e"), ("HNK", "#fbd38d"), ("CLN", "#68d391"), ("RSX", "#2f855a"),
    ("RPH", "#276749"), ("RDD", "#1c4532"), ("NTS", "#63b3ed"), ("ONT", "#fc8181"),
    ("ODT", "#e53e3e"), ("SKC", "#b794f4"), ("SKK", "#805ad5"), ("DGT", "#a0aec0"),
    ("TMD", "#ed64a6"),
)

STATIC_LAYERS: tuple[LayerSpec, ...] = (
    layer_from_model(
        AdminUnit, id="admin-districts", title_vi="Ranh giới huyện, thị xã, thành phố",
        title_en="District boundaries", domain="admin", where="t.level = 'district'",
        fields=("code", "name", "name_en", "kind", "level", "population", "area_km2"),
        units={"population": _("người"), "area_km2": _("km²")}, title_field="name",
        style=Style(color="#2d3748", fill="#00000000", weight=2),
    ),
    layer_from_model(
        AdminUnit, id="admin-communes", title_vi="Ranh giới xã, phường, thị trấn",
        title_en="Commune boundaries", domain="admin", where="t.level = 'commune'",
        fields=("code", "name", "name_en", "kind", "level", "population", "area_km2"),
        units={"population": _("người"), "area_km2": _("km²")}, title_field="name",
        style=Style(color="#718096", fill="#00000000", weight=1),
    ),
    layer_from_model(
        School, id="schools", title_vi="Trường học", title_en="Schools", domain="education",
        department="Sở Giáo dục và Đào tạo",
        units={"students": _("học sinh"), "teachers": _("giáo viên")}, title_field="name", cluster=True,
        editable=True,
        style=Style(color="#3182ce", by="level", palette=(
            ("mam_non", "#90cdf4"), ("tieu_hoc", "#4299e1"), ("thcs", "#2b6cb0"), ("thpt", "#1a365d"))),
    ),
    layer_from_model(
        HealthFacility, id="health-facilities", title_vi="Cơ sở y tế", title_en="Health facilities",
        department="Sở Y tế",
        domain="health", units={"beds": _("giường"), "doctors": _("bác sĩ")}, title_field="name",
        cluster=True, editable=True,
        style=Style(color="#e53e3e", by="kind", palette=(
            ("hospital", "#c53030"), ("clinic", "#f56565"), ("station", "#feb2b2"))),
    ),
    layer_from_model(
        TouristSite, id="tourist-sites", title_vi="Điểm du lịch", title_en="Tourist sites",
        domain="tourism", units={"annual_visitors": _("lượt/năm")}, title_field="name", editable=True,
        style=Style(color="#38a169", radius=8),
    ),
    layer_from_model(
        TrafficAccident, id="traffic-accidents", title_vi="Tai nạn giao thông",
        department="Công an tỉnh (Phòng CSGT)", cadence="monthly",
        title_en="Traffic accidents", domain="traffic", time_field="occurred_at", editable=True,
        units={"deaths": _("người"), "injuries": _("người")}, cluster=True, title_field="road",
        style=Style(color="#dd6b20", by="severity", palette=(
            ("minor", "#fbd38d"), ("serious", "#ed8936"), ("very_serious", "#c05621"),
            ("critical", "#7b341e"))),
    ),
    layer_from_model(
        BlackSpot, id="traffic-black-spots", title_vi="Điểm đen tai nạn giao thông",
        department="Sở Giao thông vận tải",
        title_en="Accident black spots", domain="traffic", time_field="identified_on",
        units={"accidents_12m": _("vụ")}, title_field="name", editable=True,
        style=Style(color="#1a202c", radius=9),
    ),
    layer_from_model(
        TrafficCamera, id="traffic-cameras", title_vi="Camera giao thông", title_en="Traffic cameras",
        domain="traffic", title_field="name", editable=True, style=Style(color="#805ad5", radius=5),
    ),
    layer_from_model(
        LandParcel, id="land-parcels", title_vi="Thửa đất theo mục đích sử dụng",
        department="Sở Tài nguyên và Môi trường",
        title_en="Land parcels by use", domain="land", units={"area_m2": _("m²")}, min_zoom=14, editable=True,
        tile_geometry="geom_3857",
        title_field="land_use",
        style=Style(color="#4a5568", weight=1, by="land_use", palette=LAND_USE_PALETTE),
    ),
    layer_from_model(
        SecurityIncident, id="security-incidents", title_vi="Vụ việc an ninh, trật tự",
        department="Công an tỉnh", cadence="monthly",
        title_en="Security and order incidents", domain="security", time_field="occurred_at",
        access="restricted", roles=("security",), editable=True, cluster=True, title_field="category",
        style=Style(color="#9b2c2c", by="category", palette=(
            ("theft", "#c53030"), ("robbery", "#9b2c2c"), ("drugs", "#553c9a"), ("fight", "#dd6b20"),
            ("fraud", "#2c7a7b"), ("gambling", "#975a16"))),
    ),
    # ---- socio-economic: indicator values per district and commune over time (choropleth)
    layer_from_view(
        id="socioeconomic-indicators", title_vi="Chỉ tiêu kinh tế - xã hội theo đơn vị",
        department="Cục Thống kê", cadence="monthly",
        title_en="Socio-economic indicators by unit", domain="socioeconomic", table="ioc_indicator_values",
        geometry_type="MultiPolygon", time_field="period", title_field="unit_name", min_zoom=0,
        fields=(("indicator", "string", _("mã chỉ tiêu")), ("indicator_name", "string", _("chỉ tiêu")),
                ("measure_unit", "string", _("đơn vị tính")), ("unit_code", "string", _("mã đơn vị")),
                ("unit_name", "string", _("đơn vị")), ("level", "string", _("cấp")),
                ("period", "string", _("kỳ báo cáo"), "", "date"), ("value", "number", _("giá trị")),
                ("plan", "number", _("kế hoạch")), ("pct_of_plan", "number", _("so với kế hoạch"), "%")),
        style=Style(color="#2c5282", fill="#4299e1", weight=1),
    ),
    # ---- public services: one-stop offices with live backlog, overdue and on-time rate
    layer_from_view(
        id="public-service-centres", title_vi="Bộ phận một cửa: hồ sơ tồn, quá hạn",
        department="Văn phòng UBND tỉnh",
        title_en="One-stop offices: backlog and overdue dossiers", domain="public_services",
        table="ioc_service_centres", geometry_type="Point", title_field="name", joins_commune=True,
        fields=(("name", "string", _("tên")), ("level", "string", _("cấp")), ("unit_code", "string", _("mã đơn vị")),
                ("unit_name", "string", _("đơn vị")), ("backlog", "integer", _("hồ sơ đang xử lý"), _("hồ sơ")),
                ("overdue", "integer", _("hồ sơ quá hạn"), _("hồ sơ")),
                ("on_time_pct", "number", _("tỷ lệ đúng hạn"), "%"),
                ("index_points", "number", _("điểm chỉ số phục vụ (đúng hạn, tối đa 20)"), _("điểm"))),
        style=Style(color="#b7791f", radius=7),
    ),
    # ---- citizen reports: personal data is not published here
    layer_from_model(
        CitizenReport, id="citizen-reports", title_vi="Phản ánh hiện trường", title_en="Citizen field reports",
        department="Trung tâm IOC (đường dây nóng 1022)", cadence="daily",
        domain="citizen", access="internal", time_field="received_at", editable=True, cluster=True,
        title_field="code",
        fields=("code", "category", "description", "channel", "status", "received_at", "due_date"),
        style=Style(color="#319795", by="status", palette=(
            ("new", "#e53e3e"), ("assigned", "#dd6b20"), ("in_progress", "#d69e2e"), ("resolved", "#38a169"),
            ("rejected", "#718096"))),
    ),
    # ---- health: weekly infectious-disease cases per commune
    layer_from_view(
        id="disease-cases-weekly", title_vi="Ca bệnh truyền nhiễm theo tuần, theo xã",
        department="Sở Y tế (CDC)", cadence="weekly",
        title_en="Infectious-disease cases per week and commune", domain="health", table="ioc_disease_weekly",
        geometry_type="MultiPolygon", time_field="week", title_field="unit_name",
        fields=(("disease", "string", _("bệnh")), ("week", "string", _("tuần"), "", "date"),
                ("cases", "integer", _("số ca"), _("ca")), ("threshold", "integer", _("ngưỡng dịch"), _("ca")),
                ("outbreak", "boolean", _("vượt ngưỡng")), ("unit_code", "string", _("mã xã")),
                ("unit_name", "string", _("xã/phường"))),
        style=Style(color="#c53030", fill="#fc8181", weight=1),
    ),
    # ---- education: enrolment and teachers per school year
    layer_from_view(
        id="school-enrolment", title_vi="Sĩ số và giáo viên theo năm học", title_en="Enrolment and teachers by school year",
        domain="education", table="ioc_school_years", geometry_type="Point", title_field="name",
        joins_commune=True, cluster=True,
        fields=(("name", "string", _("tên trường")), ("level", "string", _("cấp học")),
                ("year", "integer", _("năm học (bắt đầu)")), ("enrolment", "integer", _("số học sinh"), _("học sinh")),
                ("teachers", "integer", _("số giáo viên"), _("giáo viên")),
                ("pupils_per_teacher", "number", _("học sinh / giáo viên"))),
        style=Style(color="#2b6cb0", radius=5),
    ),
    # ---- land: construction-planning zones and the parcels whose use conflicts with them
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
    # ---- cybersecurity: threats detected and handled per district and month
    layer_from_view(
        id="cyber-threats", title_vi="Nguy cơ an ninh mạng phát hiện và xử lý", title_en="Cyber threats detected and handled",
        department="Sở Thông tin và Truyền thông", cadence="monthly",
        domain="cyber", table="ioc_cyber_monthly", geometry_type="MultiPolygon", time_field="month", access="internal",
        title_field="unit_name",
        fields=(("month", "string", _("tháng"), "", "date"), ("unit_code", "string", _("mã đơn vị")),
                ("unit_name", "string", _("đơn vị")), ("detected", "integer", _("phát hiện"), _("lượt")),
                ("handled", "integer", _("đã xử lý"), _("lượt")), ("malware", "integer", _("mã độc"), _("lượt")),
                ("phishing", "integer", _("lừa đảo trực tuyến"), _("lượt")),
                ("intrusion", "integer", _("tấn công xâm nhập"), _("lượt"))),
        style=Style(color="#2d3748", fill="#718096", weight=1),
    ),
    # ---- press and social media: mentions per district and week
    layer_from_view(
        id="media-mentions", title_vi="Đề cập trên báo chí, mạng xã hội", title_en="Press and social-media mentions",
        department="Sở Thông tin và Truyền thông", cadence="weekly",
        domain="media", table="ioc_media_weekly", geometry_type="MultiPolygon", time_field="week", access="internal",
        title_field="unit_name",
        fields=(("week", "string", _("tuần"), "", "date"), ("unit_code", "string", _("mã đơn vị")),
                ("unit_name", "string", _("đơn vị")), ("mentions", "integer", _("lượt đề cập"), _("lượt")),
                ("negative", "integer", _("tiêu cực"), _("lượt")), ("positive", "integer", _("tích cực"), _("lượt"))),
        style=Style(color="#97266d", fill="#ed64a6", weight=1),
    ),
    # ---- tourism: visitors and revenue per site and month
    layer_from_view(
        id="tourism-visitors", title_vi="Lượt khách và doanh thu du lịch theo tháng", title_en="Tourist visitors and revenue by month",
        department="Sở Văn hóa, Thể thao và Du lịch", cadence="monthly",
        domain="tourism", table="ioc_tourism_monthly", geometry_type="Point", time_field="month", title_field="name",
        joins_commune=True,
        fields=(("name", "string", _("tên điểm du lịch")), ("kind", "string", _("loại hình")),
                ("month", "string", _("tháng"), "", "date"), ("visitors", "integer", _("lượt khách"), _("lượt")),
                ("revenue_mvnd", "number", _("doanh thu"), _("triệu đồng"))),
        style=Style(color="#276749", radius=7),
    ),
    # ---- alerts from the threshold rules
    layer_from_model(
        Alert, id="alerts", title_vi="Cảnh báo", title_en="Alerts", domain="alerts", access="internal",
        time_field="opened_at", title_field="title",
        fields=("rule", "domain", "severity", "title", "value", "threshold", "opened_at", "acknowledged_at",
                "resolved_at"),
        style=Style(color="#e53e3e", radius=9, by="severity", palette=(("warning", "#dd6b20"), ("critical", "#c53030"))),
    ),
    layer_from_view(
        id="road-accident-density", title_vi="Mật độ tai nạn theo đoạn đường", title_en="Accident density by road segment",
        domain="traffic", table="ioc_road_density", geometry_type="LineString", title_field="road",
        fields=(("road", "string", _("tuyến đường")), ("km_from", "number", _("từ km"), "km"),
                ("km_to", "number", _("đến km"), "km"), ("accidents_12m", "integer", _("tai nạn 12 tháng"), _("vụ")),
                ("accidents_per_km", "number", _("tai nạn trên 1 km"), _("vụ/km"))),
        style=Style(color="#c05621", weight=5),
    ),
    layer_from_view(
        id="health-facility-activity", title_vi="Khám, điều trị theo tháng tại cơ sở y tế",
        title_en="Examinations and inpatients per facility and month", domain="health", table="ioc_facility_monthly",
        geometry_type="Point", time_field="month", title_field="name", joins_commune=True, cluster=True,
        department="Sở Y tế", cadence="monthly",
        fields=(("name", "string", _("tên cơ sở")), ("kind", "string", _("loại")),
                ("month", "string", _("tháng"), "", "date"), ("examinations", "integer", _("lượt khám"), _("lượt")),
                ("inpatients", "integer", _("điều trị nội trú"), _("người"))),
        style=Style(color="#e53e3e", radius=5),
    ),
    # choropleths from the rasters' zonal statistics
    layer_from_view(
        id="population-by-commune", title_vi="Dân số theo xã (từ ảnh dân số)", title_en="Population per commune (from the raster)",
        domain="socioeconomic", table="ioc_population_by_commune", geometry_type="MultiPolygon", title_field="unit_name",
        fields=(("unit_code", "string", _("mã xã")), ("unit_name", "string", _("xã/phường")),
                ("population", "integer", _("dân số"), _("người")), ("density_km2", "number", _("mật độ"), _("người/km²"))),
        style=Style(color="#553c9a", fill="#b794f4", weight=1),
    ),
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
