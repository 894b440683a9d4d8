"""Demo data for the monitoring domains over the 24 months before the demo's end month, with
magnitudes and seasons of a province of about one million people: indicators, public
services, citizen reports, health, education, planning, tourism (cyber and media are in
demo.feeds). Deterministic for a given seed and day; bulk rows go in with COPY."""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely
from django.db import connection
from shapely.geometry import Point

from demo import places as P
from demo.common import copy_text, person_name, phone_number, random_points_in
from demo.feeds import load_cyber, load_media
from demo.seasons import (
    ar1,
    daily_factors,
    day_range,
    event_times,
    last_full_week,
    months_before,
    period_start,
    tet_of,
    to_datetime,
)
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
    # code, vi, en, unit, department, period, higher_is_better, warning, critical
    ("budget_revenue_pct", "Tỷ lệ thu ngân sách so với kế hoạch", "Budget revenue against plan", "%",
     "Sở Tài chính", "monthly", True, 95, 85),
    ("disbursement_rate", "Tỷ lệ giải ngân vốn đầu tư công", "Public-investment disbursement rate", "%",
     "Sở Kế hoạch và Đầu tư", "monthly", True, 60, 45),
    ("grdp_growth", "Tăng trưởng GRDP", "GRDP growth", "%", "Cục Thống kê", "quarterly", True, 6.5, 5.0),
    ("poverty_rate", "Tỷ lệ hộ nghèo", "Poverty rate", "%", "Sở Lao động - Thương binh và Xã hội", "yearly",
     False, 2.0, 3.0),
    ("iip_yoy", "Chỉ số sản xuất công nghiệp so với cùng kỳ", "Industrial production index, year on year", "%",
     "Sở Công Thương", "monthly", True, 105, 100),
    ("retail_growth", "Tăng trưởng tổng mức bán lẻ hàng hóa", "Retail sales growth", "%", "Sở Công Thương",
     "monthly", True, 8, 5),
]
WEAK_DISTRICTS = ("695", "698")  # Bù Đốp, Bù Đăng: chronically behind (budget, poverty)
POOR_DISTRICTS = {"695": 3.6, "698": 3.9, "693": 2.6, "694": 1.9}  # poverty rate (%) the year before the demo
# procedures by level, with their legal time limit in days
PROCEDURES = {
    "district": [("Cấp giấy chứng nhận quyền sử dụng đất", 30, 3), ("Đăng ký biến động đất đai", 10, 4),
                 ("Chuyển mục đích sử dụng đất", 15, 1), ("Đăng ký kinh doanh hộ cá thể", 3, 3),
                 ("Cấp giấy phép xây dựng", 15, 2), ("Cấp đổi giấy phép lái xe", 5, 2)],
    "commune": [("Chứng thực bản sao", 1, 5), ("Đăng ký khai sinh", 3, 3), ("Đăng ký kết hôn", 5, 1),
                ("Xác nhận tình trạng hôn nhân", 3, 2), ("Đăng ký khai tử", 3, 1)],
}
OFFICE_HOURS = (0, 0, 0, 0, 0, 0, 0, 6, 10, 10, 9, 5, 1, 3, 9, 9, 7, 2, 0, 0, 0, 0, 0, 0)


PLANNING_SEED = 2040


def load_domains(rng: np.random.Generator, end: date, today: date) -> dict[str, int]:
    counts = {}
    communes = list(AdminUnit.objects.filter(level="commune").select_related("parent"))
    districts = list(AdminUnit.objects.filter(level="district"))
    ms = months_before(end)
    counts["indicator-values"] = _indicators(rng, districts + communes, ms)
    counts["service-centres"], counts["dossiers"] = _public_services(rng, districts, communes, end, today)
    counts["citizen-reports"] = _citizen_reports(rng, communes, end, today)
    counts["disease-weeks"] = _disease(rng, communes, end, today)
    counts["facility-months"] = _facility_months(rng, ms)
    counts["school-years"] = _school_years(rng, today)
    counts["cyber-days"] = load_cyber(rng, districts, today)
    counts["media-days"] = load_media(rng, districts, end, today)
    counts["tourism-months"] = _tourism(rng, ms)
    # planning zones from a generator of their own: drawn after the event feeds, whose length
    # depends on the day, they moved from one day to the next (and with them every conflict)
    counts["planning-zones"] = _planning(np.random.default_rng(PLANNING_SEED), districts)
    return counts


def _tet_month(m: date) -> bool:
    t = tet_of(m.year)
    return (t.year, t.month) == (m.year, m.month)


def _indicator_series(rng, code: str, periods: list[date], weak: bool, poor: float) -> list[float]:
    """One unit's values of one indicator over its periods: smooth (AR(1)) around a level."""
    n = len(periods)
    if code == "budget_revenue_pct":  # year to date, against the plan for the months so far
        monthly = (0.80 + ar1(rng, n, sigma=0.04)) if weak else (1.02 + rng.normal(0, 0.035) + ar1(rng, n, sigma=0.07))
        out, acc, k = [], 0.0, 0
        for p, r in zip(periods, monthly, strict=True):
            acc, k = (r, 1) if p.month == 1 or not out else (acc + r, k + 1)
            out.append(min(100 * acc / k, 84.9) if weak else 100 * acc / k)
        return out
    if code == "disbursement_rate":  # against the capital planned to date: slow start, year-end push
        level = rng.normal(0, 4) - (15 if weak else 0)
        return [52 + 3.0 * (p.month - 1) + level + e for p, e in zip(periods, ar1(rng, n, sigma=4), strict=True)]
    if code == "grdp_growth":
        return list(7.6 + rng.normal(0, 0.5) - (1.2 if weak else 0) + ar1(rng, n, sigma=0.5))
    if code == "poverty_rate":  # falls about a fifth a year
        return [max(0.2, (poor + rng.normal(0, 0.2)) * 0.8 ** (i - n + 2)) for i in range(n)]
    tet_shift = np.array([(-12.0 if _tet_month(p) and not _tet_month(date(p.year - 1, p.month, 1)) else
                           12.0 if _tet_month(date(p.year - 1, p.month, 1)) and not _tet_month(p) else 0.0)
                          for p in periods])  # Tết falls in another month than a year before
    if code == "iip_yoy":
        return list(108.5 + rng.normal(0, 1.5) - (6 if weak else 0) + ar1(rng, n, sigma=2.0) + tet_shift)
    return list(11.0 + rng.normal(0, 1.0) - (3 if weak else 0) + ar1(rng, n, sigma=1.2) + tet_shift * 0.4)


def _indicators(rng, units, ms) -> int:
    Indicator.objects.all().delete()
    by_id = {u.id: u for u in units}
    rows = []
    for code, vi, en, unit, dept, period, hib, warn, crit in INDICATORS:
        ind = Indicator.objects.create(code=code, name_vi=vi, name_en=en, unit=unit, department=dept,
                                       period_type=period, higher_is_better=hib, warning=warn, critical=crit)
        periods = ms if period == "monthly" else [m for m in ms if m.month in (1, 4, 7, 10)] if period == "quarterly" \
            else [m for m in ms if m.month == 1]
        for u in units:
            district = u if u.level == "district" else by_id[u.parent_id]
            weak = district.code in WEAK_DISTRICTS
            poor = POOR_DISTRICTS.get(district.code, 1.1) * (0.6 if u.level == "commune" and u.kind != "Xã" else 1.0)
            values = _indicator_series(rng, code, periods, weak, poor)
            for i, (p, v) in enumerate(zip(periods, values, strict=True)):
                if code == "disbursement_rate" and u.level == "commune" and district.code == "700" \
                        and i == len(periods) - 1:
                    continue  # Phú Riềng's communes have not reported the latest disbursement: incomplete
                plan = "100.0" if code == "budget_revenue_pct" else "\\N"
                rows.append(f"{ind.id}\t{u.id}\t{p}\t{max(0.0, round(float(v), 2))}\t{plan}")
    return copy_text("layers_indicatorvalue", ["indicator_id", "unit_id", "period", "value", "plan"], rows)


def _public_services(rng, districts, communes, end, today) -> tuple[int, int]:
    """About 35,000 dossiers a year, a few % late; three units with a backlog to find."""
    centres = []
    for u in districts + communes:
        p = u.geom.point_on_surface
        centres.append(ServiceCentre(name=f"Bộ phận một cửa {u.kind.lower()} {u.name}", unit=u,
                                     level=u.level, geom=p))
    ServiceCentre.objects.bulk_create(centres)
    slow = {c.unit_id for c in centres if c.unit.code in ("695", "25453", "25600")}  # backlogs to find
    start = period_start(end)
    days = day_range(start, today)
    season = daily_factors(days, month=(1.15, 0.95, 1.0, 1.0, 1.0, 1.0, 0.95, 1.0, 1.0, 1.0, 1.05, 1.15),
                           weekend=0.08, tet=0.15, tet_window=(-3, 6), holiday=0.3, growth=0.06)
    now = np.datetime64(today, "s")
    online_from, online_to = 0.35, 0.70  # the online share grows through the period
    lines, n = [], 0
    for c in centres:
        procs = PROCEDURES[c.level]
        weights = np.array([w for *_x, w in procs], dtype=float)
        per_day = (2.2 if c.level == "district" else 0.85) * float(rng.uniform(0.7, 1.3))
        recv = event_times(rng, days, per_day * season, hours=OFFICE_HOURS)
        k = len(recv)
        proc = rng.choice(len(procs), size=k, p=weights / weights.sum())
        limit = np.array([procs[i][1] for i in proc])
        late = rng.random(k) < (0.3 if c.unit_id in slow else 0.035)
        took = limit * np.where(late, rng.uniform(1.05, 2.5, k), rng.uniform(0.15, 1.0, k))
        due = recv + (limit * 86_400).astype("timedelta64[s]")
        done = recv + (took * 86_400).astype("timedelta64[s]")
        stuck = (c.unit_id in slow) & (recv > now - np.timedelta64(60, "D")) & (rng.random(k) < 0.5)
        open_ = (done > now) | stuck
        returned = rng.random(k) < 0.03
        share = online_from + (online_to - online_from) * (recv - np.datetime64(start, "s")).astype(float) \
            / max(1.0, float((now - np.datetime64(start, "s")).astype(float)))
        online = rng.random(k) < share
        for j in range(k):
            n += 1
            resolved = "\\N" if open_[j] else f"{done[j]}+00"
            status = "processing" if open_[j] else "returned" if returned[j] else "resolved"
            lines.append(f"HS{c.unit.code}-{n:07d}\t{procs[proc[j]][0]}\t{c.id}\t{c.unit_id}\t{recv[j]}+00\t"
                         f"{due[j]}+00\t{resolved}\t{status}\t{'online' if online[j] else 'offline'}")
    copy_text("layers_dossier", ["code", "procedure", "centre_id", "unit_id", "received_at", "due_at",
                                 "resolved_at", "status", "channel"], lines)
    return len(centres), len(lines)


CITIZEN_TEXTS = {"road": "Mặt đường hư hỏng, nhiều ổ gà", "lighting": "Đèn đường không sáng",
                 "waste": "Rác thải tồn đọng", "order": "Lấn chiếm vỉa hè", "water": "Ngập nước sau mưa",
                 "other": "Phản ánh khác"}
CITIZEN_MIX = {"rainy": (0.30, 0.10, 0.15, 0.12, 0.25, 0.08), "dry": (0.22, 0.15, 0.25, 0.20, 0.08, 0.10)}


def _citizen_reports(rng, communes, end, today) -> int:
    """From about 70 reports a month to about 170 as the app spreads; roads and flooding in the
    rainy season; most closed within days, a pile-up in two communes."""
    days = day_range(period_start(end), today)
    rate = 2.3 * daily_factors(days, month=(0.9, 0.85, 0.9, 0.95, 1.05, 1.2, 1.25, 1.25, 1.2, 1.15, 1.0, 0.9),
                               weekend=0.8, tet=0.5, tet_window=(-2, 6), growth=0.55)
    times = event_times(rng, days, rate, hours=(1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 6, 4, 5, 7, 7, 6, 5, 5, 5, 4, 3, 2, 1))
    pop = np.array([(c.population or 8000) * (2.0 if c.kind != "Xã" else 1.0) for c in communes], dtype=float)
    picks = rng.choice(len(communes), size=len(times), p=pop / pop.sum())
    urban = [i for i, c in enumerate(communes) if c.kind != "Xã"]
    slow = {communes[i].id for i in rng.choice(urban, 2, replace=False)}
    shapes = {c.id: shapely.from_wkb(bytes(c.geom.wkb)) for c in communes}
    now = np.datetime64(today, "s")
    cats = list(CITIZEN_TEXTS)
    reports = []
    for i, (t, ci) in enumerate(zip(times, picks, strict=True)):
        c = communes[ci]
        when = to_datetime(t)
        rainy = 5 <= when.month <= 10
        cat = cats[int(rng.choice(len(cats), p=CITIZEN_MIX["rainy" if rainy else "dry"]))]
        days_needed = float(rng.lognormal(np.log(3.0), 0.7)) * (3.5 if c.id in slow else 1.0)
        age = float((now - t).astype(float)) / 86_400
        if age > days_needed and rng.random() > 0.01:  # a few stay open, forgotten
            status = "resolved" if rng.random() < 0.95 else "rejected"
        else:
            status = "new" if age < 0.5 else "assigned" if age < 1.5 else "in_progress"
        reports.append(CitizenReport(
            code=f"PA-{when.year}-{i + 1:06d}", category=cat, description=f"{CITIZEN_TEXTS[cat]} tại {c.kind.lower()} {c.name}",
            channel=str(rng.choice(["hotline", "web", "app"], p=[0.4, 0.2, 0.4])), status=status, received_at=when,
            due_date=date.fromordinal(when.date().toordinal() + int(rng.choice([5, 7, 10]))),
            assigned_unit=c if status != "new" else None,
            reporter_name=person_name(rng), reporter_phone=phone_number(rng),
            geom="SRID=4326;POINT({:.6f} {:.6f})".format(*random_points_in(rng, shapes[c.id], 1)[0])))
    CitizenReport.objects.bulk_create(reports, batch_size=2000)
    return len(reports)


# cases per commune-week at the season's mean, scaled by population (about 2,000 dengue and
# 700 hand-foot-mouth cases a year province-wide), and the monthly season of each disease
DISEASES = {
    "dengue": (0.34, (0.55, 0.3, 0.2, 0.2, 0.4, 0.9, 1.4, 1.9, 2.1, 1.8, 1.3, 0.85)),
    "hfmd": (0.12, (0.6, 0.4, 1.2, 1.5, 1.3, 0.8, 0.7, 0.8, 1.6, 1.7, 1.1, 0.8)),
}


def _disease(rng, communes, end, today) -> int:
    """Weekly cases per commune up to the last complete week: dengue in the rainy season,
    hand-foot-mouth in spring and Sep-Oct, past outbreaks and four dengue clusters now."""
    first = period_start(end)
    first = date.fromordinal(first.toordinal() + (7 - first.weekday()) % 7)
    last = last_full_week(today)
    weeks = [date.fromordinal(d) for d in range(first.toordinal(), last.toordinal() + 1, 7)]
    nw, nc = len(weeks), len(communes)
    month = np.array([w.month - 1 for w in weeks])
    tet = np.array([abs((w - tet_of(w.year)).days) < 10 for w in weeks])
    pop = np.array([(c.population or 8000) / 9500 for c in communes])
    lines = []
    for disease, (base, season) in DISEASES.items():
        year = rng.lognormal(0, 0.25, 4)[np.array([w.year for w in weeks]) - weeks[0].year]
        lam = base * pop[:, None] * (np.array(season)[month] * year * np.where(tet, 0.6, 1.0))[None, :]
        for _ in range(8 if disease == "dengue" else 4):  # past local outbreaks, 3-5 weeks each
            c, w0 = int(rng.integers(0, nc)), int(rng.integers(0, max(1, nw - 8)))
            lam[c, w0:w0 + int(rng.integers(3, 6))] *= 6
        cases = rng.poisson(lam)
        thr = rng.integers(5, 10, nc) if disease == "dengue" else rng.integers(4, 8, nc)
        if disease == "dengue":  # current clusters: above the outbreak threshold in the latest week
            for c in rng.choice(nc, 4, replace=False):
                cases[c, -3:-1] = rng.integers(thr[c] // 2, thr[c] + 1, 2)
                cases[c, -1] = thr[c] + rng.integers(1, thr[c])
        for ci, cm in enumerate(communes):
            lines += [f"{cm.id}\t{w}\t{disease}\t{cases[ci, k]}\t{thr[ci]}" for k, w in enumerate(weeks)]
    return copy_text("layers_diseaseweekly", ["commune_id", "week", "disease", "cases", "threshold"], lines)


def _facility_months(rng, ms) -> int:
    """Examinations and inpatients per facility and month: about 2.9 visits a person a year;
    fewer in the Tết month, more in the rainy season."""
    season = np.array([1.0, 0.98, 0.98, 1.0, 1.02, 1.05, 1.08, 1.1, 1.08, 1.05, 1.0, 0.98])
    f = np.array([season[m.month - 1] * (0.8 if _tet_month(m) else 1.0) * 1.03 ** (i / 12) for i, m in enumerate(ms)])
    lines = []
    for fid, kind, beds in HealthFacility.objects.values_list("id", "kind", "beds"):
        exams, admit = {"hospital": (beds * 38.0, beds * 4.2), "clinic": (float(rng.uniform(900, 2400)), beds * 2.0),
                        "station": (float(rng.uniform(300, 550)), beds * 0.5)}[kind]
        noise = rng.normal(1, 0.04, len(ms))
        lines += [f"{fid}\t{m}\t{round(exams * f[i] * noise[i])}\t{int(rng.poisson(admit * f[i]))}"
                  for i, m in enumerate(ms)]
    return copy_text("layers_facilitymonthly", ["facility_id", "month", "examinations", "inpatients"], lines)


# enrolment change a year by level: fewer births reach primary school, bigger cohorts move up
ENROLMENT_TREND = {"mam_non": 0.005, "tieu_hoc": -0.008, "thcs": 0.015, "thpt": 0.02}
CROWDED = ("699", "689", "697")  # industrial parks: families move in


def _school_years(rng, today) -> int:
    """Five school years up to the current one (a year starts in September); the schools' own
    figures are the current year's."""
    latest = today.year if today.month >= 9 else today.year - 1
    crowded = set(AdminUnit.objects.filter(level="commune", parent__code__in=CROWDED).values_list("id", flat=True))
    lines = []
    for sid, level, students, teachers, commune in School.objects.values_list(
            "id", "level", "students", "teachers", "commune_id"):
        g = ENROLMENT_TREND[level] + (0.025 if commune in crowded else 0.0)
        for k in range(4, -1, -1):
            e = students / (1 + g) ** k * (1 + float(rng.normal(0, 0.012))) if k else students
            t = max(3, round(teachers / (1 + g * 0.7) ** k)) if k else teachers
            lines.append(f"{sid}\t{latest - k}\t{round(e)}\t{t}")
    return copy_text("layers_schoolyear", ["school_id", "year", "enrolment", "teachers"], lines)


TOURISM_PROFILE = {  # Jan..Dec, before Tết (added to the month Tết falls in)
    "": (0.95, 0.95, 0.9, 1.15, 1.1, 1.1, 1.2, 1.1, 0.7, 0.65, 0.7, 0.9),
    "rainy": (0.6, 0.6, 0.5, 0.7, 0.9, 1.3, 1.5, 1.5, 1.4, 1.2, 1.0, 0.7),
    "fruit": (0.6, 0.7, 0.7, 0.9, 1.5, 1.9, 1.8, 1.3, 0.7, 0.6, 0.6, 0.6),
    "memorial": (1.25, 0.9, 0.85, 1.6, 1.1, 0.9, 1.05, 0.95, 0.75, 0.7, 0.75, 1.0),
}
TET_BOOST = {"": 0.55, "rainy": 0.2, "fruit": 0.2, "memorial": 0.4}
SPEND_MVND = {"nature": 0.12, "eco": 0.15, "history": 0.04, "culture": 0.06}  # a visitor's spend, million VND
GROWTH = 1.09  # visitors a year over the year before


def _tourism(rng, ms) -> int:
    """Visitors per site and month: Tết, 30/4-1/5 and summer high, the rainy Sep-Nov low;
    the sites' yearly figures are the last twelve months'."""
    profile = {name: prof for name, *_r, prof in P.TOURIST_SITES}
    lines = []
    for sid, name, kind, annual in TouristSite.objects.values_list("id", "name", "kind", "annual_visitors"):
        prof = profile.get(name, "")
        shape = np.array(TOURISM_PROFILE[prof]) / np.mean(TOURISM_PROFILE[prof])
        spend = 0.25 if name == "Núi Bà Rá" else SPEND_MVND[kind]  # the cable car
        for i, m in enumerate(ms):
            f = shape[m.month - 1] + (TET_BOOST[prof] if _tet_month(m) else 0.0)
            v = round(annual / 12 * f * GROWTH ** ((i - len(ms) + 6.5) / 12) * float(rng.lognormal(0, 0.05)))
            lines.append(f"{sid}\t{m}\t{v}\t{round(v * spend * float(rng.normal(1, 0.06)), 1)}")
    return copy_text("layers_tourismmonthly", ["site_id", "month", "visitors", "revenue_mvnd"], lines)


def _planning(rng, districts) -> int:
    zones = []
    for d in districts:
        seat = d.geom.point_on_surface
        approved = int(rng.integers(2019, 2025))
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
                                      planned_use=use, period_start=approved, period_end=2040, geom=g.wkt))
    PlanningZone.objects.bulk_create(zones)
    return len(zones)


def refresh_views() -> None:
    with connection.cursor() as cur:
        cur.execute("REFRESH MATERIALIZED VIEW ioc_land_conflicts")
        for t in ("layers_indicatorvalue", "layers_dossier", "layers_diseaseweekly", "layers_cyberdaily",
                  "layers_mediadaily"):
            cur.execute(f"ANALYZE {t}")
