"""Who may see, upload to, delete and download archive documents: tenancy's rules applied to them.

- An ambito's document: seen by the ambito's users, the region's officer and the administrator;
  uploaded and versioned by the ambito's operators and managers (MODIFICARE) and by the officer
  (CONFIGURARE); deleted only by the ambito's manager (INVIARE) or the officer.
- A regional document (no ambito): seen by every user of the region's ambiti; uploaded, versioned
  and deleted by the officer.
- A deleted document stays listed in the history; its files are downloadable only by the Region's
  officer, who may need them as evidence — for everyone else they are gone.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from pianizona.accessi.tenancy import Azione, accessi_for_user, can
from pianizona.models import Ambito, Regione, User

from .models import Documento, VersioneDocumento


def documenti_visibili(user: User) -> QuerySet[Documento]:
    """Every document ``user`` may see, deleted ones included."""
    accessi = accessi_for_user(user)
    documenti = Documento.objects.all()
    if not user.is_authenticated:
        return documenti.none()
    if accessi.amministratore:
        return documenti
    regioni_degli_ambiti = {m.ambito.regione_id for m in accessi.memberships if m.ambito_id}
    return documenti.filter(
        Q(ambito_id__in=list(accessi.ruoli_ambito))
        | Q(regione_id__in=list(accessi.regioni_funzionario))
        | Q(ambito__isnull=True, regione_id__in=list(regioni_degli_ambiti))
    )


def _gestisce_regione(user: User, regione: Regione | int) -> bool:
    regione_id = regione if isinstance(regione, int) else regione.pk
    return regione_id in accessi_for_user(user).regioni_funzionario


def puo_caricare_in_ambito(user: User, ambito: Ambito) -> bool:
    return can(user, Azione.MODIFICARE, ambito) or _gestisce_regione(user, ambito.regione_id)


def puo_caricare_in_regione(user: User, regione: Regione) -> bool:
    return _gestisce_regione(user, regione)


def puo_aggiungere_versione(user: User, documento: Documento) -> bool:
    if documento.eliminato:
        return False
    if documento.regionale:
        return _gestisce_regione(user, documento.regione_id)
    return puo_caricare_in_ambito(user, documento.ambito)


def puo_eliminare(user: User, documento: Documento) -> bool:
    if documento.eliminato:
        return False
    if documento.regionale:
        return _gestisce_regione(user, documento.regione_id)
    return can(user, Azione.INVIARE, documento.ambito) or _gestisce_regione(
        user, documento.regione_id
    )


def puo_scaricare(user: User, documento: Documento) -> bool:
    """For a document the user already sees: live ones for all, deleted ones for the Region."""
    return not documento.eliminato or _gestisce_regione(user, documento.regione_id)


def get_documento_for_user(user: User, pk: int) -> Documento:
    try:
        return (
            documenti_visibili(user)
            .select_related(
                "ambito__regione", "regione", "piano__ciclo", "creato_da", "eliminato_da"
            )
            .get(pk=pk)
        )
    except Documento.DoesNotExist as exc:
        raise Http404("Documento non trovato.") from exc


def get_versione_for_user(user: User, pk: int) -> VersioneDocumento:
    try:
        return VersioneDocumento.objects.select_related(
            "documento__ambito", "documento__regione"
        ).get(pk=pk, documento__in=documenti_visibili(user))
    except VersioneDocumento.DoesNotExist as exc:
        raise Http404("File non trovato.") from exc
