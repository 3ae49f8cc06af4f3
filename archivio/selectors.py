"""Reads of the archive, each in a fixed number of queries whatever the number of documents."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from pianizona.models import Ambito, Comune, Piano, Regione, Versione
from pianizona.territorio.denominazioni import nome_con_articolo

from .models import Adesione, Documento, InformativaAdesioni, VersioneDocumento

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


@dataclass(frozen=True)
class DatiInformativa:
    """The facts of the adhesion form's privacy notice, from the ambito's own record or its data."""

    titolare: str
    titolare_regione: bool
    indirizzo: str
    pec: str
    email: str
    email_rpd: str
    pec_rpd: str
    conservazione_anni: int
    aggiornata_il: datetime | None
    completa: bool  # the controller's and DPO's contacts were given, not left to the default


def informativa_adesioni(ambito: Ambito) -> DatiInformativa:
    registrata = InformativaAdesioni.objects.filter(ambito=ambito).first()
    capofila = (
        Comune.objects.filter(pk=ambito.comune_capofila_id).only("nome").first()
        if ambito.comune_capofila_id
        else None
    )
    regione = registrata is not None and registrata.titolare == InformativaAdesioni.Titolare.REGIONE
    if registrata is not None and registrata.denominazione_titolare:
        titolare = registrata.denominazione_titolare
    elif regione:
        titolare = f"Regione {ambito.regione.nome}"
    elif capofila is not None:
        titolare = f"Comune di {capofila.nome}, ente capofila {nome_con_articolo(ambito, 'del')}"
    else:
        titolare = f"L'ente capofila {nome_con_articolo(ambito, 'del')}"
    if registrata is None:
        return DatiInformativa(titolare, False, "", "", "", "", "", 10, None, False)
    return DatiInformativa(
        titolare=titolare,
        titolare_regione=regione,
        indirizzo=registrata.indirizzo_titolare,
        pec=registrata.pec_titolare,
        email=registrata.email_titolare,
        email_rpd=registrata.email_rpd,
        pec_rpd=registrata.pec_rpd,
        conservazione_anni=registrata.conservazione_anni,
        aggiornata_il=registrata.aggiornata_il,
        completa=bool(
            (registrata.pec_titolare or registrata.email_titolare)
            and (registrata.email_rpd or registrata.pec_rpd)
        ),
    )


def ambiti_per_adesione() -> list[Ambito]:
    """Every ambito, by Region and name: each takes requests to join its Accordo at any time."""
    return list(
        Ambito.objects.select_related("regione").order_by("regione__nome", "codice", "nome")
    )
