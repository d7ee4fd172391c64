from __future__ import annotations

from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("kysymys/<int:pk>/selvittaja/", views.thread_assign, name="thread_assign"),
    path("soittopyynto/<int:pk>/soittaja/", views.callback_assign, name="callback_assign"),
    path("<slug:name>/", views.panel, name="panel"),
]
