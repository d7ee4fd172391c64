"""Editors maintain synonym groups in admin; a new group works at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.search.models import SearchLog, SynonymGroup

from .conftest import search_keys

pytestmark = pytest.mark.django_db


def test_synonym_group_added_in_admin_takes_effect_at_once(client, superuser, catalogue):
    client.force_login(superuser)
    assert "palveluasuminen" not in search_keys("vanhainkoti")
    response = client.post(
        reverse("admin:search_synonymgroup_add"),
        {
            "terms": "vanhainkoti\npalveluasuminen",
            "note": "vanha nimi",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    group = SynonymGroup.objects.get()
    assert group.updated_by == superuser
    assert group.members.count() == 2
    assert search_keys("vanhainkoti")[0] == "palveluasuminen"


def test_search_log_is_read_only_in_admin(client, superuser, advisor):
    log = SearchLog.objects.create(query="kotihoito", user=advisor, source="page")
    client.force_login(superuser)
    assert client.get(reverse("admin:search_searchlog_changelist")).status_code == 200
    assert client.get(reverse("admin:search_searchlog_add")).status_code == 403
    response = client.post(
        reverse("admin:search_searchlog_change", args=[log.pk]), {"query": "muutettu"}
    )
    assert response.status_code == 403
