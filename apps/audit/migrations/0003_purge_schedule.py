from django.db import migrations

TASK = "audit.purge_expired"


def schedule(apps, schema_editor):
    """Purge expired audit events once a day at 03:15. Seeded once: an admin's later
    edits to the schedule (time, enabled) survive."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    nightly = CrontabSchedule.objects.filter(
        minute="15", hour="3", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/Helsinki",
    ).first() or CrontabSchedule.objects.create(
        minute="15", hour="3", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/Helsinki",
    )
    PeriodicTask.objects.get_or_create(
        name="Lokitapahtumat: vanhentuneiden poisto",
        defaults={
            "task": TASK,
            "crontab": nightly,
            "enabled": True,
            "description": "Poistaa lokitapahtumat, jotka ovat vanhempia kuin "
            "NEUVOKAS_AUDIT_RETENTION_DAYS.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
