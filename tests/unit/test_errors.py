"""gis_server.errors: one table from exception class to (status, code), one body shape."""

import json

import pytest

from gis_server import errors
from gis_server.errors import (
    ApiError,
    ApiErrorMiddleware,
    BadRequest,
    Conflict,
    Forbidden,
    MethodNotAllowed,
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
    Unauthorized,
    error_response,
    json_error,
    status_of,
)


def body(response) -> dict:
    return json.loads(response.content)


@pytest.mark.parametrize(("cls", "status", "code"), [
    (BadRequest, 400, "InvalidParameterValue"),
    (Unauthorized, 401, "Unauthorized"),
    (Forbidden, 403, "Forbidden"),
    (NotFound, 404, "NotFound"),
    (MethodNotAllowed, 405, "MethodNotAllowed"),
    (Conflict, 409, "Conflict"),
    (PreconditionFailed, 412, "PreconditionFailed"),
    (ServiceUnavailable, 503, "ServiceUnavailable"),
])
def test_each_error_class_has_its_status_and_code(cls, status, code):
    assert status_of(cls("x")) == (status, code)
    response = error_response(cls("x"))
    assert response.status_code == status
    assert body(response)["code"] == code


def test_a_subclass_inherits_the_status_of_its_nearest_listed_base():
    class LayerGone(NotFound):
        pass

    class StaleLayer(LayerGone):
        pass

    assert status_of(StaleLayer("gone")) == (404, "NotFound")
    assert error_response(StaleLayer("gone")).status_code == 404


def test_the_library_subclasses_are_bad_requests():
    from layers.geometry import UnknownCRS
    from layers.query import QueryError

    assert status_of(QueryError("x")) == (400, "InvalidParameterValue")
    assert status_of(UnknownCRS("x")) == (400, "InvalidParameterValue")


@pytest.mark.parametrize("exc", [ValueError("boom"), KeyError("k"), RuntimeError(), ApiError("bare base")])
def test_an_exception_outside_the_table_is_an_internal_error(exc):
    assert status_of(exc) == (500, "NoApplicableCode")


def test_the_body_has_code_and_description_only_when_no_field_errors():
    response = error_response(BadRequest("limit must be a number"))
    assert body(response) == {"code": "InvalidParameterValue", "description": "limit must be a number"}
    assert response["Content-Type"] == "application/json"


def test_an_empty_errors_dict_is_left_out_of_the_body():
    assert "errors" not in body(error_response(BadRequest("bad", {})))


def test_field_errors_are_added_under_errors():
    response = error_response(BadRequest("the body has errors", {"name": "required", "students": "not a number"}))
    assert body(response) == {"code": "InvalidParameterValue", "description": "the body has errors",
                              "errors": {"name": "required", "students": "not a number"}}


def test_an_unauthorized_answer_asks_for_basic_credentials():
    response = error_response(Unauthorized("log in"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == errors.BASIC_REALM
    assert response["WWW-Authenticate"].startswith("Basic realm=")
    assert not response.has_header("Retry-After")


def test_a_service_unavailable_answer_says_when_to_retry():
    response = error_response(ServiceUnavailable("database down"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert int(response["Retry-After"]) > 0
    assert not response.has_header("WWW-Authenticate")


@pytest.mark.parametrize("cls", [BadRequest, Forbidden, NotFound, Conflict])
def test_other_errors_carry_neither_header(cls):
    response = error_response(cls("x"))
    assert not response.has_header("WWW-Authenticate")
    assert not response.has_header("Retry-After")


def test_message_is_the_old_name_of_description():
    assert Forbidden("not yours").message == "not yours"
    assert str(Forbidden("not yours")) == "not yours"


def test_json_error_answers_without_raising():
    response = json_error(Conflict, "the import is still running", {"state": "running"})
    assert response.status_code == 409
    assert body(response) == {"code": "Conflict", "description": "the import is still running",
                              "errors": {"state": "running"}}


def test_internal_error_hides_the_cause():
    response = errors.internal_error()
    assert response.status_code == 500
    assert body(response)["code"] == "NoApplicableCode"
    assert set(body(response)) == {"code", "description"}


def test_the_middleware_answers_api_errors_and_lets_others_through():
    middleware = ApiErrorMiddleware(lambda request: None)
    answered = middleware.process_exception(None, NotFound("no such layer"))
    assert answered.status_code == 404
    assert body(answered)["description"] == "no such layer"
    assert middleware.process_exception(None, ValueError("a bug")) is None
