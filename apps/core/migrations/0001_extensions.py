from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm and unaccent: the only extensions Neuvokas uses (trusted on PG 13+)."""

    initial = True
    dependencies = []
    operations = [TrigramExtension(), UnaccentExtension()]
