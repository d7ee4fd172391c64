from __future__ import annotations

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("palvelulinjat/", views.staff_lines, name="staff_lines"),
    path("palvelulinjat/<int:pk>/", views.staff_lines_edit, name="staff_lines_edit"),
]
