from django.db import migrations

NAME = "Taustaprosessien elonmerkki (valmiustarkistus /readyz)"
TASK = "core.heartbeat"
SECONDS = 15


def schedule(apps, schema_editor):
    """Seed the heartbeat schedule once; admins' later edits survive."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    interval = (IntervalSchedule.objects.filter(every=SECONDS, period="seconds").first()
                or IntervalSchedule.objects.create(every=SECONDS, period="seconds"))
    # Expire an undelivered heartbeat: a worker back after an outage runs one, not a backlog.
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": TASK, "interval": interval, "expire_seconds": 60}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_heartbeat"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
