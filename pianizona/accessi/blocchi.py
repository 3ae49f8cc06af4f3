"""A progressive pause after repeated failures, per account and client address.

The login and the approval's identity confirmation share it. It keys on the account *and* the
address, so a stranger who knows an e-mail address pauses only their own attempts: the owner,
from anywhere else, still gets in. Each failure past the threshold doubles the pause, up to an
hour; a success from that address, or a day without failures, forgets them.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from allauth.core.internal.ratelimit import cache_lock
from django.core.cache import cache
from django.http import HttpRequest

from .rete import rete_client

SOGLIA = 5  # failures allowed before the first pause
PRIMA_PAUSA = 60  # seconds; it doubles with every further failure
PAUSA_MASSIMA = 3600
MEMORIA = 24 * 3600  # failures are forgotten after this long without another


@dataclass(frozen=True)
class Blocco:
    fallimenti: int
    libero_dal: float


def _chiave(request: HttpRequest, azione: str, identita: str) -> str:
    voce = f"{azione}\n{identita.strip().lower()}\n{rete_client(request)}"
    return "pianizona:blocco:" + hashlib.sha256(voce.encode()).hexdigest()


def _leggi(chiave: str) -> Blocco:
    return cache.get(chiave) or Blocco(fallimenti=0, libero_dal=0.0)


def attesa(request: HttpRequest, *, azione: str, identita: str) -> int:
    """Seconds before this address may try this account again; 0 when it may now."""
    resto = _leggi(_chiave(request, azione, identita)).libero_dal - time.time()
    return math.ceil(resto) if resto > 0 else 0


def registra_fallimento(request: HttpRequest, *, azione: str, identita: str) -> int:
    """Count one failure; returns the pause it imposes (0 while under the threshold)."""
    chiave = _chiave(request, azione, identita)
    with cache_lock(chiave):
        fallimenti = _leggi(chiave).fallimenti + 1
        pausa = 0
        if fallimenti >= SOGLIA:
            pausa = min(PRIMA_PAUSA * 2 ** min(fallimenti - SOGLIA, 12), PAUSA_MASSIMA)
        cache.set(chiave, Blocco(fallimenti, time.time() + pausa), timeout=MEMORIA + pausa)
    return pausa


def azzera(request: HttpRequest, *, azione: str, identita: str) -> None:
    cache.delete(_chiave(request, azione, identita))


def durata_leggibile(secondi: int) -> str:
    """«45 secondi», «1 minuto», «8 minuti»: how long the person has to wait, rounded up."""
    if secondi < 60:
        return f"{secondi} secondi" if secondi != 1 else "1 secondo"
    minuti = math.ceil(secondi / 60)
    return "1 minuto" if minuti == 1 else f"{minuti} minuti"
