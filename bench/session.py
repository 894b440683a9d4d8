"""What the HTTP benchmarks share: a signed-in session and p50/p99 of a list of times."""

from __future__ import annotations

import re
import statistics

import requests


def login(url: str, user: str, password: str, session: requests.Session | None = None) -> requests.Session:
    """A session signed in through the login form (CSRF token and Referer as a browser sends them)."""
    s = session or requests.Session()
    page = s.get(f"{url}/accounts/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    r = s.post(f"{url}/accounts/login/", data={"username": user, "password": password,
                                                "csrfmiddlewaretoken": token, "next": "/"},
               headers={"Referer": f"{url}/accounts/login/"}, timeout=30)
    r.raise_for_status()
    return s


def p50_p99(times: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(times, n=100, method="inclusive")
    return q[49], q[98]
