"""What the catalogue contributes to the search index: every service and offer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.search.registry import (
    Document,
    Places,
    Source,
    Text,
    register,
    register_facets,
    register_places,
)
from apps.search.text import plain_text

from . import selectors, services
from .models import Contact, Entry, Municipality, ServiceLine

LANGUAGES = ("fi", "sv", "en")

# A query naming a municipality ("kotihoito kotka") is read with its place.
register_places(
    Places(table=Municipality._meta.db_table, code="code", names=("name_fi", "name_sv"))
)


class CatalogueFacets:
    """Search filters by the catalogue's municipalities and lines; the municipality is
    the one the advisor chose on the catalogue pages (and ``?kunta=`` changes it)."""

    query_param = selectors.MUNICIPALITY_PARAM

    def municipalities(self) -> list[Municipality]:
        return selectors.municipality_list()

    def lines(self) -> list[ServiceLine]:
        return selectors.service_line_list()

    def municipality_param(
        self, request: HttpRequest, values: Iterable[str]
    ) -> selectors.MunicipalityParam:
        return selectors.municipality_param(request, values)

    def current_municipality(self, request: HttpRequest) -> Municipality | None:
        return selectors.current_municipality(request)

    def remember_municipality(self, request: HttpRequest, municipality: Any | None) -> None:
        services.municipality_remember(request, municipality)


register_facets(CatalogueFacets())


@register
class EntrySource(Source):
    model = Entry
    label = "catalogue.entry"
    doc_types = ("service", "offer")
    doc_type_labels = {"service": _("palvelu"), "offer": _("järjestöjen tarjonta")}
    permission = "catalogue.view_entry"
    position = 10
    details_template = "catalogue/partials/hit_contacts.html"

    def queryset(self) -> QuerySet[Entry]:
        return Entry.objects.select_related("organisation").prefetch_related(
            "municipalities", "service_lines"
        )

    def hit_details(self, keys: list[str], *, municipality: Any | None) -> dict[str, list[Contact]]:
        """The hits' contacts, the advisor's municipality's first (two queries)."""
        return selectors.entry_contacts(keys, municipality=municipality)

    def document(self, entry: Entry) -> Document:
        texts: list[Text] = []
        titles: dict[str, str] = {}
        snippets: dict[str, str] = {}
        for lang in LANGUAGES:
            title = getattr(entry, f"title_{lang}", "") or ""
            if title:
                titles[lang] = title
                texts.append(Text(lang, title, "A"))
            summary = getattr(entry, f"summary_{lang}", "") or ""
            texts.append(Text(lang, summary, "B"))
            body = [
                plain_text(getattr(entry, f"{name}_{lang}", "") or "")
                for name in ("body", "eligibility", "how_to_apply")
            ]
            texts.extend(Text(lang, b, "C") for b in body)
            texts.append(Text(lang, plain_text(getattr(entry, f"fees_{lang}", "") or ""), "D"))
            snippet = "\n".join(t for t in (summary, *body) if t)
            if snippet:
                snippets[lang] = snippet
        texts.extend(Text("fi", group, "B") for group in entry.target_groups)
        texts.extend(Text("fi", law, "D") for law in entry.legal_basis)
        organisation: dict[str, str] = {}
        if entry.organisation is not None:
            for lang in LANGUAGES:
                name = getattr(entry.organisation, f"name_{lang}", "") or ""
                if name:
                    organisation[lang] = name
                    texts.append(Text(lang, name, "D"))
        lines = list(entry.service_lines.all())
        for line in lines:
            for lang in ("fi", "sv"):
                name = getattr(line, f"name_{lang}", "") or ""
                if name:
                    texts.append(Text(lang, name, "D"))
        return Document(
            doc_type=entry.kind,
            key=entry.key,
            url=entry.get_absolute_url(),
            titles=titles,
            texts=[t for t in texts if t.text],
            keywords=list(entry.keywords),
            organisation=organisation,
            snippets=snippets,
            municipalities=[m.code for m in entry.municipalities.all()],
            lines=[line.key for line in lines],
        )
