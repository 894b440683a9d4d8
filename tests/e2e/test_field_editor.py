"""The field editor at phone size (390×844) in Debian's Chromium: log in, add a school with a
photo, edit it, see the change and its history; an edit made offline is queued and sent once."""

import shutil
import uuid

import pytest
import requests
from PIL import Image

from tests.helpers import CHROMIUM, DEMO_PASSWORD

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium")


@pytest.fixture
def phone(browser, live_url):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, bypass_csp=True,
                              geolocation={"latitude": 11.545, "longitude": 106.895}, permissions=["geolocation"])
    pg = ctx.new_page()
    problems = []
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.request.method} {r.url}") if r.status >= 500 else None)
    pg.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" and "net::ERR_INTERNET_DISCONNECTED" not in m.text else None)
    pg.goto(live_url + "/field/")
    pg.fill("input[name=username]", "editor")
    pg.fill("input[name=password]", "demo1234")
    pg.click("button[type=submit]")
    pg.wait_for_url("**/field/")
    yield pg, ctx
    ctx.close()
    assert not problems, problems


def photo_file(tmp_path):
    path = tmp_path / "truong.jpg"
    Image.new("RGB", (64, 48), (30, 120, 200)).save(path, "JPEG")
    return path


def feature(live_url, fid):
    return requests.get(f"{live_url}/ogc/collections/schools/items/{fid}", timeout=30).json()


def test_add_a_school_with_a_photo_edit_it_and_see_its_history(phone, live_url, tmp_path):
    pg, _ = phone
    pg.select_option("#layer", "schools")
    pg.click("#gps")
    pg.wait_for_timeout(500)
    pg.click("#add")
    pg.click("#gps")  # put the new point where the phone is
    pg.wait_for_timeout(300)
    pg.fill("input[name=name]", "Trường Tiểu học Hiện Trường")
    pg.select_option("select[name=level]", "tieu_hoc")
    pg.fill("input[name=students]", "420")
    pg.fill("input[name=teachers]", "18")
    pg.set_input_files("#photo", str(photo_file(tmp_path)))
    pg.click("#save")
    pg.wait_for_function("document.getElementById('form-title').textContent.includes('#')", timeout=15_000)
    fid = int(pg.locator("#form-title").inner_text().split("#")[1].split()[0])
    f = feature(live_url, fid)
    assert f["properties"]["name"] == "Trường Tiểu học Hiện Trường"
    assert f["geometry"]["coordinates"] == pytest.approx([106.895, 11.545], abs=1e-5)
    assert f["properties"]["commune"]  # joined by the database
    photos = pg.evaluate(f"fetch('/api/layers/schools/items/{fid}/photos').then(r => r.json())")
    assert len(photos["photos"]) == 1

    pg.fill("input[name=students]", "455")
    pg.click("#save")
    pg.wait_for_function("document.getElementById('history').textContent.includes('455')", timeout=15_000)
    history = pg.locator("#history").inner_text()
    assert "Sửa" in history and "420" in history and "455" in history and "editor" in history
    assert feature(live_url, fid)["properties"]["students"] == 455


def test_an_edit_made_offline_is_queued_and_sent_once(phone, live_url):
    pg, ctx = phone
    pg.select_option("#layer", "schools")
    before = requests.get(f"{live_url}/ogc/collections/schools/items?resulttype=hits", timeout=30).json()["numberMatched"]
    pg.click("#add")
    name = f"Trường Ngoại Tuyến {uuid.uuid4().hex[:6]}"
    pg.fill("input[name=name]", name)
    pg.select_option("select[name=level]", "mam_non")
    pg.fill("input[name=students]", "90")
    pg.fill("input[name=teachers]", "7")
    ctx.set_offline(True)
    pg.click("#save")
    pg.wait_for_function("document.getElementById('queue').textContent.length > 0", timeout=10_000)
    assert pg.evaluate("window.iocField.queue().length") == 1
    ctx.set_offline(False)
    pg.evaluate("window.iocField.flush()")
    pg.wait_for_function("window.iocField.queue().length === 0", timeout=15_000)
    pg.evaluate("window.iocField.flush()")  # a second flush sends nothing again
    after = requests.get(f"{live_url}/ogc/collections/schools/items?resulttype=hits", timeout=30).json()["numberMatched"]
    assert after == before + 1
    found = requests.get(f"{live_url}/ogc/collections/schools/items", {"q": name}, timeout=30).json()
    assert found["numberMatched"] == 1


def test_reshape_a_parcel_by_dragging_a_vertex(phone, live_url):
    pg, _ = phone
    first = requests.get(f"{live_url}/ogc/collections/land-parcels/items?limit=1", timeout=30).json()["features"][0]
    ring = first["geometry"]["coordinates"][0][0]
    pg.select_option("#layer", "land-parcels")
    pg.evaluate(f"window.iocField.map.setView([{ring[0][1]}, {ring[0][0]}], 18, {{animate: false}})")
    pg.evaluate(f"window.iocField.openExisting({first['id']})")
    pg.locator(".leaflet-editing-icon").first.wait_for(timeout=10_000)
    pg.wait_for_timeout(800)  # let the map settle (the first GPS fix may pan it)
    before = pg.evaluate("JSON.stringify(window.iocField.geometry())")
    # a vertex the user can reach: on a phone the form sheet covers the lower part of the map
    x, y = pg.evaluate("""() => {
        for (const el of document.querySelectorAll(".leaflet-editing-icon")) {
            const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
            if (document.elementFromPoint(x, y) === el) return [x, y];
        }
        return null;
    }""") or pg.evaluate("window.iocField.map.panBy([0, -300], {animate: false}) && null") or (0, 0)
    pg.mouse.move(x, y)
    pg.mouse.down()
    pg.mouse.move(x + 25, y - 25, steps=5)  # up and away from the form sheet at the bottom
    pg.mouse.up()
    assert pg.evaluate("JSON.stringify(window.iocField.geometry())") != before, "the drag did not move the vertex"
    pg.click("#save")
    pg.wait_for_function("document.getElementById('history').textContent.includes('Sửa')", timeout=15_000)
    after = requests.get(f"{live_url}/ogc/collections/land-parcels/items/{first['id']}", timeout=30).json()
    assert after["geometry"]["type"] == "MultiPolygon"
    assert after["geometry"]["coordinates"] != first["geometry"]["coordinates"]
    assert after["properties"]["land_use"] == first["properties"]["land_use"]
    # put the parcel back: the session's database is shared with the other tests
    url = f"{live_url}/ogc/collections/land-parcels/items/{first['id']}"
    r = requests.patch(url, json={"geometry": first["geometry"]}, auth=("editor", DEMO_PASSWORD), timeout=30,
                       headers={"If-Match": requests.get(url, timeout=30).headers["ETag"],
                                "Content-Type": "application/merge-patch+json"})
    assert r.status_code == 200, r.text
