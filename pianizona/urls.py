from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from .views import generali as views

# The admin login goes through allauth: rate-limited and protected by the second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Piani di Zona – amministrazione"
admin.site.site_title = "Piani di Zona"
admin.site.index_title = "Gestione utenti, territori e codifiche"

urlpatterns = [
    path("", views.home, name="home"),
    path("ambiti/<int:pk>/", views.ambito_detail, name="ambito_detail"),
    path("piani/<int:pk>/", views.piano_detail, name="piano_detail"),
    path("regioni/<int:pk>/", views.regione_detail, name="regione_detail"),
    path("contesto/", views.contesto_switch, name="contesto_switch"),
    path("accessibilita/", views.accessibilita, name="accessibilita"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("pianizona.urls_workflow")),
    path("", include("pianizona.urls_confronto")),
    path("", include("pianizona.urls_commenti")),
    path("", include("pianizona.urls_cronologia")),
    path("", include("pianizona.urls_panoramica")),
    path("", include("pianizona.urls_jobs")),
    path("api/v1/", include("pianizona.api.urls")),
    path("", include("pianizona.api.urls_dati_aperti")),
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
