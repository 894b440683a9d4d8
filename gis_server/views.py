from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse

from gis_server.errors import RETRY_AFTER_SECONDS, error_body


def healthz(request):
    """Database reachability and PostGIS version; 503 when the database is down."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT postgis_lib_version(), current_setting('server_version')")
            postgis, pg = cur.fetchone()
    except DatabaseError as exc:
        connection.close_if_unusable_or_obsolete()
        body = error_body("ServiceUnavailable", "the database is unreachable")
        body.update(status="unavailable", database="unreachable", detail=str(exc).strip()[:300])
        response = JsonResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "ok", "postgresql": pg, "postgis": postgis})
