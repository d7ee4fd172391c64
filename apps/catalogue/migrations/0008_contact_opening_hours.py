"""Contacts: the single municipality key goes (0007 copied it into the set); structured
opening hours; the free-text hours become their note."""

import apps.catalogue.models
import apps.core.privacy
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0007_contact_municipalities'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='contact',
            name='municipality',
        ),
        migrations.AddField(
            model_name='contact',
            name='opening_hours',
            field=models.JSONField(blank=True, default=dict, validators=[apps.catalogue.models.validate_opening_hours], verbose_name='aukioloajat'),
        ),
        migrations.AlterField(
            model_name='contact',
            name='hours',
            field=models.CharField(blank=True, max_length=300, validators=[apps.core.privacy.validate_no_personal_identity_code], verbose_name='aukioloajat (lisätieto)'),
        ),
        migrations.AlterField(
            model_name='contact',
            name='hours_en',
            field=models.CharField(blank=True, max_length=300, null=True, validators=[apps.core.privacy.validate_no_personal_identity_code], verbose_name='aukioloajat (lisätieto)'),
        ),
        migrations.AlterField(
            model_name='contact',
            name='hours_fi',
            field=models.CharField(blank=True, max_length=300, null=True, validators=[apps.core.privacy.validate_no_personal_identity_code], verbose_name='aukioloajat (lisätieto)'),
        ),
        migrations.AlterField(
            model_name='contact',
            name='hours_sv',
            field=models.CharField(blank=True, max_length=300, null=True, validators=[apps.core.privacy.validate_no_personal_identity_code], verbose_name='aukioloajat (lisätieto)'),
        ),
    ]
