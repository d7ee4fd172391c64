# API tokens move to the accounts app (accounts 0006_apitoken_from_search). Only the
# state forgets the model here; the table and its rows stay, accounts takes them over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0004_free_text_guard'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ApiToken')],
            database_operations=[],
        ),
    ]
