"""The client's address as the trusted reverse proxies report it: the one every limiter keys on."""

from allauth import app_settings as allauth_settings
from allauth.core.internal.httpkit import clean_client_ip
from allauth.core.internal.ratelimit import truncate_ip
from django.http import HttpRequest

SCONOSCIUTO = "sconosciuto"


def indirizzo_client(request: HttpRequest) -> str:
    """Who sent the request: REMOTE_ADDR, or what the trusted proxies in front of us say.

    Behind ``PIANIZONA_PROXY_FIDATI`` = n proxies (allauth's ``TRUSTED_PROXY_COUNT``), each
    appends to X-Forwarded-For the address it was reached from: the n-th entry from the right is
    the client, anything left of it was written by the client itself and is ignored. With
    ``PIANIZONA_IP_CLIENTE_INTESTAZIONE`` set, that header alone is read. A request that took
    fewer hops (a probe by IP, a misconfigured proxy) keeps REMOTE_ADDR, never a 500.
    """
    dichiarato = None
    intestazione = allauth_settings.TRUSTED_CLIENT_IP_HEADER
    if intestazione:
        dichiarato = request.headers.get(intestazione)
    else:
        fidati = allauth_settings.TRUSTED_PROXY_COUNT
        catena = request.headers.get("x-forwarded-for", "").split(",")
        if fidati > 0 and len(catena) >= fidati and catena[-fidati].strip():
            dichiarato = catena[-fidati]
    ip = (dichiarato and clean_client_ip(dichiarato)) or clean_client_ip(
        request.META.get("REMOTE_ADDR") or ""
    )
    return ip or SCONOSCIUTO


def rete_client(request: HttpRequest) -> str:
    """The client's address as limiters count it: an IPv6 client by its /64, like allauth's."""
    return truncate_ip(indirizzo_client(request))
