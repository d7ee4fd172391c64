"""What success stories contribute to the search index: published stories only.

``document`` returns None for anything else, so indexing a draft, a returned or an
archived story takes it out of the index. ``services`` reindexes on publish, on an
edit of a published story, and on archive.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.search.registry import Document, Source, Text, register
from apps.search.text import plain_text

from .models import Story


@register
class StorySource(Source):
    model = Story
    label = "stories.story"
    doc_types = ("story",)
    doc_type_labels = {"story": _("onnistumistarina")}
    position = 30

    def queryset(self) -> QuerySet[Story]:
        return Story.objects.filter(state=Story.State.PUBLISHED).prefetch_related("themes")

    def document(self, story: Story) -> Document | None:
        if story.state != Story.State.PUBLISHED:
            return None
        body = plain_text(story.body)
        themes = [theme.name_fi or theme.name for theme in story.themes.all()]
        texts = [
            Text("fi", story.title, "A"),
            Text("fi", story.lead, "B"),
            Text("fi", body, "C"),
            Text("fi", story.unit, "D"),
            *(Text("fi", name, "D") for name in themes),
        ]
        return Document(
            doc_type="story",
            key=str(story.pk),
            url=story.get_absolute_url(),
            titles={"fi": story.title},
            texts=[t for t in texts if t.text],
            keywords=themes,
            organisation={"fi": story.unit} if story.unit else {},
            snippets={"fi": story.lead or body},
        )
