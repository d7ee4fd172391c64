from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of what each role may do with consultations at this point.
_EVERYONE = [
    "consultations.view_thread", "consultations.add_thread", "consultations.add_answer",
    "consultations.add_callback", "consultations.view_faqitem",
]
ROLE_PERMISSIONS = {
    "Neuvoja": _EVERYONE,
    "Sisällöntuottaja": [
        *_EVERYONE, "consultations.add_faqitem", "consultations.change_faqitem",
        "consultations.delete_faqitem",
    ],
    "Esihenkilö": [
        *_EVERYONE, "consultations.mark_any_solution", "consultations.change_thread",
        "consultations.change_answer", "consultations.view_callback",
    ],
}

# name, task, minutes between runs
SCHEDULES = [
    ("Soittopyyntöjen puhelinnumeroiden poisto", "consultations.erase_callback_numbers", 60),
    ("Myöhässä olevat soittopyynnöt", "consultations.flag_overdue_callbacks", 5),
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
    """Seed the periodic tasks once; admins' later edits (interval, enabled) survive."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in SCHEDULES:
        if PeriodicTask.objects.filter(task=task).exists():
            continue
        interval = (IntervalSchedule.objects.filter(every=minutes, period="minutes").first()
                    or IntervalSchedule.objects.create(every=minutes, period="minutes"))
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task,
                                                                "interval": interval})


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("accounts", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(schedule, migrations.RunPython.noop),
    ]
