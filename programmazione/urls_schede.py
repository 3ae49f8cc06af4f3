"""URL patterns of the schede pages."""

urlpatterns: list = []
