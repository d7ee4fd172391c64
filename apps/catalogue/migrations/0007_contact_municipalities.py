"""A contact serves several municipalities: the new set gets the old foreign key's value
(0008 then drops the key, in a transaction of its own: PostgreSQL refuses to alter a
table with the copy's constraint checks still pending)."""

from django.db import migrations, models


def copy_municipality(apps, schema_editor):
    Contact = apps.get_model("catalogue", "Contact")
    if not any(f.name == "municipality" for f in Contact._meta.get_fields()):
        return  # replayed on the final state (tests/reference_data.py): nothing to copy
    Through = Contact.municipalities.through
    Through.objects.bulk_create(
        [
            Through(contact_id=pk, municipality_id=code)
            for pk, code in Contact.objects.filter(municipality__isnull=False)
            .order_by("pk")
            .values_list("pk", "municipality_id")
        ]
    )


def copy_back(apps, schema_editor):
    """Reverse: the first municipality (by code) goes back into the foreign key."""
    Contact = apps.get_model("catalogue", "Contact")
    Through = Contact.municipalities.through
    for row in Through.objects.order_by("contact_id", "-municipality_id"):
        Contact.objects.filter(pk=row.contact_id).update(municipality_id=row.municipality_id)


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0006_ownerreminder_from_reports'),
    ]

    operations = [
        # The old key gives up the reverse name "contacts" to the new field.
        migrations.AlterField(
            model_name='contact',
            name='municipality',
            field=models.ForeignKey(blank=True, null=True, on_delete=models.PROTECT, related_name='+', to='catalogue.municipality', verbose_name='kunta'),
        ),
        migrations.AddField(
            model_name='contact',
            name='municipalities',
            field=models.ManyToManyField(blank=True, help_text='Tyhjä: koko hyvinvointialue.', related_name='contacts', to='catalogue.municipality', verbose_name='kunnat'),
        ),
        migrations.RunPython(copy_municipality, copy_back),
    ]
