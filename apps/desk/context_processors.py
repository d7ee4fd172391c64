"""What the signed-in user may reach, for the header, the front page and the profile.

Templates never ask ``perms.app.codename``: they read ``rights.<flag>``, computed here (or
in the view, for rights on one object) from the apps' predicates. Each flag is worked
out only when a template reads it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from apps.accounts import permissions as accounts
from apps.catalogue import permissions as catalogue
from apps.consultations import permissions as consultations
from apps.contacts import permissions as contacts
from apps.reports import permissions as reports
from apps.stories import permissions as stories

if TYPE_CHECKING:
    from apps.accounts.models import User


class Rights:
    """Page-level rights of one user, each a predicate asked on first read."""

    def __init__(self, user: User | AnonymousUser) -> None:
        self._user = user

    @cached_property
    def record_contact(self) -> bool:
        return contacts.can_record_contact(self._user)

    @cached_property
    def view_threads(self) -> bool:
        return consultations.can_view_threads(self._user)

    @cached_property
    def edit_entries(self) -> bool:
        return catalogue.can_edit_entries(self._user)

    @cached_property
    def view_reports(self) -> bool:
        return reports.can_view_reports(self._user)

    @cached_property
    def assign_service_lines(self) -> bool:
        return accounts.can_assign_service_lines(self._user)

    @cached_property
    def write_story(self) -> bool:
        return stories.can_write_story(self._user)

    @cached_property
    def review_stories(self) -> bool:
        return stories.can_review_stories(self._user)


def rights(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"rights": Rights(cast("User | AnonymousUser", user))}
