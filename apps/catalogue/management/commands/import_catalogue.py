"""``manage.py import_catalogue FILE``: upsert a ``sote-catalogue/1`` file (``-`` = stdin)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from apps.catalogue.interchange import (
    CatalogueFormatError,
    CatalogueSyntaxError,
    loads,
)
from apps.catalogue.services import import_catalogue

SECTION_LABELS = {
    "municipalities": "kunnat",
    "service_lines": "palvelulinjat",
    "organisations": "organisaatiot",
    "services": "palvelut",
    "offers": "järjestöjen ja seurakuntien tarjonta",
}


class Command(BaseCommand):
    help = "Tuo palvelukuvaukset sote-catalogue/1-tiedostosta (FILE tai - = stdin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON file, or - for standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("Tiedostoa ei voi lukea: %(error)s") % {"error": exc}) from exc
        try:
            summary = import_catalogue(loads(text))
        except CatalogueSyntaxError as exc:
            raise CommandError(
                _("Tiedosto ei ole kelvollista JSONia: rivi %(line)s, sarake %(col)s: %(msg)s")
                % {"line": exc.line, "col": exc.column, "msg": exc.message}
            ) from exc
        except CatalogueFormatError as exc:
            raise CommandError(
                _("Tiedostoa ei tuotu, tietokantaa ei muutettu:\n%(errors)s") % {"errors": exc}
            ) from exc
        except DatabaseError as exc:
            raise CommandError(
                _("Tuonti keskeytyi, tietokantaa ei muutettu: %(error)s") % {"error": exc}
            ) from exc

        for section, counts in summary.counts.items():
            self.stdout.write(
                _("%(section)s: %(created)s uutta, %(updated)s päivitetty, %(unchanged)s ennallaan")
                % {
                    "section": SECTION_LABELS[section],
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
        if summary.users_created:
            self.stdout.write(
                _("Uudet käyttäjätunnukset (ei voimassa, ei salasanaa): %(users)s")
                % {"users": ", ".join(summary.users_created)}
            )
