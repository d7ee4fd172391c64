"""Report pages are for managers: the ``reports.view_report`` permission (granted to
Esihenkilö by migration 0002); running one needs ``reports.run_report``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

VIEW = "reports.view_report"
RUN = "reports.run_report"


def can_view_reports(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW))


def can_run_reports(user: User | AnonymousUser) -> bool:
    return bool(can_view_reports(user) and user.has_perm(RUN))
