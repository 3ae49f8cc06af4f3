"""Reads of the jobs: who may open which (the rule is in ``pianizona.lavori.services``)."""

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from pianizona.accessi.tenancy import accessi_for_user, regioni_for_user
from pianizona.models import Job


def jobs_for_user(user) -> QuerySet[Job]:
    """The jobs a user may open (see the module's docstring for the rule)."""
    if not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    filtro_piano = accessi_for_user(user).filtro_ambito("piano__ambito")
    if filtro_piano is None:  # administrators look at everything
        return Job.objects.all()
    propri = Q(utente=user, piano__isnull=True) & (
        Q(ciclo__isnull=True) | Q(ciclo__regione__in=regioni_for_user(user))
    )
    return Job.objects.filter((Q(piano__isnull=False) & filtro_piano) | propri)


def get_job_for_user(user, pk: uuid.UUID) -> Job:
    try:
        return (
            jobs_for_user(user)
            .select_related("utente", "piano__ambito", "piano__ciclo", "ciclo")
            .get(pk=pk)
        )
    except Job.DoesNotExist as exc:
        raise Http404("Lavoro non trovato.") from exc


def jobs_dell_utente(user) -> QuerySet[Job]:
    """The user's own jobs, newest first, with what the list shows."""
    return (
        jobs_for_user(user)
        .filter(utente=user)
        .select_related("piano__ambito", "piano__ciclo", "ciclo")
        .order_by("-creato_il", "pk")
    )
