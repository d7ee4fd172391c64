from __future__ import annotations

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("aja/", views.run, name="run"),
    path("tilaus/", views.subscribe, name="subscribe"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/csv/", views.download_csv, name="csv"),
    path("<int:pk>/xlsx/", views.download_xlsx, name="xlsx"),
]
