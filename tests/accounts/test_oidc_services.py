"""The account made or updated from the identity provider's claims (services.oidc_user_sync)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from apps.accounts import roles, services
from apps.accounts.models import User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

GROUPS = {
    roles.ADVISOR: ["a1b2-neuvojat"],
    roles.EDITOR: ["c3d4-sisalto"],
    roles.MANAGER: ["e5f6-esihenkilot", "e5f6-varaesihenkilot"],
}


@pytest.fixture(autouse=True)
def role_groups(settings):
    settings.NEUVOKAS_OIDC_ROLE_GROUPS = GROUPS
    settings.NEUVOKAS_OIDC_GROUPS_CLAIM = "groups"
    settings.NEUVOKAS_OIDC_USERNAME_CLAIM = "preferred_username"


def claims(sub: str = "sub-1", groups: object = ("a1b2-neuvojat",), **extra: object):
    return {
        "sub": sub,
        "given_name": "Maija",
        "family_name": "Virtanen",
        "email": "maija@example.org",
        "preferred_username": "Maija.Virtanen@example.org",
        "groups": list(groups) if isinstance(groups, tuple | list) else groups,
        **extra,
    }


def role_names(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_oidc_user_sync_creates_the_user_from_claims():
    user = services.oidc_user_sync(claims=claims())

    user.refresh_from_db()
    assert user.oidc_subject == "sub-1"
    assert user.username == "maija.virtanen@example.org"
    assert (user.first_name, user.last_name, user.email) == (
        "Maija",
        "Virtanen",
        "maija@example.org",
    )
    assert not user.has_usable_password()
    assert role_names(user) == {roles.ADVISOR}


def test_oidc_user_sync_updates_the_same_account_by_sub():
    first = services.oidc_user_sync(claims=claims())
    again = services.oidc_user_sync(
        claims=claims(family_name="Korhonen", email="maija.korhonen@example.org")
    )

    assert again.pk == first.pk
    assert User.objects.count() == 1
    again.refresh_from_db()
    assert (again.last_name, again.email) == ("Korhonen", "maija.korhonen@example.org")


def test_oidc_user_sync_sets_roles_at_every_sign_in():
    user = services.oidc_user_sync(claims=claims(groups=["a1b2-neuvojat", "E5F6-VARAESIHENKILOT"]))
    assert role_names(user) == {roles.ADVISOR, roles.MANAGER}

    services.oidc_user_sync(claims=claims(groups=["c3d4-sisalto", "muu-ryhma"]))
    assert role_names(user) == {roles.EDITOR}


def test_oidc_user_sync_keeps_groups_that_are_not_roles():
    user = services.oidc_user_sync(claims=claims())
    other = Group.objects.create(name="Kokeiluryhmä")
    user.groups.add(other)

    services.oidc_user_sync(claims=claims(groups=["c3d4-sisalto"]))

    assert role_names(user) == {roles.EDITOR, "Kokeiluryhmä"}


def test_oidc_user_sync_leaves_an_existing_user_without_roles_for_the_caller_to_refuse():
    user = services.oidc_user_sync(claims=claims())

    same = services.oidc_user_sync(claims=claims(groups=[]))

    assert same.pk == user.pk
    assert role_names(same) == set()
    assert not services.user_has_role(same)


def test_oidc_user_sync_makes_no_account_for_someone_without_a_role():
    with pytest.raises(services.SignInRefused) as refused:
        services.oidc_user_sync(claims=claims(groups=["muu-ryhma"]))

    assert refused.value.reason == "no_role"
    assert not User.objects.exists()


def test_oidc_user_sync_refuses_a_deactivated_user_and_changes_nothing():
    user = services.oidc_user_sync(claims=claims())
    User.objects.filter(pk=user.pk).update(is_active=False)

    with pytest.raises(services.SignInRefused) as refused:
        services.oidc_user_sync(claims=claims(groups=["e5f6-esihenkilot"], family_name="Uusi"))

    assert refused.value.reason == "inactive"
    user.refresh_from_db()
    assert user.last_name == "Virtanen"
    assert role_names(user) == {roles.ADVISOR}


def test_oidc_user_sync_refuses_claims_without_sub():
    with pytest.raises(services.SignInRefused) as refused:
        services.oidc_user_sync(claims=claims(sub=""))
    assert refused.value.reason == "invalid"


def test_oidc_user_sync_does_not_take_over_a_local_account_with_the_same_username(
    django_user_model,
):
    local = make_user(django_user_model, "maija.virtanen@example.org", is_superuser=True)

    user = services.oidc_user_sync(claims=claims())

    assert user.pk != local.pk
    assert user.username.startswith("maija.virtanen@example.org-")
    local.refresh_from_db()
    assert local.oidc_subject is None


def test_oidc_user_sync_does_not_store_a_name_holding_an_identity_code():
    user = services.oidc_user_sync(claims=claims(family_name="Virtanen 131052-308T"))

    user.refresh_from_db()
    assert "131052" not in user.last_name


def test_oidc_user_sync_accepts_a_single_group_as_a_string():
    user = services.oidc_user_sync(claims=claims(groups="c3d4-sisalto"))
    assert role_names(user) == {roles.EDITOR}


def test_oidc_user_sync_gives_no_role_when_groups_are_left_out_of_the_token():
    """Entra ID's overage: too many groups, the token points elsewhere instead."""
    overage = claims(_claim_names={"groups": "src1"})
    del overage["groups"]

    with pytest.raises(services.SignInRefused):
        services.oidc_user_sync(claims=overage)


def test_oidc_user_sync_takes_the_name_apart_when_only_name_is_given():
    user = services.oidc_user_sync(
        claims=claims(given_name=None, family_name=None, name="Anna Maija Virtanen")
    )
    assert (user.first_name, user.last_name) == ("Anna Maija", "Virtanen")
