from django.db import migrations

MUNICIPALITIES = [
    ("075", "Hamina", "Fredrikshamn", "Hamina"),
    ("285", "Kotka", "Kotka", "Kotka"),
    ("286", "Kouvola", "Kouvola", "Kouvola"),
    ("489", "Miehikkälä", "Miehikkälä", "Miehikkälä"),
    ("624", "Pyhtää", "Pyttis", "Pyhtää"),
    ("935", "Virolahti", "Vederlax", "Virolahti"),
]

LINES = [
    ("vammaispalvelut", "Vammaispalvelut", "Handikappservice", "Disability services"),
    ("ikaihmiset", "Ikäihmisten palvelut", "Tjänster för äldre", "Services for older people"),
    ("tyoikaiset", "Työikäisten palvelut ja toimeentulo",
     "Tjänster för personer i arbetsför ålder och utkomststöd",
     "Working-age people and income support"),
    ("lapset-perheet", "Lasten ja perheiden palvelut", "Tjänster för barn och familjer",
     "Children and families"),
    ("viranomaiset", "Viranomaislinja", "Myndighetslinjen", "Line for authorities"),
]


def seed(apps, schema_editor):
    Municipality = apps.get_model("catalogue", "Municipality")
    ServiceLine = apps.get_model("catalogue", "ServiceLine")
    for code, fi, sv, en in MUNICIPALITIES:
        Municipality.objects.get_or_create(
            code=code, defaults={"name": fi, "name_fi": fi, "name_sv": sv, "name_en": en}
        )
    for position, (key, fi, sv, en) in enumerate(LINES):
        ServiceLine.objects.get_or_create(
            key=key,
            defaults={"name": fi, "name_fi": fi, "name_sv": sv, "name_en": en,
                      "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
