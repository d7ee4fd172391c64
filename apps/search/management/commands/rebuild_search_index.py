from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.search import semantic, services
from apps.search.analyzer import analyzer_label, get_analyzer


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every registered source (and re-analyse synonyms). "
        "Missing vectors for search by meaning are computed by Celery workers, or here "
        "with --vectors."
    )

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
        parser.add_argument(
            "--vectors",
            action="store_true",
            help="compute the missing vectors (search by meaning) here, with progress, "
            "instead of enqueueing them for the workers",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        analyzer = get_analyzer(options["analyzer"])
        started = time.monotonic()

        def progress(label: str, count: int) -> None:
            self.stdout.write(f"  {label}: {count} documents")

        total = services.rebuild_index(
            analyzer=analyzer,
            stale_only=options["stale"],
            progress=progress,
            enqueue_vectors=not options["vectors"],
        )
        groups = services.synonym_groups_reanalyse(analyzer)
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total} documents and {groups} synonym groups with "
                f"{analyzer_label(analyzer)} in {time.monotonic() - started:.1f} s."
            )
        )
        if not semantic.enabled():
            self.stdout.write("Search by meaning is off (no model package): words only.")
            return
        if options["vectors"]:
            self._vectors()
        else:
            pending = len(services.vectors_pending())
            self.stdout.write(f"{pending} documents wait for their vectors (Celery workers).")

    def _vectors(self) -> None:
        pending = services.vectors_pending()
        started = time.monotonic()
        self.stdout.write(f"Computing vectors for {len(pending)} documents ({semantic.MODEL_NAME})")
        step = max(1, len(pending) // 20)
        shown = [0]

        def progress(done: int, total: int) -> None:
            if done - shown[0] >= step or done == total:
                shown[0] = done
                elapsed = time.monotonic() - started
                left = elapsed / done * (total - done) if done else 0.0
                self.stdout.write(
                    f"  {done}/{total} ({100 * done // total} %), {elapsed:.0f} s, "
                    f"about {left:.0f} s left"
                )

        stored = services.vectors_compute(document_ids=pending, progress=progress)
        pruned = services.vectors_prune()
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored {stored} vectors in {time.monotonic() - started:.1f} s "
                f"({pruned} unused removed)."
            )
        )
