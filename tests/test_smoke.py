from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from apps.catalogue.models import Municipality, ServiceLine

pytestmark = pytest.mark.django_db


def test_reference_data_is_seeded_by_migrations():
    assert sorted(Municipality.objects.values_list("code", flat=True)) == [
        "075",
        "285",
        "286",
        "489",
        "624",
        "935",
    ]
    assert ServiceLine.objects.count() == 5
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Neuvoja",
        "Sisällöntuottaja",
        "Esihenkilö",
    }


def test_extensions_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        names = {row[0] for row in cursor.fetchall()}
    assert {"pg_trgm", "unaccent"} <= names


def test_every_page_requires_login(client):
    response = client.get("/palvelut/")
    assert response.status_code == 302
    assert response["Location"].startswith("/kirjaudu/")


def test_health_is_public(client):
    assert client.get("/terveys/").json() == {"status": "ok"}
