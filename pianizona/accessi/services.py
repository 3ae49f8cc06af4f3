"""Writes of access: accounts and their invitations."""

from django.db import transaction

from .tasks import invia_invito


def users_invite(*, user_ids: list[int]) -> None:
    """Queue one invitation per user, sent by the worker once this transaction commits."""
    for user_id in user_ids:
        transaction.on_commit(lambda uid=user_id: invia_invito.delay(uid))
