"""API tokens moved from the search app to accounts: existing tokens survive."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.accounts import selectors
from apps.accounts.models import ApiToken
from apps.accounts.services import hash_token

pytestmark = pytest.mark.django_db

BEFORE = [("accounts", "0005_assign_service_lines"), ("search", "0004_free_text_guard")]
AFTER = [("accounts", "0006_apitoken_from_search"), ("search", "0005_apitoken_moves_to_accounts")]


def _latest():
    """Every app's last migration: the test ends on today's schema (later migrations of
    accounts add columns that the models read)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_api_tokens_made_in_search_still_authenticate_after_the_move(advisor):
    """The test's transaction rolls every step back, migrations included."""
    old = _migrate(BEFORE)
    OldToken = old.get_model("search", "ApiToken")
    assert OldToken._meta.db_table == "search_apitoken"
    OldToken.objects.create(
        user_id=advisor.pk, name="vanha", key_hash=hash_token("nvk_old"), prefix="nvk_old"
    )

    _migrate(AFTER)
    _migrate(_latest())

    assert ApiToken._meta.db_table == "accounts_apitoken"
    token = selectors.api_token_get("nvk_old")
    assert token is not None
    assert (token.user, token.name) == (advisor, "vanha")
    assert ApiToken.objects.count() == 1
