"""layers.registry: validation of declarations and derivation of layers from models (no
imported layers, so no database)."""

from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured

from layers import registry
from layers.domains import domains
from layers.models import AdminUnit, LandParcel, School
from layers.registry import LayerField, LayerSpec, Style, layer_from_model, layer_from_view, validate, validate_spec

NAME = LayerField(name="name", type="string", title="Name", sql='t."name"', column="name")
SEEN = LayerField(name="seen_at", type="string", format="date-time", title="Seen", sql='t."seen_at"', column="seen_at")
COUNT = LayerField(name="count", type="integer", title="Count", sql='t."count"', column="count")


def sound(**changes) -> LayerSpec:
    base = LayerSpec(id="wells", title_vi="Giếng", title_en="Wells", domain="other", table="wells",
                     geometry_field="geom", geometry_type="Point", fields=(NAME, SEEN, COUNT))
    return replace(base, **changes)


def test_a_sound_declaration_has_no_problems():
    assert validate_spec(sound()) == []
    assert validate([sound(), sound(id="springs")]) == []


def test_every_declared_layer_is_valid():
    assert validate(registry.static_layers()) == []


def test_the_declared_layers_have_unique_ids():
    ids = [s.id for s in registry.static_layers()]
    assert len(ids) == len(set(ids))


def test_a_duplicate_id_is_reported_once():
    problems = validate([sound(), sound(title_en="Other wells"), sound(id="springs"), sound()])
    assert problems == ["layer id 'wells' is declared more than once"]


@pytest.mark.parametrize("bad", ["Wells", "well water", "wells!", "giếng", "-wells", "wells--deep", ""])
def test_an_id_that_is_not_a_slug_is_reported(bad):
    assert any("not a slug" in p for p in validate_spec(sound(id=bad)))


@pytest.mark.parametrize("good", ["wells", "wells-2025", "a1"])
def test_slug_ids_are_fine(good):
    assert validate_spec(sound(id=good)) == []


def test_an_unknown_domain_is_reported_with_the_known_ones():
    problems = validate_spec(sound(domain="weather"))
    assert len(problems) == 1
    assert "unknown domain 'weather'" in problems[0]
    assert "education" in problems[0]


def test_every_monitoring_domain_is_known():
    assert {"admin", "other", "education", "traffic", "tourism", "cyber"} <= set(domains())


def test_a_missing_title_is_reported():
    assert any("both a Vietnamese and an English title" in p for p in validate_spec(sound(title_en="")))
    assert any("both a Vietnamese and an English title" in p for p in validate_spec(sound(title_vi="")))


def test_a_time_field_must_exist():
    assert any("time field 'when'" in p for p in validate_spec(sound(time_field="when")))


def test_a_time_field_must_be_a_date_or_date_time():
    assert any("time field 'name'" in p for p in validate_spec(sound(time_field="name")))
    assert validate_spec(sound(time_field="seen_at")) == []


def test_a_title_field_must_be_a_field():
    assert any("title field 'label'" in p for p in validate_spec(sound(title_field="label")))
    assert validate_spec(sound(title_field="name")) == []


def test_a_style_property_must_be_a_field():
    assert any("style property 'kind'" in p for p in validate_spec(sound(style=Style(by="kind"))))
    assert validate_spec(sound(style=Style(by="name"))) == []


def test_unknown_access_and_geometry_type_are_reported():
    problems = validate_spec(sound(access="secret", geometry_type="Circle"))
    assert any("access must be one of" in p for p in problems)
    assert any("unknown geometry type 'Circle'" in p for p in problems)


def test_duplicate_fields_are_reported():
    assert any("duplicate fields ['name']" in p for p in validate_spec(sound(fields=(NAME, NAME, COUNT))))


def test_a_cadence_must_be_known_and_needs_a_time_field():
    assert any("unknown cadence 'hourly'" in p for p in validate_spec(sound(cadence="hourly", time_field="seen_at")))
    assert any("needs a time field" in p for p in validate_spec(sound(cadence="monthly")))
    assert validate_spec(sound(cadence="monthly", time_field="seen_at")) == []


def test_roles_only_apply_to_restricted_layers():
    assert any("roles only apply" in p for p in validate_spec(sound(roles=("operator",))))
    assert validate_spec(sound(roles=("operator",), access="restricted")) == []


def test_every_problem_of_a_declaration_is_reported_at_once():
    problems = validate_spec(sound(id="Bad Id", domain="weather", time_field="name", style=Style(by="nope")))
    assert len(problems) == 4


def test_register_layers_refuses_a_duplicate_of_a_declared_layer(monkeypatch):
    monkeypatch.setattr(registry, "_declared", list(registry.static_layers()))
    with pytest.raises(ImproperlyConfigured, match="'schools' is declared more than once"):
        registry.register_layers([sound(id="schools")])


def test_register_layers_adds_sound_layers(monkeypatch):
    monkeypatch.setattr(registry, "_declared", [])
    registry.register_layers([sound()])
    assert [s.id for s in registry.static_layers()] == ["wells"]


def test_validate_static_raises_on_a_bad_declaration(monkeypatch):
    monkeypatch.setattr(registry, "static_layers", lambda: [sound(), sound()])
    with pytest.raises(ImproperlyConfigured, match="declared more than once"):
        registry.validate_static()


# ------------------------------------------------------------------ layer_from_model
def school_layer(**kwargs):
    return layer_from_model(School, id="x", title_vi="x", title_en="x", domain="education", **kwargs)


def test_a_layer_from_a_model_publishes_its_plain_fields_with_their_types():
    spec = school_layer()
    types = {f.name: (f.type, f.format) for f in spec.fields}
    assert types == {"name": ("string", None), "level": ("string", None), "students": ("integer", None),
                     "teachers": ("integer", None), "public": ("boolean", None), "commune": ("string", None)}
    assert spec.table == "layers_school"
    assert spec.geometry_type == "Point"
    assert spec.joins_commune is True
    assert spec.touch_column == "updated_at"


def test_the_commune_is_a_read_only_computed_field():
    commune = school_layer().field("commune")
    assert commune.sql == "c.name"
    assert commune.column is None
    assert commune.schema()["readOnly"] is True


def test_model_details_carry_over_to_fields():
    spec = school_layer(units={"students": "học sinh"})
    assert spec.field("students").unit == "học sinh"
    assert spec.field("students").minimum == 0  # a positive integer field
    assert spec.field("name").max_length == 200
    assert spec.field("name").required is True
    assert spec.field("public").required is False and spec.field("public").default is True
    assert [c[0] for c in spec.field("level").choices] == ["mam_non", "tieu_hoc", "thcs", "thpt"]
    assert spec.field("level").schema()["enum"] == ["mam_non", "tieu_hoc", "thcs", "thpt"]


def test_only_the_chosen_fields_are_published():
    spec = school_layer(fields=("name", "students"))
    assert [f.name for f in spec.fields] == ["name", "students", "commune"]


def test_a_multipolygon_model_gives_a_multipolygon_layer():
    spec = layer_from_model(LandParcel, id="p", title_vi="p", title_en="p", domain="land")
    assert spec.geometry_type == "MultiPolygon"


def test_an_unknown_field_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="School has no field 'pupils'"):
        school_layer(fields=("pupils",))


def test_an_unknown_geometry_field_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="no field 'shape'"):
        school_layer(geometry_field="shape")


def test_the_geometry_field_must_be_a_geometry():
    with pytest.raises(ImproperlyConfigured, match="not a GeometryField"):
        school_layer(geometry_field="name")


def test_a_relation_cannot_be_an_attribute():
    with pytest.raises(ImproperlyConfigured, match="'commune' cannot be published"):
        school_layer(fields=("name", "commune"))


def test_a_geometry_cannot_be_an_attribute():
    with pytest.raises(ImproperlyConfigured, match="'geom' cannot be published"):
        school_layer(fields=("geom",))


def test_a_unit_for_an_unknown_field_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="unit given for unknown field 'pupils'"):
        school_layer(units={"pupils": "học sinh"})


def test_a_unit_for_a_field_left_out_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="unknown field 'teachers'"):
        school_layer(fields=("name",), units={"teachers": "giáo viên"})


def test_a_model_without_a_commune_does_not_join_one():
    spec = layer_from_model(AdminUnit, id="units", title_vi="u", title_en="u", domain="admin", fields=("name",))
    assert spec.joins_commune is False
    assert [f.name for f in spec.fields] == ["name"]


# ------------------------------------------------------------------ layer_from_view
def test_a_layer_from_a_view_is_read_only_fields_of_the_view():
    spec = layer_from_view(id="v", title_vi="v", title_en="v", domain="other", table="ioc_v", geometry_type="Point",
                           fields=(("name", "string", "Name"), ("total", "integer", "Total", "vụ"),
                                   ("day", "string", "Day", "", "date")))
    assert [(f.name, f.type, f.unit, f.format, f.sql) for f in spec.fields] == [
        ("name", "string", "", None, 't."name"'), ("total", "integer", "vụ", None, 't."total"'),
        ("day", "string", "", "date", 't."day"')]
    assert all(f.column is None for f in spec.fields)
    assert spec.joins_commune is False
    assert validate_spec(spec) == []


def test_a_view_layer_may_join_the_commune():
    spec = layer_from_view(id="v", title_vi="v", title_en="v", domain="other", table="ioc_v", geometry_type="Point",
                           fields=(("name", "string", "Name"),), joins_commune=True)
    assert spec.joins_commune is True
    assert spec.fields[-1].name == "commune"


# ------------------------------------------------------------------ public_dict
def test_the_public_dict_of_a_layer_has_both_titles_and_its_style():
    d = next(s for s in registry.static_layers() if s.id == "schools").public_dict()
    assert d["title"] == {"vi": "Trường học", "en": "Schools"}
    assert d["style"]["by"] == "level"
    assert d["style"]["palette"]["thpt"] == "#1a365d"
    assert "students" in [f["name"] for f in d["fields"]]
