"""Schemathesis against our own OpenAPI document, offline and in-process: every operation of
/ogc (GETs, and the Part 4 writes with an editor's token) inside the test's transaction. No
answer may be a server error (issue 10). Bounded (IOC_FUZZ_EXAMPLES per operation, default 5);
bench/fuzz.py runs more. Schemathesis's own pytest plugin does not support pytest 9 yet, so
the operations are driven with Hypothesis directly."""

import os

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

from gis_server.models import ApiToken

EXAMPLES = int(os.environ.get("IOC_FUZZ_EXAMPLES", "5"))
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def ogc_schema(db):
    """The schema served by the app itself, called in-process like Django's test client does:
    without closing the test's connection (and transaction) at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/ogc/openapi?f=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def server_errors(schema, headers_for_writes: dict, examples: int) -> tuple[int, list[str]]:
    """(requests made, the server errors among them) over every operation of the schema."""
    calls, errors = [0], []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            headers = headers_for_writes if case.method.upper() in WRITES else {}
            response = case.call(headers=headers)
            calls[0] += 1
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {case.method} {case.formatted_path} {case.query} "
                              f"{str(case.body)[:200]} -> {response.text[:200]}")

        check()
    return calls[0], errors


def test_no_input_makes_a_server_error(ogc_schema):
    _, key = ApiToken.issue(User.objects.get(username="editor"), "fuzz")
    calls, errors = server_errors(ogc_schema, {"Authorization": f"Token {key}"}, EXAMPLES)
    assert calls > 200
    assert not errors, errors[:20]
