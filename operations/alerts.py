"""Alerts: every domain's rules (and data supply's) evaluated together; `alerts_evaluate()`
opens, updates and closes alerts so that re-running it changes nothing when nothing changed
(one open alert per key). Staff acknowledge, snooze and resolve them.

Closing sticks: an alert staff close while its cause persists holds its key, and the rules
open no new alert for that key until the cause clears (the rule stops firing for it) and
returns. A snoozed alert stays open but leaves the open list until its snooze ends. A cause
that comes back worse (a warning turned critical) is news: it ends a snooze, and opens a new
alert over a key held at a lesser severity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gis_server.context import page_language
from gis_server.errors import BadRequest, Conflict, Forbidden, NotFound
from gis_server.roles import EDITOR, OPERATOR, has_role
from layers.access import visible_layers
from layers.domains import domains as domain_names
from layers.models import Alert
from layers.registry import Style, layer_from_model, static_layers
from operations import supply
from operations.domain import Rule
from operations.domains import DOMAINS, get_domain

DOMAIN_ID, TITLE_VI, TITLE_EN = "alerts", "Cảnh báo", "Alerts"
OPEN_ALERTS_SHOWN = 100
SEVERITIES = ("critical", "warning")  # worst first: the order of the open list
SNOOZE_MAX_HOURS = 30 * 24
MAP_URL = "/?layer=alerts&feature={id}"  # the portal zooms to the feature and opens its popup


def _hidden(readable) -> tuple[list[str], list[str]]:
    """What a reader who may read these layers must not see: the domains none of whose layers
    they may read, and the data-supply alerts about layers they may not read."""
    hidden_domains = [d.id for d in DOMAINS if not any(lyr in readable for lyr in d.layers_ids())]
    hidden_keys = [f"data_supply:{s.id}" for s in static_layers() if s.cadence and s.id not in readable]
    return hidden_domains, hidden_keys


def alerts_row_filter(readable: frozenset[str]) -> tuple[str, list]:
    """The same rule as `visible_alerts`, as SQL for /ogc, tiles and exports."""
    return "(NOT (t.domain = ANY(%s)) AND NOT (t.key = ANY(%s)))", list(_hidden(readable))


LAYERS = (
    layer_from_model(
        Alert, id="alerts", row_filter=alerts_row_filter, title_vi="Cảnh báo", title_en="Alerts", domain=DOMAIN_ID, access="internal",
        time_field="opened_at", title_field="title",
        fields=("rule", "domain", "severity", "title", "value", "threshold", "opened_at", "acknowledged_at",
                "resolved_at"),
        style=Style(color="#e53e3e", radius=9, by="severity", palette=(("warning", "#dd6b20"), ("critical", "#c53030"))),
    ),
)


def rules() -> list[Rule]:
    return [r for d in DOMAINS for r in d.rules] + [supply.data_supply_late]


def _rank(severity: str) -> int:
    """0 for the worst severity; unknown ones sort last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


# ------------------------------------------------------------------------------ evaluation
@dataclass
class Outcome:
    opened: int = 0
    updated: int = 0
    closed: int = 0
    held: int = 0  # firing keys that staff closed while the cause persists: no new alert
    released: int = 0  # held keys whose cause cleared: the next firing opens a new alert


def alerts_evaluate() -> Outcome:
    """Run every rule; open new alerts, refresh open ones, close those whose cause is gone."""
    firing = {f.key: f for rule in rules() for f in rule()}
    out, now = Outcome(), timezone.now()
    with transaction.atomic():
        open_ = {a.key: a for a in Alert.objects.select_for_update().filter(resolved_at__isnull=True)}
        held: dict[str, int] = {}  # key -> the rank of the worst alert staff closed on it
        for key, severity in Alert.objects.filter(resolved_at__isnull=False, cause_cleared_at__isnull=True) \
                .values_list("key", "severity"):
            held[key] = min(held.get(key, len(SEVERITIES)), _rank(severity))
        superseded = []
        for key, f in firing.items():
            a = open_.get(key)
            if a is None and key in held and _rank(f.severity) >= held[key]:
                out.held += 1
            elif a is None:
                if key in held:  # back worse than when staff closed it
                    superseded.append(key)
                Alert.objects.create(key=key, rule=f.rule, domain=f.domain, severity=f.severity, title=f.title,
                                     value=f.value, threshold=f.threshold, unit_id=f.unit_id,
                                     geom=f"SRID=4326;{f.geom_wkt}")
                out.opened += 1
            elif (a.severity, a.title, a.value) != (f.severity, f.title, f.value):
                if a.snoozed_until and _rank(f.severity) < _rank(a.severity):
                    a.snoozed_until = None  # a snooze was granted for the lesser severity
                a.severity, a.title, a.value = f.severity, f.title, f.value
                a.save(update_fields=["severity", "title", "value", "snoozed_until"])
                out.updated += 1
        gone = [a.pk for k, a in open_.items() if k not in firing]
        out.closed = Alert.objects.filter(pk__in=gone).update(resolved_at=now, cause_cleared_at=now)
        cleared = [k for k in held if k not in firing] + superseded
        out.released = Alert.objects.filter(key__in=cleared, resolved_at__isnull=False, cause_cleared_at__isnull=True) \
            .update(cause_cleared_at=now)
    return out


evaluate = alerts_evaluate  # the short name tests and the shell use


# ------------------------------------------------------------------------------ reading
def can_handle_alerts(user) -> bool:
    return user is not None and user.is_authenticated and has_role(user, OPERATOR, EDITOR)


def visible_alerts(*, readable) -> QuerySet[Alert]:
    """The alerts a reader may see: an alert follows the access of what it is about."""
    hidden_domains, hidden_keys = _hidden(readable)
    return Alert.objects.exclude(domain__in=hidden_domains).exclude(key__in=hidden_keys)


def open_shown_alerts(*, readable, now: datetime | None = None) -> QuerySet[Alert]:
    """Open alerts this reader may see, less those snoozed now."""
    now = now or timezone.now()
    return visible_alerts(readable=readable).filter(resolved_at__isnull=True) \
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))


def severity_labels() -> dict[str, str]:
    """Severity -> its name in the active language."""
    return {"critical": pgettext("alert severity", "Nghiêm trọng"), "warning": pgettext("alert severity", "Cảnh báo")}


def domain_title(domain_id: str, lang: str) -> str:
    """A domain's name in `lang` (alerts about data supply may name a core domain)."""
    d = get_domain(domain_id)
    if d is not None:
        return d.title(lang)
    vi, en = domain_names().get(domain_id, ("Khác", "Other"))
    return en if lang == "en" else vi


@dataclass(frozen=True)
class AlertCounts:
    """Open alerts a user may see, by severity; `snoozed` are open but out of the list for now."""

    total: int
    critical: int
    warning: int
    snoozed: int

    def as_json(self) -> dict:
        return {"total": self.total, "critical": self.critical, "warning": self.warning, "snoozed": self.snoozed}


def alert_counts(*, readable, now: datetime | None = None) -> AlertCounts:
    """The open-alert counts of a reader (one query)."""
    now = now or timezone.now()
    shown = Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now)
    c = visible_alerts(readable=readable).filter(resolved_at__isnull=True).aggregate(
        total=Count("pk", filter=shown), critical=Count("pk", filter=shown & Q(severity="critical")),
        warning=Count("pk", filter=shown & Q(severity="warning")), snoozed=Count("pk", filter=~shown))
    return AlertCounts(**c)


@dataclass(frozen=True)
class AlertRow:
    """One open alert as the table and the wall show it: names, not codes."""

    id: int
    severity: str
    severity_label: str
    domain: str
    domain_title: str
    unit_name: str
    title: str
    opened_at: datetime
    acknowledged_at: datetime | None
    map_url: str

    def as_json(self) -> dict:
        return {"id": self.id, "severity": self.severity, "severity_label": self.severity_label,
                "domain": self.domain, "domain_title": self.domain_title, "unit_name": self.unit_name,
                "title": self.title, "opened_at": self.opened_at.isoformat(),
                "acknowledged": self.acknowledged_at is not None,
                "acknowledged_at": self.acknowledged_at.isoformat() if self.acknowledged_at else None,
                "map_url": self.map_url}


@dataclass(frozen=True)
class OpenAlerts:
    """The open list (worst first, then oldest first) with the counts behind it."""

    rows: list[AlertRow]
    counts: AlertCounts
    labels: dict[str, str]
    lang: str

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def as_json(self) -> dict:
        return {"alerts": [r.as_json() for r in self.rows], "counts": self.counts.as_json(),
                "severity_labels": self.labels, "shown": len(self.rows), "lang": self.lang}


ROW_FIELDS = ("id", "severity", "domain", "title", "opened_at", "acknowledged_at", "unit__name", "unit__name_en")


def _row(a: dict, lang: str, labels: dict[str, str]) -> AlertRow:
    unit = (a["unit__name_en"] or a["unit__name"]) if lang == "en" else a["unit__name"]
    return AlertRow(id=a["id"], severity=a["severity"], severity_label=labels.get(a["severity"], a["severity"]),
                    domain=a["domain"], domain_title=domain_title(a["domain"], lang), unit_name=unit or "",
                    title=a["title"], opened_at=a["opened_at"], acknowledged_at=a["acknowledged_at"],
                    map_url=MAP_URL.format(id=a["id"]))


def open_alerts(*, readable: set[str], lang: str | None = None) -> OpenAlerts | None:
    """The open alerts this user may see, worst first and, within a severity, oldest first (the
    longest unhandled is the most overdue); None for users who may not read the alerts layer."""
    if "alerts" not in readable:
        return None
    lang, now, labels = lang or page_language(), timezone.now(), severity_labels()
    rank = Case(*(When(severity=s, then=Value(i)) for i, s in enumerate(SEVERITIES)),
                default=Value(len(SEVERITIES)), output_field=IntegerField())
    found = open_shown_alerts(readable=readable, now=now).annotate(rank=rank).order_by("rank", "opened_at", "pk").values(*ROW_FIELDS)
    rows = [_row(a, lang, labels) for a in found[:OPEN_ALERTS_SHOWN]]
    return OpenAlerts(rows=rows, counts=alert_counts(readable=readable, now=now), labels=labels, lang=lang)


def _readable(user) -> set[str]:
    return {s.id for s in visible_layers(user)}


def alerts_for_user(*, user, lang: str | None = None) -> OpenAlerts:
    """`open_alerts` for a signed-in user; 404 for one who may not read the alerts layer."""
    found = open_alerts(readable=_readable(user), lang=lang)
    if found is None:
        raise NotFound(_("Không có lớp cảnh báo cho người dùng này."))
    return found


# ------------------------------------------------------------------------------ actions
def _handled_alert(*, alert_id: int, user) -> Alert:
    """The alert, locked, if this user handles alerts and may see this one (else 403 or 404).
    Call inside a transaction."""
    if not can_handle_alerts(user):
        raise Forbidden(_("Chỉ cán bộ điều hành xử lý cảnh báo."))
    alert = visible_alerts(readable=_readable(user)).select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("Không có cảnh báo số %(id)s.") % {"id": alert_id})
    return alert


@transaction.atomic
def alert_acknowledge(*, alert_id: int, user) -> Alert:
    """Record that staff have taken the alert in hand (repeating is harmless)."""
    alert = _handled_alert(alert_id=alert_id, user=user)
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return alert


@transaction.atomic
def alert_resolve(*, alert_id: int, user) -> Alert:
    """Close the alert (and acknowledge it, if nobody had); repeating is harmless. While the cause
    persists, its key stays held: the rules open no new alert for it."""
    alert = _handled_alert(alert_id=alert_id, user=user)
    if alert.resolved_at is None:
        now = timezone.now()
        alert.resolved_at, alert.resolved_by = now, user
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = now, user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by"])
    return alert


def snooze_hours(raw) -> int:
    """A snooze length from a form field or a JSON value: whole hours, 1 to SNOOZE_MAX_HOURS."""
    problem = _("số giờ hoãn phải là số nguyên từ 1 đến %(max)s") % {"max": SNOOZE_MAX_HOURS}
    if raw is None or raw == "":
        raise BadRequest(_("Thiếu số giờ hoãn (hours)."), errors={"hours": problem})
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= SNOOZE_MAX_HOURS:
        raise BadRequest(_("Số giờ hoãn (hours) không hợp lệ: %(value)s.") % {"value": str(raw)[:40]},
                         errors={"hours": problem})
    return raw


@transaction.atomic
def alert_snooze(*, alert_id: int, user, hours: int) -> Alert:
    """Take an open alert off the open list for `hours` (and acknowledge it, if nobody had); it
    returns then if its cause persists. Snoozing again sets a new end."""
    alert = _handled_alert(alert_id=alert_id, user=user)
    hours = snooze_hours(hours)
    if alert.resolved_at is not None:
        raise Conflict(_("Cảnh báo đã đóng, không thể hoãn."))
    now = timezone.now()
    alert.snoozed_until, alert.snoozed_by = now + timedelta(hours=hours), user
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, user
    alert.save(update_fields=["snoozed_until", "snoozed_by", "acknowledged_at", "acknowledged_by"])
    return alert


ACTIONS = ("acknowledge", "resolve", "snooze")


@dataclass(frozen=True)
class ActionOutcome:
    """An action's answer: the alert's new state and the user's open counts after it."""

    alert: Alert
    counts: AlertCounts
    by: str

    def as_json(self) -> dict:
        a = self.alert

        def iso(t):
            return t.isoformat() if t else None
        return {"id": a.pk, "acknowledged_at": iso(a.acknowledged_at), "resolved_at": iso(a.resolved_at),
                "snoozed_until": iso(a.snoozed_until), "by": self.by, "counts": self.counts.as_json()}


def alert_act(*, alert_id: int, action: str, user, hours=None) -> ActionOutcome:
    """The action named in a URL (acknowledge, resolve or snooze for `hours`), then the counts."""
    if action not in ACTIONS:  # who may not handle alerts learns no more than that
        if not can_handle_alerts(user):
            raise Forbidden(_("Chỉ cán bộ điều hành xử lý cảnh báo."))
        raise BadRequest(_("Thao tác phải là acknowledge, resolve hoặc snooze."))
    if action == "snooze":
        alert = alert_snooze(alert_id=alert_id, user=user, hours=hours)
    else:
        alert = (alert_acknowledge if action == "acknowledge" else alert_resolve)(alert_id=alert_id, user=user)
    return ActionOutcome(alert=alert, counts=alert_counts(readable=_readable(user)), by=user.get_username())
