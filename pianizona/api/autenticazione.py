"""Who calls the API: an external system with a key, or a signed-in user with the session."""

from dataclasses import dataclass, field

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from pianizona.accessi.tenancy import _CACHE_ATTR, Accessi, accessi_per_chiave
from pianizona.models import ChiaveApi
from pianizona.models.api import impronta_token

LUNGHEZZA_MASSIMA = 200  # a real token is 46 characters: longer input is refused before hashing


@dataclass(eq=False)
class UtenteChiave:
    """The principal of a key's request: reads like a user for the tenancy helpers, VEDERE only."""

    chiave: ChiaveApi
    accessi: Accessi = field(repr=False)
    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    is_staff = False
    pk = None

    def __post_init__(self) -> None:
        # accessi_for_user reads this attribute first: the key's scope is the user's memberships.
        setattr(self, _CACHE_ATTR, self.accessi)

    def __str__(self) -> str:
        return f"chiave {self.chiave.prefisso}… ({self.chiave.nome})"


def e_chiave(user) -> bool:
    return isinstance(user, UtenteChiave)


def token_della_richiesta(request) -> str | None:
    """``X-API-Key: <key>`` or ``Authorization: Bearer <key>``; None when neither is sent."""
    token = request.META.get("HTTP_X_API_KEY")
    if token is None:
        schema, _, valore = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if schema.lower() != "bearer":
            return None
        token = valore
    return token.strip()


class ChiaveApiAuthentication(BaseAuthentication):
    """A key sent in a header: an unknown or revoked key is a 401, never a fallback to the session."""

    def authenticate(self, request):
        token = token_della_richiesta(request)
        if token is None:
            return None
        if not token or len(token) > LUNGHEZZA_MASSIMA:
            raise AuthenticationFailed("Chiave API non valida.")
        chiave = ChiaveApi.objects.filter(impronta=impronta_token(token)).first()
        if chiave is None:
            raise AuthenticationFailed("Chiave API non valida.")
        if not chiave.attiva:
            revocata = timezone.localtime(chiave.revocata_il).strftime("%d/%m/%Y %H:%M")
            raise AuthenticationFailed(f"Chiave API revocata il {revocata}.")
        ambiti = list(chiave.ambiti.values_list("pk", flat=True))
        regioni = [chiave.regione_id] if chiave.regione_id else []
        return UtenteChiave(chiave, accessi_per_chiave(regioni, ambiti)), chiave

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ChiaveApiSchema(OpenApiAuthenticationExtension):
    target_class = "pianizona.api.autenticazione.ChiaveApiAuthentication"
    name = "chiaveBearer"  # X-API-Key, the same key in another header: see SPECTACULAR_SETTINGS

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <chiave>"}
