"""The access wing's background work: the invitation e-mail."""

from celery import shared_task

from pianizona.models import User

from .inviti import user_send_invitation

# Named as before the core was split into wings: messages already queued keep their task.


@shared_task(
    name="pianizona.tasks.invia_invito", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def invia_invito(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return  # deactivated or deleted meanwhile: nothing to send
    user_send_invitation(user=user)
