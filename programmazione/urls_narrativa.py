"""URL patterns of the narrativa pages."""

urlpatterns: list = []
