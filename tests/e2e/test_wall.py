"""The operations wall in a real browser (Debian's Chromium driven by Playwright) at wall sizes:
one screen without scrolling, the feed and the cards present, no console error or failed
request, a refresh that updates the page in place, and the rotation through the domains."""

import shutil

import pytest

from layers.models import Alert
from operations import alerts
from tests.helpers import CHROMIUM, DEMO_PASSWORD, in_a_thread

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="make test installs Debian's chromium")


@pytest.fixture(scope="module")
def open_alerts(django_db_setup, django_db_blocker):
    """Alerts for the feed; the ones opened here are removed afterwards."""
    with django_db_blocker.unblock():
        before = in_a_thread(lambda: set(Alert.objects.values_list("pk", flat=True)))
        in_a_thread(alerts.evaluate)
    yield
    with django_db_blocker.unblock():
        in_a_thread(lambda: Alert.objects.exclude(pk__in=before).delete())


def _wall(browser, live_url, width, height, query=""):
    # bypass_csp: Playwright's own waiting evaluates strings in the page, which our policy
    # forbids; test_content_security_policy.py checks the policy itself
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: problems.append(f"outside request: {r.url}")
            if not r.url.startswith((live_url, "data:")) else None)
    page.goto(f"{live_url}/accounts/login/?next=/wall/{query}")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/wall/{query}")
    page.wait_for_selector("#wall-feed li", timeout=20_000)
    page.wait_for_selector("#wall-legend .lg", timeout=20_000)  # the map's layers arrived
    page.wait_for_load_state("networkidle")
    return context, page, problems


def _overflow(page) -> dict:
    return page.evaluate("""() => ({w: document.documentElement.scrollWidth, iw: innerWidth,
                                    h: document.documentElement.scrollHeight, ih: innerHeight})""")


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160)])
def test_the_wall_fills_one_screen_and_refreshes_in_place(browser, live_url, open_alerts, width, height):
    context, page, problems = _wall(browser, live_url, width, height)
    try:
        o = _overflow(page)
        assert o["w"] <= o["iw"] and o["h"] <= o["ih"], o
        assert page.locator(".wcard").count() == 11
        assert page.locator(".wcard .state").first.inner_text().strip()
        visible = page.locator("#wall-feed li:not([hidden])")
        assert visible.count() >= 3
        severities = page.eval_on_selector_all("#wall-feed li", "ls => ls.map(l => l.classList.contains('sev-critical'))")
        assert severities == sorted(severities, reverse=True)  # critical first
        # readable from three metres: the root size (body text) follows the screen
        root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert root >= 28 * height / 1080
        value = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.wcard .val')).fontSize)")
        assert value >= 1.25 * root
        assert page.locator("#wall-map .leaflet-interactive, #wall-map path").count() > 0
        assert page.locator("#wall-clock").inner_text().count(":") == 2
        assert page.locator("#wall-date").inner_text().count("/") == 2

        stamp = page.locator("#wall-updated").inner_text()
        assert stamp.startswith("Cập nhật lúc")
        page.evaluate("() => { window.__sameDocument = true; }")
        page.wait_for_timeout(1100)  # the stamp shows seconds
        page.evaluate("() => window.iocWall.refresh()")
        assert page.locator("#wall-updated").inner_text() != stamp
        assert page.evaluate("() => window.__sameDocument === true")  # updated in place, not reloaded
        assert page.evaluate("() => window.iocWall.refreshSeconds") <= 60
        # the server goes away: the page keeps what it shows and says since when
        seen = len(problems)
        page.route("**/api/wall", lambda route: route.fulfill(
            status=503, content_type="application/json", body='{"code": "ServiceUnavailable", "description": "-"}'))
        page.evaluate("() => window.iocWall.refresh()")
        assert "stale" in page.locator("#wall-updated").get_attribute("class")
        assert page.locator(".wcard").count() == 11 and page.locator("#wall-feed li").count() > 0
        page.unroute("**/api/wall")
        page.evaluate("() => window.iocWall.refresh()")
        assert "stale" not in page.locator("#wall-updated").get_attribute("class")
        problems[seen:] = [p for p in problems[seen:] if "503" not in p]  # the outage we made
    finally:
        context.close()
    assert not problems, problems


def test_the_wall_stacks_on_a_phone_without_sideways_scrolling(browser, live_url, open_alerts):
    context, page, problems = _wall(browser, live_url, 390, 844)
    try:
        o = _overflow(page)
        assert o["w"] <= o["iw"], o
        assert page.locator(".wcard").count() == 11
    finally:
        context.close()
    assert not problems, problems


def test_the_wall_rotates_through_the_domain_views(browser, live_url, open_alerts):
    context, page, problems = _wall(browser, live_url, 1920, 1080, "?rotate=10")
    try:
        assert page.evaluate("() => window.iocWall.current()") == "province"
        assert page.locator(".wcard.focus").count() == 0
        page.wait_for_function("() => window.iocWall.current() !== 'province'", timeout=15_000)
        domain = page.evaluate("() => window.iocWall.current()")
        assert page.locator(f'.wcard.focus[data-domain="{domain}"]').count() == 1
        title = page.locator(f'.wcard[data-domain="{domain}"] h3').inner_text()
        assert page.locator("#wall-view").inner_text() == title
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not problems, problems
