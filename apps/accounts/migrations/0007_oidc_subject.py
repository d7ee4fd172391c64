from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_apitoken_from_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='oidc_subject',
            field=models.CharField(blank=True, editable=False, max_length=255, null=True, unique=True, verbose_name='tunniste tunnistuspalvelussa'),
        ),
    ]
