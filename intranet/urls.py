from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from apps.accounts import oidc
from apps.accounts import views as accounts_views
from apps.core import views as core_views
from apps.desk import views as desk_views

admin.site.site_header = _("Neuvokas – ylläpito")
admin.site.site_title = "Neuvokas"

urlpatterns = [
    path("", desk_views.home, name="home"),
    path("tyopoyta/", include("apps.desk.urls")),
    path("kirjaudu/", accounts_views.SignInView.as_view(), name="login"),
    path("kirjaudu-ulos/", oidc.SignOutView.as_view(), name="logout"),
    path(
        "oidc/kirjaudu/", login_not_required(oidc.ProviderSignInView.as_view()), name="oidc_sign_in"
    ),
    path(
        "oidc/callback/",
        login_not_required(oidc.ProviderCallbackView.as_view()),
        name="oidc_callback",
    ),
    path("kieli/", set_language, name="set_language"),
    path("terveys/", core_views.health, name="health"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("palvelut/", include("apps.catalogue.urls")),
    path("kysymykset/", include("apps.consultations.urls")),
    path("ilmoitukset/", include("apps.notifications.urls")),
    path("profiili/", include("apps.accounts.urls")),
    path("tarinat/", include("apps.stories.urls")),
    path("yhteydenotot/", include("apps.contacts.urls")),
    path("raportit/", include("apps.reports.urls")),
    path("haku/", include("apps.search.urls")),
    path("api/v1/", include("apps.search.api_urls")),
    path("live/", include("apps.live.urls")),
    path("admin/", admin.site.urls),
]

# A database that cannot be reached answers 503 "try again in a moment" (apps/core/views.py).
handler500 = "apps.core.views.server_error"
