"""The invitation e-mail: how an administrator opens an account (the user chooses the password)."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from pianizona.models import User


def invitation_url(user: User) -> str:
    """A single-use link where the user sets their own password (allauth's reset-from-key page)."""
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return f"{settings.SITE_URL}{path}"


def user_send_invitation(*, user: User) -> None:
    """E-mail a user the link to choose a password: how administrators open accounts."""
    context = {
        "user": user,
        "url": invitation_url(user),
        "site_url": settings.SITE_URL,
        "ruoli": list(user.memberships.select_related("ambito", "regione")),
    }
    send_mail(
        subject="[Piani di Zona] Invito ad accedere alla piattaforma",
        message=render_to_string("pianizona/email/invito.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
