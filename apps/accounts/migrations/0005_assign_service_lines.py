from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy: who decides which lines each staff member serves.
ROLE_PERMISSIONS = {
    "Esihenkilö": ["accounts.assign_service_lines"],
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
        ('accounts', '0004_free_text_guard'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='user',
            options={'ordering': ['username'], 'permissions': [('assign_service_lines', 'Voi määrittää, mitä palvelulinjoja kukin palvelee')], 'verbose_name': 'user', 'verbose_name_plural': 'users'},
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
