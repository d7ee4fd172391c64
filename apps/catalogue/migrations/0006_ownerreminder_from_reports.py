# The owners' weekly reminder moves here from the reports app (reports
# 0003_ownerreminder_moves_to_catalogue): the state takes over the existing table
# reports_ownerreminder with its rows (this week's "already sent" marks), then the table
# is renamed to catalogue_ownerreminder. The content type follows, so admin permissions
# granted on it keep working. The tasks keep their names (reports.remind_owners), so the
# seeded django-celery-beat schedule needs no change.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='catalogue', model='ownerreminder').exists():
        ContentType.objects.filter(app_label='reports', model='ownerreminder').update(
            app_label='catalogue')


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='reports', model='ownerreminder').exists():
        ContentType.objects.filter(app_label='catalogue', model='ownerreminder').update(
            app_label='reports')


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0005_entry_list_sizes'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('reports', '0003_ownerreminder_moves_to_catalogue'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OwnerReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('week_start', models.DateField()),
                        ('entry_count', models.PositiveIntegerField(default=0)),
                        ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'muistutus vanhentuneista sisällöistä',
                        'verbose_name_plural': 'muistutukset vanhentuneista sisällöistä',
                        'constraints': [models.UniqueConstraint(fields=('owner', 'week_start'), name='ownerreminder_once')],
                        'db_table': 'reports_ownerreminder',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='ownerreminder', table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
