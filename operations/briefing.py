"""A domain briefing: a standalone HTML map made with folium (the domain's layers, its open
alerts and its key figures) that opens offline: Leaflet is embedded, nothing is fetched."""

from __future__ import annotations

import html
import re
from pathlib import Path

import folium
import leaflet as django_leaflet
from django.conf import settings
from django.utils import timezone

from layers.access import visible_layers
from layers.query import Filters, LayerQuery, Page, Sort
from operations.alerts import visible_alerts
from operations.dashboard import domain_card
from operations.domain import Domain

LEAFLET_DIR = Path(django_leaflet.__file__).parent / "static" / "leaflet"
MAX_FEATURES = 5000
LATEST_PERIOD_POLYGONS = 150  # a time-enabled polygon layer: about one period of units
MAX_ALERTS = 500
TOOLTIP_FIELDS = 8


def _features(spec) -> dict:
    """The layer's features, every text property HTML-escaped: folium writes tooltips as HTML,
    and a feature's name is whatever an editor typed."""
    sortby = (Sort(spec.time_field, descending=True),) if spec.time_field else ()
    limit = LATEST_PERIOD_POLYGONS if spec.time_field and "Polygon" in spec.geometry_type else MAX_FEATURES
    fc = LayerQuery(spec).feature_collection(Filters(), Page(limit=limit, sortby=sortby))
    for f in fc["features"]:
        f["properties"] = {k: html.escape(v) if isinstance(v, str) else v for k, v in f["properties"].items()}
    return fc


def _inline_offline(page: str) -> str:
    """Embed Leaflet; drop every other remote script and stylesheet folium adds by default."""
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def script(m):
        return f"<script>{js}</script>" if m.group(1).endswith("/leaflet.js") else ""

    def link(m):
        return f"<style>{css}</style>" if m.group(1).endswith("/leaflet.css") else ""

    page = re.sub(r'<script src="(https?://[^"]+)"></script>', script, page)
    page = re.sub(r'<link rel="stylesheet" href="(https?://[^"]+)"\s*/?>', link, page)
    return page


def domain_briefing(*, domain: Domain, user, lang: str = "vi", district: int | None = None) -> str:
    """The standalone HTML page (a string) of one domain for this user."""
    readable = {s.id: s for s in visible_layers(user)}
    layer_ids = [lyr for lyr in domain.card_layers if lyr in readable and not readable[lyr].min_zoom]
    card = domain_card(domain=domain, lang=lang, readable=set(readable), district=district)
    province = settings.IOC_PROVINCE
    m = folium.Map(location=list(province.centre), zoom_start=province.zoom, tiles=None, control_scale=True)
    folium.GeoJson(_features(readable["admin-districts"]), name="districts",
                   style_function=lambda f: {"color": "#4a5568", "weight": 1, "fill": False}).add_to(m)
    for lid in layer_ids:
        spec = readable[lid]
        fc = _features(spec)
        if not fc["features"]:
            continue
        fields = [f.name for f in spec.fields][:TOOLTIP_FIELDS]
        colour = spec.style.color
        folium.GeoJson(
            fc, name=html.escape(spec.title_en if lang == "en" else spec.title_vi),
            style_function=lambda f, c=colour: {"color": c, "weight": 1, "fillOpacity": 0.25},
            marker=folium.CircleMarker(radius=5, fill=True, fill_opacity=0.9, color=colour),
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[html.escape(str(spec.field(f).title)) for f in fields]),
        ).add_to(m)
    if "alerts" in readable:
        alerts = visible_alerts(readable=set(readable)).filter(domain=domain.id, resolved_at__isnull=True)
        for a in alerts[:MAX_ALERTS]:
            p = a.geom.point_on_surface if a.geom.geom_type != "Point" else a.geom
            folium.CircleMarker([p.y, p.x], radius=9, color="#c53030", fill=True, fill_opacity=0.8,
                                tooltip=html.escape(a.title)).add_to(m)  # folium popups need jQuery
    folium.LayerControl(collapsed=False).add_to(m)
    rows = "".join(f"<tr><td>{html.escape(f.label)}</td><td style='text-align:right'><b>"
                   f"{'–' if f.value is None else f'{f.value:,}'}</b> {html.escape(f.unit)}</td>"
                   f"<td>{html.escape(f.period)}</td></tr>" for f in card.figures)
    header = (f"<div style='position:fixed;top:10px;left:60px;z-index:1000;background:#fff;padding:8px 12px;"
              f"border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px sans-serif'>"
              f"<h3 style='margin:0 0 4px'>{html.escape(card.title)}</h3><table id='key-figures'>{rows}</table>"
              f"<div style='color:#718096'>IOC {html.escape(province.name_en if lang == 'en' else province.name)} · {timezone.localtime():%d/%m/%Y %H:%M}</div></div>")
    m.get_root().html.add_child(folium.Element(header))
    return _inline_offline(m.get_root().render())
