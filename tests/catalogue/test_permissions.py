from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from apps.catalogue.permissions import can_edit_entry, can_review_entry
from tests.catalogue.factories import entry
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


class TestEntryPredicates:
    """Every branch of can_edit_entry / can_review_entry, with one shared setup."""

    @pytest.fixture(autouse=True)
    def _setup(self, django_user_model, advisor, editor, superuser):
        self.advisor = advisor
        self.editor = editor  # Sisällöntuottaja: change_entry and review_entry
        self.superuser = superuser
        self.owner = make_user(django_user_model, "owner")  # no role, no permissions
        self.entry = entry(owner=self.owner)

    def test_can_edit_entry_anonymous_never(self):
        assert not can_edit_entry(AnonymousUser(), self.entry)

    def test_can_edit_entry_inactive_never(self):
        self.superuser.is_active = False
        assert not can_edit_entry(self.superuser, self.entry)

    def test_can_edit_entry_superuser(self):
        assert can_edit_entry(self.superuser, self.entry)

    def test_can_edit_entry_change_permission(self):
        assert can_edit_entry(self.editor, self.entry)

    def test_can_edit_entry_owner_without_permission(self):
        assert can_edit_entry(self.owner, self.entry)
        assert not can_edit_entry(self.owner, entry())

    def test_can_edit_entry_advisor_refused(self):
        assert not can_edit_entry(self.advisor, self.entry)

    def test_can_review_entry_anonymous_and_inactive_never(self):
        assert not can_review_entry(AnonymousUser(), self.entry)
        self.owner.is_active = False
        assert not can_review_entry(self.owner, self.entry)

    def test_can_review_entry_superuser(self):
        assert can_review_entry(self.superuser, self.entry)

    def test_can_review_entry_review_permission(self, django_user_model):
        reviewer = make_user(django_user_model, "reviewer")
        reviewer.user_permissions.add(
            Permission.objects.get(codename="review_entry", content_type__app_label="catalogue")
        )
        assert can_review_entry(reviewer, self.entry)
        assert not can_edit_entry(reviewer, self.entry)

    def test_can_review_entry_change_permission_alone_is_not_enough(self, django_user_model):
        changer = make_user(django_user_model, "changer")
        changer.user_permissions.add(
            Permission.objects.get(codename="change_entry", content_type__app_label="catalogue")
        )
        assert can_edit_entry(changer, self.entry)
        assert not can_review_entry(changer, self.entry)

    def test_can_review_entry_owner(self):
        assert can_review_entry(self.owner, self.entry)
        assert not can_review_entry(self.owner, entry())

    def test_can_review_entry_advisor_refused(self):
        assert not can_review_entry(self.advisor, self.entry)
