"""Reads of the archive, each in a fixed number of queries whatever the number of documents."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from pianizona.models import Ambito, Piano, Regione, Versione

from .models import Adesione, Documento, VersioneDocumento

# Documents listed per page: the archive of a busy ambito grows by dozens a year.
PER_PAGINA = 25


@dataclass(frozen=True)
class Filtri:
    categoria: str = ""
    anno: int | None = None
    testo: str = ""
    ambito: Ambito | None = None
    solo_regionali: bool = False
    eliminati: bool = False


def _con_ultima_versione(documenti: QuerySet[Documento]) -> QuerySet[Documento]:
    ultima = VersioneDocumento.objects.filter(documento=OuterRef("pk")).order_by("-numero")
    return documenti.select_related("ambito", "eliminato_da", "piano__ciclo").annotate(
        numero_versioni=Count("versioni"),
        ultima_versione_id=Subquery(ultima.values("pk")[:1]),
        ultima_versione_tipo=Subquery(ultima.values("tipo")[:1]),
        ultima_versione_dimensione=Subquery(ultima.values("dimensione")[:1]),
    )


def _filtra(documenti: QuerySet[Documento], filtri: Filtri) -> QuerySet[Documento]:
    documenti = documenti.filter(eliminato_il__isnull=not filtri.eliminati)
    if filtri.categoria:
        documenti = documenti.filter(categoria=filtri.categoria)
    if filtri.anno:
        documenti = documenti.filter(anno=filtri.anno)
    if filtri.solo_regionali:
        documenti = documenti.filter(ambito__isnull=True)
    elif filtri.ambito is not None:
        documenti = documenti.filter(ambito=filtri.ambito)
    for parola in filtri.testo.split()[:8]:
        documenti = documenti.filter(
            Q(titolo__icontains=parola)
            | Q(descrizione__icontains=parola)
            | Q(numero_protocollo__icontains=parola)
        )
    ordine = ("-eliminato_il", "-pk") if filtri.eliminati else ("-anno", "-creato_il", "-pk")
    return _con_ultima_versione(documenti).order_by(*ordine)


def documenti_dell_ambito(ambito: Ambito, filtri: Filtri) -> QuerySet[Documento]:
    """The ambito's own documents and the region's, which every ambito sees."""
    return _filtra(
        Documento.objects.filter(
            Q(ambito=ambito) | Q(ambito__isnull=True, regione_id=ambito.regione_id)
        ),
        filtri,
    )


def documenti_della_regione(regione: Regione, filtri: Filtri) -> QuerySet[Documento]:
    return _filtra(Documento.objects.filter(regione=regione), filtri)


def anni_dei_documenti(documenti: QuerySet[Documento]) -> list[int]:
    return sorted(set(documenti.values_list("anno", flat=True)), reverse=True)


def versioni_del_documento(documento: Documento) -> list[VersioneDocumento]:
    return list(documento.versioni.select_related("caricata_da").order_by("-numero"))


# --- adhesions ----------------------------------------------------------------------------------


def adesioni_dell_ambito(ambito: Ambito, stato: str) -> list[Adesione]:
    return list(
        Adesione.objects.filter(ambito=ambito, stato=stato)
        .select_related("decisa_da", "revocata_da")
        .prefetch_related("aree_intervento", "aree_utenza")
        .order_by("denominazione" if stato == Adesione.Stato.ACCETTATA else "-creata_il")
    )


def conteggio_adesioni(ambito: Ambito) -> dict[str, int]:
    righe = Adesione.objects.filter(ambito=ambito).values("stato").annotate(n=Count("pk"))
    conteggi = dict.fromkeys(Adesione.Stato.values, 0)
    conteggi.update({r["stato"]: r["n"] for r in righe})
    return conteggi


def aderenti_del_piano(piano: Piano, versione: Versione | None = None) -> list[Adesione]:
    """The organisations that joined the plan's ambito; for a frozen version, as of that day
    (accepted by then, and not yet revoked)."""
    aderenti = Adesione.objects.filter(ambito_id=piano.ambito_id)
    if versione is None:
        aderenti = aderenti.filter(stato=Adesione.Stato.ACCETTATA)
    else:
        aderenti = aderenti.filter(
            Q(stato=Adesione.Stato.ACCETTATA)
            | Q(stato=Adesione.Stato.REVOCATA, revocata_il__gt=versione.creata_il),
            decisa_il__lte=versione.creata_il,
        )
    return list(
        aderenti.prefetch_related("aree_intervento", "aree_utenza").order_by("denominazione")
    )


def ambiti_per_adesione() -> list[Ambito]:
    """Every ambito, by Region and name: each takes requests to join its Accordo at any time."""
    return list(
        Ambito.objects.select_related("regione").order_by("regione__nome", "codice", "nome")
    )
