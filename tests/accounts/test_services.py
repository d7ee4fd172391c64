from __future__ import annotations

import pytest

from apps.accounts.services import profile_update
from apps.catalogue.models import ServiceLine

pytestmark = pytest.mark.django_db


def test_profile_update_replaces_lines_and_sets_email(advisor):
    old = ServiceLine.objects.create(key="g-vanha", name="Vanha")
    new = ServiceLine.objects.create(key="g-uusi", name="Uusi")
    advisor.service_lines.set([old])

    result = profile_update(user=advisor, service_lines=[new], email_notifications=False)

    advisor.refresh_from_db()
    assert list(advisor.service_lines.all()) == [new]
    assert advisor.email_notifications is False
    assert result.pk == advisor.pk
