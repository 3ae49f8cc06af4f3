"""The district's pages of the preliminary phase, per plan."""

urlpatterns: list = []
