"""The archive in the Django admin."""

from django.contrib import admin  # noqa: F401
