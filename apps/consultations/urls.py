from __future__ import annotations

from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.board, name="board"),
    path("uusi/", views.ask, name="ask"),
    path("samankaltaiset/", views.suggestions, name="suggestions"),
    path("<int:pk>/", views.thread_detail, name="thread"),
    path("<int:pk>/vastaa/", views.answer_post, name="answer"),
    path("<int:pk>/ota/", views.claim, name="claim"),
    path("<int:pk>/vapauta/", views.release, name="release"),
    path("<int:pk>/seuraa/", views.follow, name="follow"),
    path("<int:pk>/ratkaisu/<int:answer_pk>/", views.solve, name="solve"),
    path("<int:pk>/muokkaa/", views.thread_edit, name="edit"),
    path("<int:pk>/historia/", views.history, name="history"),
    path("<int:pk>/tietopankkiin/", views.curate, name="curate"),
    path("vastaus/<int:pk>/muokkaa/", views.answer_edit, name="answer_edit"),
    path("soittopyynnot/", views.callback_list, name="callbacks"),
    path("soittopyynnot/uusi/", views.callback_create, name="callback_create"),
    path("soittopyynnot/<int:pk>/", views.callback_detail, name="callback"),
    path("soittopyynnot/<int:pk>/ota/", views.callback_take, name="callback_take"),
    path("soittopyynnot/<int:pk>/hoidettu/", views.callback_complete, name="callback_complete"),
]
