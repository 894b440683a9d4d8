"""Issue 12, the web entry form in Debian's Chromium: so_yte opens last week's disease report,
types values with the keyboard only (Enter moves down a column, Tab along a row), submits and
sees the confirmation; a value out of range is refused beside its input. Screenshots at desktop,
phone and 4K sizes go to var/screenshots/; the page is never wider than the screen."""

from __future__ import annotations

import shutil

import pytest
from django.utils import timezone

from layers.models import DiseaseWeekly, Submission
from operations.intake.periods import period_code, period_start, previous_period
from tests.e2e.test_pages import SHOTS, SIZES, english_words
from tests.helpers import CHROMIUM, DEMO_PASSWORD, in_a_thread, signed_in_context

USERNAMES = {"so_yte", "ld_yte"}  # who entered or approved a row: account names, not codes
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="make test installs Debian's chromium")


@pytest.fixture(scope="module")
def last_week(django_db_blocker, live_url):
    """Last week's disease reports start empty (committed: the live server reads them)."""
    week = previous_period("weekly", period_start("weekly", timezone.localdate()))
    with django_db_blocker.unblock():
        in_a_thread(lambda: Submission.objects.filter(dataset="disease_weekly", period=week).delete())
    return week, period_code("weekly", week)


@pytest.fixture(scope="module")
def officer(browser, live_url):
    ctx = signed_in_context(browser, live_url, "so_yte", "/intake/")
    yield ctx
    ctx.close()


def _problems(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: found.append(f"page error: {e}"))
    return found


def _check(page, shot: str) -> list[str]:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    out = [f"{shot}: {width} px wide on a {inner} px screen"] if width > inner else []
    words = [w for w in english_words(page.evaluate("document.body.innerText")) if w not in USERNAMES]
    out += [f"{shot}: English or a raw code: {w!r}" for w in words]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"))
    return out


def test_an_officer_types_last_weeks_report_with_the_keyboard_and_submits_it(officer, live_url, last_week,
                                                                             django_db_blocker):
    week, code = last_week
    page = officer.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    problems = _problems(page)
    page.goto(live_url + "/intake/")
    page.click(f"[data-dataset=disease_weekly] a[href='/intake/disease_weekly/{code}/']")
    page.wait_for_url(f"{live_url}/intake/disease_weekly/{code}/")
    first = page.locator("#grid tbody tr").nth(0)
    second = page.locator("#grid tbody tr").nth(1)
    dengue1, hfmd1 = first.locator("input[inputmode]").nth(0), first.locator("input[inputmode]").nth(1)
    dengue2, hfmd2 = second.locator("input[inputmode]").nth(0), second.locator("input[inputmode]").nth(1)
    page.wait_for_function("document.activeElement && document.activeElement.matches('#grid input')")
    assert dengue1.evaluate("e => e === document.activeElement")  # the first empty cell has the focus
    page.keyboard.type("12")
    page.keyboard.press("Enter")  # down the column
    assert dengue2.evaluate("e => e === document.activeElement")
    page.keyboard.type("3")
    page.keyboard.press("Tab")  # along the row
    assert hfmd2.evaluate("e => e === document.activeElement")
    page.keyboard.type("0")
    page.keyboard.press("Shift+Enter")  # up the column
    assert hfmd1.evaluate("e => e === document.activeElement")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    assert page.url.endswith(f"/{code}/")  # Enter moved the focus; it did not send the form
    page.click("#submit-report")
    page.wait_for_selector("#messages")
    assert "Đã gửi báo cáo: 4 giá trị." in page.inner_text("#messages")
    assert first.locator(".state-word").inner_text() == "Đã gửi, chờ duyệt"
    assert dengue1.input_value() == "12" and hfmd2.input_value() == "0"
    def stored():
        orgs = list(Submission.objects.filter(dataset="disease_weekly", period=week, status="submitted")
                    .values_list("org_id", flat=True))
        return len(orgs), DiseaseWeekly.objects.filter(week=week, commune_id__in=orgs).count()

    with django_db_blocker.unblock():
        assert in_a_thread(stored) == (2, 4)  # two communes submitted, both diseases on the map
    page.close()
    assert not problems, problems


def test_a_value_out_of_range_is_marked_as_typed_and_refused_beside_its_input(officer, live_url, last_week):
    _week, code = last_week
    page = officer.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_url}/intake/disease_weekly/{code}/")
    row = page.locator("#grid tbody tr").nth(2)
    cell = row.locator("input[inputmode]").nth(0)
    cell.fill("1.250")
    cell.press("Tab")
    assert "vượt mức tối đa 500" in row.locator("td.cell").nth(0).inner_text()  # said at once, in the browser
    row.locator("input[inputmode]").nth(1).fill("2")
    page.click("#save-draft")
    page.wait_for_selector("#grid-errors")
    assert "1.250 vượt mức tối đa 500" in row.locator("td.cell").nth(0).inner_text()
    assert cell.input_value() == "1.250" and cell.get_attribute("aria-invalid") == "true"
    page.close()


def _sheet(page, live_url, code, unit, values) -> bytes:
    """The CSV template of the period with one unit's row filled in."""
    r = page.request.get(f"{live_url}/api/datasets/disease_weekly/template?period={code}&format=csv")
    assert r.ok, r.status
    lines = r.body().decode("utf-8-sig").splitlines()
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == unit:
            cells[3:5] = values
            lines[i] = ",".join(cells)
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def test_a_filled_template_is_uploaded_from_the_page_with_its_report(officer, live_url, last_week):
    _week, code = last_week
    page = officer.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    problems = _problems(page)
    page.goto(f"{live_url}/intake/disease_weekly/{code}/")
    row = page.locator("#grid tbody tr").nth(3)
    unit = row.get_attribute("data-unit")
    page.set_input_files("#upload-form input[name=file]", files=[{
        "name": "sot-xuat-huyet.csv", "mimeType": "text/csv", "buffer": _sheet(page, live_url, code, unit, ["1250", "2"])}])
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-report.bad li")
    report = page.inner_text("#upload-report")
    assert "không lưu giá trị nào" in report and "vượt mức tối đa 500" in report, report
    page.set_input_files("#upload-form input[name=file]", files=[{
        "name": "sot-xuat-huyet.csv", "mimeType": "text/csv", "buffer": _sheet(page, live_url, code, unit, ["7", "1"])}])
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-report.good")
    assert "Đã lưu" in page.inner_text("#upload-report")
    page.screenshot(path=str(SHOTS / "intake-upload-desktop.png"), full_page=True)
    page.click("#upload-report a")  # the grid again, with the values of the file
    page.wait_for_load_state("load")
    row = page.locator(f"#grid tbody tr[data-unit='{unit}']")
    assert row.locator("input[inputmode]").nth(0).input_value() == "7"
    assert row.locator(".state-word").inner_text() == "Đã gửi, chờ duyệt"
    page.close()
    assert not [p for p in problems if "422" not in p], problems  # the refused upload's 422 is expected


@pytest.mark.parametrize("size", list(SIZES))
def test_the_intake_pages_fit_every_screen(officer, live_url, last_week, size):
    _week, code = last_week
    width, height = SIZES[size]
    page = officer.new_page()
    page.set_viewport_size({"width": width, "height": height})
    problems = _problems(page)
    page.goto(live_url + "/intake/")
    problems += _check(page, f"intake-{size}")
    page.goto(f"{live_url}/intake/disease_weekly/{code}/")
    page.wait_for_function("document.activeElement && document.activeElement.matches('#grid input')")
    problems += _check(page, f"intake-entry-{size}")
    box = page.eval_on_selector(".grid-box", "b => [b.scrollWidth, b.clientWidth]")
    if size == "phone":
        assert box[0] > box[1], "on a phone the grid scrolls inside its box"
        page.eval_on_selector(".grid-box", "b => { b.scrollLeft = 400; }")
        left = page.eval_on_selector("#grid tbody th.unit", "th => th.getBoundingClientRect().left"
                                     " - th.closest('.grid-box').getBoundingClientRect().left")
        assert left <= 2, "the units' names stay on the left while the grid scrolls"
        page.screenshot(path=str(SHOTS / f"intake-entry-{size}-scrolled.png"))
    page.close()
    assert not problems, problems


def test_an_administrator_approves_the_week_and_reopens_one_row(browser, live_url, last_week):
    _week, code = last_week
    ctx = browser.new_context(locale="vi-VN", bypass_csp=True, viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    problems = _problems(page)
    page.goto(f"{live_url}/accounts/login/?next=/intake/disease_weekly/{code}/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/intake/disease_weekly/{code}/")
    page.click("#approve")
    page.wait_for_selector("#messages")
    assert "Đã phê duyệt" in page.inner_text("#messages")
    row = page.locator("#grid tbody tr.row-approved").first
    assert row.locator("input[inputmode]").first.get_attribute("readonly") is not None
    row.locator(".reopen input").fill("Xã báo sai số ca")
    row.locator(".reopen input").press("Enter")  # Enter in the reason reopens that row
    page.wait_for_selector("#messages")
    assert "Đã mở lại báo cáo" in page.inner_text("#messages")
    assert "mở lại bởi admin: Xã báo sai số ca" in page.inner_text("#grid")
    problems += _check(page, "intake-entry-admin-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    problems += _check(page, "intake-entry-admin-phone")
    ctx.close()
    assert not problems, problems
