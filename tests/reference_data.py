"""Reference data that migrations seed (municipalities, service lines, roles…), put back.

A transactional test (``transaction=True``, ``live_server``, ``celery_worker``) ends with
a flush that empties every table, including what the data migrations wrote. Tests that
run after it, and the next ``--reuse-db`` session, would then find no municipalities and
no role groups. ``seed_reference_data()`` replays the data migrations of our own apps,
which are written to be idempotent (``get_or_create``), so it is safe to call at any time.

``serialized_rollback=True`` is not used for this: it breaks as soon as an earlier
transactional test without it has re-created content types with new ids.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.apps.registry import Apps
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython

PROJECT_APPS_PREFIX = "apps."

SeedStep = tuple[str, Callable]


@cache
def _seed_steps(using: str) -> tuple[tuple[SeedStep, ...], Apps]:
    """Every forward ``RunPython`` of our apps' migrations, in dependency order.

    They run against the final project state: its models match today's tables, which
    historical models may not (a column added later without a database default).
    """
    executor = MigrationExecutor(connections[using])
    loader = executor.loader
    plan = executor.migration_plan(loader.graph.leaf_nodes(), clean_start=True)
    steps = tuple(
        (f"{migration.app_label}.{migration.name}", operation.code)
        for migration, _backwards in plan
        if type(migration).__module__.startswith(PROJECT_APPS_PREFIX)
        for operation in migration.operations
        if isinstance(operation, RunPython)
    )
    return steps, loader.project_state().apps


def seed_reference_data(using: str = DEFAULT_DB_ALIAS) -> None:
    # Content types and permissions first: role migrations grant permissions.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=using)
    steps, state_apps = _seed_steps(using)
    connection = connections[using]
    for _label, code in steps:
        with connection.schema_editor(atomic=True) as schema_editor:
            code(state_apps, schema_editor)
