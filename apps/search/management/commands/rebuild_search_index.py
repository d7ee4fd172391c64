from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.search import services
from apps.search.analyzer import analyzer_label, get_analyzer


class Command(BaseCommand):
    help = "Rebuild the search index from every registered source (and re-analyse synonyms)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--analyzer",
            choices=["auto", "voikko", "snowball"],
            default=None,
            help="Finnish analyser (default: settings.NEUVOKAS_SEARCH_ANALYZER)",
        )
        parser.add_argument(
            "--stale", action="store_true", help="only redo documents made by another analyser"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        analyzer = get_analyzer(options["analyzer"])
        started = time.monotonic()

        def progress(label: str, count: int) -> None:
            self.stdout.write(f"  {label}: {count} documents")

        total = services.rebuild_index(
            analyzer=analyzer, stale_only=options["stale"], progress=progress
        )
        groups = services.synonym_groups_reanalyse(analyzer)
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total} documents and {groups} synonym groups with "
                f"{analyzer_label(analyzer)} in {time.monotonic() - started:.1f} s."
            )
        )
