from __future__ import annotations

from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("kunta/", views.set_municipality, name="set_municipality"),
    path("vertailu/", views.compare, name="compare"),
    path("omat/", views.my_entries, name="my_entries"),
    path("organisaatio/<slug:key>/", views.organisation_detail, name="organisation"),
    path("<slug:key>/", views.entry_detail, name="entry"),
]
