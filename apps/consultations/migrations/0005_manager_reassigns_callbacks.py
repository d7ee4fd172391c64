from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy: managers reassign open callbacks from the desk's team view.
ROLE_PERMISSIONS = {
    "Esihenkilö": ["consultations.change_callback"],
}


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


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0004_free_text_guard"),
    ]
    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
