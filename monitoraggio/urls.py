from . import urls_cruscotti, urls_fondi, urls_indicatori

app_name = "monitoraggio"

urlpatterns = [
    *urls_fondi.urlpatterns,
    *urls_indicatori.urlpatterns,
    *urls_cruscotti.urlpatterns,
]
