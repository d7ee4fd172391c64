from __future__ import annotations

from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    # Long-lived: a reverse proxy must not buffer it (nginx: proxy_buffering off).
    path("stream/", views.stream, name="stream"),
    path("halytykset/", views.alerts, name="alerts"),
]
