"""``manage.py export_catalogue FILE``: write the catalogue as ``sote-catalogue/1``.

``-`` writes to standard output.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from apps.audit import services as audit
from apps.catalogue.interchange import dumps, export_catalogue


class Command(BaseCommand):
    help = "Vie palvelukuvaukset sote-catalogue/1-tiedostoon (FILE tai - = stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON file, or - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        text = dumps(export_catalogue())
        name = options["file"]
        audit.record(
            audit.Kind.EXPORT,
            None,
            audit.Target(type="catalogue.entry", label="export_catalogue"),
            what="catalogue",
            via="command",
            to="stdout" if name == "-" else "file",
        )
        if name == "-":
            self.stdout.write(text, ending="")
            return
        target = Path(name)
        # Write beside the target and rename, so a reader never sees half a file.
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except OSError as exc:
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)
            message = _("Tiedostoa ei voi kirjoittaa: %(error)s") % {"error": exc}
            raise CommandError(message) from exc
