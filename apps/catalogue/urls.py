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
    path("uusi/", editing.entry_create, name="entry_create"),
    path("esikatselu/", editing.entry_preview, name="entry_preview"),
    path(
        "virheilmoitus/<int:pk>/kasitelty/",
        editing.problem_report_resolve,
        name="problem_report_resolve",
    ),
    path("kortti/<slug:key>/muokkaa/", editing.entry_edit, name="entry_edit"),
    path("kortti/<slug:key>/historia/", editing.entry_history, name="entry_history"),
    path("kortti/<slug:key>/historia/<int:number>/", editing.entry_version, name="entry_version"),
    path(
        "kortti/<slug:key>/historia/<int:number>/palauta/",
        editing.entry_restore,
        name="entry_restore",
    ),
    path("kortti/<slug:key>/tarkistettu/", editing.entry_mark_reviewed, name="entry_mark_reviewed"),
    path(
        "kortti/<slug:key>/ilmoita-virhe/",
        editing.problem_report_create,
        name="problem_report_create",
    ),
    # Entry page last: its key could otherwise shadow the fixed paths above.
    path("kortti/<slug:key>/", reading.entry_detail, name="entry"),
]
