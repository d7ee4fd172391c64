from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Heartbeat(models.Model):
    """When a background process (``worker``, ``beat``) was last seen alive: one row per
    process kind, written by ``core.heartbeat`` and at process start, read by ``/readyz``."""

    name = models.CharField(max_length=20, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class PendingTask(models.Model):
    """Background work the broker did not accept when it was enqueued (Redis down or
    unreachable): kept here instead of being lost, and sent again by
    ``core.redispatch_pending`` once the broker answers (``apps/core/dispatch.py``)."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=1)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
