# The owners' weekly reminder moves to the catalogue app (catalogue
# 0006_ownerreminder_from_reports). Only the state forgets the model here; the table and
# its rows stay, the catalogue takes them over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_roles_and_schedules'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='OwnerReminder')],
            database_operations=[],
        ),
    ]
