"""Threshold rules over indicators and domain measures; `evaluate()` opens, updates and closes
alerts so that re-running it changes nothing when nothing changed (one open alert per key)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from layers.models import Alert


@dataclass
class Firing:
    key: str
    rule: str
    domain: str
    severity: str
    title: str
    value: float
    threshold: float
    unit_id: int | None
    geom_wkt: str


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def overdue_dossiers() -> list[Firing]:
    """Overdue dossiers of a unit above 8 (commune) or 20 (district); critical at twice that."""
    out = []
    for uid, name, level, n, wkt in _rows("""
        SELECT u.id, u.name, u.level, count(*), ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_dossier d JOIN layers_adminunit u ON u.id = d.unit_id
         WHERE d.status = 'processing' AND d.due_at < now()
         GROUP BY u.id HAVING count(*) > CASE WHEN u.level = 'district' THEN 20 ELSE 8 END"""):
        limit = 20 if level == "district" else 8
        out.append(Firing(f"overdue_dossiers:{uid}", "overdue_dossiers", "public_services",
                          "critical" if n > 2 * limit else "warning",
                          f"{n} hồ sơ quá hạn tại {name}", n, limit, uid, wkt))
    return out


def dengue_outbreak() -> list[Firing]:
    """Dengue cases of a commune above its outbreak threshold in the latest reported week."""
    out = []
    for uid, name, week, cases, thr, wkt in _rows("""
        SELECT u.id, u.name, w.week, w.cases, w.threshold, ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_diseaseweekly w JOIN layers_adminunit u ON u.id = w.commune_id
         WHERE w.disease = 'dengue' AND w.cases > w.threshold
           AND w.week = (SELECT max(week) FROM layers_diseaseweekly)"""):
        out.append(Firing(f"dengue_outbreak:{uid}", "dengue_outbreak", "health",
                          "critical" if cases > 2 * thr else "warning",
                          f"Sốt xuất huyết: {cases} ca tuần {week:%d/%m/%Y} tại {name} (ngưỡng {thr})",
                          cases, thr, uid, wkt))
    return out


def black_spot_accidents() -> list[Firing]:
    """Accidents within 300 m of a black spot in the latest month above the monthly average of
    the twelve months before (and at least 2)."""
    out = []
    for sid, name, uid, recent, avg, wkt in _rows("""
        WITH last AS (SELECT date_trunc('month', max(occurred_at)) AS m FROM layers_trafficaccident)
        SELECT b.id, b.name, b.commune_id,
               count(*) FILTER (WHERE a.occurred_at >= last.m),
               count(*) FILTER (WHERE a.occurred_at < last.m AND a.occurred_at >= last.m - interval '12 months') / 12.0,
               ST_AsText(b.geom)
          FROM layers_blackspot b CROSS JOIN last
          JOIN layers_trafficaccident a ON ST_DWithin(a.geom::geography, b.geom::geography, 300)
         GROUP BY b.id, last.m"""):
        if recent >= 2 and recent > float(avg):
            out.append(Firing(f"black_spot:{sid}", "black_spot_accidents", "traffic",
                              "critical" if recent > 2 * float(avg) else "warning",
                              f"{recent} vụ tai nạn trong tháng tại {name} (trung bình {float(avg):.1f})",
                              recent, float(avg), uid, wkt))
    return out


def negative_media_doubling() -> list[Firing]:
    """Negative mentions of a district doubling week over week (at least 10)."""
    out = []
    for uid, name, this, prev, wkt in _rows("""
        WITH last AS (SELECT max(day) AS d FROM layers_mediadaily)
        SELECT u.id, u.name,
               sum(m.mentions) FILTER (WHERE m.day > last.d - 7),
               sum(m.mentions) FILTER (WHERE m.day <= last.d - 7 AND m.day > last.d - 14),
               ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_mediadaily m CROSS JOIN last JOIN layers_adminunit u ON u.id = m.district_id
         WHERE m.sentiment = 'negative' AND m.day > last.d - 14
         GROUP BY u.id"""):
        if this and this >= 10 and this >= 2 * (prev or 0):
            out.append(Firing(f"negative_media:{uid}", "negative_media_doubling", "media", "warning",
                              f"Đề cập tiêu cực về {name} tăng từ {prev or 0} lên {this} lượt/tuần",
                              this, 2 * (prev or 0), uid, wkt))
    return out


def indicator_red() -> list[Firing]:
    """A district's latest monthly indicator value in the red zone of its thresholds."""
    out = []
    for uid, name, code, iname, value, unit, crit, _hib, wkt in _rows("""
        SELECT u.id, u.name, i.code, i.name_vi, v.value, i.unit, i.critical, i.higher_is_better,
               ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_indicatorvalue v
          JOIN layers_indicator i ON i.id = v.indicator_id
          JOIN layers_adminunit u ON u.id = v.unit_id
         WHERE u.level = 'district' AND i.period_type = 'monthly'
           AND v.period = (SELECT max(period) FROM layers_indicatorvalue WHERE indicator_id = i.id)
           AND CASE WHEN i.higher_is_better THEN v.value <= i.critical ELSE v.value >= i.critical END"""):
        out.append(Firing(f"indicator:{code}:{uid}", "indicator_red", "socioeconomic", "critical",
                          f"{iname} của {name}: {value:g} {unit} (ngưỡng {crit:g} {unit})", value, crit, uid, wkt))
    return out


def citizen_overdue() -> list[Firing]:
    """Three or more citizen reports of a commune past their due date and not closed."""
    out = []
    for uid, name, n, wkt in _rows("""
        SELECT u.id, u.name, count(*), ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_citizenreport r JOIN layers_adminunit u ON u.id = r.commune_id
         WHERE r.status NOT IN ('resolved', 'rejected') AND r.due_date < current_date
         GROUP BY u.id HAVING count(*) >= 3"""):
        out.append(Firing(f"citizen_overdue:{uid}", "citizen_overdue", "citizen", "warning",
                          f"{n} phản ánh quá hạn xử lý tại {name}", n, 3, uid, wkt))
    return out


def cyber_spike() -> list[Firing]:
    """Threats detected in a district in the last 7 days above 1.3 times its 4-week average."""
    out = []
    for uid, name, this, avg, wkt in _rows("""
        WITH last AS (SELECT max(day) AS d FROM layers_cyberdaily)
        SELECT u.id, u.name, sum(c.detected) FILTER (WHERE c.day > last.d - 7),
               sum(c.detected) FILTER (WHERE c.day <= last.d - 7) / 4.0,
               ST_AsText(ST_PointOnSurface(u.geom))
          FROM layers_cyberdaily c CROSS JOIN last JOIN layers_adminunit u ON u.id = c.district_id
         WHERE c.day > last.d - 35 GROUP BY u.id"""):
        if this and avg and this > 1.3 * float(avg):
            out.append(Firing(f"cyber_spike:{uid}", "cyber_spike", "cyber", "warning",
                              f"{this} nguy cơ an ninh mạng trong 7 ngày tại {name} (trung bình {float(avg):.0f})",
                              this, 1.3 * float(avg), uid, wkt))
    return out


def data_supply() -> list[Firing]:
    """A layer or indicator whose department is late with its data, or has sent it incomplete."""
    from layers import supply
    from layers.registry import get_layer

    out = []
    province = _rows("SELECT id, ST_AsText(ST_PointOnSurface(geom)) FROM layers_adminunit WHERE level = 'province'")
    pid, wkt = province[0] if province else (None, "POINT(106.9 11.8)")
    for src in supply.sources():
        if src.state == "current":
            continue
        spec = get_layer(src.id)
        domain = spec.domain if spec else "socioeconomic"
        verb = "chậm cập nhật" if src.state == "late" else "chưa đầy đủ"
        out.append(Firing(f"data_supply:{src.id}", "data_supply", domain, "warning",
                          f"{src.department}: {src.title} {verb} ({src.detail})", 0, 0, pid, wkt))
    return out


RULES = [overdue_dossiers, dengue_outbreak, black_spot_accidents, negative_media_doubling, indicator_red,
         citizen_overdue, cyber_spike, data_supply]


@dataclass
class Outcome:
    opened: int = 0
    updated: int = 0
    closed: int = 0


def evaluate() -> Outcome:
    """Run every rule; open new alerts, refresh open ones, close those whose cause is gone."""
    firing = {f.key: f for rule in RULES for f in rule()}
    out = Outcome()
    with transaction.atomic():
        open_alerts = {a.key: a for a in Alert.objects.select_for_update().filter(resolved_at__isnull=True)}
        for key, f in firing.items():
            a = open_alerts.get(key)
            if a is None:
                Alert.objects.create(key=key, rule=f.rule, domain=f.domain, severity=f.severity, title=f.title,
                                     value=f.value, threshold=f.threshold, unit_id=f.unit_id,
                                     geom=f"SRID=4326;{f.geom_wkt}")
                out.opened += 1
            elif (a.severity, a.title, a.value) != (f.severity, f.title, f.value):
                a.severity, a.title, a.value = f.severity, f.title, f.value
                a.save(update_fields=["severity", "title", "value"])
                out.updated += 1
        gone = [a.pk for k, a in open_alerts.items() if k not in firing]
        out.closed = Alert.objects.filter(pk__in=gone).update(resolved_at=timezone.now())
    return out
