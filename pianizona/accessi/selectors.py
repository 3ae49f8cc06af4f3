"""Reads about the signed-in user: their profile page."""

from dataclasses import dataclass
from datetime import datetime

from allauth.mfa.models import Authenticator

from pianizona.models import Membership, User

from .middleware import mfa_obbligatoria
from .tenancy import accessi_for_user


@dataclass(frozen=True)
class Profilo:
    user: User
    memberships: tuple[Membership, ...]  # every role, with its ambito (and Region) or Region
    ultimo_accesso: datetime | None
    secondo_fattore_attivo: bool
    secondo_fattore_obbligatorio: bool
    amministratore: bool


def profilo_utente(user: User) -> Profilo:
    """The user's account and roles: the memberships tenancy read already, and one query more."""
    accessi = accessi_for_user(user)
    return Profilo(
        user=user,
        memberships=accessi.memberships,
        ultimo_accesso=user.last_login,
        secondo_fattore_attivo=Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists(),
        secondo_fattore_obbligatorio=mfa_obbligatoria(user),
        amministratore=user.is_staff,
    )
