"""Photos: decoded and re-encoded, served with their own content type, under the same
layer and district scope as every edit (issue 10, defects 1 and 7)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from layers.models import School
from tests.helpers import basic

pytestmark = pytest.mark.django_db
SCRIPT = b"<script>document.title='pwned'</script>"


def gif_with_a_script() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="GIF")
    return out.getvalue() + SCRIPT


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def fresh_school() -> School:
    """A school no other test (nor the end-to-end tests, which commit) has touched."""
    return School.objects.create(name="Trường ảnh thử", level="thpt", students=1, teachers=1,
                                 geom="SRID=4326;POINT(106.89 11.54)")


def upload(client, school, name, data, user="editor"):
    return client.post(f"/api/layers/schools/items/{school.pk}/photos",
                       {"photo": SimpleUploadedFile(name, data, content_type="text/html")}, **basic(user))


def test_a_gif_with_a_script_uploaded_as_html_is_stored_and_served_as_a_clean_png(client):
    school = fresh_school()
    r = upload(client, school, "poly.html", gif_with_a_script())
    assert r.status_code == 201, r.content
    url = r.json()["photos"][0]
    assert url.startswith(f"/api/layers/schools/items/{school.pk}/photos/")
    got = client.get(url)  # anonymous: schools are public
    body = b"".join(got.streaming_content)
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Disposition"].startswith("inline") and got["Content-Disposition"].endswith('.png"')
    assert body.startswith(b"\x89PNG") and SCRIPT not in body and b"<script" not in body
    assert Image.open(io.BytesIO(body)).size == (4, 4)


def test_a_photograph_stays_a_jpeg_under_a_generated_name(client):
    school = fresh_school()
    r = upload(client, school, "../../etc/passwd.jpg", jpeg())
    assert r.status_code == 201
    got = client.get(r.json()["photos"][0])
    assert got["Content-Type"] == "image/jpeg" and "passwd" not in got["Content-Disposition"]


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\x00" * 20, b""])
def test_what_does_not_decode_as_an_image_is_refused_with_a_clear_400(client, data):
    school = fresh_school()
    r = upload(client, school, "x.gif", data)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "InvalidParameterValue" and "photo" in body["errors"]
    assert client.get(f"/api/layers/schools/items/{school.pk}/photos").json()["photos"] == []


def test_a_scoped_editor_adds_photos_only_inside_their_district(client):
    outside = fresh_school()  # in Đồng Xoài
    inside = School.objects.filter(commune__parent__code="694").first()
    r = upload(client, outside, "a.jpg", jpeg(), user="editor_locninh")
    assert r.status_code == 403 and "district" in r.json()["description"]
    assert client.get(f"/api/layers/schools/items/{outside.pk}/photos").json()["photos"] == []
    assert upload(client, inside, "a.jpg", jpeg(), user="editor_locninh").status_code == 201


def test_photos_of_a_missing_feature_or_with_a_malformed_id_are_404(client):
    assert upload(client, School(pk=999_999), "a.jpg", jpeg()).status_code == 404
    r = client.get("/api/layers/schools/items/1.5/photos/1")
    assert r.status_code == 404 and r.json()["code"] == "NotFound"


def test_formats_that_run_interpreters_are_never_decoded(client):
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 4 4\nnewpath 0 0 moveto 4 4 lineto stroke\nshowpage\n"
    r = upload(client, fresh_school(), "x.eps", eps)
    assert r.status_code == 400 and "photo" in r.json()["errors"]
