from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts import services
from apps.accounts.models import ApiToken
from apps.accounts.services import profile_update, service_lines_assign
from apps.catalogue.models import ServiceLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_lines():
    return (
        ServiceLine.objects.create(key="g-vanha", name="Vanha"),
        ServiceLine.objects.create(key="g-uusi", name="Uusi"),
    )


def test_profile_update_sets_email_and_leaves_lines(advisor, two_lines):
    old, _new = two_lines
    advisor.service_lines.set([old])

    result = profile_update(user=advisor, email_notifications=False)

    advisor.refresh_from_db()
    assert list(advisor.service_lines.all()) == [old]
    assert advisor.email_notifications is False
    assert result.pk == advisor.pk


def test_service_lines_assign_by_manager_replaces_lines(advisor, manager, two_lines):
    old, new = two_lines
    advisor.service_lines.set([old])

    service_lines_assign(user=advisor, service_lines=[new], by=manager)

    assert list(advisor.service_lines.all()) == [new]


@pytest.mark.parametrize("who", ["advisor", "editor"])
def test_service_lines_assign_refuses_anyone_but_a_manager(request, advisor, who, two_lines):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        service_lines_assign(user=actor, service_lines=list(two_lines), by=actor)

    assert not actor.service_lines.exists()


def test_service_lines_assign_without_actor_is_the_system(advisor, two_lines):
    service_lines_assign(user=advisor, service_lines=[two_lines[0]], by=None)

    assert list(advisor.service_lines.all()) == [two_lines[0]]


# --- Tokens ----------------------------------------------------------------------------


def test_api_token_is_stored_only_as_a_hash(db, advisor):
    token, raw = services.api_token_create(user=advisor, name="raportit")
    assert raw.startswith("nvk_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.key_hash, stored.prefix, stored.name)
    assert stored.key_hash == services.hash_token(raw)
