"""Admin autocomplete fields survive values of the wrong type (a 500 before)."""

from __future__ import annotations

import pytest

from apps.catalogue.models import Entry
from tests.catalogue import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["1e9999", "abc", "-1' OR 1=1", "99999999999999999999"])
def test_admin_add_form_ignores_initial_autocomplete_values_of_the_wrong_type(
    client, superuser, value
):
    client.force_login(superuser)
    response = client.get("/admin/catalogue/entry/add/", {"organisation": value, "owner": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["1e9999", "abc"])
def test_admin_change_form_reports_a_wrong_autocomplete_value_as_an_error(client, superuser, value):
    entry = factories.entry()
    client.force_login(superuser)
    response = client.post(
        f"/admin/catalogue/entry/{entry.pk}/change/",
        {"organisation": value, "owner": value, "key": entry.key},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organisation"]
    assert Entry.objects.get(pk=entry.pk).organisation_id == entry.organisation_id


def test_admin_change_form_with_an_invalid_key_shows_the_errors(client, superuser):
    entry = factories.entry()
    client.force_login(superuser)
    response = client.post(
        f"/admin/catalogue/entry/{entry.pk}/change/",
        {"key": "-1' OR '1'='1 <script>", "kind": "service"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["key"]
    assert Entry.objects.get(pk=entry.pk).key == entry.key
