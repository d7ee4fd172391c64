"""The audit trail in the admin, clicked through: a superuser's own sign-in is listed,
filtered by kind, opened, and the filtered list downloads as CSV (itself recorded)."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from apps.audit.models import Event

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_superuser_browses_and_exports_the_audit_trail(page: Page, superuser, advisor):
    login(page, "advisor")  # an advisor's sign-in, then the superuser's
    page.context.clear_cookies()
    login(page, "root")

    page.get_by_role("link", name="Ylläpito").click()
    page.get_by_role("link", name="Lokitapahtumat").click()
    page.locator("#changelist-filter").get_by_role("link", name="kirjautuminen").first.click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("root")
    expect(rows.nth(1)).to_contain_text("advisor")

    rows.nth(1).get_by_role("link").first.click()
    expect(page.locator("body")).to_contain_text("127.0.0.1")
    expect(page.get_by_role("button", name="Tallenna")).to_have_count(0)
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Vie suodatettu lista (CSV)").click()
    path = download_info.value.path()
    text = path.read_text(encoding="utf-8-sig")

    rows_in_file = list(csv.DictReader(io.StringIO(text)))
    assert [(r["kind"], r["actor_username"], r["ip"]) for r in rows_in_file] == [
        ("sign_in", "root", "127.0.0.1"),
        ("sign_in", "advisor", "127.0.0.1"),
    ]
    export = Event.objects.get(kind=Event.Kind.EXPORT, details__what="audit")
    assert (export.actor, export.details["rows"]) == (superuser, 2)
