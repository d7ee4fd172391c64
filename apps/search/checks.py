"""System check: warn when the Finnish analyser (libvoikko) cannot load."""

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
