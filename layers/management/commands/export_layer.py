from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from gis_server.errors import ApiError
from layers.access import audience_for, readable_layer
from layers.exporting import FORMATS, export_layer
from layers.query import Filters, check_bbox


class Command(BaseCommand):
    help = "Export a layer to GeoPackage, zipped Shapefile, GeoJSON, CSV or XLSX, with optional filters."

    def add_arguments(self, parser):
        parser.add_argument("layer")
        parser.add_argument("--format", choices=list(FORMATS), default="gpkg")
        parser.add_argument("--out", type=Path, default=Path("."), help="output folder")
        parser.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat")
        parser.add_argument("--datetime", help="an instant or interval, as on /ogc")
        parser.add_argument("--where", action="append", default=[], metavar="PROP=VALUE")
        parser.add_argument("--as-user", help="apply this user's access rights (default: anonymous)")

    def handle(self, *args, layer, format, out, bbox, datetime, where, as_user, **opts):
        user = AnonymousUser()
        if as_user:
            user = get_user_model().objects.filter(username=as_user).first()
            if user is None:
                raise CommandError(f"no user {as_user!r}")
        spec = readable_layer(user, layer)
        if spec is None:
            raise CommandError(f"no layer {layer!r} readable by {as_user or 'anonymous users'}")
        pairs = [w.split("=", 1) for w in where]
        if any(len(p) != 2 for p in pairs):
            raise CommandError("--where takes PROP=VALUE")
        try:
            filters = Filters(bbox=tuple(check_bbox(bbox)) if bbox else (), datetime=datetime,
                              properties=tuple((k, v) for k, v in pairs))
            path = export_layer(spec=spec, fmt=format, filters=filters, out_dir=out, audience=audience_for(user, spec),
                                progress=lambda d, t: self.stdout.write(f"  {d:,}/{t:,}", ending="\r"))
        except ApiError as exc:  # bad filters, unknown properties, malformed values
            raise CommandError(exc.description) from None
        self.stdout.write(self.style.SUCCESS(f"\nwrote {path}"))
