from celery import shared_task

from .models import User
from .services import user_send_invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invia_invito(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return  # deactivated or deleted meanwhile: nothing to send
    user_send_invitation(user=user)
