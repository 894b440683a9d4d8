"""Deterministic demo vectors for Bình Phước (fixed seed): admin units, point layers, traffic,
security incidents, land parcels and the demo accounts."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import shapely
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection
from shapely.geometry import MultiPolygon, Point, Polygon

from demo import places as P
from demo.common import DEMO_END, TO_UTM, TO_WGS, TODAY, person_name, phone_number, random_points_in
from demo.common import pt as _pt
from demo.seasons import UTC_OFFSET, daily_factors, day_range, event_times, period_start, to_datetime
from layers.models import (
    AdminUnit,
    Department,
    DepartmentScope,
    EditScope,
    HealthFacility,
    School,
    SecurityIncident,
    TouristSite,
    TrafficAccident,
    TrafficCamera,
)
from operations.domains.traffic import build_road_segments, derive_black_spots


@dataclass
class Unit:
    code: str
    name: str
    kind: str
    geom: Polygon | MultiPolygon
    seat: tuple[float, float]
    parent: str | None = None
    urban: bool = False
    population: int = 0


def _to_multi(g) -> MultiPolygon:
    g = shapely.make_valid(g)
    if isinstance(g, Polygon):
        return MultiPolygon([g])
    if isinstance(g, MultiPolygon):
        return g
    return MultiPolygon([p for p in getattr(g, "geoms", []) if isinstance(p, Polygon)])


def _area_km2(g) -> float:
    return shapely.transform(g, lambda xy: np.column_stack(TO_UTM.transform(xy[:, 0], xy[:, 1]))).area / 1e6


def _voronoi_cells(points: np.ndarray, clip) -> list:
    """Voronoi cells of points clipped to `clip`, in the order of the points."""
    mp = shapely.multipoints(points)
    cells = list(shapely.voronoi_polygons(mp, extend_to=clip).geoms)
    ordered = []
    for x, y in points:
        pt = Point(x, y)
        cell = next(c for c in cells if c.contains(pt) or c.touches(pt))
        ordered.append(cell.intersection(clip))
    return ordered


def build_admin_units(rng: np.random.Generator) -> list[Unit]:
    province_geom = Polygon(P.PROVINCE_OUTLINE)
    units = [Unit(P.PROVINCE["code"], P.PROVINCE["name"], P.PROVINCE["kind"], province_geom,
                  seat=(106.883, 11.535))]
    gens = np.array([d[5] for d in P.DISTRICTS])
    district_cells = _voronoi_cells(gens, province_geom)
    commune_code = 25432
    for (code, kind, name, _en, seat, _gen, communes), cell in zip(P.DISTRICTS, district_cells, strict=True):
        units.append(Unit(code, name, kind, cell, seat, parent=P.PROVINCE["code"], urban=kind != "Huyện"))
        n = len(communes)
        pts = np.vstack([np.array([seat]), random_points_in(rng, cell, n - 1)])
        for _ in range(3):  # Lloyd relaxation for even commune sizes; the seat stays put
            cc = _voronoi_cells(pts, cell)
            cent = np.array([[c.centroid.x, c.centroid.y] for c in cc])
            pts[1:] = cent[1:]
        for cname, ccell in zip(communes, _voronoi_cells(pts, cell), strict=True):
            if cname.startswith("P. "):
                ckind, cname, urban = "Phường", cname[3:], True
            elif cname.startswith("TT. "):
                ckind, cname, urban = "Thị trấn", cname[4:], True
            else:
                ckind, urban = "Xã", False
            # about 1.0 million people province-wide: wards and towns 9-20 thousand, communes 5-11
            pop = int(rng.integers(9_000, 20_000) if urban else rng.integers(5_000, 11_000))
            units.append(Unit(str(commune_code), cname, ckind, ccell, seat, parent=code, urban=urban,
                              population=pop))
            commune_code += 3
    return units


def save_admin_units(units: list[Unit]) -> dict[str, AdminUnit]:
    by_code: dict[str, AdminUnit] = {}
    level = {0: "province"}
    pops: dict[str, int] = {}
    for u in units:
        if u.parent and u.population:
            pops[u.parent] = pops.get(u.parent, 0) + u.population
    pops[P.PROVINCE["code"]] = sum(pops.values())
    for i, u in enumerate(units):
        lvl = level.get(i) or ("district" if u.parent == P.PROVINCE["code"] else "commune")
        en = next((d[3] for d in P.DISTRICTS if d[0] == u.code), "")
        obj = AdminUnit.objects.create(
            code=u.code, name=u.name, name_en=en or _ascii(u.name), kind=u.kind, level=lvl,
            parent=by_code.get(u.parent) if u.parent else None,
            population=u.population or pops.get(u.code), area_km2=round(_area_km2(u.geom), 2),
            geom=_to_multi(u.geom).wkt,
        )
        by_code[u.code] = obj
    return by_code


def _ascii(s: str) -> str:
    s = s.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def build_point_layers(rng: np.random.Generator, units: list[Unit]) -> dict[str, int]:
    communes = [u for u in units if u.parent and u.parent != P.PROVINCE["code"]]
    districts = {u.code: u for u in units if u.parent == P.PROVINCE["code"]}
    schools, facilities = [], []
    for c in communes:
        pts = random_points_in(rng, c.geom, 5)
        crowded = c.parent in CROWDED_DISTRICTS  # industrial parks draw young families
        for level, name, low, high, p in (("mam_non", "Trường Mầm non", 150, 480, 0),
                                          ("tieu_hoc", "Trường Tiểu học", 380, 1200, 1),
                                          ("thcs", "Trường THCS", 280, 950, 2)):
            students = int(rng.integers(low, high) * (1.15 if crowded else 1.0))
            schools.append(School(name=f"{name} {c.name}", level=level, students=students,
                                  teachers=_teachers(rng, level, students, crowded), geom=_pt(pts[p])))
        if c.urban:
            students = int(rng.integers(60, 200))
            schools.append(School(name=f"Trường Mầm non tư thục {c.name}", level="mam_non", public=False,
                                  students=students, teachers=_teachers(rng, "mam_non", students, crowded),
                                  geom=_pt(pts[4])))
        facilities.append(HealthFacility(name=f"Trạm Y tế {c.kind.lower()} {c.name}", kind="station",
                                         beds=int(rng.integers(3, 8)), doctors=int(rng.integers(1, 3)),
                                         geom=_pt(pts[3])))
    for d in districts.values():
        for k, suffix in enumerate(("", " số 2", " số 3")[: 2 if d.urban else 3]):
            p = random_points_in(rng, d.geom, 1)[0] if k else _jitter(rng, d.seat, 0.01)
            students = int(rng.integers(900, 1900))
            schools.append(School(name=f"Trường THPT {d.name}{suffix}", level="thpt", students=students,
                                  teachers=_teachers(rng, "thpt", students, d.code in CROWDED_DISTRICTS),
                                  geom=_pt(p)))
        facilities.append(HealthFacility(name=f"Trung tâm Y tế {d.kind.lower()} {d.name}", kind="hospital",
                                         beds=int(rng.integers(120, 350)), doctors=int(rng.integers(30, 80)),
                                         geom=_pt(_jitter(rng, d.seat, 0.008))))
        for i in range(int(rng.integers(2, 6))):
            facilities.append(HealthFacility(name=f"Phòng khám đa khoa {d.name} {i + 1}", kind="clinic",
                                             beds=int(rng.integers(0, 15)), doctors=int(rng.integers(2, 8)),
                                             geom=_pt(_jitter(rng, d.seat, 0.03))))
    facilities.append(HealthFacility(name="Bệnh viện Đa khoa tỉnh Bình Phước", kind="hospital", beds=1000,
                                     doctors=260, geom=_pt((106.8895, 11.5362))))
    School.objects.bulk_create(schools, batch_size=2000)
    HealthFacility.objects.bulk_create(facilities, batch_size=2000)

    sites = []
    for name, kind, dcode, xy, visitors, _profile in P.TOURIST_SITES:
        xy = xy or _jitter(rng, districts[dcode].seat, 0.05)
        sites.append(TouristSite(name=name, kind=kind, annual_visitors=visitors, geom=_pt(xy)))
    TouristSite.objects.bulk_create(sites)

    counts = {"schools": len(schools), "health-facilities": len(facilities), "tourist-sites": len(sites)}
    counts.update(build_traffic(rng, Polygon(P.PROVINCE_OUTLINE)))
    return counts


# pupils per teacher by level (Vietnamese norms: a class of 25-45 pupils, 1.2-2.25 teachers a class)
PUPILS_PER_TEACHER = {"mam_non": 13.0, "tieu_hoc": 19.5, "thcs": 18.0, "thpt": 18.5}
CROWDED_DISTRICTS = {"699", "689", "697"}  # Chơn Thành, Đồng Xoài, Đồng Phú: industrial parks, crowded schools


def _teachers(rng, level: str, students: int, crowded: bool) -> int:
    ratio = PUPILS_PER_TEACHER[level] * (1.25 if crowded else 1.0) * float(rng.uniform(0.85, 1.15))
    return max(3, round(students / ratio))


def _jitter(rng, xy, deg) -> tuple[float, float]:
    return (xy[0] + rng.normal(0, deg / 2), xy[1] + rng.normal(0, deg / 2))


def _along(rng, line: np.ndarray, n: int) -> np.ndarray:
    """n random points along a polyline (lon, lat)."""
    seg = np.diff(line, axis=0)
    lens = np.hypot(seg[:, 0], seg[:, 1])
    i = rng.choice(len(seg), size=n, p=lens / lens.sum())
    t = rng.uniform(0, 1, n)
    return line[i] + seg[i] * t[:, None]


# Province-wide about 26 accidents a month (Vietnam: about 6,000-7,000 road deaths a year for
# 100 million people), 0.42 deaths and 1.4 injuries an accident: 5-15 deaths and 2-4 times as
# many injuries a month, more in the weeks around Tết and on the 30/4 and 2/9 holidays.
ACCIDENTS_PER_DAY = 0.8
SEVERITY = (("minor", 0.45), ("serious", 0.30), ("very_serious", 0.20), ("critical", 0.05))
ROAD_HOURS = (1, 1, 1, 1, 1, 2, 4, 6, 5, 4, 4, 5, 5, 4, 4, 5, 7, 9, 10, 9, 7, 5, 3, 2)  # evening peak


def _casualties(rng, sev: str) -> tuple[int, int]:
    """(deaths, injuries) of one accident of a given severity."""
    if sev == "minor":
        return 0, 1 + int(rng.random() < 0.3)
    if sev == "serious":
        return int(rng.random() < 0.25), 1 + int(rng.poisson(0.6))
    if sev == "very_serious":
        return 1 + int(rng.random() < 0.1), int(rng.poisson(1.0))
    return min(5, 2 + int(rng.poisson(0.6))), 1 + int(rng.poisson(1.5))


def _road_points(rng, line: np.ndarray, province, n: int) -> np.ndarray:
    """n random points along a road, inside the province."""
    out = np.empty((0, 2))
    while len(out) < n:
        pts = _along(rng, line, max(16, 2 * (n - len(out))))
        out = np.vstack([out, pts[shapely.contains_xy(province, pts[:, 0], pts[:, 1])]])
    return out[:n]


def build_traffic(rng: np.random.Generator, province) -> dict[str, int]:
    shapely.prepare(province)
    days = day_range(period_start(DEMO_END), TODAY)
    rate = ACCIDENTS_PER_DAY * daily_factors(
        days, month=(1.05, 1.0, 0.95, 1.0, 1.0, 0.95, 0.95, 1.0, 0.95, 0.95, 1.0, 1.15), weekend=1.15,
        tet=1.9, tet_window=(-10, 8), holiday=1.5, growth=-0.03)
    times = event_times(rng, days, rate, hours=ROAD_HOURS)
    roads = {name: np.array(coords) for name, coords in P.ROADS}
    names = list(P.ROAD_ACCIDENTS)
    share = np.array([P.ROAD_ACCIDENTS[r][0] for r in names])
    hot = {r: _road_points(rng, roads[r], province, P.ROAD_ACCIDENTS[r][1]) for r in names}
    which = rng.choice(len(names), size=len(times), p=share / share.sum())
    at_spot = rng.random(len(times)) < 0.35  # black spots: a third of the accidents
    sevs = rng.choice([s for s, _p in SEVERITY], size=len(times), p=[p for _s, p in SEVERITY])
    accidents, cameras = [], []
    for t, k, spot, sev in zip(times, which, at_spot, sevs, strict=True):
        road = names[k]
        if spot:
            xy = hot[road][int(rng.integers(0, len(hot[road])))] + rng.normal(0, 0.0007, 2)
        else:
            xy = _road_points(rng, roads[road], province, 1)[0] + rng.normal(0, 0.001, 2)
        deaths, injuries = _casualties(rng, str(sev))
        accidents.append(TrafficAccident(occurred_at=to_datetime(t), severity=str(sev), deaths=deaths,
                                         injuries=injuries, road=road, geom=_pt(xy)))
    for road, coords in P.ROADS:
        for i, xy in enumerate(_along(rng, np.array(coords), 10)):
            cameras.append(TrafficCamera(name=f"Camera {road} #{i + 1}",
                                         kind=rng.choice(["surveillance", "speed", "red_light"], p=[0.6, 0.3, 0.1]),
                                         road=road, online=bool(rng.random() > 0.08), geom=_pt(xy)))
    TrafficAccident.objects.bulk_create(accidents, batch_size=5000)
    TrafficCamera.objects.bulk_create(cameras)
    spots, _ = derive_black_spots(today=DEMO_END)
    return {"traffic-accidents": len(accidents), "traffic-black-spots": spots, "traffic-cameras": len(cameras),
            "road-segments": build_road_segments(P.ROADS)}


def build_security_incidents(rng: np.random.Generator, units: list[Unit]) -> int:
    """About 40 incidents a month near towns, more before Tết, up to yesterday; the reporters
    are personal data (restricted layer)."""
    communes = [u for u in units if u.parent and u.parent != P.PROVINCE["code"]]
    weights = np.array([3.0 if c.urban else 1.0 for c in communes])
    days = day_range(period_start(DEMO_END), TODAY)
    rate = 1.3 * daily_factors(days, month=(1.15, 1.0, 0.95, 0.95, 0.95, 1.0, 1.0, 1.0, 0.95, 0.95, 1.0, 1.15),
                               weekend=1.1, tet=1.3, tet_window=(-20, 0))
    times = event_times(rng, days, rate)
    picks = rng.choice(len(communes), size=len(times), p=weights / weights.sum())
    cats = ["theft", "robbery", "drugs", "fight", "fraud", "gambling"]
    today = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC)
    rows = []
    for t, i in zip(times, picks, strict=True):
        xy = random_points_in(rng, communes[i].geom, 1)[0]
        cat = str(rng.choice(cats, p=[0.4, 0.1, 0.12, 0.18, 0.12, 0.08]))
        when = to_datetime(t)
        age = (today - when).days
        status = "closed" if age > 75 or (age > 20 and rng.random() < 0.7) else \
            "new" if age < 3 else str(rng.choice(["new", "investigating"], p=[0.2, 0.8]))
        rows.append(SecurityIncident(
            occurred_at=when, category=cat, status=status,
            description=f"Vụ việc {SecurityIncident.Category(cat).label.lower()} tại {communes[i].kind.lower()} "
                        f"{communes[i].name}",
            reporter_name=person_name(rng), reporter_phone=phone_number(rng), geom=_pt(xy)))
    SecurityIncident.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


DEMO_ACCOUNTS = [
    # username, role groups, edit scopes (domain, district code), superuser
    ("viewer", ["viewer"], [], False),
    ("operator", ["operator"], [], False),
    ("editor", ["editor"], [("", None)], False),
    ("editor_locninh", ["editor"], [("education", "694")], False),
    ("security", ["viewer", "security"], [], False),
    ("admin", ["administrator"], [], True),
]
# department officers (so_<department>) enter their data sets; heads (ld_<department>) also approve
DEPARTMENT_ACCOUNTS = [(name, code, role) for code in (
    "so_yte", "so_gddt", "so_khdt", "so_tc", "so_ct", "so_ldtbxh", "cuc_tk", "cong_an", "so_vhttdl", "so_tttt",
    "so_tnmt", "vp_ubnd") for name, role in ((code, "officer"), ("ld_" + code.removeprefix("so_"), "head"))]


def create_demo_accounts(password: str | None = None) -> list[str]:
    """One account per role for trying the system (demo only, never in production)."""
    hashed = make_password(password or settings.IOC_DEMO_PASSWORD)  # hashing is slow: once, not per account
    for username, groups, scopes, superuser in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = superuser or "editor" in groups or "operator" in groups
        user.is_superuser = superuser
        user.password = hashed
        user.save()
        user.groups.set([Group.objects.get_or_create(name=g)[0] for g in groups])
        EditScope.objects.filter(user=user).delete()
        for domain, district in scopes:
            EditScope.objects.create(user=user, domain=domain,
                                     district=AdminUnit.objects.get(code=district) if district else None)
    departments = {d.code: d for d in Department.objects.all()}
    for username, dept, role in DEPARTMENT_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.password = hashed
        user.first_name = f"{'Lãnh đạo' if role == 'head' else 'Cán bộ'} {departments[dept].name}"  # shown as who
        user.save()
        user.groups.set([Group.objects.get_or_create(name="viewer")[0]])
        DepartmentScope.objects.filter(user=user).delete()
        DepartmentScope.objects.create(user=user, department=departments[dept], role=role)
    return [a[0] for a in DEMO_ACCOUNTS] + [a[0] for a in DEPARTMENT_ACCOUNTS]


# ------------------------------------------------------------------------------- parcels
BLOCK = 20  # a block is BLOCK x BLOCK parcels; blocks sit in non-overlapping slots
SLOT_M = 1300.0


def _block_land_use(rng, x, y, urban_dist) -> tuple[str, float]:
    """Primary land use and parcel size (m) of a block from where it lies."""
    if urban_dist < 2500:
        return ("ODT" if rng.random() < 0.7 else "TMD"), float(rng.uniform(14, 22))
    if urban_dist < 6000:
        return ("ONT" if rng.random() < 0.6 else "SKC"), float(rng.uniform(18, 30))
    lat = TO_WGS.transform(x, y)[1]
    r = rng.random()
    if lat > 11.95 and r < 0.55:
        return ("RSX" if r < 0.4 else "RPH"), float(rng.uniform(45, 60))
    return str(rng.choice(["CLN", "CLN", "CLN", "HNK", "LUC", "RSX", "NTS", "SKK"])), float(rng.uniform(35, 60))


PARCEL_CODES = ["LUC", "HNK", "CLN", "RSX", "RPH", "NTS", "ONT", "ODT", "SKC", "SKK", "DGT", "TMD"]


def _parcel_slots(rng: np.random.Generator, n_parcels: int, seats: list[tuple[float, float]], prov_utm):
    """(slot origins in UTM, each slot's distance to the nearest town, the chosen slots): blocks
    near towns first (denser), then the countryside."""
    minx, miny, maxx, maxy = prov_utm.bounds
    sx, sy = np.meshgrid(np.arange(minx, maxx - SLOT_M, SLOT_M), np.arange(miny, maxy - SLOT_M, SLOT_M))
    slots = np.column_stack([sx.ravel(), sy.ravel()])
    slots = slots[shapely.contains_xy(prov_utm, slots[:, 0] + SLOT_M / 2, slots[:, 1] + SLOT_M / 2)]
    seats_utm = np.column_stack(TO_UTM.transform(*np.array(seats).T))
    d = np.min(np.hypot(slots[:, None, 0] - seats_utm[None, :, 0], slots[:, None, 1] - seats_utm[None, :, 1]), axis=1)
    weights = 1.0 / (1.0 + d / 4000.0)
    n_blocks = int(np.ceil(n_parcels / (BLOCK * BLOCK * 0.97)))
    if n_blocks > len(slots):
        raise ValueError(f"at most {len(slots) * BLOCK * BLOCK} parcels fit the demo layout")
    n_pick = min(len(slots), int(n_blocks * 1.3) + 2)  # spares for blocks clipped at the border
    return slots, d, rng.choice(len(slots), size=n_pick, replace=False, p=weights / weights.sum())


class RegistrationDates:
    """When each parcel's record last changed (updated_at): a land registration, transfer or
    conversion (đăng ký biến động). Near towns a third of the parcels changed during the demo's
    24 months, in the countryside a tenth; the others date from the cadastral survey (2012 on).
    The offices close for Tết and at weekends; the pace grows with the market."""

    def __init__(self, start, today):
        self.days = day_range(start, today)
        rate = daily_factors(self.days, month=(1.1, 0.8, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.95, 0.95, 1.05, 1.25),
                             weekend=0.15, tet=0.1, tet_window=(-4, 8), holiday=0.2, growth=0.08)
        self.p = rate / rate.sum()
        self.survey = (np.datetime64("2012-01-01"), np.datetime64(start))

    def draw(self, rng, m: int, town_distance: float) -> np.ndarray:
        recent = rng.random(m) < (0.33 if town_distance < 2500 else 0.2 if town_distance < 6000 else 0.1)
        old = rng.integers(self.survey[0].astype(np.int64), self.survey[1].astype(np.int64), m).astype("datetime64[D]")
        day = np.where(recent, rng.choice(self.days, size=m, p=self.p), old)
        sec = (7 * 3600 + rng.integers(0, 10 * 3600, m)).astype("timedelta64[s]")  # office hours, local time
        return np.datetime_as_string(day.astype("datetime64[s]") + sec - UTC_OFFSET, unit="s")


def _block_rows(rng, *, sheet: int, origin, town_distance: float, prov_utm, room: int,
                dates: RegistrationDates) -> tuple[str, int]:
    """One block of parcels as COPY text (at most `room` parcels), and how many it holds."""
    ii, jj = np.meshgrid(np.arange(BLOCK), np.arange(BLOCK))
    ii, jj = ii.ravel(), jj.ravel()
    ox, oy = origin
    use, size = _block_land_use(rng, ox, oy, town_distance)
    wx = size * rng.uniform(0.8, 1.25, BLOCK)  # column widths
    hy = size * rng.uniform(0.8, 1.25, BLOCK)
    cx = ox + np.concatenate([[0], np.cumsum(wx)])[:-1]
    cy = oy + np.concatenate([[0], np.cumsum(hy)])[:-1]
    x0, y0 = cx[ii], cy[jj]
    x1, y1 = x0 + wx[ii] - 1.0, y0 + hy[jj] - 1.0  # 1 m gap: no overlaps
    keep = shapely.contains_xy(prov_utm, (x0 + x1) / 2, (y0 + y1) / 2)
    keep &= rng.random(len(x0)) > 0.03  # a few empty lots
    x0, y0, x1, y1 = x0[keep], y0[keep], x1[keep], y1[keep]
    m = min(len(x0), room)
    x0, y0, x1, y1 = x0[:m], y0[:m], x1[:m], y1[:m]
    area = (x1 - x0) * (y1 - y0)
    boxes = shapely.box(x0, y0, x1, y1)
    boxes = shapely.transform(boxes, lambda xy: np.column_stack(TO_WGS.transform(xy[:, 0], xy[:, 1])))
    hexes = shapely.to_wkb(shapely.multipolygons(boxes[:, None]), hex=True, include_srid=False)
    uses = np.where(rng.random(m) < 0.8, use, rng.choice(PARCEL_CODES, m))
    owners = rng.choice(["GDC", "TCC", "UBS", "TKT"], m, p=[0.85, 0.08, 0.04, 0.03])
    when = dates.draw(rng, m, town_distance)
    buf = io.StringIO()
    for k in range(m):
        buf.write(f"{sheet}\t{k + 1}\t{uses[k]}\t{area[k]:.1f}\t{owners[k]}\tSRID=4326;{hexes[k]}\t{when[k]}+00\n")
    return buf.getvalue(), m


def load_parcels(rng: np.random.Generator, n_parcels: int, seats: list[tuple[float, float]],
                 progress=None) -> int:
    """n_parcels land parcels in blocks, COPYed in; the commune trigger links them."""
    province = Polygon(P.PROVINCE_OUTLINE)
    prov_utm = shapely.transform(province, lambda xy: np.column_stack(TO_UTM.transform(xy[:, 0], xy[:, 1])))
    shapely.prepare(prov_utm)
    slots, town_distance, chosen = _parcel_slots(rng, n_parcels, seats, prov_utm)
    written = sheet = 0
    dates = RegistrationDates(period_start(DEMO_END), TODAY)
    with connection.cursor() as cur, cur.connection.cursor() as pcur:  # psycopg 3's COPY
        with pcur.copy("COPY layers_landparcel (sheet, number, land_use, area_m2, owner_type, geom, updated_at) "
                       "FROM STDIN") as copy:
            for b in chosen:
                if written >= n_parcels:
                    break
                sheet += 1
                text, m = _block_rows(rng, sheet=sheet, origin=slots[b], town_distance=town_distance[b],
                                      prov_utm=prov_utm, room=n_parcels - written, dates=dates)
                copy.write(text)
                written += m
                if progress and sheet % 100 == 0:
                    progress(written)
    return written


