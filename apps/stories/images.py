"""A story's image: checked, shrunk and re-encoded before anything is stored.

What the uploader sent is never stored as it is. Pillow decides the type from the bytes
(not the name or the browser's content type), the pixel count is bounded before
decoding, and re-encoding drops every bit of metadata (EXIF with GPS and camera serial,
XMP, comments) after the EXIF orientation has been applied.

The pixel bound is what a story image needs: it is shown at most 1600 px wide, so any
phone photo (12 MP) or a 24 MP camera's full frame (6000 × 4000) is plenty. Up to 25 MP
the decoded pixels stay about 100 MB (RGBA); a JPEG is decoded at a reduced DCT scale
(``draft``), so a large photo never lands in memory at full size. The count is read from
the file's header (``Image.open`` is lazy) and checked before anything is decoded; Pillow's
own process-wide net (``Image.MAX_IMAGE_PIXELS``, set in ``StoriesConfig.ready``) is the
same bound.
"""

from __future__ import annotations

import io
import re
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000  # 25 MP: a 24 MP camera's full frame; see the module docstring
MAX_DIMENSION = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"


_PILLOW_PIXELS_RE = re.compile(r"\((\d+) pixels\)")


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _too_many_pixels(pixels: int) -> ValidationError:
    return ValidationError(
        _("Kuva on liian suuri (pikseleitä %(pixels)s, enintään %(limit)s)."),
        code="too_many_pixels",
        params={
            "pixels": number_format(pixels, force_grouping=True),
            "limit": number_format(MAX_PIXELS, force_grouping=True),
        },
    )


def process_story_image(upload: UploadedFile[bytes]) -> ContentFile[bytes]:
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
            if width * height > MAX_PIXELS:  # from the header: nothing decoded yet
                raise _too_many_pixels(width * height)
            probe.verify()  # structure and checksums; the image is unusable afterwards
        with Image.open(io.BytesIO(data)) as image:  # verify() needs a fresh open
            # A JPEG decodes at the smallest scale still covering the shown size.
            image.draft("RGB", (MAX_DIMENSION, MAX_DIMENSION))
            image.load()
            return _reencode(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Over Pillow's own limit (twice the bound, or once with warnings as errors):
        # Image.open refused it from the header, with the count in its message.
        found = _PILLOW_PIXELS_RE.search(str(exc))
        raise _too_many_pixels(int(found.group(1)) if found else MAX_PIXELS + 1) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _error(_("Tiedosto ei ole kelvollinen kuva."), "invalid") from exc


def _reencode(image: Image.Image) -> ContentFile[bytes]:
    # Keep the photo upright once EXIF is gone (in place: no second full-size copy).
    ImageOps.exif_transpose(image, in_place=True)
    image.thumbnail((MAX_DIMENSION, MAX_DIMENSION), Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
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
