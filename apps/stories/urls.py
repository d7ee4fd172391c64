from __future__ import annotations

from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("", views.story_list, name="list"),
    path("uusi/", views.story_create, name="create"),
    path("uusi/automaattitallennus/", views.autosave_new, name="autosave_new"),
    path("omat/", views.my_stories, name="mine"),
    path("tarkastettavat/", views.review_queue, name="review"),
    path("raportti/", views.period_report, name="report"),
    path("<int:pk>/", views.story_detail, name="detail"),
    path("<int:pk>/muokkaa/", views.story_edit, name="edit"),
    path("<int:pk>/automaattitallennus/", views.story_autosave, name="autosave"),
    path("<int:pk>/kuva/", views.story_image, name="image"),
    path("<int:pk>/laheta/", views.story_submit, name="submit"),
    path("<int:pk>/julkaise/", views.story_publish, name="publish"),
    path("<int:pk>/ajasta/", views.story_schedule, name="schedule"),
    path("<int:pk>/palauta/", views.story_return, name="return"),
    path("<int:pk>/arkistoi/", views.story_archive, name="archive"),
    path("<int:pk>/kiitos/", views.story_thank, name="thank"),
    path("<int:pk>/kommentit/", views.story_comment, name="comment"),
]
