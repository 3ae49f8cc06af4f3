"""Filters of the API: typed, bounded, and strict (an unknown query parameter is a 400)."""

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.drainage import set_override

from pianizona.models import Piano

from .errori import ParametriNonValidi

ID_MASSIMO = 2**53  # ids are bigints; JSON clients read numbers safely up to 2^53


class CampoId(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MASSIMO)
        super().__init__(*args, **kwargs)


class CampoAnno(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, **kwargs)


class Tipizzato:
    """A filter with a fixed OpenAPI schema that still carries its own ``help_text``.

    drf-spectacular drops the description of a filter whose schema is overridden at class level,
    so the override is set per instance, with the description in it.
    """

    schema: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        descrizione = self.extra.get("help_text")
        set_override(
            self,
            "field",
            {**self.schema, "description": descrizione} if descrizione else self.schema,
        )


class FiltroId(Tipizzato, django_filters.NumberFilter):
    """An object's id: a positive integer, validated before it reaches the database."""

    field_class = CampoId
    schema = {"type": "integer", "minimum": 1, "maximum": ID_MASSIMO}


class FiltroAnno(Tipizzato, django_filters.NumberFilter):
    field_class = CampoAnno
    schema = {"type": "integer", "minimum": 1900, "maximum": 2200}


class FiltroCodice(Tipizzato, django_filters.CharFilter):
    """A reference code (FNPS, BA01, …), matched exactly."""

    schema = {"type": "string", "maxLength": 30}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)


def filtro_stato_piano(field_name: str = "stato", **kwargs) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(field_name=field_name, choices=Piano.Stato.choices, **kwargs)


PARAMETRI_PAGINAZIONE = frozenset({"page", "page_size"})


def parametri_consentiti(view) -> frozenset[str]:
    """The query parameters an action understands: its filters, and paging on lists."""
    if getattr(view, "action", None) != "list":
        return frozenset()
    filterset = getattr(view, "filterset_class", None)
    filtri = frozenset(filterset.base_filters) if filterset else frozenset()
    return filtri | PARAMETRI_PAGINAZIONE


def verifica_parametri(request, view) -> None:
    consentiti = parametri_consentiti(view)
    sconosciuti = sorted(set(request.query_params) - consentiti)
    if sconosciuti:
        elenco = ", ".join(sorted(consentiti)) or "nessuno"
        raise ParametriNonValidi(
            {
                "errore": f"Parametri non riconosciuti: {', '.join(sconosciuti)}. "
                f"Parametri consentiti: {elenco}.",
                "dettagli": {
                    "parametri_sconosciuti": sconosciuti,
                    "parametri_consentiti": sorted(consentiti),
                },
            }
        )


class FiltriRigorosi(DjangoFilterBackend):
    """django-filter behind a check of the parameter names: a typo is a 400, not ignored."""

    def filter_queryset(self, request, queryset, view):
        verifica_parametri(request, view)
        return super().filter_queryset(request, queryset, view)
