"""One error shape for every JSON answer: `{"code", "description"}`, plus `"errors"` (field ->
problem) where a request body was checked field by field.

Apps raise these exceptions (or subclasses of them); `STATUS` is the one table from exception
class to HTTP status and code, and `error_response` the one function that writes the body.
`ApiErrorMiddleware` turns an exception a view lets through into that answer."""

from __future__ import annotations

from django.db.utils import InterfaceError, OperationalError
from django.http import JsonResponse

BASIC_REALM = 'Basic realm="IOC GIS", charset="UTF-8"'


class ApiError(Exception):
    """Base of every error a client should see; the message is worded for the client."""

    def __init__(self, description: str = "", errors: dict[str, str] | list[dict] | None = None):
        super().__init__(description)
        self.description = description
        self.errors = errors or {}

    @property
    def message(self) -> str:  # older name, kept for callers that print it
        return self.description


class BadRequest(ApiError):
    """The request (a parameter, a body, a file) is malformed or breaks a rule."""


class Unauthorized(ApiError):
    """No credentials, or wrong ones."""


class Forbidden(ApiError):
    """Known user, no right to do this."""


class NotFound(ApiError):
    """Nothing there, or nothing this user may see (the same answer on purpose)."""


class MethodNotAllowed(ApiError):
    pass


class Conflict(ApiError):
    """The thing is not in a state that allows this yet."""


class InvalidValues(ApiError):
    """Well-formed, but values break the rules: `errors` is a list, one entry per value
    (cell, unit, element, code, message), so a client can show each beside its field."""


class PreconditionFailed(ApiError):
    """A stale version (If-Match)."""


class PreconditionRequired(ApiError):
    """A write that does not say which version it changes (no If-Match)."""


class TooManyRequests(ApiError):
    """Slow down (failed logins from one address)."""


class ServiceUnavailable(ApiError):
    """The database is down: try again shortly."""


STATUS: dict[type[ApiError], tuple[int, str]] = {
    BadRequest: (400, "InvalidParameterValue"),
    Unauthorized: (401, "Unauthorized"),
    Forbidden: (403, "Forbidden"),
    NotFound: (404, "NotFound"),
    MethodNotAllowed: (405, "MethodNotAllowed"),
    Conflict: (409, "Conflict"),
    InvalidValues: (422, "InvalidValues"),
    PreconditionFailed: (412, "PreconditionFailed"),
    PreconditionRequired: (428, "PreconditionRequired"),
    TooManyRequests: (429, "TooManyRequests"),
    ServiceUnavailable: (503, "ServiceUnavailable"),
}
INTERNAL = (500, "NoApplicableCode")
RETRY_AFTER_SECONDS = 5


def status_of(exc: BaseException) -> tuple[int, str]:
    """(HTTP status, code) of an exception, from the nearest class in STATUS."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return INTERNAL


def error_body(code: str, description: str, errors: dict[str, str] | list[dict] | None = None) -> dict:
    body = {"code": code, "description": description}
    if errors:
        body["errors"] = errors
    return body


def error_response(exc: ApiError) -> JsonResponse:
    """The JSON answer for an ApiError (with WWW-Authenticate on 401, Retry-After on 503)."""
    status, code = status_of(exc)
    response = JsonResponse(error_body(code, exc.description, exc.errors), status=status)
    if status == 401:
        response["WWW-Authenticate"] = BASIC_REALM
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def json_error(exc_class: type[ApiError], description: str, errors: dict[str, str] | None = None) -> JsonResponse:
    """Shorthand for views that answer an error without raising."""
    return error_response(exc_class(description, errors))


def internal_error(description: str = "internal error; it has been logged") -> JsonResponse:
    status, code = INTERNAL
    return JsonResponse(error_body(code, description), status=status)


DATABASE_ERRORS = (OperationalError, InterfaceError)
# where clients expect JSON: an error answered there by Django itself (405 of require_POST, a
# CSRF 403, an unmatched URL) is rewritten into the one shape too
API_PREFIXES = ("/ogc/", "/api/", "/rasters/", "/export/", "/reports/")
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After", "Vary")
BY_STATUS = {status: cls for cls, (status, _code) in STATUS.items()}


def _is_json(response) -> bool:
    return "json" in response.get("Content-Type", "")


def _wants_html(request) -> bool:
    """pygeoapi's HTML pages answer their errors in HTML; so does the raster upload form."""
    if request.path.startswith("/rasters/upload"):
        return True
    return request.path.startswith("/ogc") and (
        request.GET.get("f") == "html" or "text/html" in request.headers.get("Accept", ""))


class ApiErrorMiddleware:
    """Views raise ApiError; this answers it in the one shape (and gives the same shape to
    errors Django answers on API paths)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 401 and "Sec-Fetch-Mode" in request.headers and "WWW-Authenticate" in response:
            # a browser would answer a Basic challenge with a password prompt and keep what is
            # typed there; browsers log in with the form, API clients get the challenge
            del response["WWW-Authenticate"]
        api_path = request.path == "/ogc" or request.path.startswith(API_PREFIXES)
        if (response.status_code >= 400 and api_path and not _is_json(response)
                and not getattr(response, "streaming", False) and not _wants_html(request)):
            cls = BY_STATUS.get(response.status_code)
            if cls is not None:
                reason = getattr(response, "reason_phrase", "") or ""
                rewritten = error_response(cls(reason.lower() if reason else "error"))
                for header in KEPT_HEADERS:  # a 405 must still say what is allowed
                    if header in response:
                        rewritten[header] = response[header]
                return rewritten
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, ApiError):
            return error_response(exception)
        return None
