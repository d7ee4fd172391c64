"""Every free-text field of every model of ours refuses a henkilötunnus and is bounded.

The guard lives on the model field (``privacy.validate_no_personal_identity_code``), so
``full_clean`` refuses a code on every path that writes through it: services, the
intranet's ModelForms and the Django admin. A new ``CharField``/``TextField`` without
the guard fails here unless it is added to ``NOT_FREE_TEXT`` with the reason why.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from apps.core.privacy import validate_no_personal_identity_code

# Text columns that are not free text staff write: keys, codes, hashes, system-written
# values and text already scrubbed before it is stored. Choice fields, e-mail addresses
# and URLs are left out by type below (their values are validated to a shape).
NOT_FREE_TEXT = {
    # Keys and codes validated by a pattern (a–z, 0–9, dash; three digits).
    "catalogue.Municipality.code",
    "catalogue.ServiceLine.key",
    "catalogue.Organisation.key",
    "catalogue.Entry.key",
    "stories.Theme.key",
    # A password hash.
    "accounts.User.password",
    # The callback's phone number: validated as a phone number (digits, spaces, +()-),
    # encrypted at rest and erased after the retention time.
    "consultations.Callback.phone",
    # Notifications are written by notifications.services.notify, which scrubs the text
    # (privacy.scrub) before storing it; verb, url and dedupe key are set by our code.
    "notifications.Notification.verb",
    "notifications.Notification.text",
    "notifications.Notification.url",
    "notifications.Notification.dedupe_key",
    # A task the broker refused and its error, written by apps.core.dispatch.
    "core.PendingTask.task",
    "core.PendingTask.error",
    # The kind of background process last seen (worker, beat), written by apps.core.health.
    "core.Heartbeat.name",
    # A failed report run's error text, written by the worker.
    "reports.Report.error",
    # The search index: written by apps.search.services from guarded sources.
    "search.SearchDocument.source",
    "search.SearchDocument.object_id",
    "search.SearchDocument.key",
    "search.SearchDocument.url",
    "search.SearchDocument.analyzer",
    # Hex digests of a document's text (apps.search.semantic), written by the indexer.
    "search.SearchDocument.embed_hash",
    "search.SearchDocument.title_hash",
    "search.SearchVector.text_hash",
    "search.SearchDocument.municipalities",
    "search.SearchDocument.lines",
    "search.SearchLexicon.word",
    # Members of a synonym group, analysed from the guarded SynonymGroup.terms.
    "search.SynonymTerm.text",
    "search.SynonymTerm.match",
    "search.SynonymTerm.lexemes",
    # The search log: written by search.services, which scrubs the query and the opened
    # URL and key (privacy.scrub); the filters are codes and keys.
    "search.SearchLog.query",
    "search.SearchLog.municipality",
    "search.SearchLog.line",
    "search.SearchLog.doc_type",
    "search.SearchLog.language",
    "search.SearchLog.opened_url",
    "search.SearchLog.opened_key",
    # A live event's kind: one of apps.live.kinds, set by our code.
    "live.LiveEvent.kind",
    # The audit trail: written only by apps.audit.services.record, which scrubs identity
    # codes and phone numbers (privacy.scrub); usernames, model labels, ids.
    "audit.Event.actor_username",
    "audit.Event.target_type",
    "audit.Event.target_id",
    "audit.Event.target_label",
    # The identity provider's subject (`sub`): an opaque id the provider sets.
    "accounts.User.oidc_subject",
    # API token hash and its shown prefix.
    "accounts.ApiToken.key_hash",
    "accounts.ApiToken.prefix",
}


def _our_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("apps.")]


def _text_fields() -> list[tuple[str, models.Field]]:
    """(label, field) for every text column of our models; an array's items count."""
    out = []
    for model in _our_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field) or not field.concrete:
                continue
            label = f"{model._meta.label}.{field.name}"
            checked = field.base_field if isinstance(field, ArrayField) else field
            if not isinstance(checked, models.CharField | models.TextField):
                continue
            if checked.choices or isinstance(checked, models.EmailField | models.URLField):
                continue  # one of its choices, an e-mail address or a URL: not free text
            out.append((label, checked))
    return out


def _has_guard(field: models.Field) -> bool:
    return validate_no_personal_identity_code in field.validators


def test_every_free_text_field_refuses_personal_identity_codes():
    unguarded = [
        label
        for label, field in _text_fields()
        if not _has_guard(field) and label not in NOT_FREE_TEXT
    ]
    assert unguarded == [], (
        "Add validators=[validate_no_personal_identity_code] (apps.core.privacy) to these "
        "fields, or list them in NOT_FREE_TEXT with the reason they are not free text: "
        f"{unguarded}"
    )


def test_not_free_text_list_names_existing_unguarded_fields():
    labels = {label for label, _field in _text_fields()}
    stale = sorted(NOT_FREE_TEXT - labels)
    guarded = sorted(
        label for label, field in _text_fields() if label in NOT_FREE_TEXT and _has_guard(field)
    )
    assert stale == [] and guarded == [], (stale, guarded)


def test_every_guarded_text_field_is_bounded():
    """A TextField's max_length is only a form hint; the validator enforces it."""
    unbounded = []
    for label, field in _text_fields():
        if label in NOT_FREE_TEXT:
            continue
        limit = field.max_length
        if not limit or not any(
            isinstance(v, MaxLengthValidator) and v.limit_value == limit for v in field.validators
        ):
            unbounded.append(label)
    assert unbounded == []


@pytest.mark.parametrize(
    "label", sorted(label for label, _f in _text_fields() if label not in NOT_FREE_TEXT)
)
def test_free_text_field_validator_refuses_a_code_as_typed(label):
    field = dict(_text_fields())[label]
    code = "131052\u2013308T"  # an en dash, as copied from a document
    with pytest.raises(ValidationError) as exc:
        field.run_validators(f"asiakas{code}")
    assert "personal_identity_code" in [e.code for e in exc.value.error_list]
