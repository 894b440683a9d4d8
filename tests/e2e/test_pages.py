"""Issue 11: a tour of what users see, in Debian's Chromium at desktop, phone and wall sizes:
the portal, the overview, every domain view, a drill-down to a single feature in every domain,
the wall and the field editor. Any console error, failed request, horizontal overflow, English
word or raw code in the Vietnamese UI, or ungrouped figure fails it. Screenshots go to
var/screenshots/ (ignored by git) to be looked at."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, signed_in_context

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="make test installs Debian's chromium")

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = {"desktop": (1920, 1080), "phone": (390, 844), "wall": (3840, 2160)}
DOMAINS = ("socioeconomic", "public_services", "traffic", "security", "citizen", "health", "education", "land",
           "cyber", "media", "tourism")
# English words that are never Vietnamese (ASCII Vietnamese words such as "an", "do", "to", "in",
# "no", "con", "tin", "ban", "hang" are deliberately absent)
ENGLISH = set("""the and of with from for open opened closed resolved pending warning critical status order online
offline none null undefined true false yes loading error failed unknown total count value date time week month year
name title layer layers map report reports dossier dossiers accident accidents school schools health alert alerts
acknowledge acknowledged resolve snooze show search login logout export download page district districts commune
communes province indicator level period play pause rank change previous partial units source platform negative
positive mentions visitors revenue cases deaths injuries received processing overdue done new other unit feature
features history restore edit save cancel delete add photo photos queue network green amber red grey good bad watch
""".split())
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # snake_case codes such as retail_growth
ALLOWED = {"OGC", "API"}


def english_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z']+", text)
    found = [w for w in words if w.lower() in ENGLISH and w not in ALLOWED]
    return found + RAW_CODE.findall(text) + re.findall(r"\bNaN\b|\[object Object\]", text)


def ungrouped_figures(page) -> list[str]:
    """Figures of five or more digits written without Vietnamese grouping (217931, not 217.931)."""
    cells = page.eval_on_selector_all(".value, td.num, .figure, .card .change",
                                      "els => els.map(e => e.innerText)")
    return [c for c in cells if re.search(r"(?<![\d.,/:-])\d{5,}(?![\d/:-])", c)]


@pytest.fixture(scope="module")
def context(browser, live_url):
    ctx = signed_in_context(browser, live_url, "admin", "/dashboard/")
    yield ctx
    ctx.close()


class Tour:
    def __init__(self, page, live_url: str, size: str):
        self.page, self.url, self.size, self.problems = page, live_url, size, []
        page.on("console", lambda m: self.problems.append(f"{page.url}: console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(f"{page.url}: page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"{page.url}: failed request {r.url} {r.failure}")
                if "ERR_ABORTED" not in (r.failure or "") else None)
        page.on("response", lambda r: self.problems.append(f"{page.url}: HTTP {r.status} {r.url}")
                if r.status >= 400 else None)

    def visit(self, path: str, shot: str, wait: str | None = None) -> None:
        page = self.page
        page.goto(self.url + path)
        page.wait_for_load_state("networkidle")
        if wait:
            try:
                page.wait_for_selector(wait, state="attached", timeout=20_000)
            except Exception:  # Playwright's timeout: say what the page went through
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"failed-{shot}-{self.size}.png"))
                raise AssertionError(f"{path}: no {wait!r}; {self.problems}") from None
        self.check(shot)

    def check(self, shot: str) -> None:
        page = self.page
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > inner:
            self.problems.append(f"{page.url}: {width} px wide on a {inner} px screen")
        for word in english_words(page.evaluate("document.body.innerText")):
            self.problems.append(f"{page.url}: English or a raw code in the Vietnamese UI: {word!r}")
        for cell in ungrouped_figures(page):
            self.problems.append(f"{page.url}: a figure without grouping: {cell!r}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}-{self.size}.png"))


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_reads_well_in_vietnamese_at_every_size(context, live_url, size):
    width, height = SIZES[size]
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    tour = Tour(page, live_url, size)
    tour.visit("/", "portal", ".leaflet-container")
    tour.visit("/dashboard/", "overview", ".card")
    for d in DOMAINS:
        tour.visit(f"/dashboard/{d}/", f"domain-{d}", "#domain-map .leaflet-pane")
        unit = page.locator("#ranking a[href]").first
        assert unit.count(), f"{d}: the ranking has no drill-down link"
        unit.click()
        page.wait_for_load_state("networkidle")
        tour.check(f"unit-{d}")
        feature = page.locator("a[href*='feature=']").first
        assert feature.count(), f"{d}: the unit page links no feature"
        feature.click()
        page.wait_for_selector(".leaflet-popup-content", timeout=20_000)
        page.wait_for_load_state("networkidle")
        tour.check(f"feature-{d}")
    tour.visit("/wall/", "wall", ".leaflet-container")
    tour.visit("/field/", "field", ".leaflet-container")
    page.close()
    assert not tour.problems, "\n".join(tour.problems)
