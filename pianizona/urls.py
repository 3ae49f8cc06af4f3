from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views
from .api import urls as api

# The admin login goes through allauth: rate-limited and protected by the second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Piani di Zona – amministrazione"
admin.site.site_title = "Piani di Zona"
admin.site.index_title = "Gestione utenti, territori e codifiche"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilita/", views.accessibilita, name="accessibilita"),
    path("healthz", views.healthz, name="healthz"),
    # The core's wings (pianizona/README.md).
    path("", include("pianizona.accessi.urls")),
    path("", include("pianizona.territorio.urls")),
    path("", include("pianizona.iter.urls")),
    path("", include("pianizona.lavori.urls")),
    path("api/v1/", include("pianizona.api.urls")),
    path("", include(api.dati_aperti_urlpatterns)),
    path("", include("risorse.urls")),
    path("", include("programmazione.urls")),
    path("", include("monitoraggio.urls")),
    path("", include("archivio.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "pianizona.errors.bad_request"
handler403 = "pianizona.errors.permission_denied"
handler404 = "pianizona.errors.page_not_found"
handler500 = "pianizona.errors.server_error"
