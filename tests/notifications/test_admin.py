from __future__ import annotations

import pytest
from django.urls import reverse

from apps.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_notification_admin_lists_and_shows_read_only(client, superuser, alice):
    (notification,) = notify(
        recipients=[alice], verb="answer", text="Vastaus tuli.", url="/k/", email=False
    )
    client.force_login(superuser)

    listing = client.get(reverse("admin:notifications_notification_changelist"))
    detail = client.get(reverse("admin:notifications_notification_change", args=[notification.pk]))

    assert listing.status_code == 200 and "Vastaus tuli." in listing.text
    assert detail.status_code == 200
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
