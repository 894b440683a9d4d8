"""Issue 11: a time-enabled layer on the portal is drawn one indicator and one period at a
time, classified, with a legend; the slider changes the map; requests carry only the choice."""

import shutil
from urllib.parse import parse_qs, urlparse

import pytest

from tests.helpers import CHROMIUM

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="make test installs Debian's chromium")
LAYER = "socioeconomic-indicators"


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="vi-VN", bypass_csp=True)
    pg = context.new_page()
    problems, requests = [], []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    pg.on("request", lambda r: requests.append(r.url) if f"/collections/{LAYER}/items" in r.url else None)
    pg.problems, pg.layer_requests = problems, requests
    yield pg
    context.close()
    assert not problems, problems


def time_state(page):
    return page.evaluate(f"window.iocPortal.state['{LAYER}'].handle.tm.state()")


def test_socioeconomic_indicator_by_month_is_a_classified_map_with_a_legend(page, live_url):
    page.goto(live_url + "/")
    page.check(f'label[data-layer="{LAYER}"] input')
    page.wait_for_selector(".timemap select[data-tm=dim]")
    page.select_option(".timemap select[data-tm=dim]", "budget_revenue_pct")
    page.wait_for_function(f"(window.iocPortal.state['{LAYER}'].handle.tm.state().shown || 0) > 0")
    first = time_state(page)
    districts = page.evaluate("fetch('/ogc/collections/admin-districts/items?f=json&limit=100')"
                              ".then(r => r.json()).then(j => j.features.length)")
    assert first["dim"] == "budget_revenue_pct" and first["level"] == "district"
    assert first["shown"] == districts  # one polygon per unit for that month
    assert len({c.split(":")[0] for c in first["colours"]}) == districts
    legend = page.locator("#legend").inner_text()
    assert "Tỷ lệ thu ngân sách so với kế hoạch" in legend and "%" in legend and "Đạt" in legend

    # every request for the layer carries only that indicator, level and one period
    for url in page.layer_requests:
        q = parse_qs(urlparse(url).query)
        assert q["indicator"] == ["budget_revenue_pct"] and q["level"] == ["district"], url
        assert "/" not in q["datetime"][0] and len(q["datetime"][0]) == 10, url

    # moving the period slider a month back draws that month
    before = len(page.layer_requests)
    page.evaluate("(() => { const s = document.querySelector('.timemap input[type=range]');"
                  " s.value = +s.value - 1; s.dispatchEvent(new Event('input')); })()")
    page.wait_for_function(f"window.iocPortal.state['{LAYER}'].handle.tm.state().period !== '{first['period']}'")
    page.wait_for_function(f"window.iocPortal.state['{LAYER}'].handle.tm.state().colours.join() !== "
                           f"{first['colours']!r}.join()")
    second = time_state(page)
    assert second["period"] < first["period"] and second["shown"] == districts
    new = page.layer_requests[before:]
    assert any(parse_qs(urlparse(u).query)["datetime"] == [second["period"]] for u in new)
    assert page.locator(".timemap .tm-period").inner_text().startswith("tháng ")
