"""Requests per minute per caller, counted in the shared cache (Redis in production)."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from .autenticazione import e_chiave

FINESTRA = 60  # seconds


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
            return True  # refused by the permission check anyway
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
            self.attesa = (finestra + 1) * FINESTRA - adesso
            return False
        return True

    def wait(self) -> float | None:
        return self.attesa
