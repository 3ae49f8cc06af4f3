"""Writes of access: accounts, the address an administrator vouches for, and invitations."""

from allauth.account.models import EmailAddress
from django.db import transaction

from pianizona.models import User

from .tasks import invia_invito


@transaction.atomic
def user_email_vouch(*, user: User) -> EmailAddress:
    """Record the account's e-mail as verified and primary: the administrator who set it vouches.

    Accounts are opened only by administrators (admin form, import, invitation), so the address
    they typed is the account's one and only: any other address left on the account, or the same
    address left on another account, stops reaching it. allauth refuses TOTP to an account with
    an unverified address; this is what lets a new officer enrol.
    """
    # A changed address: the old one must no longer log in nor receive a reset link.
    EmailAddress.objects.filter(user=user).exclude(email=user.email).delete()
    EmailAddress.objects.filter(email__iexact=user.email).exclude(user=user).delete()
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return address


@transaction.atomic
def users_invite(*, user_ids: list[int]) -> None:
    """Vouch for each active user's address and queue their invitation, sent after commit."""
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        user_email_vouch(user=user)
        transaction.on_commit(lambda uid=user.pk: invia_invito.delay(uid))
