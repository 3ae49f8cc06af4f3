"""URL routes of monitoraggio: fondi."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
