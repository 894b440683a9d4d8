"""Demo data for the monitoring domains over the 24 months before the demo's end month:
indicators, public services, citizen reports, health, education, planning, cyber, media,
tourism. Deterministic for a given seed and end month; bulk rows go in with COPY."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import shapely
from django.db import connection
from shapely.geometry import Point

from demo.common import copy_rows, person_name, phone_number, random_points_in
from layers.models import (
    AdminUnit,
    CitizenReport,
    HealthFacility,
    Indicator,
    PlanningZone,
    School,
    ServiceCentre,
    TouristSite,
)

INDICATORS = [
    # code, vi, en, unit, department, period, higher_is_better, warning, critical, base, spread
    ("budget_revenue_pct", "Tỷ lệ thu ngân sách so với kế hoạch", "Budget revenue against plan", "%",
     "Sở Tài chính", "monthly", True, 95, 85, 100, 9),
    ("disbursement_rate", "Tỷ lệ giải ngân vốn đầu tư công", "Public-investment disbursement rate", "%",
     "Sở Kế hoạch và Đầu tư", "monthly", True, 60, 45, 68, 14),
    ("grdp_growth", "Tăng trưởng GRDP", "GRDP growth", "%", "Cục Thống kê", "quarterly", True, 6.5, 5.0, 7.6, 1.3),
    ("poverty_rate", "Tỷ lệ hộ nghèo", "Poverty rate", "%", "Sở Lao động - Thương binh và Xã hội", "yearly",
     False, 2.0, 3.0, 1.4, 0.9),
    ("iip_yoy", "Chỉ số sản xuất công nghiệp so với cùng kỳ", "Industrial production index, year on year", "%",
     "Sở Công Thương", "monthly", True, 105, 100, 109, 5),
    ("retail_growth", "Tăng trưởng tổng mức bán lẻ hàng hóa", "Retail sales growth", "%", "Sở Công Thương",
     "monthly", True, 8, 5, 11, 3.5),
]
PROCEDURES = ["Cấp giấy chứng nhận quyền sử dụng đất", "Đăng ký kinh doanh hộ cá thể", "Cấp giấy phép xây dựng",
              "Chứng thực bản sao", "Đăng ký khai sinh", "Đăng ký kết hôn", "Cấp phiếu lý lịch tư pháp",
              "Chuyển mục đích sử dụng đất", "Xác nhận tình trạng hôn nhân", "Cấp đổi giấy phép lái xe"]
AGENCIES = ["Văn phòng UBND tỉnh", "Sở Thông tin và Truyền thông", "Công an tỉnh"]
THREATS = {"malware": 0.35, "phishing": 0.25, "intrusion": 0.2, "ddos": 0.1, "defacement": 0.1}
TOPICS = ["dat_dai", "giao_thong", "y_te", "giao_duc", "moi_truong", "dau_tu", "an_ninh"]


def months(end: date, n: int = 24) -> list[date]:
    out, y, m = [], end.year, end.month
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(date(y, m, 1))
    return out[::-1]


def load_domains(rng: np.random.Generator, end: date) -> dict[str, int]:
    counts = {}
    communes = list(AdminUnit.objects.filter(level="commune").select_related("parent"))
    districts = list(AdminUnit.objects.filter(level="district"))
    ms = months(end)
    counts["indicator-values"] = _indicators(rng, districts + communes, ms)
    counts["service-centres"], counts["dossiers"] = _public_services(rng, districts, communes, end)
    today = date.today()  # daily and weekly feeds run up to today, monthly ones to the last full month
    counts["citizen-reports"] = _citizen_reports(rng, communes, today)
    counts["disease-weeks"] = _disease(rng, communes, today)
    counts["facility-months"] = copy_rows("layers_facilitymonthly", ["facility_id", "month", "examinations", "inpatients"], (
        (fid, m, int(rng.poisson(lam)), int(rng.poisson(lam * 0.08)))
        for fid, beds in HealthFacility.objects.values_list("id", "beds")
        for lam in [max(150, beds * 45)] for m in ms))
    counts["school-years"] = copy_rows("layers_schoolyear", ["school_id", "year", "enrolment", "teachers"], (
        (sid, y, int(students * (0.95 + 0.05 * (y - end.year + 2)) + rng.integers(-20, 20)), max(1, teachers + int(rng.integers(-2, 2))))
        for sid, students, teachers in School.objects.values_list("id", "students", "teachers")
        for y in (end.year - 2, end.year - 1)))
    counts["cyber-days"] = _cyber(rng, districts, today)
    counts["media-days"] = _media(rng, districts, today)
    counts["tourism-months"] = copy_rows("layers_tourismmonthly", ["site_id", "month", "visitors", "revenue_mvnd"], (
        (sid, m, v, round(v * float(rng.uniform(0.08, 0.25)), 1))
        for sid, annual in TouristSite.objects.values_list("id", "annual_visitors")
        for m in ms for v in [int(rng.poisson(annual / 12 * (1.5 if m.month in (1, 2, 4, 5) else 0.9)))]))
    counts["planning-zones"] = _planning(rng, districts)
    return counts


def _indicators(rng, units, ms) -> int:
    Indicator.objects.all().delete()
    weak = {u.id for u in units if u.level == "district" and u.code in ("695", "698")}  # chronically behind
    rows = []
    for code, vi, en, unit, dept, period, hib, warn, crit, base, spread in INDICATORS:
        ind = Indicator.objects.create(code=code, name_vi=vi, name_en=en, unit=unit, department=dept,
                                       period_type=period, higher_is_better=hib, warning=warn, critical=crit)
        periods = ms if period == "monthly" else [m for m in ms if m.month in (1, 4, 7, 10)] if period == "quarterly" \
            else [m for m in ms if m.month == 1]
        late_units = {u.id for u in units if code == "disbursement_rate" and u.parent_id and u.parent.code == "700"}
        for u in units:
            bias = rng.normal(0, spread / 3) - (spread * 1.7 if u.id in weak or (u.parent_id in weak) else 0) * (1 if hib else -1)
            for i, p in enumerate(periods):
                if u.id in late_units and i == len(periods) - 1:
                    continue  # Phú Riềng's communes have not reported the latest disbursement: incomplete
                v = base + bias + rng.normal(0, spread / 2) + (0.2 * i if hib else -0.02 * i)
                v = max(0.0, round(float(v), 2))
                plan = 100.0 if code == "budget_revenue_pct" else None
                rows.append((ind.id, u.id, p, v, plan))
    return copy_rows("layers_indicatorvalue", ["indicator_id", "unit_id", "period", "value", "plan"], rows)


def _public_services(rng, districts, communes, end) -> tuple[int, int]:
    centres = []
    for u in districts + communes:
        p = u.geom.point_on_surface
        centres.append(ServiceCentre(name=f"Bộ phận một cửa {u.kind.lower()} {u.name}", unit=u,
                                     level=u.level, geom=p))
    ServiceCentre.objects.bulk_create(centres)
    slow = {c.unit_id for c in centres if c.unit.code in ("695", "25453", "25600")}  # backlogs to find
    start = datetime.combine(end - timedelta(days=730), datetime.min.time(), tzinfo=UTC)
    now = datetime.combine(end, datetime.min.time(), tzinfo=UTC) + timedelta(days=25)
    rows, n = [], 0
    for c in centres:
        per_month = 60 if c.level == "district" else 18
        k = int(rng.poisson(per_month * 24))
        t_recv = np.sort(rng.uniform(0, 730 * 24, k))
        for h in t_recv:
            n += 1
            recv = start + timedelta(hours=float(h))
            days = int(rng.choice([3, 5, 7, 10, 15, 30]))
            due = recv + timedelta(days=days)
            late_p = 0.35 if c.unit_id in slow else 0.06
            took = days * (rng.uniform(1.05, 2.5) if rng.random() < late_p else rng.uniform(0.2, 1.0))
            done = recv + timedelta(days=float(took))
            if done > now or (c.unit_id in slow and recv > now - timedelta(days=60) and rng.random() < 0.5):
                status, resolved = "processing", None
            else:
                status, resolved = ("returned" if rng.random() < 0.03 else "resolved"), done
            rows.append((f"HS{c.unit.code}-{n:07d}", str(rng.choice(PROCEDURES)), c.id, c.unit_id, recv, due,
                         resolved, status, "online" if rng.random() < 0.45 else "offline"))
    copy_rows("layers_dossier", ["code", "procedure", "centre_id", "unit_id", "received_at", "due_at",
                                 "resolved_at", "status", "channel"], rows)
    return len(centres), len(rows)


def _citizen_reports(rng, communes, end) -> int:
    start = datetime.combine(end - timedelta(days=730), datetime.min.time(), tzinfo=UTC)
    cats = ["road", "lighting", "waste", "order", "water", "other"]
    texts = {"road": "Mặt đường hư hỏng, nhiều ổ gà", "lighting": "Đèn đường không sáng", "waste": "Rác thải tồn đọng",
             "order": "Lấn chiếm vỉa hè", "water": "Ngập nước sau mưa", "other": "Phản ánh khác"}
    shapes = {c.id: shapely.from_wkb(bytes(c.geom.wkb)) for c in communes}
    reports = []
    for i in range(2400):
        c = communes[int(rng.integers(0, len(communes)))]
        when = start + timedelta(minutes=int(rng.integers(0, 730 * 24 * 60)))
        age = (datetime.combine(end, datetime.min.time(), tzinfo=UTC) - when).days
        status = ("resolved" if rng.random() < 0.9 else "rejected") if age > 45 else str(
            rng.choice(["new", "assigned", "in_progress", "resolved"], p=[0.25, 0.25, 0.25, 0.25]))
        cat = str(rng.choice(cats))
        reports.append(CitizenReport(
            code=f"PA-{when.year}-{i + 1:06d}", category=cat, description=f"{texts[cat]} tại {c.kind.lower()} {c.name}",
            channel=str(rng.choice(["hotline", "web", "app"], p=[0.4, 0.25, 0.35])), status=status, received_at=when,
            due_date=(when + timedelta(days=int(rng.choice([5, 7, 10])))).date(), assigned_unit=c if status != "new" else None,
            reporter_name=person_name(rng), reporter_phone=phone_number(rng),
            geom="SRID=4326;POINT({:.6f} {:.6f})".format(*random_points_in(rng, shapes[c.id], 1)[0])))
    CitizenReport.objects.bulk_create(reports, batch_size=2000)
    return len(reports)


def _disease(rng, communes, end) -> int:
    first = end - timedelta(days=728)
    first -= timedelta(days=first.weekday())
    weeks = [first + timedelta(weeks=i) for i in range(104)]
    hot = {communes[i].id for i in rng.choice(len(communes), 4, replace=False)}  # current dengue clusters
    rows = []
    for c in communes:
        thr_d, thr_h = int(rng.integers(5, 10)), int(rng.integers(4, 8))
        for k, w in enumerate(weeks):
            season = 1.0 + 1.6 * max(0.0, np.sin((w.month - 4) / 12 * 2 * np.pi))
            lam = 1.2 * season * (8.0 if c.id in hot and k >= 101 else 1.0)
            rows.append((c.id, w, "dengue", int(rng.poisson(lam)), thr_d))
            rows.append((c.id, w, "hfmd", int(rng.poisson(0.8)), thr_h))
    return copy_rows("layers_diseaseweekly", ["commune_id", "week", "disease", "cases", "threshold"], rows)


def _cyber(rng, districts, end) -> int:
    days = [end - timedelta(days=i) for i in range(730, 0, -1)]
    units = [(d.id, f"UBND {d.kind.lower()} {d.name}") for d in districts]
    dx = next(d.id for d in districts if d.code == "689")
    units += [(dx, a) for a in AGENCIES]
    spike = next(d.id for d in districts if d.code == "698")  # a campaign against Bù Đăng last week
    rows = []
    for day in days:
        for uid, agency in units:
            scale = (3.0 if agency in AGENCIES else 1.0) * (2.0 if uid == spike and (end - day).days <= 7 else 1.0)
            for threat, share in THREATS.items():
                det = int(rng.poisson(20 * scale * share * 5 * (1.1 if day.weekday() < 5 else 0.7)))
                handled = det - int(rng.binomial(det, 0.02)) if det else 0
                rows.append((day, uid, agency, threat, det, handled))
    return copy_rows("layers_cyberdaily", ["day", "district_id", "agency", "threat", "detected", "handled"], rows)


def _media(rng, districts, end) -> int:
    days = [end - timedelta(days=i) for i in range(730, 0, -1)]
    spike = next(d.id for d in districts if d.code == "697")  # negative mentions doubling last week
    rows = []
    for day in days:
        recent = (end - day).days <= 7
        for d in districts:
            for source, lam in (("news", 6), ("facebook", 14), ("youtube", 3), ("forum", 2)):
                for sentiment, p in (("positive", 0.35), ("neutral", 0.45), ("negative", 0.2)):
                    mult = 3.0 if (recent and d.id == spike and sentiment == "negative") else 1.0
                    n = int(rng.poisson(lam * p * mult))
                    if n:
                        rows.append((day, d.id, source, str(rng.choice(TOPICS)), sentiment, n))
    return copy_rows("layers_mediadaily", ["day", "district_id", "source", "topic", "sentiment", "mentions"], rows)


def _planning(rng, districts) -> int:
    zones = []
    for d in districts:
        seat = d.geom.point_on_surface
        for k, (use, radius) in enumerate((("ODT", 0.03), ("SKK", 0.025), ("TMD", 0.012))):
            cx = seat.x + float(rng.normal(0, 0.04)) * (k > 0)
            cy = seat.y + float(rng.normal(0, 0.04)) * (k > 0)
            poly = Point(cx, cy).buffer(radius, quad_segs=6)
            g = shapely.from_wkt(poly.wkt).intersection(shapely.from_wkt(d.geom.wkt))
            if g.is_empty:
                continue
            if g.geom_type == "Polygon":
                g = shapely.multipolygons([g])
            zones.append(PlanningZone(name=f"Khu {['đô thị', 'công nghiệp', 'thương mại'][k]} {d.name}",
                                      plan=f"Quy hoạch chung {d.kind.lower()} {d.name} đến năm 2040",
                                      planned_use=use, period_start=2021, period_end=2040, geom=g.wkt))
    PlanningZone.objects.bulk_create(zones)
    return len(zones)


def refresh_views() -> None:
    with connection.cursor() as cur:
        cur.execute("REFRESH MATERIALIZED VIEW ioc_land_conflicts")
        for t in ("layers_indicatorvalue", "layers_dossier", "layers_diseaseweekly", "layers_cyberdaily",
                  "layers_mediadaily"):
            cur.execute(f"ANALYZE {t}")
