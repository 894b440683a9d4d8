"""pygeoapi's HTML templates, rewritten to use local static files instead of CDNs.

The copy is made from the installed pygeoapi (so nothing third-party is committed), once
per pygeoapi version, into var/; it is written to a temporary folder and renamed, so
concurrent server processes never see half a copy."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import pygeoapi
from django.conf import settings

SOURCE = Path(pygeoapi.__file__).parent / "templates"

REWRITES: list[tuple[str, str]] = [
    (r"https://unpkg\.com/leaflet@[\d.]+/dist/leaflet\.css", "/static/leaflet/leaflet.css"),
    (r"https://unpkg\.com/leaflet@[\d.]+/dist/leaflet\.js", "/static/leaflet/leaflet.js"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/leaflet/[\d.]+/leaflet\.js", "/static/leaflet/leaflet.js"),
    (r"https://unpkg\.com/bootstrap@[\d.]+/dist/", "/static/vendor/bootstrap/"),
    (r"https://unpkg\.com/leaflet\.markercluster/dist/", "/static/vendor/leaflet.markercluster/"),
    (r"https://unpkg\.com/swagger-ui-dist/", "/static/vendor/swagger-ui-dist/"),
    (r"\{\{ *config\['server'\]\['url'\] *\}\}/static/", "/static/pygeoapi/"),
    (r"config\['server'\]\['url'\] *\+ *'/static/", "'/static/pygeoapi/"),
    (r'<link[^>]*fonts\.googleapis\.com[^>]*>', ""),
    (r'<script[^>]*html5shiv[^>]*></script>', ""),
]


def offline_templates_dir() -> Path:
    stamp = hashlib.sha1(repr(REWRITES).encode()).hexdigest()[:8]
    target = Path(settings.BASE_DIR) / "var" / f"pygeoapi-templates-{pygeoapi.__version__}-{stamp}"
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".pygeoapi-templates-", dir=target.parent))
    try:
        shutil.copytree(SOURCE, tmp, dirs_exist_ok=True)
        for path in tmp.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            new = text
            for pattern, repl in REWRITES:
                new = re.sub(pattern, repl, new)
            if new != text:
                path.write_text(new, encoding="utf-8")
        os.rename(tmp, target)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not target.is_dir():
            raise
    return target
