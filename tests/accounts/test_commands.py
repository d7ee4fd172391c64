from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import ApiToken
from apps.accounts.services import hash_token

pytestmark = pytest.mark.django_db


def test_create_api_token_prints_a_token_stored_as_hash(advisor, capsys):
    call_command("create_api_token", "advisor", "--name", "raportit")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw)
    assert token.name == "raportit"


def test_create_api_token_for_unknown_user_fails(db):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")
