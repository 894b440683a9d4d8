"""Alerts: every domain's rules (and data supply's) evaluated together; `alerts_evaluate()`
opens, updates and closes alerts so that re-running it changes nothing when nothing changed
(one open alert per key). Staff acknowledge and resolve them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gis_server.errors import BadRequest, Forbidden, NotFound
from gis_server.roles import EDITOR, OPERATOR, has_role
from layers.access import visible_layers
from layers.models import Alert
from layers.registry import Style, layer_from_model, static_layers
from operations import supply
from operations.domain import Rule
from operations.domains import DOMAINS

DOMAIN_ID, TITLE_VI, TITLE_EN = "alerts", "Cảnh báo", "Alerts"
OPEN_ALERTS_SHOWN = 100

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


@dataclass
class Outcome:
    opened: int = 0
    updated: int = 0
    closed: int = 0


def alerts_evaluate() -> Outcome:
    """Run every rule; open new alerts, refresh open ones, close those whose cause is gone."""
    firing = {f.key: f for rule in rules() for f in rule()}
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


evaluate = alerts_evaluate  # the short name tests and the shell use


def can_handle_alerts(user) -> bool:
    return user is not None and user.is_authenticated and has_role(user, OPERATOR, EDITOR)


def visible_alerts(*, readable) -> QuerySet[Alert]:
    """The alerts a reader may see: an alert follows the access of what it is about."""
    hidden_domains, hidden_keys = _hidden(readable)
    return Alert.objects.exclude(domain__in=hidden_domains).exclude(key__in=hidden_keys)


def open_alerts(*, readable: set[str]) -> list[Alert] | None:
    """The open alerts this user may see (None for users who may not read the alerts layer)."""
    if "alerts" not in readable:
        return None
    found = visible_alerts(readable=readable).filter(resolved_at__isnull=True).order_by("-severity", "-opened_at")
    return list(found[:OPEN_ALERTS_SHOWN])


def _handled_alert(*, alert_id: int, user) -> Alert:
    """The alert, if this user handles alerts and may see this one (else 403 or 404)."""
    if not can_handle_alerts(user):
        raise Forbidden("operators handle alerts")
    alert = visible_alerts(readable={s.id for s in visible_layers(user)}).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


def alert_acknowledge(*, alert_id: int, user) -> Alert:
    """Record that staff have taken the alert in hand (repeating is harmless)."""
    alert = _handled_alert(alert_id=alert_id, user=user)
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return alert


def alert_resolve(*, alert_id: int, user) -> Alert:
    """Close the alert (and acknowledge it, if nobody had); repeating is harmless."""
    alert = _handled_alert(alert_id=alert_id, user=user)
    if alert.resolved_at is None:
        now = timezone.now()
        alert.resolved_at, alert.resolved_by = now, user
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = now, user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by"])
    return alert


ACTIONS = {"acknowledge": alert_acknowledge, "resolve": alert_resolve}


def alert_act(*, alert_id: int, action: str, user) -> Alert:
    """The action named in a URL: acknowledge or resolve."""
    handler = ACTIONS.get(action)
    if handler is None:  # who may not handle alerts learns no more than that
        raise Forbidden("operators handle alerts") if not can_handle_alerts(user) else \
            BadRequest(f"action must be {' or '.join(ACTIONS)}")
    return handler(alert_id=alert_id, user=user)
