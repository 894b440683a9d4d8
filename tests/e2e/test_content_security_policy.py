"""Our pages satisfy their own Content-Security-Policy in Chromium: no inline script, no eval
(issue 10, defect 10). Only CDP evaluation (not subject to the policy) drives the pages here."""

import shutil

import pytest

from tests.helpers import CHROMIUM, DEMO_PASSWORD

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="make test installs Debian's chromium")
WATCH = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});"""


@pytest.mark.parametrize("size", [(1920, 1080), (390, 844)])
def test_portal_dashboards_and_field_editor_break_no_rule_of_their_policy(browser, live_url, size):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    ctx.add_init_script(WATCH)
    page = ctx.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_url + "/accounts/login/?next=/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url + "/")
    for path in ["/", "/dashboard/", "/dashboard/health/?district=694", "/dashboard/public_services/",
                 "/dashboard/supply/", "/field/"]:
        response = page.goto(live_url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        if path == "/":  # draw a few layers and a raster
            for layer in ("schools", "traffic-accidents", "socioeconomic-indicators"):
                page.locator(f'label[data-layer="{layer}"] input').click()
            page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp || []") == [], path
    assert not errors, errors
    ctx.close()
