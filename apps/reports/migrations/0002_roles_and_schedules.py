from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy: report pages are for managers only.
ROLE_PERMISSIONS = {
    "Esihenkilö": ["reports.view_report", "reports.run_report"],
}

ALL_KINDS = ["contacts", "consultations", "freshness", "search_gaps", "stories"]
# name, task, kwargs, crontab (minute, hour, day_of_month, month_of_year, day_of_week)
# or interval in minutes. Times are Finnish local time.
SCHEDULES = [
    ("Raportit: yhteydenotot ja haun aukot (kuukausittain)", "reports.schedule_due_reports",
     '{"kinds": ["contacts", "search_gaps"], "months": 1}', ("0", "3", "1", "*", "*")),
    ("Raportit: johdon raporttipaketti (joka toinen kuukausi)", "reports.schedule_due_reports",
     '{"kinds": ["contacts", "consultations", "freshness", "search_gaps", "stories"], '
     '"months": 2}', ("30", "3", "1", "1,3,5,7,9,11", "*")),
    ("Raportit: vanhentuneet sisällöt omistajille (viikoittain)", "reports.remind_owners",
     "{}", ("0", "7", "*", "*", "1")),
    ("Raportit: keskeytyneiden raporttien jatkaminen", "reports.resume_reports", "{}", 10),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def schedule(apps, schema_editor):
    """Seed the periodic tasks once, by name; admins' later edits (times, enabled,
    arguments) survive every rerun of this migration."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, kwargs, when in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        defaults = {"task": task, "kwargs": kwargs}
        if isinstance(when, int):
            defaults["interval"] = (
                IntervalSchedule.objects.filter(every=when, period="minutes").first()
                or IntervalSchedule.objects.create(every=when, period="minutes"))
        else:
            minute, hour, day_of_month, month_of_year, day_of_week = when
            fields = {"minute": minute, "hour": hour, "day_of_month": day_of_month,
                      "month_of_year": month_of_year, "day_of_week": day_of_week,
                      "timezone": "Europe/Helsinki"}
            defaults["crontab"] = (CrontabSchedule.objects.filter(**fields).first()
                                   or CrontabSchedule.objects.create(**fields))
        PeriodicTask.objects.get_or_create(name=name, defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("accounts", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(schedule, migrations.RunPython.noop),
    ]
