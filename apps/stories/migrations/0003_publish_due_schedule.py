from django.db import migrations

TASK = "stories.publish_due_stories"


def seed(apps, schema_editor):
    """Every minute, publish the stories whose time has come. get_or_create: an admin's
    later edits to the schedule (interval, enabled) survive re-running this."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute = (IntervalSchedule.objects.filter(every=1, period="minutes").first()
                    or IntervalSchedule.objects.create(every=1, period="minutes"))
    if not PeriodicTask.objects.filter(task=TASK).exists():
        PeriodicTask.objects.get_or_create(
            name="Onnistumistarinat: ajastetut julkaisut",
            defaults={"task": TASK, "interval": every_minute, "enabled": True,
                      "description": "Julkaisee tarinat, joiden julkaisuaika on tullut."},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0002_themes_and_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
