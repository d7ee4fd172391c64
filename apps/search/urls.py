from __future__ import annotations

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.results, name="results"),
    path("pika/", views.live, name="live"),
    path("avaa/<int:log_id>/<int:position>/", views.open_result, name="open"),
]
