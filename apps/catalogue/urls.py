from __future__ import annotations

from django.urls import path

from .views import editing, reading

app_name = "catalogue"

urlpatterns = [
    # Reading (views/reading.py)
    path("", reading.home, name="home"),
    path("kunta/", reading.set_municipality, name="set_municipality"),
    path("vertailu/", reading.compare, name="compare"),
    path("organisaatio/<slug:key>/", reading.organisation_detail, name="organisation"),
    # Editing and upkeep (views/editing.py)
    path("omat/", editing.my_entries, name="my_entries"),
    # Entry page last: its key could otherwise shadow the fixed paths above.
    path("kortti/<slug:key>/", reading.entry_detail, name="entry"),
]
