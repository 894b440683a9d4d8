"""API clients authenticate with a personal token (`Authorization: Token …` or `Bearer …`)
or HTTP Basic over the same accounts (QGIS's authentication manager supports Basic).

A password hash costs about 0.5 s on purpose, so a successful Basic check is remembered for a
minute (keyed by a hash of the credentials, and only while the account's password is
unchanged), and failed Basic attempts are throttled per client address."""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import time

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db import connections
from django.utils import timezone

from gis_server.errors import (
    DATABASE_ERRORS,
    Forbidden,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    json_error,
)
from gis_server.models import ApiToken, hash_token

BASIC_CACHE_SECONDS = 60.0
BASIC_CACHE_SIZE = 1000
FAILED_BASIC_WINDOW_SECONDS = 60.0
FAILED_BASIC_PER_WINDOW = 20  # per client address and process


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind a trusted reverse proxy the address that
    proxy appended to IOC_TRUSTED_PROXY_HEADER (counted from the right: what the client itself
    wrote there is not trusted)."""
    header = settings.IOC_TRUSTED_PROXY_HEADER
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        hops = [h.strip() for h in raw.split(",") if h.strip()]
        if len(hops) >= settings.IOC_TRUSTED_PROXY_COUNT:
            return hops[-settings.IOC_TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


class _BasicCache:
    """Process-local memory of recent successful Basic checks and failed attempts."""

    lock = threading.Lock()
    ok: dict[str, tuple[float, int, str]] = {}  # credentials hash -> (until, user id, password hash)
    failures: dict[str, list[float]] = {}  # client address -> times of failed attempts

    @classmethod
    def key(cls, username: str, password: str) -> str:
        return hashlib.sha256(f"{settings.SECRET_KEY}\0{username}\0{password}".encode()).hexdigest()

    @classmethod
    def remembered_user(cls, key: str):
        with cls.lock:
            hit = cls.ok.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        user = get_user_model().objects.filter(pk=hit[1], is_active=True).first()
        return user if user is not None and user.password == hit[2] else None  # a changed password forgets

    @classmethod
    def remember(cls, key: str, user) -> None:
        with cls.lock:
            if len(cls.ok) >= BASIC_CACHE_SIZE:
                cls.ok.clear()
            cls.ok[key] = (time.monotonic() + BASIC_CACHE_SECONDS, user.pk, user.password)

    @classmethod
    def throttled(cls, ip: str) -> bool:
        now = time.monotonic()
        with cls.lock:
            recent = [t for t in cls.failures.get(ip, []) if now - t < FAILED_BASIC_WINDOW_SECONDS]
            cls.failures[ip] = recent
            return len(recent) >= FAILED_BASIC_PER_WINDOW

    @classmethod
    def failed(cls, ip: str) -> None:
        with cls.lock:
            cls.failures.setdefault(ip, []).append(time.monotonic())
            if len(cls.failures) > 10 * BASIC_CACHE_SIZE:
                cls.failures.clear()

    @classmethod
    def clear(cls) -> None:
        with cls.lock:
            cls.ok.clear()
            cls.failures.clear()


class ApiAuthenticationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.api_auth = False
        try:
            refused = self._authenticate(request)
        except DATABASE_ERRORS:
            # credentials are checked against the database before any view runs: while it is
            # down, answer as the views do (503, JSON, Retry-After), not with Django's HTML 500
            for conn in connections.all(initialized_only=True):
                conn.close_if_unusable_or_obsolete()
            return json_error(ServiceUnavailable, "The database is unavailable; try again shortly.")
        return refused or self.get_response(request)

    def _authenticate(self, request):
        """Set request.user from a token or Basic credentials; an error response, or None."""
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        scheme = scheme.lower()
        if scheme in ("token", "bearer"):
            tok = (ApiToken.objects.select_related("user")
                   .filter(key_hash=hash_token(value.strip()), revoked_at__isnull=True).first())
            if tok is None or not tok.user.is_active:
                return json_error(Unauthorized, "invalid or revoked API token")
            ApiToken.objects.filter(pk=tok.pk).update(last_used_at=timezone.now())
            user = tok.user
        elif scheme == "basic":
            # a browser re-sends Basic credentials it has kept, even for a page of another site:
            # a cross-site request with them is refused (scripts, GDAL and QGIS send no Sec-Fetch-Site)
            if request.headers.get("Sec-Fetch-Site", "none") not in ("same-origin", "none"):
                return json_error(Forbidden, "a cross-site request with Basic credentials is refused; "
                                             "use an API token (Authorization: Token ...)")
            user = self._basic_user(request, value)
            if not hasattr(user, "pk"):
                return user  # an error response
        else:
            return None
        request.user = user
        request.api_auth = True
        # no cookie involved (a token is never sent by a browser on its own; Basic only same-origin,
        # see above): CSRF does not apply
        request._dont_enforce_csrf_checks = True
        return None

    def _basic_user(self, request, value: str):
        try:
            username, _, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return json_error(Unauthorized, "malformed Basic credentials")
        key = _BasicCache.key(username, password)
        user = _BasicCache.remembered_user(key)
        if user is not None:
            return user
        ip = client_ip(request)
        if _BasicCache.throttled(ip):
            response = json_error(TooManyRequests, "too many failed logins from this address; "
                                  f"try again in {int(FAILED_BASIC_WINDOW_SECONDS)} s, or use an API token")
            response["Retry-After"] = str(int(FAILED_BASIC_WINDOW_SECONDS))
            return response
        user = authenticate(request, username=username, password=password)
        if user is None:
            _BasicCache.failed(ip)
            if getattr(request, "axes_locked_out", False):
                return json_error(Forbidden, "too many failed logins; try again later")
            return json_error(Unauthorized, "wrong user name or password")
        _BasicCache.remember(key, user)
        return user
