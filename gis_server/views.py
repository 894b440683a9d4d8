from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse


def healthz(request):
    """Database reachability and PostGIS version; 503 when the database is down."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT postgis_lib_version(), current_setting('server_version')")
            postgis, pg = cur.fetchone()
    except DatabaseError as exc:
        connection.close_if_unusable_or_obsolete()
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable", "detail": str(exc).strip()[:300]},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "postgresql": pg, "postgis": postgis})
