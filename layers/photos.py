"""Photos attached to features (field editor). An upload is decoded and re-encoded with Pillow
(JPEG for photographs, PNG for the rest), stored under a generated name with its format's
extension, and served only through the layer's access rule with its format's content type."""

from __future__ import annotations

import io
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from gis_server.errors import BadRequest, NotFound
from layers import editing
from layers.models import FeaturePhoto
from layers.registry import LayerSpec

MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000  # about 8,000 x 6,000: a phone's photo, not a decompression bomb
MAX_SIDE = 4096  # larger photos are scaled down on re-encoding
JPEG_QUALITY = 88
CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
# the formats decoded at all: never one that runs an interpreter (EPS runs Ghostscript)
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF")  # JPEG includes MPO
PHOTOGRAPHIC = ("JPEG", "MPO")  # MPO: the multi-picture JPEG of many phone cameras
Image.init()  # register every format plugin, so that the list above can name them


def photo_url(p: FeaturePhoto) -> str:
    return f"/api/layers/{p.layer}/items/{p.feature_id}/photos/{p.pk}"


def reencode(upload) -> tuple[str, bytes]:
    """(extension, bytes) of a clean copy of an uploaded image; BadRequest if it is none.
    Only the decoded pixels survive: no metadata, no trailing bytes, no other format."""
    name = getattr(upload, "name", "photo")
    if upload.size > MAX_PHOTO_BYTES:
        raise BadRequest(f"{name}: larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB", {"photo": "too large"})
    try:
        with Image.open(upload, formats=ACCEPTED_FORMATS) as img:
            if img.width * img.height > MAX_PHOTO_PIXELS:
                raise BadRequest(f"{name}: more than {MAX_PHOTO_PIXELS:,} pixels", {"photo": "too many pixels"})
            photographic = img.format in PHOTOGRAPHIC
            img.load()
            img = ImageOps.exif_transpose(img)  # keep the orientation the camera meant, drop the EXIF
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if photographic:
                img.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                return ".jpg", out.getvalue()
            if img.mode not in ("RGB", "RGBA", "L", "LA"):
                img = img.convert("RGBA")
            img.save(out, format="PNG", optimize=True)
            return ".png", out.getvalue()
    except BadRequest:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise BadRequest(f"{name}: not an image (JPEG, PNG, GIF, WebP, ...)", {"photo": "not an image"}) from None


def feature_photos_add(*, spec: LayerSpec, fid: int, files, user) -> list[FeaturePhoto]:
    """Attach uploaded images to a feature the user may edit there (the same scope check as
    every edit); nothing is saved if one of them fails."""
    editing.require_edit_of(user, spec, fid)
    if not files:
        raise BadRequest("send one or more image files in the 'photo' field", {"photo": "required"})
    clean = [reencode(f) for f in files]
    saved: list[FeaturePhoto] = []
    try:
        with transaction.atomic():
            for ext, data in clean:
                p = FeaturePhoto(layer=spec.id, feature_id=fid, uploaded_by=user)
                p.image.save(f"{uuid.uuid4().hex}{ext}", ContentFile(data), save=False)
                saved.append(p)
                p.save()
    except Exception:
        for p in saved:  # no file left behind without its row
            p.image.delete(save=False)
        raise
    return saved


def feature_photos(*, spec: LayerSpec, fid: int) -> list[dict]:
    photos = FeaturePhoto.objects.filter(layer=spec.id, feature_id=fid).order_by("uploaded_at")
    return [{"url": photo_url(p), "at": p.uploaded_at.isoformat()} for p in photos]


def feature_photo(*, spec: LayerSpec, fid: int, photo_id: int) -> tuple[FeaturePhoto, str]:
    """A photo and the content type to serve it with (photos stored before re-encoding was
    introduced, with another extension, are served as a download, never inline)."""
    photo = FeaturePhoto.objects.filter(layer=spec.id, feature_id=fid, pk=photo_id).first()
    if photo is None:
        raise NotFound("no such photo")
    ext = "." + photo.image.name.rsplit(".", 1)[-1].lower() if "." in photo.image.name else ""
    return photo, CONTENT_TYPES.get(ext, "application/octet-stream")
