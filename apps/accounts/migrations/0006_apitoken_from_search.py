# API tokens move here from the search app (search 0005_apitoken_moves_to_accounts):
# the state takes over the existing table search_apitoken with its rows, then the table
# is renamed to accounts_apitoken. The content type follows, so the admin permissions
# already granted on tokens keep working.

import apps.core.privacy
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='accounts', model='apitoken').exists():
        ContentType.objects.filter(app_label='search', model='apitoken').update(
            app_label='accounts')


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='search', model='apitoken').exists():
        ContentType.objects.filter(app_label='accounts', model='apitoken').update(
            app_label='search')


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_assign_service_lines'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('search', '0005_apitoken_moves_to_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, max_length=100, validators=[apps.core.privacy.validate_no_personal_identity_code], verbose_name='nimi')),
                        ('key_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('prefix', models.CharField(editable=False, max_length=12)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='peruttu')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'API-avain',
                        'verbose_name_plural': 'API-avaimet',
                        'ordering': ['-created_at'],
                        'db_table': 'search_apitoken',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='apitoken', table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
