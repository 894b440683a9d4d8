"""Upward reporting against a local receiving server started by the test (the only outside
world here, and it is real HTTP on loopback)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from layers.models import ReportDelivery
from operations import reporting
from tests.helpers import free_port

pytestmark = pytest.mark.django_db


class Upstream:
    """Records what it receives; answers the queued status codes, then 201."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.received = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append({"key": self.headers["Idempotency-Key"], "auth": self.headers.get("Authorization"),
                                       "body": json.loads(body)})
                code = outer.answers.pop(0) if outer.answers else 201
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if code < 300 else b'{"error": "busy"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/reports"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def upstream():
    up = Upstream()
    yield up
    up.close()


def test_report_is_delivered_once_with_retries_and_a_stable_key(upstream):
    upstream.answers = [503, 500]  # busy twice, then accepts
    recs = reporting.send_pending(url=upstream.url, token="secret", sleep=lambda s: None)
    rec = recs[0]
    assert rec.status == "delivered" and rec.attempts == 3
    keys = {r["key"] for r in upstream.received}
    assert len(upstream.received) == 3 and len(keys) == 1
    assert upstream.received[0]["auth"] == "Bearer secret"
    body = upstream.received[-1]["body"]
    assert body["province"] == "70" and body["values"] and {"indicator", "value", "unit"} <= set(body["values"][0])
    reporting.send_pending(url=upstream.url, sleep=lambda s: None)  # nothing left to send
    assert len(upstream.received) == 3
    assert [e.get("status") for e in rec.log] == [503, 500, 201]


def test_unreachable_upstream_keeps_the_report_and_a_later_run_delivers_it(settings, upstream):
    settings.IOC_UPSTREAM_URL = f"http://127.0.0.1:{free_port()}/nothing-listens-here"
    with pytest.raises(CommandError, match="retried"):
        call_command("send_reports")
    rec = ReportDelivery.objects.get()
    assert rec.status == "failed" and rec.attempts == 3 and "ConnectionError" in rec.log[-1]["error"]
    settings.IOC_UPSTREAM_URL = upstream.url
    call_command("send_reports")
    rec.refresh_from_db()
    assert rec.status == "delivered" and upstream.received[0]["key"] == rec.idempotency_key


def test_configuration_errors_are_clear(settings):
    settings.IOC_UPSTREAM_URL = ""
    with pytest.raises(CommandError, match="IOC_UPSTREAM_URL"):
        call_command("send_reports")
    with pytest.raises(CommandError, match="https"):
        call_command("send_reports", "--url", "http://gov.example/api")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("send_reports", "--url", "https://gov.example/api", "--period", "last")


def test_staff_see_the_delivery_log(client, upstream):
    reporting.send_pending(url=upstream.url, sleep=lambda s: None)
    client.force_login(User.objects.get(username="editor"))  # staff
    page = client.get("/dashboard/reports/").content.decode()
    assert "delivered" in page
    client.force_login(User.objects.get(username="viewer"))
    assert client.get("/dashboard/reports/").status_code == 404
