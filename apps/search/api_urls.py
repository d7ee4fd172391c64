from __future__ import annotations

from django.urls import path

from . import api

app_name = "search_api"

urlpatterns = [
    path("search", api.search, name="search"),
    path("openapi.json", api.openapi_schema, name="openapi"),
]
