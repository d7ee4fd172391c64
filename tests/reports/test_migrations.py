from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django_celery_beat.models import PeriodicTask

from tests.reference_data import seed_reference_data

pytestmark = pytest.mark.django_db

SEEDED = {
    "Raportit: yhteydenotot ja haun aukot (kuukausittain)": (
        "reports.schedule_due_reports",
        "0 3 1 * *",
    ),
    "Raportit: johdon raporttipaketti (joka toinen kuukausi)": (
        "reports.schedule_due_reports",
        "30 3 1 1,3,5,7,9,11 *",
    ),
    "Raportit: vanhentuneet sisällöt omistajille (viikoittain)": (
        "reports.remind_owners",
        "0 7 * * 1",
    ),
}


def _crontab(task: PeriodicTask) -> str:
    c = task.crontab
    return f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} {c.day_of_week}"


def test_schedules_seeded_in_finnish_time():
    for name, (task_name, cron) in SEEDED.items():
        task = PeriodicTask.objects.get(name=name)
        assert task.task == task_name
        assert _crontab(task) == cron
        assert str(task.crontab.timezone) == "Europe/Helsinki"
    package = PeriodicTask.objects.get(name__contains="johdon raporttipaketti")
    assert package.kwargs == (
        '{"kinds": ["contacts", "consultations", "freshness", '
        '"search_gaps", "stories"], "months": 2}'
    )
    resume = PeriodicTask.objects.get(task="reports.resume_reports")
    assert (resume.interval.every, resume.interval.period) == (10, "minutes")


def test_seeding_again_keeps_admins_edits_and_adds_nothing():
    monthly = PeriodicTask.objects.get(name__contains="kuukausittain")
    monthly.enabled = False
    monthly.kwargs = '{"kinds": ["contacts"], "months": 1}'
    monthly.save()
    count = PeriodicTask.objects.count()

    seed_reference_data()

    assert PeriodicTask.objects.count() == count
    monthly.refresh_from_db()
    assert (monthly.enabled, monthly.kwargs) == (False, '{"kinds": ["contacts"], "months": 1}')


def test_report_permissions_for_managers_only():
    def perms(role):
        return set(
            Group.objects.get(name=role)
            .permissions.filter(content_type__app_label__in=["reports", "contacts"])
            .values_list("codename", flat=True)
        )

    assert {"view_report", "run_report"} <= perms("Esihenkilö")
    assert "view_report" not in perms("Neuvoja")
    assert "view_report" not in perms("Sisällöntuottaja")
    assert "add_contactrecord" in perms("Neuvoja")
    assert "add_contactrecord" not in perms("Sisällöntuottaja")
