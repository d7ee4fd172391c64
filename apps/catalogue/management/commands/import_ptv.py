"""``manage.py import_ptv``: import the followed organisations' services from Suomi.fi (PTV).

Reads NEUVOKAS_PTV_API_URL and NEUVOKAS_PTV_ORGANISATIONS (or --organisation); new
services are filed under NEUVOKAS_PTV_SERVICE_LINE (or --service-line). Idempotent: a
second run changes nothing. Exits non-zero when a record or page failed (they are listed;
the rest imported).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.catalogue.models import ServiceLine
from apps.catalogue.ptv.client import PtvClient
from apps.catalogue.ptv.sync import import_ptv


class Command(BaseCommand):
    help = "Import the followed organisations' services and channels from Suomi.fi (PTV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--api-url", default=None, help="default: NEUVOKAS_PTV_API_URL")
        parser.add_argument(
            "--organisation",
            action="append",
            default=None,
            help="PTV organisation id (repeatable); default: NEUVOKAS_PTV_ORGANISATIONS",
        )
        parser.add_argument(
            "--service-line", default=None, help="default: NEUVOKAS_PTV_SERVICE_LINE"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        api_url = options["api_url"] or settings.NEUVOKAS_PTV_API_URL
        organisations = options["organisation"] or settings.NEUVOKAS_PTV_ORGANISATIONS
        line = options["service_line"] or settings.NEUVOKAS_PTV_SERVICE_LINE
        if not organisations:
            raise CommandError("No organisations: set NEUVOKAS_PTV_ORGANISATIONS.")
        if not ServiceLine.objects.filter(key=line).exists():
            raise CommandError(
                f"Unknown service line {line!r}: set NEUVOKAS_PTV_SERVICE_LINE to the key of "
                "the line new services are filed under."
            )
        with PtvClient(api_url, timeout=settings.NEUVOKAS_PTV_TIMEOUT_SECONDS) as client:
            report = import_ptv(client, organisations=organisations, service_line=line)
        self.stdout.write(f"PTV import: {report.summary()}")
        for error in report.errors:
            self.stderr.write(error)
        if report.errors:
            raise CommandError(f"{len(report.errors)} PTV record(s) or page(s) failed")
