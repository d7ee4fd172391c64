from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of the roles at this point; later apps grant theirs in their own migrations.
ROLE_PERMISSIONS = {
    "Neuvoja": ["catalogue.view_entry", "catalogue.add_problemreport"],
    "Sisällöntuottaja": [
        "catalogue.view_entry", "catalogue.add_problemreport", "catalogue.add_entry",
        "catalogue.change_entry", "catalogue.review_entry", "catalogue.view_entryversion",
        "catalogue.change_problemreport",
    ],
    "Esihenkilö": [
        "catalogue.view_entry", "catalogue.add_problemreport", "catalogue.view_entryversion",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so the groups
    # can hold them on a fresh database.
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
        ("accounts", "0001_initial"),
        ("catalogue", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
