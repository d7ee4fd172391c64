"""Saving an entry through the edit form changes only what the person changed: the
browser's CRLF line endings, the textarea's trimming and untouched contacts are no change,
and the version diff lists only the fields that really differ."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from apps.catalogue import services
from apps.catalogue.diffing import version_diff
from apps.catalogue.models import Entry, EntryVersion
from tests.catalogue.test_views_editing import form_data

pytestmark = pytest.mark.django_db


def as_browser_posts(data: dict[str, Any]) -> dict[str, Any]:
    """Browsers submit a textarea's line breaks as CRLF (HTML's form encoding)."""
    return {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}


@pytest.fixture
def entry(editor) -> Entry:
    return services.entry_save(
        entry=None,
        data={
            "key": "kotihoito",
            "title": {"fi": "Kotihoito", "sv": "Hemvård"},
            "summary": {"fi": "Apua kotiin.\n"},
            "body": {"fi": "Ensimmäinen kappale.\n\nToinen kappale.\n\n\nKolmas.  \n"},
            "eligibility": {"fi": "Ikääntyneet\nja vammaiset"},
            "service_lines": ["ikaihmiset"],
            "keywords": ["kotihoito", "kotipalvelu"],
            "contacts": [
                {
                    "label": {"fi": "Asiakasohjaus"},
                    "phone": "05 000 2000",
                    "hours": {"fi": "ma–pe 9–15"},
                }
            ],
        },
        author=editor,
        base_version=0,
        kind=Entry.Kind.SERVICE,
    )


def test_untouched_fields_are_no_change_in_the_diff(client, editor, entry):
    client.force_login(editor)
    data = as_browser_posts(form_data(entry, title_fi="Kotihoito ja kotipalvelu", comment="Nimi"))

    response = client.post(reverse("catalogue:entry_edit", args=[entry.key]), data)

    assert response.status_code == 302
    old = EntryVersion.objects.get(entry=entry, number=1).snapshot
    new = EntryVersion.objects.get(entry=entry, number=2).snapshot
    assert [c.path for c in version_diff(old, new)] == ["title.fi"]


def test_untouched_texts_keep_their_stored_form(client, editor, entry):
    client.force_login(editor)
    client.post(
        reverse("catalogue:entry_edit", args=[entry.key]),
        as_browser_posts(form_data(entry, title_fi="Kotihoito ja kotipalvelu")),
    )

    entry.refresh_from_db()
    assert entry.body_fi == "Ensimmäinen kappale.\n\nToinen kappale.\n\n\nKolmas.  \n"
    assert entry.summary_fi == "Apua kotiin.\n"


def test_diff_ignores_line_endings_and_trailing_space_but_not_content():
    old = {"body": {"fi": "Yksi.\n\nKaksi.\n"}, "contacts": [{"hours": {"fi": "ma–pe 9–15"}}]}
    same = {"body": {"fi": "Yksi.\r\n\r\nKaksi."}, "contacts": [{"hours": {"fi": "ma–pe 9–15 "}}]}
    changed = {"body": {"fi": "Yksi.\n\n\nKaksi.\n"}, "contacts": [{"hours": {"fi": "ma–pe 9–16"}}]}

    assert version_diff(old, same) == []
    assert [c.path for c in version_diff(old, changed)] == ["body.fi", "contacts[0].hours.fi"]
