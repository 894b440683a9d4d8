"""End-to-end tests: real clients (GDAL, QGIS, OWSLib, Chromium) against a real gunicorn, a
database that goes down, a streaming replica. Marked `e2e`; `make test` runs them too."""

import pytest

from tests.helpers import CHROMIUM


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    # imported here: Playwright is a test-only dependency of the browser tests
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield b
        b.close()
