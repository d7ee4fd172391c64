"""Generated free text with an identity code in it, posted to every intranet form that
takes free text, run in CI with a fixed budget.

Each example embeds one valid henkilötunnus, written as people and copy-paste write it
(``test_fuzz_privacy.as_typed``), in one free-text field of a form, with generated
Unicode around it and in the other fields. Whatever the text: never a 500, nothing
written (row counts unchanged), and no identity code anywhere in the database
afterwards (every text column of our models is read back through the finder).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.catalogue.models import ServiceLine
from apps.core.privacy import find_personal_identity_codes
from apps.search.models import SearchLog
from apps.stories.models import Story
from tests.catalogue.test_views_editing import create_entry
from tests.catalogue.test_views_editing import form_data as entry_form_data
from tests.consultations import factories
from tests.core.test_fuzz_privacy import as_typed, code_parts
from tests.stories import factories as story_factories

pytestmark = pytest.mark.django_db

# 14 forms × 8 examples, each one request and a read-back of every text column.
FUZZ = settings(
    derandomize=True,
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Unicode of every kind (letters, punctuation, symbols, spaces, control characters such as
# NUL), but no digits: a digit touching the code makes it part of a longer number.
filler = st.text(st.characters(categories=["L", "M", "P", "S", "Zs", "Cc"]), max_size=40)


def _text_columns() -> list[tuple[type[models.Model], str]]:
    out = []
    for model in apps.get_models():
        if not model.__module__.startswith("apps."):
            continue
        for field in model._meta.concrete_fields:
            inner = field.base_field if isinstance(field, ArrayField) else field
            if isinstance(inner, models.CharField | models.TextField):
                out.append((model, field.name))
    return out


TEXT_COLUMNS = _text_columns()
COUNTED = sorted({model for model, _name in TEXT_COLUMNS}, key=lambda m: m._meta.label)


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in COUNTED}


def _stored_codes() -> list[str]:
    found = []
    for model, name in TEXT_COLUMNS:
        for pk, value in model._default_manager.values_list("pk", name):
            values = value if isinstance(value, list) else [value]
            for text in values:
                if isinstance(text, str) and find_personal_identity_codes(text):
                    found.append(f"{model._meta.label}#{pk}.{name}: {text!r}")
    return found


class Ctx:
    """What the forms refer to, made once per test."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.line = ServiceLine.objects.get(key="vammaispalvelut")
        self.entry = create_entry(user)
        self.thread = factories.thread(author=user)
        self.answer = factories.answer(thread=self.thread, author=user)
        self.solved = factories.solved_thread(author=user, answerer=user)
        self.published = story_factories.story(author=user, state=Story.State.PUBLISHED)
        self.submitted = story_factories.story(author=user, state=Story.State.SUBMITTED)


def _due() -> str:
    return (timezone.localtime() + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")


# name → (free-text fields, url, other fields); every free-text field starts clean.
FORMS: dict[str, tuple[tuple[str, ...], Callable[[Ctx], str], Callable[[Ctx], dict]]] = {
    "thread ask": (
        ("title", "body"),
        lambda c: reverse("consultations:ask"),
        lambda c: {"service_line": c.line.pk, "urgency": "none"},
    ),
    "thread edit": (
        ("title", "body"),
        lambda c: reverse("consultations:edit", args=[c.thread.pk]),
        lambda c: {"service_line": c.line.pk, "urgency": "none", "base_version": c.thread.version},
    ),
    "answer": (
        ("body",),
        lambda c: reverse("consultations:answer", args=[c.thread.pk]),
        lambda c: {"kind": "answer"},
    ),
    "answer edit": (
        ("body",),
        lambda c: reverse("consultations:answer_edit", args=[c.answer.pk]),
        lambda c: {"base_version": c.answer.version},
    ),
    "callback": (
        ("reason",),
        lambda c: reverse("consultations:callback_create"),
        lambda c: {"service_line": c.line.pk, "due_at": _due(), "phone": "040 123 4567"},
    ),
    "faq item": (
        ("question", "answer"),
        lambda c: reverse("consultations:curate", args=[c.solved.pk]),
        lambda c: {"entry": c.entry.pk},
    ),
    "contact log": (
        ("topic_text",),
        lambda c: reverse("contacts:record"),
        lambda c: {
            "service_line": c.line.pk,
            "channel": "phone",
            "submission_key": str(uuid.uuid4()),
        },
    ),
    "story write": (
        ("title", "lead", "body", "unit", "image_alt"),
        lambda c: reverse("stories:create"),
        lambda c: {"token": str(uuid.uuid4()), "version": "0", "action": "save"},
    ),
    "story comment": (
        ("body",),
        lambda c: reverse("stories:comment", args=[c.published.pk]),
        lambda c: {},
    ),
    "story return": (
        ("comment",),
        lambda c: reverse("stories:return", args=[c.submitted.pk]),
        lambda c: {},
    ),
    "entry edit": (
        (
            "title_fi",
            "summary_fi",
            "body_fi",
            "fees_sv",
            "keywords",
            "comment",
            "contacts-0-label_fi",
            "contacts-0-address",
        ),
        lambda c: reverse("catalogue:entry_edit", args=[c.entry.key]),
        lambda c: entry_form_data(c.entry),
    ),
    "problem report": (
        ("what_is_wrong", "what_tried"),
        lambda c: reverse("catalogue:problem_report_create", args=[c.entry.key]),
        lambda c: {},
    ),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_form_never_stores_a_typed_identity_code(form, client, superuser):
    fields, url_of, other_of = FORMS[form]
    ctx = Ctx(superuser)
    client.force_login(superuser)
    url = url_of(ctx)

    @FUZZ
    @given(data=st.data(), before=filler, after=filler)
    def post(data, before, after):
        typed = data.draw(as_typed(data.draw(code_parts())))
        target = data.draw(st.sampled_from(fields))
        values = {**other_of(ctx), **{name: f"Teksti {data.draw(filler)}" for name in fields}}
        values[target] = f"{before}{typed}{after}"
        counts = _counts()

        response = client.post(url, values)

        assert response.status_code < 500
        assert _counts() == counts
        assert _stored_codes() == []

    post()


def test_search_log_never_stores_a_typed_identity_code(client, superuser):
    client.force_login(superuser)

    @FUZZ
    @given(data=st.data(), before=filler, after=filler)
    def search(data, before, after):
        query = f"{before}{data.draw(as_typed(data.draw(code_parts())))}{after}"
        for name in ("search:results", "search:live"):
            assert client.get(reverse(name), {"q": query}).status_code < 500
        # Opening a result records the URL and key it was given: scrubbed too.
        log = SearchLog.objects.filter(opened_at__isnull=True).order_by("-pk").first()
        if log is not None:
            opened = client.get(
                reverse("search:open", args=[log.pk, 1]), {"to": f"/haku/?q={query}", "k": query}
            )
            assert opened.status_code < 500
        assert _stored_codes() == []

    search()


@pytest.mark.parametrize("form", list(FORMS))
def test_form_saves_the_same_post_without_the_code(form, client, superuser):
    """The control: the fuzzed posts are refused because of the code, not for being
    malformed (a clean post of the same shape is saved)."""
    fields, url_of, other_of = FORMS[form]
    ctx = Ctx(superuser)
    client.force_login(superuser)
    values = {**other_of(ctx), **{name: f"Teksti {name}" for name in fields}}
    counts = _counts()

    response = client.post(url_of(ctx), values)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert _counts() != counts or form.endswith("edit")


IMPORT_TEXTS = {
    "title.fi": lambda item, text: item["title"].update(fi=text),
    "summary.sv": lambda item, text: item.update(summary={"fi": "Lyhyt.", "sv": text}),
    "body.fi": lambda item, text: item.update(body={"fi": text}),
    "fees.en": lambda item, text: item.update(fees={"en": text}),
    "keywords[0]": lambda item, text: item.update(keywords=[text]),
    "contacts[0].hours.fi": lambda item, text: item.update(contacts=[{"hours": {"fi": text}}]),
    "contacts[0].address": lambda item, text: item.update(contacts=[{"address": text}]),
}


def test_importer_never_stores_a_typed_identity_code(superuser):
    from apps.catalogue.interchange import CatalogueFormatError
    from apps.catalogue.services import import_catalogue

    @FUZZ
    @given(data=st.data(), before=filler, after=filler)
    def load(data, before, after):
        typed = data.draw(as_typed(data.draw(code_parts())))
        where = data.draw(st.sampled_from(sorted(IMPORT_TEXTS)))
        item = {
            "key": "tuotu",
            "title": {"fi": "Tuotu palvelu"},
            "summary": {"fi": "Lyhyt."},
            "service_lines": ["vammaispalvelut"],
        }
        IMPORT_TEXTS[where](item, f"{before}{typed}{after}")
        counts = _counts()

        with pytest.raises(CatalogueFormatError) as refused:
            import_catalogue({"format": "sote-catalogue/1", "services": [item]})

        assert any(e.startswith(f"services[0].{where}: ") for e in refused.value.errors), (
            refused.value.errors
        )
        assert _counts() == counts
        assert _stored_codes() == []

    load()


def test_search_log_scrubs_the_opened_url_and_key(client, superuser):
    client.force_login(superuser)
    client.get(reverse("search:results"), {"q": "kuljetus"})
    log = SearchLog.objects.get()

    response = client.get(
        reverse("search:open", args=[log.pk, 1]),
        {"to": "/haku/?q=131052-308T", "k": "asiakas131052\u2013308T"},
    )

    assert response.status_code == 302
    log.refresh_from_db()
    assert (log.opened_url, log.opened_key) == ("/haku/?q=[hetu]", "asiakas[hetu]")
