"""Photos attached to features (field editor): stored under the media folder, served only
through the layer's access rule."""

from __future__ import annotations

from PIL import Image, UnidentifiedImageError

from gis_server.errors import BadRequest, NotFound
from layers import editing
from layers.models import FeaturePhoto
from layers.registry import LayerSpec

MAX_PHOTO_BYTES = 15 * 1024 * 1024


def photo_url(p: FeaturePhoto) -> str:
    return f"/api/layers/{p.layer}/items/{p.feature_id}/photos/{p.pk}"


def feature_photos_add(*, spec: LayerSpec, fid: int, files, user) -> list[FeaturePhoto]:
    """Attach uploaded images to a feature the user may edit; nothing is saved if one fails."""
    editing.require_edit(user, spec)
    if editing.feature_etag(spec, fid) is None:
        raise NotFound(f"item {fid} not found")
    if not files:
        raise BadRequest("send one or more image files in the 'photo' field")
    for f in files:
        if f.size > MAX_PHOTO_BYTES:
            raise BadRequest(f"{f.name}: larger than 15 MB")
        try:
            Image.open(f).verify()
        except (UnidentifiedImageError, OSError):
            raise BadRequest(f"{f.name}: not an image") from None
        f.seek(0)
    return [FeaturePhoto.objects.create(layer=spec.id, feature_id=fid, image=f, uploaded_by=user) for f in files]


def feature_photos(*, spec: LayerSpec, fid: int) -> list[dict]:
    photos = FeaturePhoto.objects.filter(layer=spec.id, feature_id=fid).order_by("uploaded_at")
    return [{"url": photo_url(p), "at": p.uploaded_at.isoformat()} for p in photos]


def feature_photo(*, spec: LayerSpec, fid: str, photo_id: int) -> FeaturePhoto:
    photo = FeaturePhoto.objects.filter(layer=spec.id, feature_id=fid, pk=photo_id).first()
    if photo is None:
        raise NotFound("no such photo")
    return photo
