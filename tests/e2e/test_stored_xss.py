"""Stored XSS, checked where it would run: in Chromium (issue 10, defects 1 and 6)."""

import io
import shutil

import pytest
import requests
from PIL import Image

from tests.helpers import CHROMIUM, DEMO_PASSWORD

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="make test installs Debian's chromium")
PAYLOAD = "window.__pwned = true; document.title = 'pwned'"


def gif_with_a_script() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="GIF")
    return out.getvalue() + f"<script>{PAYLOAD}</script>".encode()


def first_school(live_url):
    return requests.get(f"{live_url}/ogc/collections/schools/items?limit=1", timeout=30).json()["features"][0]


def test_a_photo_with_a_script_never_runs_in_the_browser(browser, live_url):
    school = first_school(live_url)
    r = requests.post(f"{live_url}/api/layers/schools/items/{school['id']}/photos", auth=("editor", DEMO_PASSWORD),
                      files={"photo": ("poly.html", gif_with_a_script(), "text/html")}, timeout=30)
    assert r.status_code == 201, r.text
    page = browser.new_context().new_page()
    page.goto(live_url + r.json()["photos"][0])  # anonymous, as the outside test did
    assert page.evaluate("window.__pwned === undefined") and page.title() != "pwned"
    assert page.evaluate("document.contentType") == "image/png"
    page.context.close()


def test_a_school_named_like_a_script_stays_text_in_the_briefing(browser, live_url, tmp_path):
    school = first_school(live_url)
    url = f"{live_url}/ogc/collections/schools/items/{school['id']}"
    etag = requests.get(url, timeout=30).headers["ETag"]
    evil = f'<img src=x onerror="{PAYLOAD}">'
    r = requests.patch(url, json={"properties": {"name": evil}}, auth=("editor", DEMO_PASSWORD),
                       headers={"If-Match": etag, "Content-Type": "application/merge-patch+json"}, timeout=30)
    assert r.status_code == 200, r.text
    try:
        briefing = requests.get(f"{live_url}/dashboard/education/briefing.html", auth=("admin", DEMO_PASSWORD),
                                timeout=120)
        assert briefing.status_code == 200
        path = tmp_path / "briefing.html"
        path.write_bytes(briefing.content)
        page = browser.new_context().new_page()
        page.goto(path.as_uri())
        page.wait_for_function("typeof L !== 'undefined'")
        # open every tooltip, as hovering over every marker would
        shown = page.evaluate("""() => { let n = 0; for (const k of Object.keys(window)) {
            const m = window[k]; if (!(m instanceof L.Map)) continue;
            m.eachLayer((g) => { if (!g.getTooltip || !g.getTooltip() || !g.eachLayer) return;
                g.eachLayer((f) => { try {
                    const at = f.getLatLng ? f.getLatLng() : f.getBounds().getCenter();
                    f.fire("mouseover", { latlng: at, layer: f }, true);
                    if (document.querySelector(".leaflet-tooltip")) n += 1;
                } catch (e) { /* not drawn at this zoom */ } });
            }); } return n; }""")
        page.wait_for_timeout(500)
        assert shown > 100
        assert page.evaluate("window.__pwned === undefined") and page.title() != "pwned"
        page.context.close()
    finally:
        etag = requests.get(url, timeout=30).headers["ETag"]
        requests.patch(url, json={"properties": {"name": school["properties"]["name"]}}, auth=("editor", DEMO_PASSWORD),
                       headers={"If-Match": etag, "Content-Type": "application/merge-patch+json"}, timeout=30)
