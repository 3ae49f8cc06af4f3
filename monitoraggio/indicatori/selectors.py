"""What the indicator pages read, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.numberformat import format as number_format

from pianizona.models import Ambito, Ciclo, Regione
from pianizona.money import format_euro, format_percentuale

from ..models import Indicatore, StoricoValoreIndicatore, ValoreIndicatore
from .formule import Dati
from .medie import MediaRegionale, medie_regionali


def formatta(valore: Decimal | None, unita: str) -> str:
    """A value as the pages show it, in its unit: ``12,35 €``, ``48,20%``, ``1.250``."""
    if valore is None:
        return ""
    if unita == Indicatore.Unita.EURO:
        return format_euro(valore)
    if unita == Indicatore.Unita.EURO_ABITANTE:
        return f"{format_euro(valore)} per abitante"
    if unita == Indicatore.Unita.PERCENTUALE:
        return format_percentuale(valore)
    intero = valore == valore.to_integral_value()
    return number_format(
        valore,
        decimal_sep=",",
        decimal_pos=0 if intero else 2,
        grouping=3,
        thousand_sep=".",
        force_grouping=True,
    )


def raggiunto(indicatore: Indicatore, valore: Decimal | None) -> bool | None:
    """Whether a value meets the target, read in the indicator's direction; None without either."""
    if valore is None or indicatore.target is None:
        return None
    if indicatore.direzione == Indicatore.Direzione.DECRESCENTE:
        return valore <= indicatore.target
    return valore >= indicatore.target


@dataclass(frozen=True)
class Cella:
    anno: int
    valore: Decimal | None
    testo: str
    nota: str
    raggiunto: bool | None
    media: str  # the regional figure (medie.py), formatted
    media_modo: str  # medie.COMPLESSIVA or medie.MEDIA: which figure it is
    media_ambiti: str  # «10 ambiti territoriali sociali su 45»: how many it counts
    aggiornato_il: datetime | None


@dataclass(frozen=True)
class RigaIndicatore:
    indicatore: Indicatore
    target: str
    celle: list[Cella]


def cicli_della_regione(regione: Regione) -> list[Ciclo]:
    return list(Ciclo.objects.filter(regione=regione).order_by("-anno_inizio"))


def scegli_ciclo(cicli: list[Ciclo], scelta: str) -> Ciclo | None:
    """The cycle named by ``?ciclo=``, else the latest one."""
    for ciclo in cicli:
        if str(ciclo.pk) == scelta:
            return ciclo
    return cicli[0] if cicli else None


def _righe(
    indicatori: list[Indicatore],
    anni: list[int],
    valori: dict[tuple[int, int], ValoreIndicatore],
    medie: dict[tuple[int, int], MediaRegionale],
    regione: Regione | None = None,
) -> list[RigaIndicatore]:
    righe = []
    for indicatore in indicatori:
        celle = []
        for anno in anni:
            valore = valori.get((indicatore.pk, anno))
            numero = valore.valore if valore else None
            media = medie.get((indicatore.pk, anno))
            con_media = media is not None and media.valore is not None
            celle.append(
                Cella(
                    anno=anno,
                    valore=numero,
                    testo=formatta(numero, indicatore.unita),
                    nota=valore.nota if valore else "",
                    raggiunto=raggiunto(indicatore, numero),
                    media=formatta(media.valore, indicatore.unita) if con_media else "",
                    media_modo=media.modo if con_media else "",
                    media_ambiti=media.ambiti(regione) if con_media and regione else "",
                    aggiornato_il=valore.aggiornato_il if valore else None,
                )
            )
        righe.append(
            RigaIndicatore(indicatore, formatta(indicatore.target, indicatore.unita), celle)
        )
    return righe


def indicatori_dell_ambito(ambito: Ambito, anni: list[int]) -> list[RigaIndicatore]:
    """Every active ambito-level indicator × year: value, target met, regional average."""
    indicatori = list(
        Indicatore.objects.filter(
            regione_id=ambito.regione_id, livello=Indicatore.Livello.AMBITO, attivo=True
        ).order_by("ordine", "codice")
    )
    valori = {
        (v.indicatore_id, v.anno): v
        for v in ValoreIndicatore.objects.filter(
            ambito=ambito, anno__in=anni, indicatore__in=[i.pk for i in indicatori]
        )
    }
    medie = medie_regionali(Dati(ambito.regione, anni), indicatori)
    return _righe(indicatori, anni, valori, medie, ambito.regione)


def catalogo_della_regione(regione: Regione) -> list[Indicatore]:
    return list(
        Indicatore.objects.filter(regione=regione)
        .select_related("area_utenza")
        .order_by("ordine", "codice")
    )


def valori_regionali(catalogo: list[Indicatore], anni: list[int]) -> list[RigaIndicatore]:
    """The region-level indicators of a catalogue already read, with their values for ``anni``."""
    regionali = [i for i in catalogo if i.livello == Indicatore.Livello.REGIONALE and i.attivo]
    valori = {
        (v.indicatore_id, v.anno): v
        for v in ValoreIndicatore.objects.filter(
            indicatore__in=[i.pk for i in regionali], ambito__isnull=True, anno__in=anni
        )
    }
    return _righe(regionali, anni, valori, {})


def storico_del_valore(
    indicatore: Indicatore, ambito: Ambito
) -> list[tuple[StoricoValoreIndicatore, str]]:
    """Every recorded value, newest year and newest record first, with its formatted value."""
    righe = (
        StoricoValoreIndicatore.objects.filter(indicatore=indicatore, ambito=ambito)
        .select_related("utente")
        .order_by("-anno", "-registrato_il", "-pk")
    )
    return [(riga, formatta(riga.valore, indicatore.unita)) for riga in righe]
