"""What the consultations contribute to the search index: SOLVED threads only.

A document holds the title, the question and the solution's text. Open threads,
other answers and anything about callbacks (never the customer's number) stay out.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.search.registry import Document, Source, Text, register
from apps.search.text import plain_text

from .models import Thread


@register
class ThreadSource(Source):
    model = Thread
    label = "consultations.thread"
    doc_types = ("consultation",)
    doc_type_labels = {"consultation": _("ratkaistu konsultaatio")}
    position = 20
    permission = "consultations.view_thread"

    def queryset(self) -> QuerySet[Thread]:
        return Thread.objects.filter(status=Thread.Status.SOLVED).select_related(
            "solution", "service_line", "municipality"
        )

    def document(self, thread: Thread) -> Document | None:
        solution = thread.solution if thread.solution_id else None
        if thread.status != Thread.Status.SOLVED or solution is None:
            return None
        question = plain_text(thread.body)
        answer = plain_text(solution.body)
        return Document(
            doc_type="consultation",
            key=str(thread.pk),
            url=thread.get_absolute_url(),
            titles={"fi": thread.title},
            texts=[
                t
                for t in (
                    Text("fi", thread.title, "A"),
                    Text("fi", answer, "B"),
                    Text("fi", question, "C"),
                )
                if t.text
            ],
            snippets={"fi": answer},
            municipalities=[thread.municipality_id] if thread.municipality_id else [],
            lines=[thread.service_line.key],
        )
