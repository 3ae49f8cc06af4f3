"""The Region's pages of the preliminary phase, per cycle."""

urlpatterns: list = []
