"""Report pages are for managers: the ``reports.view_report`` permission (granted to
Esihenkilö by migration 0002); running one needs ``reports.run_report``."""

from __future__ import annotations

from typing import Any

VIEW = "reports.view_report"
RUN = "reports.run_report"


def can_view_reports(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(VIEW)
    )


def can_run_reports(user: Any) -> bool:
    return bool(
        can_view_reports(user)
        and user.has_perm(RUN)
    )
