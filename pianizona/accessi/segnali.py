"""The security notice allauth does not send itself: a recovery code used in place of TOTP."""

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_used
from django.dispatch import receiver


@receiver(authenticator_used, dispatch_uid="pianizona.codice_di_recupero_usato")
def avvisa_codice_di_recupero_usato(sender, request, user, authenticator, **kwargs) -> None:
    # A recovery code is used when the phone is lost, or by someone who found the codes.
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        return
    # The signal carries the row as read before the code was marked used: read it again.
    rimasti = len(Authenticator.objects.get(pk=authenticator.pk).wrap().get_unused_codes())
    get_adapter(request).send_notification_mail(
        "mfa/email/recovery_code_used", user, {"rimasti": rimasti}
    )
