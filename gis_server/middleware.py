"""Pages fail cleanly (503) while the database is down; Django reconnects when it returns."""

from django.conf import settings
from django.db import connections
from django.http import HttpResponse

from gis_server.errors import DATABASE_ERRORS, RETRY_AFTER_SECONDS, ServiceUnavailable, json_error


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        wants_json = request.path.startswith(("/ogc", "/api/")) or "json" in request.headers.get("Accept", "")
        if wants_json:
            return json_error(ServiceUnavailable, "The database is unavailable; try again shortly.")
        response = HttpResponse(
            "<h1>Hệ thống tạm thời không truy cập được cơ sở dữ liệu</h1>"
            "<p>The database is temporarily unavailable; please try again shortly.</p>",
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


# The pages of our own (portal, dashboards, wall, field editor) load scripts from this origin
# only: no inline script, no eval. Styles may be inline (Leaflet positions its panes with
# style attributes); photos and queued edits use data: and blob: URLs.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:{tile_servers}", "connect-src 'self' data: blob:", "font-src 'self' data:",
    "worker-src 'self' blob:", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
    "frame-ancestors 'none'",
])
# pygeoapi's HTML pages and the admin's map widgets carry inline scripts of their own
CSP_EXEMPT_PREFIXES = ("/ogc", "/admin/")


def content_security_policy() -> str:
    """The policy, with the configured base-map tile servers allowed as image sources."""
    origins = sorted({b.origin() for b in settings.IOC_BASEMAPS})
    return CONTENT_SECURITY_POLICY.format(tile_servers="".join(f" {o}" for o in origins))


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if ("text/html" in response.get("Content-Type", "") and not request.path.startswith(CSP_EXEMPT_PREFIXES)
                and not response.get("Content-Disposition", "").startswith("attachment")):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
