from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings as settings_module
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.formats import number_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
    return encoded(
        Image.new("RGB", (200, 100), "red"), "JPEG", exif=exif, comment=b"asiakkaan nimi"
    )


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


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_process_story_image_refuses_too_many_pixels():
    """A decompression bomb: small file, huge canvas. Refused before decoding."""
    bomb = encoded(Image.new("1", (8000, 6000)), "PNG")
    assert len(bomb) < images.MAX_BYTES

    with pytest.raises(ValidationError) as exc:
        process_story_image(upload(bomb, "pommi.png", "image/png"))

    assert exc.value.code == "too_many_pixels"
    assert exc.value.messages == [
        f"Kuva on liian suuri (pikseleitä {grouped(48_000_000)}, "
        f"enintään {grouped(images.MAX_PIXELS)})."
    ]


def grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


def single_colour_png(width: int, height: int) -> bytes:
    """A canvas of ``width`` × ``height`` pixels that is a few kilobytes on disk."""
    return encoded(Image.new("RGB", (width, height), "white"), "PNG", optimize=True)


def test_process_story_image_bound_fits_a_story_image():
    """25 MP: every phone photo (12 MP) and a 24 MP camera's full frame pass; the decoded
    pixels of the largest accepted image stay about 100 MB."""
    assert images.MAX_PIXELS == 25_000_000
    assert images.MAX_PIXELS >= 6000 * 4000
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS  # Pillow's own net, process-wide


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_process_story_image_refuses_a_canvas_just_over_the_bound_before_decoding(monkeypatch):
    data = single_colour_png(5000, 5001)  # 25 005 000 pixels, just over 25 MP
    assert len(data) < 100_000
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self))

    with pytest.raises(ValidationError) as exc:
        process_story_image(upload(data, "iso.png", "image/png"))

    assert exc.value.code == "too_many_pixels"
    assert exc.value.messages == [
        f"Kuva on liian suuri (pikseleitä {grouped(25_005_000)}, enintään {grouped(25_000_000)})."
    ]
    assert decoded == []  # refused from the header alone


def test_process_story_image_refuses_beyond_pillows_own_limit_with_the_same_message():
    """Over twice the bound Pillow itself refuses to open the file; the user still learns
    the pixel count, not "not a valid image"."""
    data = single_colour_png(8000, 7000)  # 56 MP > 2 × 25 MP

    with pytest.raises(ValidationError) as exc:
        process_story_image(upload(data, "iso.png", "image/png"))

    assert exc.value.code == "too_many_pixels"
    assert grouped(56_000_000) in exc.value.messages[0]


def test_process_story_image_accepts_a_canvas_at_the_bound():
    data = single_colour_png(5000, 5000)  # exactly 25 MP

    result = process_story_image(upload(data, "iso.png", "image/png"))

    with Image.open(io.BytesIO(result.read())) as clean:
        assert clean.size == (1600, 1600)


def test_process_story_image_decodes_a_large_jpeg_at_a_reduced_scale(monkeypatch):
    """A JPEG is decoded at the smallest DCT scale still at least 1600 px (draft), so a
    24 MP photo never lands in memory at full size."""
    data = encoded(Image.new("RGB", (6000, 4000), "teal"), "JPEG")
    loaded = []
    original = Image.Image.load

    def load(self):
        loaded.append(self.size)
        return original(self)

    monkeypatch.setattr(Image.Image, "load", load)

    result = process_story_image(upload(data))

    assert loaded and max(w * h for w, h in loaded) <= 3000 * 2000
    with Image.open(io.BytesIO(result.read())) as clean:
        assert clean.size == (1600, 1067)


# --- Fuzzing: whatever the bytes, a clean image or a clean refusal -------------------------


def _png_with_size(width: int, height: int) -> bytes:
    """A real 1×1 PNG whose header claims ``width`` × ``height`` (CRC fixed up)."""
    data = bytearray(encoded(Image.new("RGB", (1, 1), "red"), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _jpeg_with_size(width: int, height: int) -> bytes:
    """A real small JPEG whose SOF header claims ``width`` × ``height``."""
    data = bytearray(encoded(Image.new("RGB", (8, 8), "red"), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


_small_images = st.builds(
    lambda kind, mode, w, h: encoded(Image.new(mode, (w, h), "blue"), kind),
    st.sampled_from(["PNG", "JPEG", "WEBP", "GIF"]),
    st.just("RGB"),
    st.integers(1, 64),
    st.integers(1, 64),
)


@st.composite
def _mangled(draw, images_: st.SearchStrategy[bytes]) -> bytes:
    data = bytearray(draw(images_))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(0, len(data)))])


hostile_image_bytes = st.one_of(
    st.binary(max_size=512),
    _mangled(_small_images),
    st.builds(_png_with_size, st.integers(0, 2**31 - 1), st.integers(0, 2**31 - 1)),
    st.builds(_jpeg_with_size, st.integers(0, 65535), st.integers(0, 65535)),
)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@settings(
    derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=hostile_image_bytes)
def test_process_story_image_gives_an_image_or_a_validation_error_for_any_bytes(data):
    try:
        result = process_story_image(upload(data))
    except ValidationError as exc:
        assert exc.code in {"invalid", "format", "too_many_pixels", "too_large"}
        return
    with Image.open(io.BytesIO(result.read())) as clean:
        assert clean.format in {"JPEG", "WEBP"}
        assert max(clean.size) <= images.MAX_DIMENSION


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.django_db
@settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=hostile_image_bytes)
def test_story_form_never_answers_500_to_hostile_image_bytes(client, advisor, data):
    from tests.stories.test_views import form_data

    client.force_login(advisor)
    stored_before = (
        sorted(p.name for p in Path(settings_module.MEDIA_ROOT).rglob("*") if p.is_file())
        if Path(settings_module.MEDIA_ROOT).exists()
        else []
    )
    response = client.post(
        reverse("stories:create"),
        form_data(image=SimpleUploadedFile("kuva.png", data, "image/png"), image_alt="Kuva"),
    )

    assert response.status_code in (200, 302, 422), response.status_code
    if response.status_code == 422:
        assert "image" in response.context["form"].errors
        stored = (
            sorted(p.name for p in Path(settings_module.MEDIA_ROOT).rglob("*") if p.is_file())
            if Path(settings_module.MEDIA_ROOT).exists()
            else []
        )
        assert stored == stored_before
