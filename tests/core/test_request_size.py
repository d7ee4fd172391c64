"""The request body limit (DATA_UPLOAD_MAX_MEMORY_SIZE, …) fits the largest legitimate
form and refuses anything larger with a clean 400, never a 500 and never a write."""

from __future__ import annotations

import io
import random
import uuid
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.catalogue.edit_forms import LANGUAGES, TEXT_LIMITS
from apps.catalogue.models import Entry
from apps.consultations.models import Thread
from apps.core import limits
from apps.stories.models import Story
from tests.catalogue.test_views_editing import create_entry, form_data
from tests.stories.factories import QUEUES, theme

pytestmark = pytest.mark.django_db

URLENCODED = "application/x-www-form-urlencoded"


def finnish(length: int) -> str:
    """Finnish-looking text of exactly ``length`` characters, heavy on ä and ö (each is
    two bytes, six URL-encoded): a worst case for the body size of real text."""
    return ("äänestää yötä öljyä " * (length // 20 + 1))[: length - 1] + "ä"


def test_largest_entry_form_fits_the_limit_and_saves(client, editor):
    entry = create_entry(editor)
    client.force_login(editor)
    texts = {
        f"{name}_{lang}": finnish(TEXT_LIMITS.get(name, 300))
        for name in ("title", *TEXT_LIMITS)
        for lang in LANGUAGES
    }
    contacts = 50
    data = form_data(entry, **texts, comment=finnish(300))
    data |= {"contacts-TOTAL_FORMS": str(contacts), "contacts-INITIAL_FORMS": "1"}
    for i in range(contacts):
        data |= {
            f"contacts-{i}-{name}_{lang}": finnish(300)
            for name in ("label", "hours")
            for lang in LANGUAGES
        }
        data |= {f"contacts-{i}-address": finnish(300), f"contacts-{i}-phone": "05 000 2000"}
    body = urlencode(data, doseq=True)
    assert len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS

    response = client.post(
        reverse("catalogue:entry_edit", args=[entry.key]), body, content_type=URLENCODED
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert len(entry.body_en) == limits.ENTRY_BODY
    assert entry.contacts.count() == contacts


def test_a_body_over_the_limit_is_a_400_and_writes_nothing(client, advisor):
    client.force_login(advisor)
    body = urlencode(
        {
            "title": "Iso",
            "body": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
            "service_line": "1",
            "urgency": "none",
        }
    )

    response = client.post(reverse("consultations:ask"), body, content_type=URLENCODED)

    assert response.status_code == 400
    assert Thread.objects.count() == 0


def test_too_many_fields_is_a_400(client, advisor):
    client.force_login(advisor)
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = client.post(reverse("consultations:ask"), body, content_type=URLENCODED)

    assert response.status_code == 400
    assert Thread.objects.count() == 0


def _story_data(**overrides: object) -> dict[str, object]:
    return {
        "token": str(uuid.uuid4()),
        "version": "0",
        "title": finnish(200),
        "lead": finnish(500),
        "body": finnish(limits.STORY_BODY),
        "unit": finnish(150),
        "themes": [str(theme(QUEUES).pk)],
        "image_alt": finnish(300),
        "action": "save",
        **overrides,
    }


def test_a_multipart_story_over_the_limit_is_a_400(client, advisor):
    client.force_login(advisor)
    data = _story_data(body="x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    response = client.post(reverse("stories:create"), data)

    assert response.status_code == 400
    assert Story.objects.count() == 0


def _noisy_jpeg(target_bytes: int) -> SimpleUploadedFile:
    """A JPEG of random pixels just under ``target_bytes`` (noise does not compress)."""
    rng = random.Random(15)
    side = 1400
    while True:
        pixels = bytes(rng.getrandbits(8) for _ in range(side * side * 3))
        buffer = io.BytesIO()
        Image.frombytes("RGB", (side, side), pixels).save(buffer, format="JPEG", quality=95)
        if buffer.tell() <= target_bytes:
            return SimpleUploadedFile("kuva.jpg", buffer.getvalue(), "image/jpeg")
        side -= 100


def test_largest_story_with_an_image_saves(client, advisor):
    """Every text at its limit and an image near the 5 MB limit: the file does not count
    towards DATA_UPLOAD_MAX_MEMORY_SIZE (it is streamed to a temporary file)."""
    client.force_login(advisor)
    image = _noisy_jpeg(5 * 1024 * 1024 - 64 * 1024)
    assert image.size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    response = client.post(reverse("stories:create"), _story_data(image=image))

    assert response.status_code == 302, response.content.decode()[:2000]
    story = Story.objects.get()
    assert len(story.body) == limits.STORY_BODY
    assert story.image


def test_an_entry_text_over_its_limit_is_refused_beside_the_field(client, editor):
    entry = create_entry(editor)
    client.force_login(editor)

    response = client.post(
        reverse("catalogue:entry_edit", args=[entry.key]),
        form_data(entry, body_fi="x" * (limits.ENTRY_BODY + 1)),
    )

    assert response.status_code != 302
    assert response.status_code < 500
    assert f'maxlength="{limits.ENTRY_BODY}"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.version == 1
    assert Entry.objects.get(pk=entry.pk).body_fi == "Matkoja saa 18 kuukaudessa."
