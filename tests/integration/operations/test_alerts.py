"""Alerts as an operator meets them (issue 11): worst first then oldest first, names rather than
codes, counts that follow the actions, a way to the map, snoozes, and closing that sticks."""

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from layers.models import AdminUnit, Alert, Dossier
from operations import alerts
from operations.domain import Firing
from operations.domains import get_domain
from tests.helpers import ROOT, basic

pytestmark = pytest.mark.django_db


def _alert(key, severity, *, domain="health", hours_ago=1, unit=None, **extra) -> Alert:
    unit = unit or AdminUnit.objects.filter(level="district").order_by("code").first()
    a = Alert.objects.create(key=key, rule=key.split(":")[0], domain=domain, severity=severity,
                             title=f"Thử {key}", unit=unit, geom=unit.geom.point_on_surface, **extra)
    Alert.objects.filter(pk=a.pk).update(opened_at=timezone.now() - timedelta(hours=hours_ago))
    return a


@pytest.fixture
def three():
    """A warning opened 5 h ago, a critical 1 h ago, a critical 3 h ago; nothing else open."""
    Alert.objects.all().delete()
    return {"w5": _alert("t:w5", "warning", hours_ago=5), "c1": _alert("t:c1", "critical", hours_ago=1),
            "c3": _alert("t:c3", "critical", hours_ago=3, domain="public_services")}


def test_open_alerts_sort_worst_first_then_oldest_first_with_names_and_a_map_link(client, three):
    r = client.get("/api/alerts", **basic("operator"))
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    body = r.json()
    assert [a["id"] for a in body["alerts"]] == [three["c3"].pk, three["c1"].pk, three["w5"].pk]
    assert body["counts"] == {"total": 3, "critical": 2, "warning": 1, "snoozed": 0}
    first = body["alerts"][0]
    unit = AdminUnit.objects.get(pk=three["c3"].unit_id)
    assert first["domain_title"] == get_domain("public_services").title("vi") != "public_services"
    assert first["unit_name"] == unit.name and first["severity_label"] == "Nghiêm trọng"
    assert first["map_url"] == f"/?layer=alerts&feature={three['c3'].pk}"
    three["c3"].refresh_from_db()
    assert datetime.fromisoformat(first["opened_at"]) == three["c3"].opened_at
    assert client.get("/api/alerts").status_code == 401


def test_the_dashboard_table_shows_names_counts_and_map_links_not_codes(client, three):
    client.force_login(User.objects.get(username="operator"))
    page = client.get("/dashboard/").content.decode()
    table = page[page.index('id="alerts-panel"'):]
    table = table[:table.index("</section>")]
    assert 'data-alert-count="total">3<' in table and 'data-alert-count="critical">2<' in table and 'data-alert-count="warning">1<' in table
    rows = re.findall(r'<tr data-alert="(\d+)"', table)
    assert rows == [str(three[k].pk) for k in ("c3", "c1", "w5")]
    assert f'href="/?layer=alerts&amp;feature={three["c3"].pk}"' in table
    assert ">public_services<" not in table and ">health<" not in table and ">critical<" not in table
    assert "Nghiêm trọng" in table and 'data-action="snooze"' in table
    english = client.get("/dashboard/?lang=en").content.decode()
    assert "Open alerts" in english and "Cảnh báo đang mở" not in english and "Severity" in english


def test_an_action_answers_with_the_new_counts(client, three):
    r = client.post(f"/api/alerts/{three['c1'].pk}/resolve", **basic("operator"))
    assert r.status_code == 200
    assert r.json()["counts"] == {"total": 2, "critical": 1, "warning": 1, "snoozed": 0}
    r = client.post(f"/api/alerts/{three['w5'].pk}/acknowledge", **basic("operator"))
    assert r.json()["counts"]["total"] == 2 and r.json()["acknowledged_at"]
    r = client.post(f"/api/alerts/{three['w5'].pk}/snooze", {"hours": "4"}, **basic("operator"))
    assert r.status_code == 200 and r.json()["counts"] == {"total": 1, "critical": 1, "warning": 0, "snoozed": 1}


def test_snooze_hides_an_alert_until_it_ends_and_evaluation_does_not_reopen_it(client, three, monkeypatch):
    a = three["c3"]
    r = client.post(f"/api/alerts/{a.pk}/snooze", json.dumps({"hours": 24}), content_type="application/json",
                    **basic("operator"))
    assert r.status_code == 200
    a.refresh_from_db()
    assert timedelta(hours=23, minutes=59) < a.snoozed_until - timezone.now() <= timedelta(hours=24)
    assert a.snoozed_by.username == "operator" and a.acknowledged_at is not None
    ids = [x["id"] for x in client.get("/api/alerts", **basic("operator")).json()["alerts"]]
    assert a.pk not in ids
    # the cause persists: the evaluation keeps the same (snoozed) alert, it opens no new one
    monkeypatch.setattr(alerts, "rules", lambda: [lambda: [_firing(a, "critical")]])
    out = alerts.evaluate()
    assert out.opened == 0 and Alert.objects.filter(key=a.key).count() == 1
    # the snooze ends: the alert is back in the list
    Alert.objects.filter(pk=a.pk).update(snoozed_until=timezone.now() - timedelta(minutes=1))
    ids = [x["id"] for x in client.get("/api/alerts", **basic("operator")).json()["alerts"]]
    assert ids == [a.pk]


def _firing(a: Alert, severity: str) -> Firing:
    return Firing(a.key, a.rule, a.domain, severity, a.title, 1.0, 1.0, a.unit_id, a.geom.wkt)


def test_a_snoozed_warning_that_turns_critical_is_back_at_once(three, monkeypatch):
    a = three["w5"]
    Alert.objects.filter(pk=a.pk).update(snoozed_until=timezone.now() + timedelta(hours=4))
    monkeypatch.setattr(alerts, "rules", lambda: [lambda: [_firing(a, "critical")]])
    alerts.evaluate()
    a.refresh_from_db()
    assert a.severity == "critical" and a.snoozed_until is None and a.resolved_at is None


def test_closing_sticks_while_the_cause_persists_and_a_returning_cause_opens_a_new_alert():
    Alert.objects.all().delete()
    alerts.evaluate()
    worst = Alert.objects.filter(rule="overdue_dossiers", resolved_at__isnull=True).order_by("-value").first()
    operator = User.objects.get(username="operator")
    alerts.alert_resolve(alert_id=worst.pk, user=operator)
    for _ in range(2):  # the cause persists: re-running reopens nothing
        out = alerts.evaluate()
        assert out.opened == 0 and out.held >= 1
        assert not Alert.objects.filter(key=worst.key, resolved_at__isnull=True).exists()
    # the cause clears: the held key is released
    overdue = list(Dossier.objects.filter(unit_id=worst.unit_id, status="processing", due_at__lt=timezone.now())
                   .values_list("pk", flat=True))
    Dossier.objects.filter(pk__in=overdue).update(status="resolved", resolved_at=timezone.now())
    assert alerts.evaluate().released == 1
    worst.refresh_from_db()
    assert worst.cause_cleared_at is not None
    # ... and returns: a new alert opens
    Dossier.objects.filter(pk__in=overdue).update(status="processing", resolved_at=None)
    assert alerts.evaluate().opened == 1
    assert Alert.objects.filter(key=worst.key, resolved_at__isnull=True).exclude(pk=worst.pk).exists()


def test_a_closed_warning_that_returns_critical_opens_a_new_alert(three, monkeypatch):
    a = three["w5"]
    operator = User.objects.get(username="operator")
    alerts.alert_resolve(alert_id=a.pk, user=operator)
    monkeypatch.setattr(alerts, "rules", lambda: [lambda: [_firing(a, "warning")]])
    assert alerts.evaluate().held == 1
    monkeypatch.setattr(alerts, "rules", lambda: [lambda: [_firing(a, "critical")]])
    out = alerts.evaluate()
    assert out.opened == 1 and out.released == 1
    new = Alert.objects.get(key=a.key, resolved_at__isnull=True)
    assert new.severity == "critical"
    alerts.alert_resolve(alert_id=new.pk, user=operator)
    monkeypatch.setattr(alerts, "rules", lambda: [lambda: [_firing(a, "warning")]])  # better again: stays closed
    assert alerts.evaluate().opened == 0


def test_an_alert_the_rules_closed_opens_again_when_its_cause_returns(three, monkeypatch):
    a = three["c1"]
    monkeypatch.setattr(alerts, "rules", lambda: [])
    assert alerts.evaluate().closed == 3
    a.refresh_from_db()
    assert a.resolved_by is None and a.cause_cleared_at == a.resolved_at
    monkeypatch.setattr(alerts, "rules", lambda: [lambda: [_firing(a, "critical")]])
    assert alerts.evaluate().opened == 1


@pytest.mark.parametrize("hours", ["", "0", "-1", "abc", "721", "1.5", "٣"])
def test_snooze_rejects_bad_hours_with_a_json_error_naming_them(client, three, hours):
    a = three["c1"]
    data = {"hours": hours} if hours else {}
    r = client.post(f"/api/alerts/{a.pk}/snooze", data, **basic("operator"))
    assert r.status_code == 400 and r.json()["code"] == "InvalidParameterValue" and "hours" in r.json()["errors"]
    a.refresh_from_db()
    assert a.snoozed_until is None


@pytest.mark.parametrize("body", ['{"hours": true}', '{"hours": "4h"}', '{"hours": null}', "[4]", "{bad json"])
def test_snooze_rejects_bad_json_bodies(client, three, body):
    r = client.post(f"/api/alerts/{three['c1'].pk}/snooze", body, content_type="application/json", **basic("operator"))
    assert r.status_code == 400 and r.json()["code"] == "InvalidParameterValue"


def test_snooze_rules_who_and_what(client, three):
    a = three["c1"]
    assert client.post(f"/api/alerts/{a.pk}/snooze", {"hours": "1"}, **basic("viewer")).status_code == 403
    assert client.post(f"/api/alerts/{a.pk}/snooze", {"hours": "1"}).status_code == 401
    client.post(f"/api/alerts/{a.pk}/resolve", **basic("operator"))
    r = client.post(f"/api/alerts/{a.pk}/snooze", {"hours": "1"}, **basic("operator"))
    assert r.status_code == 409 and r.json()["code"] == "Conflict"
    assert client.get("/api/alerts", **basic("operator")).status_code == 200
    assert client.post("/api/alerts", **basic("operator")).status_code == 405


def test_the_open_list_and_counts_follow_the_layers_access(client, three):
    hidden = _alert("t:security", "critical", domain="security")
    body = client.get("/api/alerts", **basic("viewer")).json()
    assert hidden.pk not in [a["id"] for a in body["alerts"]] and body["counts"]["critical"] == 2
    body = client.get("/api/alerts", **basic("admin")).json()
    assert hidden.pk in [a["id"] for a in body["alerts"]] and body["counts"]["critical"] == 3
    assert client.post(f"/api/alerts/{three['c1'].pk}/resolve", **basic("operator")).json()["counts"]["critical"] == 1


def test_every_word_of_the_alert_table_has_an_english_translation():
    """Until the catalogue is merged, the alerts' new msgids live in locale/en/.../alerts.po.part."""
    catalogue = "".join(p.read_text() for p in (ROOT / "locale/en/LC_MESSAGES").glob("*.po*"))
    known = set(re.findall(r'^msgid "(.+)"$', catalogue, re.M))
    template = (ROOT / "frontend/templates/frontend/_alerts.html").read_text()
    used = set(re.findall(r'{% translate "([^"]+)" %}', template)) | set(re.findall(r"{% translate '([^']+)' %}", template))
    used |= set(re.findall(r"{% blocktranslate[^%]*%}(.+?){% endblocktranslate %}", template))
    used = {re.sub(r"{{ (\w+) }}", r"%(\1)s", s) for s in used}
    code = Path(alerts.__file__).read_text() + (ROOT / "frontend/alert_views.py").read_text()
    used |= set(re.findall(r'\b_\("([^"]+)"\)', code)) | set(re.findall(r'pgettext\("alert severity", "([^"]+)"\)', code))
    assert used and used <= known, sorted(used - known)


def test_the_migration_holds_only_keys_staff_closed_and_nobody_reopened():
    """Migration 0018 on alerts closed before it: which keys stay held."""
    from importlib import import_module

    from django.db import connection

    Alert.objects.all().delete()
    operator, closed = User.objects.get(username="operator"), timezone.now() - timedelta(days=1)
    by_rules = _alert("m:rules", "warning", hours_ago=30, resolved_at=closed)
    by_staff = _alert("m:staff", "warning", hours_ago=30, resolved_at=closed, resolved_by=operator)
    reopened = _alert("m:again", "warning", hours_ago=30, resolved_at=closed, resolved_by=operator)
    _alert("m:again", "warning", hours_ago=2)
    with connection.cursor() as cur:
        cur.execute(import_module("layers.migrations.0018_alert_snooze").MARK_CLEARED)
    for a in (by_rules, by_staff, reopened):
        a.refresh_from_db()
    assert by_rules.cause_cleared_at == closed and reopened.cause_cleared_at == closed
    assert by_staff.cause_cleared_at is None
