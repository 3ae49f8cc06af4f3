"""Three guards on the public adhesion form: a honeypot, a minimum filling time, a rate per address.

People never see the honeypot and take more than a few seconds to fill in a long form; bots fill
every field and post at once. The rate limit uses allauth's limiter (the one guarding the login),
so the client address is read the same way behind the same proxies.
"""

import time

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

SALE = "archivio.adesione"
# A form left open longer than this is stale: the visitor reloads it.
VALIDITA_MASSIMA = 24 * 3600


def gettone_inizio() -> str:
    """A signed timestamp for the form's hidden field, so the time it took can be checked."""
    return signing.dumps(time.time(), salt=SALE)


def compilato_da_persona(gettone: str) -> bool:
    try:
        inizio = float(signing.loads(gettone, salt=SALE, max_age=VALIDITA_MASSIMA))
    except (signing.BadSignature, TypeError, ValueError):
        return False
    return time.time() - inizio >= settings.ARCHIVIO_ADESIONE_SECONDI_MINIMI


def consuma_invio(request: HttpRequest) -> bool:
    """Count one submission from the request's address; False once the limit is reached."""
    uso = ratelimit.consume(
        request,
        app="archivio",
        action="adesione",
        config={"adesione": settings.ARCHIVIO_ADESIONI_LIMITE},
    )
    return uso is not None


def impronta_ip(request: HttpRequest) -> str:
    """A keyed hash of the client's address: lets abuse be spotted without storing the address."""
    return salted_hmac(SALE, ratelimit.get_ip(request), algorithm="sha256").hexdigest()
