"""The Django admin goes through the same identity-code guard as the intranet.

Each test opens an admin change page, posts its form back as the browser would with a
henkilötunnus (typed the way people do) in one free-text field, and checks that the
page shows the error on that field and that nothing was saved. The model-field
validator (``privacy.validate_no_personal_identity_code``) is what refuses it: the
admin's ModelForms run ``full_clean``.
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.consultations.models import Answer, Callback, FaqItem, Thread
from apps.contacts.models import ContactRecord
from tests.catalogue import factories as catalogue_factories
from tests.consultations import factories
from tests.contacts import factories as contact_factories

pytestmark = pytest.mark.django_db

CODE = "asiakas131052\u2013308Tsoitti"  # glued to words, with an en dash
ERROR = "sisältää henkilötunnuksen"


class _FormData(HTMLParser):
    """The values a browser would post from the form whose id is ``form_id``."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside or "name" not in a or "disabled" in a:
            if tag == "option" and self._select is not None:
                self._options.append((a.get("value", ""), "selected" in a))
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a["name"], a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "")
        elif tag == "select":
            self._select = (a["name"], "multiple" in a)
            self._options = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            value = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(name, value)
            self._select = None


def _post_with(client, url: str, form_id: str, field: str, value: str):
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormData(form_id)
    parser.feed(page.content.decode())
    data = parser.data
    assert field in data, sorted(data)
    data[field] = [value]
    return client.post(url, data)


def _field_errors(response, field: str) -> list[str]:
    """Errors of ``field`` on the admin page's main form or one of its inline forms."""
    form = response.context["adminform"].form
    if field in form.errors:
        return list(form.errors[field])
    prefix, _, name = field.rpartition("-")
    for inline in response.context["inline_admin_formsets"]:
        for inline_form in inline.formset.forms:
            if inline_form.prefix == prefix and name in inline_form.errors:
                return list(inline_form.errors[name])
    return []


def _assert_refused(response, field: str) -> None:
    assert response.status_code == 200  # the form again, not a redirect
    errors = _field_errors(response, field)
    assert errors and ERROR in errors[0], errors
    assert "131052-****" in errors[0]


@pytest.mark.parametrize("field", ["title", "body"])
def test_thread_admin_refuses_a_code(admin_client, advisor, field):
    thread = factories.thread(author=advisor, title="Kuljetuspalvelu", body="Miten haetaan?")
    url = reverse("admin:consultations_thread_change", args=[thread.pk])
    response = _post_with(admin_client, url, "thread_form", field, CODE)
    _assert_refused(response, field)
    thread.refresh_from_db()
    assert (thread.title, thread.body) == ("Kuljetuspalvelu", "Miten haetaan?")


def test_thread_admin_answer_inline_refuses_a_code(admin_client, advisor):
    thread = factories.thread(author=advisor)
    answer = factories.answer(thread=thread, author=advisor, body="Lomakkeella.")
    url = reverse("admin:consultations_thread_change", args=[thread.pk])
    response = _post_with(admin_client, url, "thread_form", "answers-0-body", CODE)
    _assert_refused(response, "answers-0-body")
    answer.refresh_from_db()
    assert answer.body == "Lomakkeella."
    assert Answer.objects.count() == 1


def test_thread_admin_refuses_a_code_in_a_new_answer(admin_client, advisor):
    thread = factories.thread(author=advisor)
    url = reverse("admin:consultations_thread_change", args=[thread.pk])
    page = admin_client.get(url)
    parser = _FormData("thread_form")
    parser.feed(page.content.decode())
    data = parser.data
    data.update(
        {
            "answers-TOTAL_FORMS": ["1"],
            "answers-0-thread": [str(thread.pk)],
            "answers-0-author": [str(advisor.pk)],
            "answers-0-kind": ["answer"],
            "answers-0-body": [CODE],
        }
    )
    response = admin_client.post(url, data)
    _assert_refused(response, "answers-0-body")
    assert Answer.objects.count() == 0


def test_callback_admin_refuses_a_code_in_the_reason(admin_client, advisor, editor):
    callback = factories.callback(requester=advisor, assignee=editor, reason="Kuljetus.")
    url = reverse("admin:consultations_callback_change", args=[callback.pk])
    response = _post_with(admin_client, url, "callback_form", "reason", CODE)
    _assert_refused(response, "reason")
    callback.refresh_from_db()
    assert callback.reason == "Kuljetus."
    assert Callback.objects.count() == 1


@pytest.mark.parametrize("field", ["question", "answer"])
def test_faq_item_admin_refuses_a_code(admin_client, field):
    entry = catalogue_factories.entry(lines=["vammaispalvelut"])
    item = FaqItem.objects.create(entry=entry, question="Kuka hakee?", answer="Asiakas.")
    url = reverse("admin:consultations_faqitem_change", args=[item.pk])
    response = _post_with(admin_client, url, "faqitem_form", field, CODE)
    _assert_refused(response, field)
    item.refresh_from_db()
    assert (item.question, item.answer) == ("Kuka hakee?", "Asiakas.")


def test_contact_record_admin_refuses_a_code_in_the_topic(admin_client, advisor):
    record = contact_factories.contact(
        at=timezone.now() - datetime.timedelta(hours=1),
        advisor=advisor,
        topic_text="kuljetuspalvelu",
    )
    url = reverse("admin:contacts_contactrecord_change", args=[record.pk])
    response = _post_with(admin_client, url, "contactrecord_form", "topic_text", CODE)
    _assert_refused(response, "topic_text")
    record.refresh_from_db()
    assert record.topic_text == "kuljetuspalvelu"
    assert ContactRecord.objects.count() == 1


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_user_admin_refuses_a_code_in_the_name(admin_client, advisor, field):
    url = reverse("admin:accounts_user_change", args=[advisor.pk])
    response = _post_with(admin_client, url, "user_form", field, "131052 - 308T")
    _assert_refused(response, field)
    advisor.refresh_from_db()
    assert (advisor.first_name, advisor.last_name) == ("Advisor", "")


def test_user_admin_still_saves_a_clean_name(admin_client, advisor):
    url = reverse("admin:accounts_user_change", args=[advisor.pk])
    response = _post_with(admin_client, url, "user_form", "last_name", "Virtanen")
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert advisor.last_name == "Virtanen"


def test_thread_admin_still_saves_clean_text(admin_client, advisor):
    thread = factories.thread(author=advisor)
    url = reverse("admin:consultations_thread_change", args=[thread.pk])
    response = _post_with(admin_client, url, "thread_form", "title", "Uusi otsikko")
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).title == "Uusi otsikko"
