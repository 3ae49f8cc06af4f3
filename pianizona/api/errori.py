"""Every API error as JSON ``{"errore": "<Italian message>", "dettagli": ...}``, never an HTML page."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from pianizona.testo import plurale

logger = logging.getLogger(__name__)


class ParametriNonValidi(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Parametri non validi."


def _messaggio(exc: exceptions.APIException) -> tuple[str, object]:
    if isinstance(exc, ParametriNonValidi):
        return str(exc.detail.get("errore", ParametriNonValidi.default_detail)), exc.detail.get(
            "dettagli"
        )
    if isinstance(exc, exceptions.NotAuthenticated):
        return (
            "Autenticazione richiesta: inviare una chiave API "
            "(Authorization: Bearer <chiave> o X-API-Key) o accedere al sito.",
            None,
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        return str(exc.detail), None
    if isinstance(exc, exceptions.PermissionDenied):
        return "Operazione non consentita.", None
    if isinstance(exc, exceptions.NotFound):
        return "Risorsa non trovata.", None
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "Metodo non consentito: l'API è in sola lettura.", None
    if isinstance(exc, exceptions.NotAcceptable):
        return "Formato non disponibile: l'API risponde solo in JSON.", None
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "Tipo di contenuto non supportato.", None
    if isinstance(exc, exceptions.Throttled):
        secondi = int(exc.wait or 0) + 1
        return (
            "Troppe richieste: limite al minuto superato, riprovare tra "
            f"{plurale(secondi, 'secondo', 'secondi')}.",
            {"attesa_secondi": secondi},
        )
    if isinstance(exc, exceptions.ValidationError):
        return "Parametri non validi.", exc.detail
    return str(exc.detail), None


def gestore_eccezioni(exc: Exception, context: dict) -> Response:
    """DRF's handler, reshaped; anything unexpected is logged and answered with a JSON 500."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("Errore inatteso nell'API", exc_info=exc)
        return Response(
            {"errore": "Errore interno: la richiesta non è stata completata.", "dettagli": None},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    errore, dettagli = _messaggio(exc)
    response.data = {"errore": errore, "dettagli": dettagli}
    return response
