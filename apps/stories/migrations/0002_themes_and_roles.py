from django.contrib.auth.management import create_permissions
from django.db import migrations

THEMES = [
    ("jonot-lyhenivat", "Jonot lyhenivät", "Köerna blev kortare", "Queues got shorter"),
    ("asiakkaat-tavoitettiin", "Asiakkaat tavoitettiin", "Klienterna nåddes",
     "Clients were reached"),
    ("monitoimijainen-yhteistyo", "Monitoimijainen yhteistyö", "Samarbete mellan flera aktörer",
     "Multi-agency cooperation"),
    ("saastot", "Säästöt", "Besparingar", "Savings"),
    ("asiakaskokemus", "Asiakaskokemus", "Kundupplevelse", "Customer experience"),
]

# Everyone writes, comments and thanks; only managers publish (frozen copy of the roles).
EVERYONE = ["stories.add_story", "stories.add_storycomment", "stories.add_storythanks"]
ROLE_PERMISSIONS = {
    "Neuvoja": EVERYONE,
    "Sisällöntuottaja": EVERYONE,
    "Esihenkilö": [*EVERYONE, "stories.publish_story"],
}


def seed(apps, schema_editor):
    Theme = apps.get_model("stories", "Theme")
    for position, (key, fi, sv, en) in enumerate(THEMES):
        Theme.objects.get_or_create(
            key=key, defaults={"name": fi, "name_fi": fi, "name_sv": sv, "name_en": en,
                               "position": position},
        )
    # Permissions are normally created after migrate; create them now for the groups.
    app_config = apps.get_app_config("stories")
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
        ("stories", "0001_initial"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
