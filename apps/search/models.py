"""The search index, editors' synonym groups, and the search log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.core.fields import free_text_field
from apps.core.privacy import validate_no_personal_identity_code as no_identity_code

from . import registry


class SearchDocument(models.Model):
    """One searchable thing (a service, an offer, a solved thread, a story).

    ``vector`` holds lexemes made by :mod:`apps.search.analyzer` (Finnish lemmas and
    compound parts, ``sv:``/``en:`` stems) weighted A (title, keywords) to D (details),
    matched with the ``simple`` configuration. ``municipalities`` empty means the whole
    wellbeing area, like the catalogue.
    """

    source = models.CharField(max_length=60)  # the registered source ("catalogue.entry")
    object_id = models.CharField(max_length=64)
    # One of the types the registered sources declare, with their labels.
    doc_type = models.CharField(_("tyyppi"), max_length=20, choices=registry.doc_type_choices)
    key = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=500)
    titles = models.JSONField(default=dict)  # {"fi": …, "sv": …}
    organisation = models.JSONField(default=dict)
    snippets = models.JSONField(default=dict)  # plain text the snippet is cut from, by lang
    municipalities = ArrayField(models.CharField(max_length=3), blank=True, default=list)
    lines = ArrayField(models.CharField(max_length=50), blank=True, default=list)
    vector = SearchVectorField()
    # Title and keyword lexemes only: small and stored inline, so the first, wide pass
    # of a search can look here without touching the large ``vector``.
    head = SearchVectorField(default="")
    title_length = models.PositiveSmallIntegerField(default=1)
    analyzer = models.CharField(max_length=20)
    # The hash of what the document is embedded from (apps.search.semantic): its vector
    # is the SearchVector with this hash, once a worker has computed it.
    embed_hash = models.CharField(max_length=32, blank=True, default="", db_index=True)
    # The hash of its title alone, embedded the same way: a second vector that short
    # keyword queries are matched against too (semantic.VectorMatrix.nearest).
    title_hash = models.CharField(max_length=32, blank=True, default="", db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hakuindeksin dokumentti")
        verbose_name_plural = _("hakuindeksin dokumentit")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id"], name="searchdocument_unique_object"
            ),
        ]
        indexes = [
            GinIndex(fields=["vector"], name="searchdoc_vector_gin"),
            GinIndex(fields=["head"], name="searchdoc_head_gin"),
            models.Index(fields=["doc_type"], name="searchdoc_type_idx"),
        ]

    def __str__(self) -> str:
        return self.titles.get("fi") or self.key or f"{self.source}:{self.object_id}"


class SearchLexicon(models.Model):
    """Every lexeme in the index with its document frequency (for weighting query
    words and for correcting typos by trigram similarity). The row with the empty word
    counts the documents."""

    word = models.CharField(max_length=120, primary_key=True)
    df = models.IntegerField(default=0)
    head_df = models.IntegerField(default=0)  # documents with it in title or keywords

    class Meta:
        verbose_name = _("hakusanasto")
        verbose_name_plural = _("hakusanasto")
        indexes = [
            # Typo correction looks among words seen in two documents or in a title or
            # keywords: a one-off word (often itself a typo) is never suggested.
            GinIndex(
                fields=["word"],
                name="searchlexicon_fuzzy_trgm",
                opclasses=["gin_trgm_ops"],
                condition=models.Q(df__gte=2) | models.Q(head_df__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.word} ({self.df})"


class SearchVector(models.Model):
    """A passage's embedding (apps.search.semantic), stored under the hash of the model's
    name and the passage: documents with the same text share it, and a rebuild of the
    index finds its vectors again."""

    text_hash = models.CharField(max_length=32, primary_key=True)
    vector = models.BinaryField()  # float16, semantic.DIMENSIONS values
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hakuvektori")
        verbose_name_plural = _("hakuvektorit")

    def __str__(self) -> str:
        return self.text_hash


class SearchVectorState(models.Model):
    """One row: a counter that moves whenever vectors are added, so each process knows
    when to reload its matrix of vectors."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("hakuvektorien tila")
        verbose_name_plural = _("hakuvektorien tila")

    def __str__(self) -> str:
        return str(self.version)


class SynonymGroup(models.Model):
    """Words that mean the same to advisors ("vanhainkoti, palvelukoti, hoivakoti").

    Maintained by content editors in admin; a search expands any member to the others
    at once, no reindexing needed.
    """

    terms = free_text_field(
        _("synonyymit"),
        help_text=_(
            "Yksi sana tai sanonta riville tai pilkuilla erotettuna. "
            "Perusmuoto riittää: taivutetut muodot löytyvät."
        ),
        limit=limits.SYNONYM_TERMS,
    )
    note = models.CharField(
        _("huomautus"), max_length=300, blank=True, validators=[no_identity_code]
    )
    is_active = models.BooleanField(_("käytössä"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonyymiryhmä")
        verbose_name_plural = _("synonyymiryhmät")

    def __str__(self) -> str:
        return ", ".join(self.term_list()[:4])

    def term_list(self) -> list[str]:
        raw = self.terms.replace("\n", ",").replace(";", ",")
        return [t.strip() for t in raw.split(",") if t.strip()]


class SynonymTerm(models.Model):
    """One member of a group, analysed: ``match`` is the space-joined lemmas a query
    has to contain; ``lexemes`` what the member expands to."""

    group = models.ForeignKey(SynonymGroup, on_delete=models.CASCADE, related_name="members")
    text = models.CharField(max_length=200)
    match = models.CharField(max_length=300, db_index=True)
    lexemes = ArrayField(models.CharField(max_length=120), default=list)

    class Meta:
        verbose_name = _("synonyymi")
        verbose_name_plural = _("synonyymit")

    def __str__(self) -> str:
        return self.text


class SearchLog(models.Model):
    """One search, for the reports. The query is scrubbed of identity codes and phone
    numbers before it is stored."""

    class Source(models.TextChoices):
        PAGE = "page", _("hakusivu")
        LIVE = "live", _("pikahaku")
        API = "api", _("rajapinta")

    class Path(models.TextChoices):
        """Which retrieval found the opened result."""

        LEXICAL = "lexical", _("sanat")
        SEMANTIC = "semantic", _("merkitys")
        BOTH = "both", _("molemmat")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    query = models.CharField(_("haku"), max_length=300)
    municipality = models.CharField(max_length=3, blank=True)
    line = models.CharField(max_length=50, blank=True)
    doc_type = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=5, blank=True)
    result_count = models.PositiveIntegerField(default=0)
    corrected = models.BooleanField(default=False)  # a typo correction was applied
    opened_position = models.PositiveSmallIntegerField(null=True, blank=True)
    opened_url = models.CharField(max_length=500, blank=True)
    opened_key = models.CharField(max_length=200, blank=True)
    # Which retrieval found each listed result (key -> Path), so that the opened one's
    # path is known: what words alone would have missed.
    result_paths = models.JSONField(default=dict, blank=True)
    opened_path = models.CharField(max_length=10, choices=Path.choices, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hakuloki")
        verbose_name_plural = _("hakuloki")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.query}"
