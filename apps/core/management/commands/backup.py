"""``manage.py backup FILE``: dump the configured database (pg_dump custom format).

Restore it with ``manage.py restore FILE --into DATABASE``; README "Backup and restore".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from apps.core.backup import BackupError, Target, dump


class Command(BaseCommand):
    help = "Dump the configured database to FILE (pg_dump custom format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the dump to write (replaced if it exists)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Django database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Target.from_django(connections[options["database"]].settings_dict)
        file = Path(options["file"])
        try:
            program = dump(target, file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = file.stat().st_size
        self.stdout.write(f"{file}: {size} bytes of {target.dbname} ({program})")
