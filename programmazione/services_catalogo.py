"""Writes of the Region's catalogue of interventions (per cycle)."""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from pianizona.dominio import ErroreDominio
from pianizona.models import Ciclo

from .models import SchedaIntervento, VoceCatalogo


class VoceNonValida(ErroreDominio):
    """A rule on one field of the entry: ``campo`` lets the form show it beside that field."""

    def __init__(self, messaggio: str, campo: str | None = None):
        super().__init__(messaggio)
        self.campo = campo


def _codice_duplicato(ciclo: Ciclo, codice: str) -> VoceNonValida:
    return VoceNonValida(
        f"Esiste già una voce con il codice «{codice}» nel catalogo del ciclo {ciclo.periodo}.",
        campo="codice",
    )


@transaction.atomic
def voce_salva(*, ciclo: Ciclo, voce: VoceCatalogo) -> VoceCatalogo:
    """Create or update an entry of ``ciclo``'s catalogue (the instance comes from a validated form)."""
    if voce.pk and voce.ciclo_id != ciclo.pk:
        raise ErroreDominio("La voce non appartiene al catalogo di questo ciclo.")
    voce.ciclo = ciclo
    voce.codice = (voce.codice or "").strip()
    if not voce.codice:
        raise VoceNonValida("Indicare il codice della voce.", campo="codice")
    if not (voce.in_ambito or voce.in_comunale or voce.in_altre_risorse):
        raise VoceNonValida(
            "Scegliere almeno una sezione del piano in cui la voce può essere usata.",
            campo="sezioni",
        )
    if VoceCatalogo.objects.filter(ciclo=ciclo, codice=voce.codice).exclude(pk=voce.pk).exists():
        raise _codice_duplicato(ciclo, voce.codice)
    try:
        with transaction.atomic():  # a savepoint: the outer transaction survives a lost race
            voce.save()
    except IntegrityError as exc:  # another request saved the same code in between
        raise _codice_duplicato(ciclo, voce.codice) from exc
    return voce


def _uso(voce: VoceCatalogo) -> str:
    """``3 schede dei piani di BA01, BA02``: who uses the entry, for the refusal message."""
    schede = SchedaIntervento.objects.filter(voce=voce)
    numero = schede.count()
    ambiti = sorted(set(schede.values_list("piano__ambito__codice", flat=True)))
    chi = ", ".join(ambiti[:10]) + (f" e altri {len(ambiti) - 10}" if len(ambiti) > 10 else "")
    return f"{numero} sched{'a' if numero == 1 else 'e'} dei piani di {chi}"


@transaction.atomic
def voce_elimina(*, voce: VoceCatalogo) -> None:
    """Delete an entry no sheet uses; a used one is refused, saying how many sheets hold it."""
    voce = VoceCatalogo.objects.select_for_update().get(pk=voce.pk)
    messaggio = (
        "La voce {codice} «{nome}» è usata da {uso}: non si può eliminare finché quelle "
        "schede la usano."
    )
    if SchedaIntervento.objects.filter(voce=voce).exists():
        raise ErroreDominio(messaggio.format(codice=voce.codice, nome=voce.nome, uso=_uso(voce)))
    try:
        with transaction.atomic():
            voce.delete()
    except ProtectedError as exc:  # a sheet was created meanwhile
        raise ErroreDominio(
            messaggio.format(codice=voce.codice, nome=voce.nome, uso=_uso(voce))
        ) from exc


def catalogo_copia(*, ciclo: Ciclo, origine: Ciclo | None) -> list[str]:
    """A new cycle starts from ``origine``'s catalogue; entries it already has keep theirs.

    Called by the core inside the opening transaction of ``ciclo``.
    """
    if origine is None:
        return []
    voci = list(VoceCatalogo.objects.filter(ciclo=origine).order_by("codice"))
    for voce in voci:
        voce.pk = None  # a copy: the origin's entries stay with the origin
        voce.ciclo = ciclo
    VoceCatalogo.objects.bulk_create(voci, ignore_conflicts=True)
    return [
        f"Dal ciclo «{origine.nome}» copiate le voci del catalogo degli interventi: {len(voci)}."
    ]
