"""Search tasks: the vectors of semantic search are computed here, off the request path.

``search.embed_documents`` is enqueued on commit whenever documents are (re)indexed
without a vector for their text (``services.index_objects``, ``rebuild_index``). It is
idempotent: a document whose vector exists already, or that is gone, is skipped.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import OperationalError

_TASK = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(name="search.embed_documents", **_TASK)
def embed_documents(self: Any, document_ids: list[int]) -> int:
    from .services import vectors_compute

    return vectors_compute(document_ids=document_ids)
