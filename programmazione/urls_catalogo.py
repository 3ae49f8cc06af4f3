"""URL patterns of the catalogo pages."""

urlpatterns: list = []
