"""Templates read page-level rights as ``rights.<flag>`` (apps/desk/context_processors.py),
each flag one predicate; none asks ``perms.app.codename``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts import permissions as accounts
from apps.catalogue import permissions as catalogue
from apps.consultations import permissions as consultations
from apps.contacts import permissions as contacts
from apps.desk.context_processors import Rights
from apps.reports import permissions as reports
from apps.stories import permissions as stories

ROOT = Path(__file__).resolve().parents[2]
FLAGS = {
    "record_contact": contacts.can_record_contact,
    "view_threads": consultations.can_view_threads,
    "edit_entries": catalogue.can_edit_entries,
    "view_reports": reports.can_view_reports,
    "assign_service_lines": accounts.can_assign_service_lines,
    "write_story": stories.can_write_story,
    "review_stories": stories.can_review_stories,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["advisor", "editor", "manager", "superuser"])
def test_each_flag_is_its_predicate(request, role):
    user = request.getfixturevalue(role)
    rights = Rights(user)
    assert {flag: getattr(rights, flag) for flag in FLAGS} == {
        flag: predicate(user) for flag, predicate in FLAGS.items()
    }


def test_anonymous_may_nothing():
    rights = Rights(AnonymousUser())
    assert not any(getattr(rights, flag) for flag in FLAGS)


def test_every_flag_is_tested():
    assert {name for name in vars(Rights) if not name.startswith("_")} == set(FLAGS)


def test_no_template_asks_perms_directly():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/**/templates/**/*.html")]
    assert templates
    assert [str(t.relative_to(ROOT)) for t in templates if "perms." in t.read_text("utf-8")] == []


@pytest.mark.django_db
def test_header_links_follow_the_flags(client, advisor, manager):
    client.force_login(advisor)
    assert "/raportit/" not in client.get("/").content.decode()
    client.force_login(manager)
    assert "/raportit/" in client.get("/").content.decode()
