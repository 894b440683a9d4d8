"""API clients authenticate with a personal token (`Authorization: Token …` or `Bearer …`)
or HTTP Basic over the same accounts (QGIS's authentication manager supports Basic)."""

from __future__ import annotations

import base64
import binascii

from django.contrib.auth import authenticate
from django.db import connections
from django.utils import timezone

from gis_server.errors import DATABASE_ERRORS, Forbidden, ServiceUnavailable, Unauthorized, json_error
from gis_server.models import ApiToken, hash_token


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
        if header:
            scheme, _, value = header.partition(" ")
            scheme = scheme.lower()
            if scheme in ("token", "bearer"):
                tok = (ApiToken.objects.select_related("user")
                       .filter(key_hash=hash_token(value.strip()), revoked_at__isnull=True).first())
                if tok is None or not tok.user.is_active:
                    return json_error(Unauthorized, "invalid or revoked API token")
                ApiToken.objects.filter(pk=tok.pk).update(last_used_at=timezone.now())
                request.user = tok.user
                request.api_auth = True
                request._dont_enforce_csrf_checks = True  # no cookie involved: CSRF does not apply
            elif scheme == "basic":
                try:
                    username, _, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
                except (binascii.Error, UnicodeDecodeError):
                    return json_error(Unauthorized, "malformed Basic credentials")
                user = authenticate(request, username=username, password=password)
                if user is None:
                    if getattr(request, "axes_locked_out", False):
                        return json_error(Forbidden, "too many failed logins; try again later")
                    return json_error(Unauthorized, "wrong user name or password")
                request.user = user
                request.api_auth = True
                request._dont_enforce_csrf_checks = True  # as on /ogc: API clients send no CSRF token
        return None
