"""The portal in a real browser (Debian's Chromium driven by Playwright): no console errors,
no failed requests, layers toggle, popups open, parcels appear from a sensible zoom."""

import shutil

import pytest

from tests.helpers import CHROMIUM

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="make test installs Debian's chromium")


@pytest.fixture
def page(browser, live_url):
    # bypass_csp: Playwright's own waiting (wait_for_function) evaluates strings in the page,
    # which our policy forbids; test_content_security_policy.py checks the policy itself
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US", bypass_csp=True)
    pg = context.new_page()
    problems = []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # a request the page itself cancels (a layer switched off while loading) is not a failure
    pg.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} {r.failure}")
          if "ERR_ABORTED" not in (r.failure or "") else None)
    pg.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    pg.problems = problems
    yield pg
    context.close()
    assert not problems, problems


def layer_count(page, layer_id: str) -> str:
    sel = f'label[data-layer="{layer_id}"] .count'
    page.wait_for_function(f"document.querySelector('{sel}').textContent.length > 0", timeout=20_000)
    return page.locator(sel).inner_text()


def test_portal_loads_toggles_a_layer_and_opens_a_popup(page, live_url):
    page.goto(live_url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"  # Vietnamese by default, whatever the browser says
    assert page.get_by_text("Trường học").first.is_visible()
    assert int(layer_count(page, "schools").replace(",", "").replace(".", "")) > 300
    page.check('label[data-layer="traffic-black-spots"] input')
    spots = page.evaluate("fetch('/ogc/collections/traffic-black-spots/items?resulttype=hits&f=json').then(r => r.json())")
    assert layer_count(page, "traffic-black-spots") == str(spots["numberMatched"])
    # click where a black spot is drawn, as a user would
    x, y = page.evaluate("""() => {
        const p = window.iocPortal;
        const marker = p.state["traffic-black-spots"].handle.geo.getLayers()[0];
        p.map.setView(marker.getLatLng(), 13, {animate: false});
        const pt = p.map.latLngToContainerPoint(marker.getLatLng());
        const box = document.getElementById("map").getBoundingClientRect();
        return [box.left + pt.x, box.top + pt.y];
    }""")
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Điểm đen" in text or "Trường" in text or "Trạm" in text or "Phòng khám" in text
    assert "Xã/phường" in text
    legend = page.locator("#legend").inner_text()
    assert "Điểm đen tai nạn giao thông" in legend
    page.uncheck('label[data-layer="traffic-black-spots"] input')
    assert "Điểm đen tai nạn giao thông" not in page.locator("#legend").inner_text()


def test_parcels_are_drawn_from_vector_tiles_from_a_middle_zoom(page, live_url):
    page.goto(live_url + "/")
    tiles = []
    page.on("response", lambda r: tiles.append(r.status) if "/tiles/WebMercatorQuad/" in r.url else None)
    page.check('label[data-layer="land-parcels"] input')
    page.wait_for_timeout(500)
    assert "needs-zoom" in page.locator('label[data-layer="land-parcels"]').get_attribute("class")
    assert not tiles  # nothing is fetched at the province view
    first = page.evaluate("fetch('/ogc/collections/land-parcels/items?limit=1&f=json').then(r => r.json())")
    ring = first["features"][0]["geometry"]["coordinates"][0][0]
    lon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
    lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
    page.evaluate(f"window.iocPortal.map.setView([{lat}, {lon}], 17, {{animate: false}})")
    page.wait_for_function("document.querySelectorAll('.leaflet-areas-pane canvas').length > 0", timeout=15_000)
    page.wait_for_timeout(800)
    assert tiles and all(s in (200, 204) for s in tiles)
    assert "needs-zoom" not in page.locator('label[data-layer="land-parcels"]').get_attribute("class")
    for lyr in ("admin-districts", "schools", "health-facilities", "tourist-sites"):
        page.uncheck(f'label[data-layer="{lyr}"] input')
    x, y = page.evaluate(f"""() => {{
        const p = window.iocPortal, pt = p.map.latLngToContainerPoint([{lat}, {lon}]);
        const box = document.getElementById("map").getBoundingClientRect();
        return [box.left + pt.x, box.top + pt.y];
    }}""")
    page.mouse.click(x, y)
    page.wait_for_selector(".leaflet-popup-content .popup", timeout=10_000)
    assert first["features"][0]["properties"]["land_use"] in page.locator(".leaflet-popup-content").inner_text()


def test_english_is_available(page, live_url):
    page.goto(live_url + "/")
    page.click("button[value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Schools").first.is_visible()


@pytest.mark.parametrize("path", ["/ogc?f=html", "/ogc/collections?f=html",
                                  "/ogc/collections/schools/items?f=html&limit=20",
                                  "/ogc/collections/schools/items/1?f=html", "/ogc/openapi?f=html"])
def test_pygeoapi_html_pages_work_offline(page, live_url, path):
    """pygeoapi's own pages load Leaflet, Bootstrap and Swagger UI from our static files."""
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith((live_url, "data:")) else None)
    page.goto(live_url + path)
    page.wait_for_load_state("networkidle")
    assert not external, external


def test_staff_see_history_in_a_popup_and_export_from_the_portal(page, live_url):
    page.goto(live_url + "/accounts/login/?next=/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_url(live_url + "/")
    assert "security-incidents" not in page.content()
    layer_count(page, "tourist-sites")
    page.evaluate("""() => {
        const p = window.iocPortal, m = p.state["tourist-sites"].handle.geo.getLayers()[0];
        p.map.setView(m.getLatLng(), 14, {animate: false}); m.openPopup();
    }""")
    page.click(".leaflet-popup-content .show-history")
    page.wait_for_function("document.querySelector('.leaflet-popup-content .history').textContent.length > 0")
    with page.expect_download() as dl:
        page.select_option("#export-layer", "schools")
        page.select_option("#export-format", "csv")
        page.uncheck("#export-view")
        page.click("#export-go")
    assert dl.value.suggested_filename == "schools.csv"


def test_dashboard_and_every_domain_view_load_without_errors(page, live_url):
    page.goto(live_url + "/accounts/login/?next=/dashboard/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_url(live_url + "/dashboard/")
    domains = page.eval_on_selector_all(".card", "cs => cs.map(c => c.dataset.domain)")
    assert len(domains) == 11
    for d in domains:
        page.goto(f"{live_url}/dashboard/{d}/?district=694")
        page.wait_for_load_state("networkidle")
        assert page.locator("#chart").is_visible()
        assert page.locator("#domain-map .leaflet-pane").count() > 0


def test_briefing_opens_offline(page, live_url):
    page.goto(live_url + "/accounts/login/?next=/dashboard/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "demo1234")
    page.click("button[type=submit]")
    html = page.request.get(f"{live_url}/dashboard/traffic/briefing.html").text()
    requested = []
    page.route("**/*", lambda route: (requested.append(route.request.url), route.abort()))
    page.goto("about:blank")  # a briefing is a file of its own, not a page under our policy
    page.set_content(html)
    page.wait_for_selector(".leaflet-container")
    assert page.locator(".leaflet-interactive").count() > 10
    assert not requested, requested


def test_rasters_show_with_legend_and_a_value_on_click(page, live_url):
    page.goto(live_url + "/")
    for lyr in ("admin-districts", "schools", "health-facilities", "tourist-sites"):
        page.uncheck(f'label[data-layer="{lyr}"] input')
    page.check('label[data-raster="land-cover"] input[type=checkbox]')
    page.wait_for_function("document.getElementById('legend').textContent.includes('Mặt nước')", timeout=15_000)
    page.wait_for_function("document.querySelectorAll('.leaflet-rasters-pane img.leaflet-tile-loaded').length > 0",
                           timeout=15_000)
    x, y = page.evaluate("""() => {
        const p = window.iocPortal, pt = p.map.latLngToContainerPoint([11.5362, 106.8895]);
        const box = document.getElementById("map").getBoundingClientRect();
        return [box.left + pt.x, box.top + pt.y];
    }""")
    page.mouse.click(x, y)
    page.wait_for_selector(".raster-values")
    assert "Lớp phủ mặt đất" in page.locator(".raster-values").inner_text()
