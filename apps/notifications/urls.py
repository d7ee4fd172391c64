from __future__ import annotations

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("luetuiksi/", views.mark_all_read, name="mark_all_read"),
    path("laskuri/", views.badge, name="badge"),
    path("<int:pk>/", views.open_notification, name="open"),
]
