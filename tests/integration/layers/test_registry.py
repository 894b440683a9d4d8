import pytest
from django.core.exceptions import ImproperlyConfigured

from layers import registry
from layers.checks import check_layer_registry
from layers.models import LandParcel, School
from layers.registry import Style, layer_from_model


def test_static_layers_are_valid_and_cover_the_demo_domains():
    specs = registry.static_layers()
    assert registry.validate(specs) == []
    domains = {s.domain for s in specs}
    assert {"admin", "education", "health", "tourism", "traffic", "land"} <= domains
    schools = next(s for s in specs if s.id == "schools")
    assert schools.field("students").unit == "học sinh"
    assert schools.geometry_type == "Point"
    assert next(s for s in specs if s.id == "land-parcels").geometry_type == "MultiPolygon"


def test_unknown_field_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="no field 'pupils'"):
        layer_from_model(School, id="x", title_vi="x", title_en="x", domain="education", fields=("pupils",))


def test_geometry_field_must_be_a_geometry():
    with pytest.raises(ImproperlyConfigured, match="not a GeometryField"):
        layer_from_model(School, id="x", title_vi="x", title_en="x", domain="education", geometry_field="name")


def test_bad_declarations_are_reported_by_manage_check(monkeypatch):
    good = layer_from_model(School, id="schools", title_vi="T", title_en="S", domain="education")
    twin = layer_from_model(LandParcel, id="schools", title_vi="T", title_en="P", domain="land")
    bad = layer_from_model(School, id="Bad Id", title_vi="T", title_en="S", domain="weather",
                           time_field="name", style=Style(by="nope"))
    monkeypatch.setattr(registry, "static_layers", lambda: [good, twin, bad])
    messages = [e.msg for e in check_layer_registry(None)]
    assert any("declared more than once" in m for m in messages)
    assert any("not a slug" in m for m in messages)
    assert any("unknown domain 'weather'" in m for m in messages)
    assert any("time field 'name'" in m for m in messages)
    assert any("style property 'nope'" in m for m in messages)
    with pytest.raises(ImproperlyConfigured):
        registry.validate_static()
