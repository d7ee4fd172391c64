from django.db import migrations

NAME = "Reaaliaikaisten tapahtumien siivous"
TASK = "live.prune_events"
MINUTES = 10


def schedule(apps, schema_editor):
    """Seed the pruning schedule once; admins' later edits survive."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    interval = (IntervalSchedule.objects.filter(every=MINUTES, period="minutes").first()
                or IntervalSchedule.objects.create(every=MINUTES, period="minutes"))
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": TASK, "interval": interval, "expire_seconds": 300}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_events"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
