import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Event",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="aika")),
                ("kind", models.CharField(choices=[("sign_in", "kirjautuminen"), ("sign_out", "uloskirjautuminen"), ("sign_in_failed", "epäonnistunut kirjautuminen"), ("role_change", "roolin tai palvelulinjan muutos"), ("permission_change", "oikeuksien muutos"), ("phone_shown", "puhelinnumero näytetty"), ("reassigned", "vastuuhenkilön vaihto"), ("export", "vienti"), ("admin_add", "ylläpito: lisäys"), ("admin_change", "ylläpito: muutos"), ("admin_delete", "ylläpito: poisto"), ("purge", "vanhentuneiden tapahtumien poisto")], db_index=True, max_length=32, verbose_name="tapahtuma")),
                ("actor_username", models.CharField(blank=True, max_length=150, verbose_name="tekijän käyttäjätunnus")),
                ("ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP-osoite")),
                ("target_type", models.CharField(blank=True, max_length=100, verbose_name="kohteen tyyppi")),
                ("target_id", models.CharField(blank=True, max_length=64, verbose_name="kohteen tunniste")),
                ("target_label", models.CharField(blank=True, max_length=200, verbose_name="kohde")),
                ("details", models.JSONField(blank=True, default=dict, verbose_name="tiedot")),
                ("actor", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="tekijä")),
            ],
            options={
                "verbose_name": "lokitapahtuma",
                "verbose_name_plural": "lokitapahtumat",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["target_type", "target_id"], name="audit_event_target"),
                    models.Index(fields=["actor_username", "-created_at"], name="audit_event_actor"),
                ],
            },
        ),
    ]
