from __future__ import annotations

from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("kirjaa/", views.record, name="record"),
    path("aiheet/", views.topic_search, name="topic_search"),
    path("avattu/<slug:key>/", views.entry_viewed, name="entry_viewed"),
]
