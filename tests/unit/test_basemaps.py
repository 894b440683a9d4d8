"""Base maps from IOC_BASEMAPS: parsed and checked at start-up, allowed by the CSP, offered to pages."""

import pytest

from gis_server.env import Env, _basemaps
from gis_server.middleware import content_security_policy

OSM = "OpenStreetMap|https://tile.openstreetmap.org/{z}/{x}/{y}.png|© OpenStreetMap contributors"
WMTS = "Nền tỉnh|https://gis.example.vn/wmts/nen/GoogleMapsCompatible/{TileMatrix}/{TileRow}/{TileCol}.png|Sở TN&MT|18"


def test_none_configured_means_the_offline_province_base():
    assert Env.from_environ({}).basemaps == ()


def test_xyz_and_wmts_templates_with_attribution():
    osm, wmts = Env.from_environ({"IOC_BASEMAPS": f"{OSM};{WMTS}"}).basemaps
    assert osm.as_dict() == {"name": "OpenStreetMap", "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                             "attribution": "© OpenStreetMap contributors", "max_zoom": 19}
    assert wmts.as_dict()["url"] == "https://gis.example.vn/wmts/nen/GoogleMapsCompatible/{z}/{y}/{x}.png"
    assert wmts.max_zoom == 18 and wmts.origin() == "https://gis.example.vn"


@pytest.mark.parametrize(("value", "message"), [
    ("OSM|https://a/{z}/{x}/{y}.png", "name|url|attribution"),
    ("OSM|ftp://a/{z}/{x}/{y}.png|x", "http(s)"),
    ("OSM|https://a/tiles.png|x", "{z}/{x}/{y}"),
    ("OSM|https://a/{z}/{x}/{y}.png|x|high", "max zoom"),
])
def test_a_bad_entry_is_refused_with_a_sentence(value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("{", r"\{")
                       .replace("}", r"\}").replace("|", r"\|")):
        _basemaps(value)


def test_the_policy_allows_the_configured_tile_servers_only(settings):
    settings.IOC_BASEMAPS = _basemaps(f"{OSM};{WMTS}")
    policy = content_security_policy()
    assert "img-src 'self' data: blob: https://gis.example.vn https://tile.openstreetmap.org;" in policy
    settings.IOC_BASEMAPS = ()
    assert "img-src 'self' data: blob:;" in content_security_policy()
