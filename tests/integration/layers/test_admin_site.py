import pytest
from django.contrib.auth.models import User

from layers.models import School

pytestmark = pytest.mark.django_db


def test_admin_edits_geometry_with_a_leaflet_widget(admin_client):
    school = School.objects.first()
    r = admin_client.get(f"/admin/layers/school/{school.id}/change/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "leaflet" in html.lower() and "geom" in html
    assert "unpkg.com" not in html and "cdnjs" not in html


def test_admin_lists_parcels_without_counting_them_all(admin_client):
    assert admin_client.get("/admin/layers/landparcel/").status_code == 200


def test_admin_applies_the_same_geometry_rules(admin_client):
    school = School.objects.first()
    data = {"name": school.name, "level": school.level, "students": school.students, "teachers": school.teachers,
            "public": "on", "geom": '{"type": "Point", "coordinates": [105.0, 10.0]}'}
    r = admin_client.post(f"/admin/layers/school/{school.id}/change/", data)
    assert r.status_code == 200 and "outside the province" in r.content.decode()
    school.refresh_from_db()
    assert school.geom.x != 105.0


def test_only_administrators_use_the_admin_site(client):
    client.force_login(User.objects.get(username="editor"))
    assert client.get("/admin/layers/school/").status_code == 403
