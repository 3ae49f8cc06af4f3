"""The guards on the public adhesion form: a honeypot, a single-use start token, daily limits.

People never see the honeypot and take more than a few seconds to fill in a long form; bots fill
every field and post at once. The start token is signed, carries when the form was opened and a
random id, and is spent by the request it sends: a bot cannot replay one form a thousand times.
The limits count only requests that were accepted (per client address, per receiving e-mail
address, per ambito), so a flood of invalid posts never locks out the organisations that fill the
form in properly. They use allauth's limiter (the one guarding the login), so the client address
is read the same way behind the same proxies.
"""

import secrets
import time
from dataclasses import dataclass

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

SALE = "archivio.adesione"
# A form left open longer than this is stale: the visitor reloads it.
VALIDITA_MASSIMA = 24 * 3600


@dataclass(frozen=True)
class Gettone:
    inizio: float
    id: str

    @property
    def _chiave(self) -> str:
        return f"archivio:adesione:gettone:{self.id}"


def gettone_inizio() -> str:
    """A signed start time and a random id for the form's hidden field."""
    return signing.dumps({"t": time.time(), "id": secrets.token_urlsafe(16)}, salt=SALE)


def gettone_leggi(valore: str) -> Gettone | None:
    """The token if it is ours and not stale; None otherwise."""
    try:
        dati = signing.loads(valore, salt=SALE, max_age=VALIDITA_MASSIMA)
        return Gettone(inizio=float(dati["t"]), id=str(dati["id"]))
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None


def compilato_da_persona(gettone: Gettone | None) -> bool:
    return gettone is not None and (
        time.time() - gettone.inizio >= settings.ARCHIVIO_ADESIONE_SECONDI_MINIMI
    )


def gettone_usato(gettone: Gettone) -> bool:
    return cache.get(gettone._chiave) is not None


def gettone_spendi(gettone: Gettone) -> bool:
    """Mark the token used; False if another request spent it first (``add`` is atomic)."""
    return cache.add(gettone._chiave, 1, VALIDITA_MASSIMA + 60)


def gettone_restituisci(gettone: Gettone) -> None:
    """The request it was spent on was not accepted: the same form may be sent again."""
    cache.delete(gettone._chiave)


class LimiteRaggiunto(Exception):
    def __init__(self, messaggio: str) -> None:
        super().__init__(messaggio)
        self.messaggio = messaggio


LIMITE_IP = (
    "Da questo indirizzo di rete sono già state inviate troppe richieste: riprovare più tardi. "
    "Se il problema persiste, contattare l'Ufficio di Piano."
)
LIMITE_EMAIL = (
    "All'indirizzo e-mail indicato sono già state inviate oggi troppe ricevute: riprovare domani "
    "o indicare l'indirizzo di un'altra persona di riferimento."
)
LIMITE_AMBITO = (
    "L'ambito ha ricevuto oggi il numero massimo di richieste di adesione inviabili dal modulo: "
    "riprovare domani o contattare l'Ufficio di Piano."
)


def indirizzo_normalizzato(email: str) -> str:
    """One mailbox, one count: ``Mario.Rossi+1@Ente.it`` and ``mario.rossi@ente.it`` alike."""
    locale, _, dominio = email.strip().lower().rpartition("@")
    return f"{locale.split('+', 1)[0]}@{dominio}"


def _consuma(request: HttpRequest, azione: str, limite: str, chiave: str | None = None):
    return ratelimit.consume(
        request, app="archivio", action=azione, config={azione: limite}, key=chiave
    )


def limiti_consuma(request: HttpRequest, *, email: str, ambito_pk: int) -> ratelimit.RateLimitUsage:
    """Count one accepted request against every limit, or raise ``LimiteRaggiunto`` counting none.

    The caller rolls the returned usage back if the request is refused after all.
    """
    giornaliero = "{}/d/key"
    controlli = [
        ("adesione", settings.ARCHIVIO_ADESIONI_LIMITE, None, LIMITE_IP),
        (
            "adesione_email",
            giornaliero.format(settings.ARCHIVIO_ADESIONI_PER_EMAIL_AL_GIORNO),
            indirizzo_normalizzato(email),
            LIMITE_EMAIL,
        ),
        (
            "adesione_ambito",
            giornaliero.format(settings.ARCHIVIO_ADESIONI_PER_AMBITO_AL_GIORNO),
            str(ambito_pk),
            LIMITE_AMBITO,
        ),
    ]
    usi = ratelimit.RateLimitUsage(usage=[])
    for azione, limite, chiave, messaggio in controlli:
        uso = _consuma(request, azione, limite, chiave)
        if uso is None:
            usi.rollback()
            raise LimiteRaggiunto(messaggio)
        usi.usage.extend(uso.usage)
    return usi


def trattenere_file_consentito(request: HttpRequest) -> bool:
    """Keeping uploads across errors costs cache memory: a bounded number per address."""
    limite = settings.ARCHIVIO_ADESIONI_FILE_TRATTENUTI
    return _consuma(request, "adesione_file", limite) is not None


def impronta_ip(request: HttpRequest) -> str:
    """A keyed hash of the client's address: lets abuse be spotted without storing the address."""
    return salted_hmac(SALE, ratelimit.get_ip(request), algorithm="sha256").hexdigest()
