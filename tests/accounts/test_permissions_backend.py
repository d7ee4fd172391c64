"""A user's permissions, their own and their groups', are read in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission cache yet


def test_own_and_group_permissions_come_in_one_query(django_assert_num_queries):
    user = get_user_model().objects.create_user("perm-tester")
    own = Permission.objects.get(codename="view_searchlog")
    by_group = Permission.objects.get(codename="change_synonymgroup")
    group = Group.objects.create(name="perm-test-group")
    group.permissions.add(by_group)
    user.user_permissions.add(own)
    user.groups.add(group)
    user = _fresh(user)

    with django_assert_num_queries(1):
        assert user.has_perm("search.view_searchlog")
        assert user.has_perm("search.change_synonymgroup")
        assert not user.has_perm("search.delete_synonymgroup")
        assert user.get_all_permissions() == {
            "search.view_searchlog",
            "search.change_synonymgroup",
        }


def test_a_permission_taken_away_is_gone_for_the_next_request():
    user = get_user_model().objects.create_user("perm-revoked")
    user.user_permissions.add(Permission.objects.get(codename="view_searchlog"))
    assert _fresh(user).has_perm("search.view_searchlog")

    user.user_permissions.clear()
    assert not _fresh(user).has_perm("search.view_searchlog")


def test_superusers_have_every_permission_and_inactive_users_none():
    root = get_user_model().objects.create_superuser("perm-root", password="x")
    every = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    assert _fresh(root).get_all_permissions() == every

    idle = get_user_model().objects.create_user("perm-idle", is_active=False)
    idle.user_permissions.add(Permission.objects.get(codename="view_searchlog"))
    assert _fresh(idle).get_all_permissions() == set()
    assert not _fresh(idle).has_perm("search.view_searchlog")
