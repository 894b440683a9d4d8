import pytest

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
