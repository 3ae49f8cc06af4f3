from . import urls_catalogo, urls_narrativa, urls_pdf, urls_schede

app_name = "programmazione"

# The Region's catalogue under /cicli/<ciclo>/catalogo/, the district's sheets and narrative
# under /piani/<piano>/.
urlpatterns = [
    *urls_catalogo.urlpatterns,
    *urls_schede.urlpatterns,
    *urls_narrativa.urlpatterns,
    *urls_pdf.urlpatterns,
]
