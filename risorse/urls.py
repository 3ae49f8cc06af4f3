from . import urls_piano, urls_regione

app_name = "risorse"

# Region pages under /cicli/<ciclo>/, district pages under /piani/<piano>/risorse/.
urlpatterns = [*urls_regione.urlpatterns, *urls_piano.urlpatterns]
