from . import urls_adesioni, urls_documenti

app_name = "archivio"

urlpatterns = [
    *urls_documenti.urlpatterns,
    *urls_adesioni.urlpatterns,
]
