"""Small builders for story test data. Themes are seeded by a migration; ``theme()``
looks one up by key."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from apps.stories.models import Story, StoryTransition, Theme

_seq = itertools.count(1)

QUEUES = "jonot-lyhenivat"
REACHED = "asiakkaat-tavoitettiin"
MULTI_AGENCY = "monitoimijainen-yhteistyo"
SAVINGS = "saastot"
EXPERIENCE = "asiakaskokemus"


def theme(key: str = QUEUES) -> Theme:
    return Theme.objects.get(key=key)


def story(
    *, author, state: str = Story.State.DRAFT, themes: tuple[str, ...] = (QUEUES,), **fields: Any
) -> Story:
    """A complete story in ``state`` (ready to submit when a draft)."""
    n = next(_seq)
    values: dict[str, Any] = {
        "title": f"Jono lyheni {n}",
        "lead": "Asiakkaat saivat ajan viikossa kuukauden sijaan.",
        "body": "Järjestimme **yhteisen** vastaanoton.\n\n- kolme toimijaa\n- yksi käynti",
        "unit": "Kotkan sosiaaliohjaus",
        "version": 1,
    }
    values.update(fields)
    now = timezone.now()
    if state in (
        Story.State.SUBMITTED,
        Story.State.SCHEDULED,
        Story.State.PUBLISHED,
        Story.State.ARCHIVED,
    ):
        values.setdefault("submitted_at", now)
    if state in (Story.State.PUBLISHED, Story.State.ARCHIVED):
        values.setdefault("published_at", now)
    if state == Story.State.SCHEDULED:
        values.setdefault("publish_at", now + datetime.timedelta(hours=1))
    created = Story.objects.create(author=author, state=state, **values)
    created.themes.set([theme(key) for key in themes])
    return created


def transitions(story: Story) -> list[tuple[str, str]]:
    return list(StoryTransition.objects.filter(story=story).values_list("from_state", "to_state"))
