"""apps/accounts/forms.py: the manager's lines form offers the catalogue's lines, reached
through ``User.service_lines`` (accounts imports nothing from the catalogue)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from apps.accounts import forms as account_forms
from apps.accounts.forms import StaffLinesForm
from apps.catalogue.models import ServiceLine

pytestmark = pytest.mark.django_db


def test_staff_lines_form_offers_every_line_in_routing_order(advisor):
    ServiceLine.objects.create(key="a-viimeinen", name="Viimeinen", position=10_000)
    ServiceLine.objects.create(key="0-ensimmainen", name="Ensimmäinen", position=0)
    form = StaffLinesForm.for_user(advisor)
    offered = list(form.fields["service_lines"].queryset)
    assert offered == list(ServiceLine.objects.order_by("position", "key"))
    assert (offered[0].key, offered[-1].key) == ("0-ensimmainen", "a-viimeinen")


def test_staff_lines_form_saves_known_lines_only(advisor):
    line = ServiceLine.objects.create(key="g-uusi", name="Uusi", position=5)
    assert StaffLinesForm({"service_lines": [line.pk]}).is_valid()
    assert not StaffLinesForm({"service_lines": [999_999]}).is_valid()


def test_accounts_forms_import_nothing_from_the_catalogue_at_run_time():
    tree = ast.parse(Path(account_forms.__file__).read_text(encoding="utf-8"))
    run_time = [
        node.module
        for node in tree.body  # module level, not under ``if TYPE_CHECKING:``
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("apps.catalogue")
    ]
    assert run_time == []
