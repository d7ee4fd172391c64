"""A story's image: checked, shrunk and re-encoded before anything is stored.

What the uploader sent is never stored as it is. Pillow decides the type from the bytes
(not the name or the browser's content type), the pixel count is bounded before
decoding, and re-encoding drops every bit of metadata (EXIF with GPS and camera serial,
XMP, comments) after the EXIF orientation has been applied.
"""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 MP: any phone photo, no decompression bomb
MAX_DIMENSION = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def process_story_image(upload: UploadedFile) -> ContentFile:
    """Validate ``upload`` and return a clean JPEG (or WebP, if it has transparency).

    Raises a ValidationError (for the form's ``image`` field) saying what is wrong.
    """
    if upload.size is None or upload.size > MAX_BYTES:
        raise _error(_("Kuva on liian suuri: enintään 5 Mt."), "too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _error(_("Kuva on liian suuri: enintään 5 Mt."), "too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ACCEPTED_FORMATS:
                raise _error(_("Vain JPEG-, PNG- ja WebP-kuvat käyvät."), "format")
            if width * height > MAX_PIXELS:
                raise _error(_("Kuvassa on liikaa pikseleitä (enintään 40 megapikseliä)."),
                             "too_many_pixels")
            probe.verify()  # structure and checksums; the image is unusable afterwards
        with Image.open(io.BytesIO(data)) as image:  # verify() needs a fresh open
            image.load()
            return _reencode(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:
        raise _error(_("Tiedosto ei ole kelvollinen kuva."), "invalid") from exc


def _reencode(image: Image.Image) -> ContentFile:
    image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is gone
    image.thumbnail((MAX_DIMENSION, MAX_DIMENSION), Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info)
    clean = image.convert("RGBA" if has_alpha else "RGB")
    clean.info = {}  # no EXIF, XMP, ICC or comments can ride along into the new file
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="WEBP", quality=85, method=4)
        extension = "webp"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
