"""Requests per minute per caller, counted in the shared cache (Redis in production).

A key and a signed-in user each have their budget; a caller without valid credentials (none, an
unknown or revoked key) is counted by client address, as the trusted proxies report it.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from pianizona.accessi.rete import rete_client

from .autenticazione import e_chiave

FINESTRA = 60  # seconds


def _conta(chi: str, limite: int) -> float | None:
    """One more call of ``chi`` in the current one-minute window: the seconds to wait once over."""
    adesso = time.time()
    finestra = int(adesso // FINESTRA)
    chiave_cache = f"pianizona-api:{chi}:{finestra}"
    cache.add(chiave_cache, 0, timeout=FINESTRA + 5)
    try:
        chiamate = cache.incr(chiave_cache)
    except ValueError:  # expired between add and incr
        cache.set(chiave_cache, 1, timeout=FINESTRA + 5)
        chiamate = 1
    if chiamate > limite:
        return (finestra + 1) * FINESTRA - adesso
    return None


class LimitePerChiamante(BaseThrottle):
    """A fixed one-minute window: a key's own limit, the configured one for session users."""

    def __init__(self) -> None:
        self.attesa: float | None = None

    def allow_request(self, request, view) -> bool:
        user = request.user
        if e_chiave(user):
            chi, limite = f"chiave:{user.chiave.pk}", user.chiave.limite_al_minuto
        elif user.is_authenticated:
            chi, limite = f"utente:{user.pk}", settings.PIANIZONA_API_LIMITE_SESSIONE
        else:
            return True  # counted by address in limita_anonimi, before the permission check
        self.attesa = _conta(chi, limite)
        return self.attesa is None

    def wait(self) -> float | None:
        return self.attesa


def limita_anonimi(request) -> None:
    """A call without valid credentials counts against its address: over the limit it is a 429."""
    if request.user.is_authenticated:
        return
    attesa = _conta(f"indirizzo:{rete_client(request)}", settings.PIANIZONA_API_LIMITE_ANONIMI)
    if attesa is not None:
        raise Throttled(wait=attesa)
