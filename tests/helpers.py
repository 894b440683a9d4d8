"""Helpers shared by the tests: credentials, free ports, a real server, where things are."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("IOC_CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = "demo1234"


def basic(username, password=DEMO_PASSWORD):
    """Django test-client headers for HTTP Basic as one of the demo accounts."""
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def if_match(client, path: str, **headers) -> dict:
    """Django test-client headers naming the current version of a feature (writes require it)."""
    return {"HTTP_IF_MATCH": client.get(path, **headers)["ETag"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env_extra: dict, port: int) -> subprocess.Popen:
    env = {**os.environ, **env_extra}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "gis_server.wsgi", "-b", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "60", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
            return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start in 60 s")


def in_a_thread(fn):
    """Django refuses database calls in a thread with an event loop (Playwright's): run elsewhere."""
    def run():
        try:
            return fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def signed_in_context(browser, live_url: str, username: str, landing: str):
    """A Vietnamese browser context signed in as `username` through the login form. bypass_csp:
    Playwright's waiting evaluates strings in the page, which our policy forbids."""
    ctx = browser.new_context(locale="vi-VN", bypass_csp=True)
    page = ctx.new_page()
    page.goto(f"{live_url}/accounts/login/?next={landing}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_url + landing)
    page.close()
    return ctx
