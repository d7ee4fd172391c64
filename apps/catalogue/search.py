"""What the catalogue contributes to the search index: every service and offer."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.search.registry import Document, Source, Text, register
from apps.search.text import plain_text

from .models import Entry

LANGUAGES = ("fi", "sv", "en")


@register
class EntrySource(Source):
    model = Entry
    label = "catalogue.entry"
    doc_types = ("service", "offer")
    permission = "catalogue.view_entry"

    def queryset(self) -> QuerySet[Entry]:
        return (Entry.objects.select_related("organisation")
                .prefetch_related("municipalities", "service_lines"))

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
            body = [plain_text(getattr(entry, f"{name}_{lang}", "") or "")
                    for name in ("body", "eligibility", "how_to_apply")]
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
