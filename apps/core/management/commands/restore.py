"""``manage.py restore FILE [--into DATABASE] [--create] [--force]``: load a dump made by
``manage.py backup`` in one transaction, all or nothing.

``--into`` is a database URL (``postgres://user@host:5432/name``) or the name of a
database on the configured server; without it, the configured database. The target
must be empty unless ``--force``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from apps.core.backup import BackupError, Target, restore


class Command(BaseCommand):
    help = "Restore a dump made by `backup` into an empty database, in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a dump written by `manage.py backup`")
        parser.add_argument(
            "--into",
            default="",
            help="database URL, or a database name on the configured server "
            "(default: the configured database)",
        )
        parser.add_argument("--create", action="store_true", help="create the database if missing")
        parser.add_argument(
            "--force", action="store_true", help="restore over a database that is not empty"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Django database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        configured = Target.from_django(connections[options["database"]].settings_dict)
        into = options["into"]
        try:
            if "://" in into:
                target = Target.from_url(into)
            else:
                target = configured.with_name(into) if into else configured
            program = restore(
                Path(options["file"]), target, force=options["force"], create=options["create"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{options['file']} restored into {target.dbname} ({program})")
