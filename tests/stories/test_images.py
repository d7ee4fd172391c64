from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.stories import images
from apps.stories.images import process_story_image


def upload(data: bytes, name: str = "kuva.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def encoded(image: Image.Image, kind: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **params)
    return buffer.getvalue()


def photo_with_metadata() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kameravalmistaja"  # Make
    exif[0x0131] = "Salainen ohjelma"  # Software
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    gps = exif.get_ifd(0x8825)
    gps[2] = (60.0, 28.0, 0.0)  # GPSLatitude (Kotka)
    return encoded(Image.new("RGB", (200, 100), "red"), "JPEG", exif=exif,
                   comment=b"asiakkaan nimi")


def test_process_story_image_strips_metadata_and_applies_orientation():
    result = process_story_image(upload(photo_with_metadata()))

    with Image.open(io.BytesIO(result.read())) as clean:
        assert clean.format == "JPEG"
        assert clean.size == (100, 200)  # turned upright, then the EXIF was dropped
        assert not clean.getexif()
        assert "exif" not in clean.info
        assert "comment" not in clean.info
    assert result.name.endswith(".jpg")
    assert "kuva" not in result.name  # the uploader's file name is not kept


def test_process_story_image_shrinks_to_the_maximum_dimension():
    big = encoded(Image.new("RGB", (3200, 1000), "blue"), "PNG")

    result = process_story_image(upload(big, "iso.png", "image/png"))

    with Image.open(io.BytesIO(result.read())) as clean:
        assert clean.size == (1600, 500)


def test_process_story_image_keeps_transparency_as_webp():
    logo = encoded(Image.new("RGBA", (64, 64), (0, 80, 122, 128)), "PNG")

    result = process_story_image(upload(logo, "logo.png", "image/png"))

    assert result.name.endswith(".webp")
    with Image.open(io.BytesIO(result.read())) as clean:
        assert clean.format == "WEBP"
        assert clean.mode == "RGBA"


def test_process_story_image_accepts_webp():
    webp = encoded(Image.new("RGB", (30, 20), "green"), "WEBP")

    result = process_story_image(upload(webp, "kuva.webp", "image/webp"))

    assert result.name.endswith(".jpg")


@pytest.mark.parametrize("kind", ["GIF", "BMP", "TIFF"])
def test_process_story_image_refuses_other_formats(kind):
    data = encoded(Image.new("RGB", (10, 10), "red"), kind)

    with pytest.raises(ValidationError) as exc:
        process_story_image(upload(data, "kuva.jpg", "image/jpeg"))  # the name lies

    assert exc.value.code == "format"


def test_process_story_image_refuses_a_file_that_is_not_an_image():
    with pytest.raises(ValidationError) as exc:
        process_story_image(upload(b"<script>alert(1)</script>", "kuva.jpg"))

    assert exc.value.code == "invalid"


def test_process_story_image_refuses_a_truncated_image():
    data = encoded(Image.effect_noise((300, 300), 64).convert("RGB"), "PNG")

    with pytest.raises(ValidationError) as exc:
        process_story_image(upload(data[: len(data) // 2], "kuva.png", "image/png"))

    assert exc.value.code == "invalid"


def test_process_story_image_refuses_more_than_five_megabytes():
    data = b"\xff\xd8\xff" + b"0" * (images.MAX_BYTES + 1)

    with pytest.raises(ValidationError) as exc:
        process_story_image(upload(data))

    assert exc.value.code == "too_large"


def test_process_story_image_refuses_too_many_pixels():
    """A decompression bomb: small file, huge canvas. Refused before decoding."""
    bomb = encoded(Image.new("1", (8000, 6000)), "PNG")
    assert len(bomb) < images.MAX_BYTES

    with pytest.raises(ValidationError) as exc:
        process_story_image(upload(bomb, "pommi.png", "image/png"))

    assert exc.value.code == "too_many_pixels"
