"""Writes of the Region's own settings."""

from django.db import transaction

from pianizona.dominio import ErroreDominio
from pianizona.models import Regione


@transaction.atomic
def regione_imposta_denominazioni(
    *, regione: Regione, denominazione_ambiti: str, organo_approvazione: str
) -> Regione:
    """How the Region names its districts and the body that approves a plan locally."""
    if denominazione_ambiti not in Regione.DenominazioneAmbiti.values:
        raise ErroreDominio(f"Denominazione dei distretti non prevista: «{denominazione_ambiti}».")
    if organo_approvazione not in Regione.OrganoApprovazione.values:
        raise ErroreDominio(f"Organo di approvazione non previsto: «{organo_approvazione}».")
    regione = Regione.objects.select_for_update().get(pk=regione.pk)
    regione.denominazione_ambiti = denominazione_ambiti
    regione.organo_approvazione = organo_approvazione
    regione.save(update_fields=["denominazione_ambiti", "organo_approvazione"])
    return regione
