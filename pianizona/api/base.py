"""What every API view shares: the call log, strict ids, the scope of the caller."""

import logging
import time
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import viewsets
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from pianizona.accessi.tenancy import piani_for_user, regioni_for_user
from pianizona.models import ChiamataApi, ChiaveApi, Ciclo, Piano, Regione

from .autenticazione import e_chiave
from .limiti import limita_anonimi

logger = logging.getLogger(__name__)

# The key's last call is written at most once a minute: one INSERT per call, rarely an UPDATE.
AGGIORNA_ULTIMA_CHIAMATA = timedelta(minutes=1)


def registra_chiamata(request, stato: int, inizio: float) -> None:
    """One row per identified call (key or user, method, path, status, duration); never fails it.

    A call without valid credentials writes nothing: anyone could fill the table with them. It
    is limited by address instead (limiti.limita_anonimi).
    """
    user = getattr(request, "_user", None)
    chiave = user.chiave if e_chiave(user) else None
    utente = user if chiave is None and user is not None and user.is_authenticated else None
    if chiave is None and utente is None:
        return
    adesso = timezone.now()
    try:
        ChiamataApi.objects.create(
            chiave=chiave,
            utente=utente,
            metodo=request.method[:10],
            percorso=request.get_full_path()[:500],
            stato=stato,
            durata_ms=int((time.monotonic() - inizio) * 1000),
            eseguita_il=adesso,
        )
        ultima = chiave.ultima_chiamata_il if chiave else None
        if chiave is not None and (ultima is None or adesso - ultima > AGGIORNA_ULTIMA_CHIAMATA):
            ChiaveApi.objects.filter(pk=chiave.pk).update(ultima_chiamata_il=adesso)
    except DatabaseError:
        logger.exception("Chiamata API non registrata: %s %s", request.method, request.path)


class RegistraChiamate:
    """Mixed into every API view: the identified call is logged whatever its outcome, errors
    included; a call without valid credentials is limited by address."""

    def initial(self, request, *args, **kwargs):
        # DRF checks credentials and permissions before its throttles: a refused caller never
        # reaches them, so the anonymous budget is counted here, whatever the outcome.
        try:
            super().initial(request, *args, **kwargs)
        except APIException:
            limita_anonimi(request)
            raise
        limita_anonimi(request)

    def dispatch(self, request, *args, **kwargs):
        inizio = time.monotonic()
        response = super().dispatch(request, *args, **kwargs)
        registra_chiamata(self.request, response.status_code, inizio)
        return response


class VistaApi(RegistraChiamate, viewsets.ReadOnlyModelViewSet):
    """A read-only resource: list (paginated, filtered) and detail by numeric id."""

    # An id in a path is an int (path converter): "abc" or "1.5" fall to NonTrovato, a JSON 404.
    lookup_value_converter = "int"


class NonTrovato(RegistraChiamate, APIView):
    """Any other path under /api/v1/: a JSON 404 (a malformed id lands here too)."""

    permission_classes = [AllowAny]
    throttle_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()


def vede_bozze(user) -> bool:
    """Signed-in users see their ambiti's drafts; keys see approved plans only."""
    return not e_chiave(user) and user.is_authenticated


def piani_visibili(user) -> QuerySet[Piano]:
    """The plans the caller may read through the API: the one filter every plan-based endpoint uses."""
    piani = piani_for_user(user)
    return piani if vede_bozze(user) else piani.filter(stato=Piano.Stato.APPROVATO)


def regioni_visibili(user) -> QuerySet[Regione]:
    return regioni_for_user(user)


def cicli_visibili(user) -> QuerySet[Ciclo]:
    return Ciclo.objects.filter(regione__in=regioni_for_user(user).values("pk"))
