"""Monitoring in the Django admin: read-only, because every change goes through the services."""

from django.contrib import admin  # noqa: F401

from pianizona.admin import SolaLetturaAdmin  # noqa: F401
