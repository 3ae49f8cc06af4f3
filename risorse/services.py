"""Writes of the preliminary phase. Every district write locks the plan and checks it is editable."""

from decimal import Decimal

import tablib
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from pianizona.copia import Copia
from pianizona.dominio import ErroreDominio, piano_blocca_per_modifica
from pianizona.importazioni.services import Anteprima, importa
from pianizona.iter.cronologia import modifica_del_piano
from pianizona.models import (
    Ambito,
    AreaInterventoFnps,
    Ciclo,
    Comune,
    FonteFinanziamento,
    Modifica,
    Piano,
    Regione,
    User,
    UsoFonte,
)
from pianizona.money import format_euro
from pianizona.revisioni import revisione_avanza, revisione_corrente
from pianizona.territorio.denominazioni import denominazione_distretti
from pianizona.testo import plurale

from . import selectors
from .models import (
    Assegnazione,
    Cofinanziamento,
    CriterioRiparto,
    FonteCiclo,
    Recepimento,
    RegolaCiclo,
    ResiduoEconomia,
    Riparto,
    RisorsaAggiuntiva,
    Segnalazione,
    Vincolo,
)
from .resources import CofinanziamentoResource
from .riparto import QuotaAmbito, calcola_riparto

TABELLA_COFINANZIAMENTO = "cofinanziamento"
TABELLA_ASSEGNAZIONI = "assegnazioni"


# --- Region: cycle configuration -------------------------------------------------------------


@transaction.atomic
def fonte_regionale_crea(
    *, regione: Regione, codice: str, nome: str, sezione: str
) -> FonteFinanziamento:
    """A Region's own fund: offered to its cycles and districts only, beside the national ones."""
    codice = codice.strip().upper()
    if sezione not in FonteFinanziamento.Sezione.values:
        raise ErroreDominio(f"Sezione del piano non prevista: «{sezione}».")
    # Codes are unique across Regions: an import names a fund by its code alone.
    gia_usato = f"Il codice «{codice}» è già usato da un'altra fonte: sceglierne un altro."
    if FonteFinanziamento.objects.filter(codice__iexact=codice).exists():
        raise ErroreDominio(gia_usato)
    ultima = FonteFinanziamento.objects.della_regione(regione.pk).order_by("-ordine").first()
    try:
        with transaction.atomic():
            return FonteFinanziamento.objects.create(
                regione=regione,
                codice=codice,
                nome=nome.strip(),
                livello=FonteFinanziamento.Livello.REGIONALE,
                sezione=sezione,
                ordine=(ultima.ordine + 1) if ultima else 0,
            )
    except IntegrityError as exc:  # another officer took the code in the same instant
        raise ErroreDominio(gia_usato) from exc


@transaction.atomic
def ciclo_configura(
    *,
    ciclo: Ciclo,
    sezioni: dict[int, str | None],
    cofinanziamento_minimo: Decimal,
) -> None:
    """``sezioni`` maps every fund to its section in the cycle, or None when it is not active."""
    attive = {fonte_id: sezione for fonte_id, sezione in sezioni.items() if sezione}
    offerte = set(
        FonteFinanziamento.objects.della_regione(ciclo.regione_id)
        .per_uso(UsoFonte.ALLOCAZIONE)
        .filter(pk__in=attive)
        .values_list("pk", flat=True)
    )
    if set(attive) - offerte:
        raise ErroreDominio(
            "Una delle fonti scelte non appartiene alla Regione del ciclo o non ha un budget "
            "proprio (i residui si indicano sul fondo di provenienza)."
        )
    spente = FonteCiclo.objects.filter(ciclo=ciclo).exclude(fonte_id__in=attive)
    con_dati = FonteFinanziamento.objects.filter(
        Q(pk__in=Assegnazione.objects.filter(ciclo=ciclo).values("fonte"))
        | Q(pk__in=Vincolo.objects.filter(ciclo=ciclo).values("fonte")),
        pk__in=spente.values("fonte"),
    )
    if con_dati:
        nomi = ", ".join(f.codice for f in con_dati)
        raise ErroreDominio(
            f"Non si può disattivare {nomi}: ha assegnazioni o vincoli nel ciclo. Eliminarli prima."
        )
    spente.delete()
    for fonte_id, sezione in attive.items():
        FonteCiclo.objects.update_or_create(
            ciclo=ciclo, fonte_id=fonte_id, defaults={"sezione": sezione}
        )
    RegolaCiclo.objects.update_or_create(
        ciclo=ciclo, defaults={"cofinanziamento_minimo": cofinanziamento_minimo}
    )


def ciclo_copia_configurazione(*, ciclo: Ciclo, origine: Ciclo | None) -> list[str]:
    """A new cycle takes ``origine``'s active funds, co-financing minimum and earmarks.

    Allocation criteria belong to the Region, not to a cycle: every cycle already uses them.
    Called by the core inside the opening transaction; what the new cycle already has is kept.
    """
    if origine is None:
        return []
    fonti = list(FonteCiclo.objects.filter(ciclo=origine))
    FonteCiclo.objects.bulk_create(
        [FonteCiclo(ciclo=ciclo, fonte_id=f.fonte_id, sezione=f.sezione) for f in fonti],
        ignore_conflicts=True,
    )
    regola = RegolaCiclo.objects.filter(ciclo=origine).first()
    if regola is not None:
        RegolaCiclo.objects.get_or_create(
            ciclo=ciclo, defaults={"cofinanziamento_minimo": regola.cofinanziamento_minimo}
        )
    vincoli = list(Vincolo.objects.filter(ciclo=origine))
    Vincolo.objects.bulk_create(
        [
            Vincolo(
                ciclo=ciclo,
                fonte_id=v.fonte_id,
                area_id=v.area_id,
                percentuale_minima=v.percentuale_minima,
                descrizione=v.descrizione,
            )
            for v in vincoli
        ],
        ignore_conflicts=True,
    )
    copiati = [f"fonti attive {len(fonti)}", f"vincoli di destinazione {len(vincoli)}"]
    if regola is not None:
        minimo = format_euro(regola.cofinanziamento_minimo)
        copiati.append(f"cofinanziamento minimo {minimo} per abitante")
    return [f"Dal ciclo «{origine.nome}» copiati: {', '.join(copiati)}."]


def vincolo_crea(
    *,
    ciclo: Ciclo,
    fonte: FonteFinanziamento,
    area: AreaInterventoFnps,
    percentuale: Decimal,
    descrizione: str = "",
) -> Vincolo:
    if not FonteCiclo.objects.filter(ciclo=ciclo, fonte=fonte).exists():
        raise ErroreDominio(f"La fonte «{fonte}» non è attiva nel ciclo.")
    if not 0 < percentuale <= 100:
        raise ErroreDominio("La percentuale deve essere maggiore di 0 e al massimo 100.")
    try:
        with transaction.atomic():
            return Vincolo.objects.create(
                ciclo=ciclo,
                fonte=fonte,
                area=area,
                percentuale_minima=percentuale,
                descrizione=descrizione,
            )
    except IntegrityError as exc:  # the unique constraint: also two officers at the same instant
        raise ErroreDominio("Esiste già un vincolo per questa fonte e quest'area.") from exc


def vincolo_elimina(*, vincolo: Vincolo) -> None:
    vincolo.delete()


def criterio_crea(
    *, regione: Regione, codice: str, nome: str, fonte_dato: str = ""
) -> CriterioRiparto:
    """A per-ambito quantity the Region will load; the ISTAT residents' codes are reserved."""
    codice = codice.strip().lower()
    if codice in selectors.CRITERI_POPOLAZIONE:
        raise ErroreDominio(
            f"Il codice «{codice}» è riservato alla popolazione residente ISTAT, sempre presente."
        )
    try:
        with transaction.atomic():
            return CriterioRiparto.objects.create(
                regione=regione, codice=codice, nome=nome, fonte_dato=fonte_dato
            )
    except IntegrityError as exc:
        raise ErroreDominio("Esiste già un criterio con questo codice.") from exc


# --- Region: transfers -----------------------------------------------------------------------


def _controlla_fonte_e_anno(ciclo: Ciclo, fonte: FonteFinanziamento, anno: int) -> None:
    if anno not in ciclo.anni:
        raise ErroreDominio(f"L'anno {anno} non appartiene al ciclo {ciclo.periodo}.")
    if not FonteCiclo.objects.filter(ciclo=ciclo, fonte=fonte).exists():
        raise ErroreDominio(
            f"La fonte «{fonte}» non è attiva nel ciclo: attivarla nella configurazione."
        )
    if not fonte.ammessa(UsoFonte.TRASFERIMENTO):  # active, yet not the Region's to transfer
        raise ErroreDominio(fonte.rifiuto(UsoFonte.TRASFERIMENTO))


def tabella_assegnazioni(fonte: FonteFinanziamento, anno: int) -> str:
    """The revision label of one fund-year column of a cycle's transfers."""
    return f"{TABELLA_ASSEGNAZIONI}:{fonte.codice}:{anno}"


@transaction.atomic
def assegnazioni_salva(
    *,
    ciclo: Ciclo,
    fonte: FonteFinanziamento,
    anno: int,
    importi: dict[int, Decimal | None],
    revisione: int,
    user: User,
) -> int:
    """Set one fund-year's transfers for the ambiti given (ambito id → amount; None removes it).

    ``revisione`` is the column's revision the page showed; a stale one raises ConflittoModifica.
    Returns how many ambiti changed.
    """
    _controlla_fonte_e_anno(ciclo, fonte, anno)
    ambiti = set(
        Ambito.objects.filter(regione_id=ciclo.regione_id, pk__in=importi).values_list(
            "pk", flat=True
        )
    )
    if ambiti != set(importi):
        raise ErroreDominio("Uno degli ambiti non appartiene alla regione del ciclo.")
    revisione_avanza(
        proprietario=ciclo, tabella=tabella_assegnazioni(fonte, anno), attesa=revisione, user=user
    )
    attuali = dict(
        Assegnazione.objects.filter(
            ciclo=ciclo, fonte=fonte, anno=anno, ambito_id__in=importi
        ).values_list("ambito_id", "importo")
    )
    da_togliere = [a for a, importo in importi.items() if importo is None and a in attuali]
    da_scrivere = {a: i for a, i in importi.items() if i is not None and attuali.get(a) != i}
    Assegnazione.objects.filter(
        ciclo=ciclo, fonte=fonte, anno=anno, ambito_id__in=da_togliere
    ).delete()
    Assegnazione.objects.bulk_create(
        # edited by hand: riparto=None, no longer the calculator's result
        [
            Assegnazione(ciclo=ciclo, ambito_id=a, fonte=fonte, anno=anno, importo=i, riparto=None)
            for a, i in da_scrivere.items()
        ],
        update_conflicts=True,
        unique_fields=["ciclo", "ambito", "fonte", "anno"],
        update_fields=["importo", "riparto", "aggiornata_il"],
    )
    return len(da_togliere) + len(da_scrivere)


def riparto_anteprima(
    *, ciclo: Ciclo, fonte: FonteFinanziamento, anno: int, totale: Decimal, pesi: dict[str, Decimal]
) -> list[QuotaAmbito]:
    _controlla_fonte_e_anno(ciclo, fonte, anno)
    return calcola_riparto(
        totale, selectors.criteri_di_riparto(ciclo), pesi, selectors.codici_ambiti(ciclo)
    )


@transaction.atomic
def riparto_applica(
    *,
    ciclo: Ciclo,
    fonte: FonteFinanziamento,
    anno: int,
    totale: Decimal,
    pesi: dict[str, Decimal],
    user: User,
) -> Riparto:
    """Compute the distribution again (never trust a preview sent back) and write the transfers."""
    _controlla_fonte_e_anno(ciclo, fonte, anno)
    tabella = tabella_assegnazioni(fonte, anno)
    # Applying moves the column's revision on: a grid opened before it can no longer overwrite it.
    revisione_avanza(
        proprietario=ciclo, tabella=tabella, attesa=revisione_corrente(ciclo, tabella), user=user
    )
    criteri = selectors.criteri_di_riparto(ciclo)
    quote = calcola_riparto(totale, criteri, pesi, selectors.codici_ambiti(ciclo))
    riparto = Riparto.objects.create(
        ciclo=ciclo,
        fonte=fonte,
        anno=anno,
        totale=totale,
        criteri=[
            {"codice": c.codice, "nome": c.nome, "peso": str(pesi[c.codice])}
            for c in criteri
            if pesi.get(c.codice, 0) > 0
        ],
        risultato={q.ambito: str(q.importo) for q in quote},
        creato_da=user,
    )
    ambiti = dict(Ambito.objects.filter(regione_id=ciclo.regione_id).values_list("codice", "pk"))
    Assegnazione.objects.bulk_create(
        [
            Assegnazione(
                ciclo=ciclo,
                ambito_id=ambiti[q.ambito],
                fonte=fonte,
                anno=anno,
                importo=q.importo,
                riparto=riparto,
            )
            for q in quote
        ],
        update_conflicts=True,
        unique_fields=["ciclo", "ambito", "fonte", "anno"],
        update_fields=["importo", "riparto", "aggiornata_il"],
    )
    return riparto


# --- District: acknowledgement and discrepancies --------------------------------------------


@modifica_del_piano("Trasferimenti recepiti")
def recepimento_registra(*, piano: Piano, user: User) -> Recepimento:
    piano = piano_blocca_per_modifica(piano)
    tabella = selectors.assegnazioni_del_piano(piano)
    if not tabella.fonti:
        raise ErroreDominio("La Regione non ha ancora inserito assegnazioni per questo piano.")
    stato = selectors.stato_recepimento(piano, tabella)
    if stato.valido:
        return stato.ultimo  # a double click acknowledges once
    return Recepimento.objects.create(
        piano=piano, recepito_da=user, importi=selectors.impronta_assegnazioni(tabella)
    )


@transaction.atomic
def segnalazione_crea(
    *,
    piano: Piano,
    user: User,
    nota: str,
    fonte: FonteFinanziamento | None = None,
    anno: int | None = None,
) -> Segnalazione:
    piano = piano_blocca_per_modifica(piano)
    if not nota.strip():
        raise ErroreDominio("Descrivere la discrepanza.")
    if anno is not None and anno not in selectors.anni_del_piano(piano):
        raise ErroreDominio("L'anno indicato non appartiene al piano.")
    if fonte is not None and not fonte.ammessa(UsoFonte.TRASFERIMENTO):
        raise ErroreDominio(fonte.rifiuto(UsoFonte.TRASFERIMENTO))
    return Segnalazione.objects.create(
        piano=piano, creata_da=user, nota=nota.strip(), fonte=fonte, anno=anno
    )


@transaction.atomic
def segnalazione_chiudi(*, segnalazione: Segnalazione, user: User, risposta: str) -> Segnalazione:
    segnalazione = Segnalazione.objects.select_for_update().get(pk=segnalazione.pk)
    if not segnalazione.aperta:
        return segnalazione
    if not risposta.strip():
        raise ErroreDominio("Scrivere una risposta per l'Ufficio di Piano.")
    segnalazione.risposta = risposta.strip()
    segnalazione.chiusa_da = user
    segnalazione.chiusa_il = timezone.now()
    segnalazione.save(update_fields=["risposta", "chiusa_da", "chiusa_il"])
    return segnalazione


# --- District: residui, other resources, co-financing ---------------------------------------


def _controlla_anno_piano(piano: Piano, anno: int, etichetta: str = "L'anno") -> None:
    if anno not in selectors.anni_del_piano(piano):
        anni = ", ".join(str(a) for a in selectors.anni_del_piano(piano))
        raise ErroreDominio(f"{etichetta} deve essere uno degli anni del piano ({anni}).")


RigaDelPiano = ResiduoEconomia | RisorsaAggiuntiva


def _controlla_fonte_della_riga(piano: Piano, fonte: FonteFinanziamento, uso: str) -> None:
    if fonte.regione_id not in (None, piano.ambito.regione_id):
        raise ErroreDominio(f"La fonte «{fonte.codice}» non appartiene alla Regione del piano.")
    if not fonte.ammessa(uso):
        raise ErroreDominio(fonte.rifiuto(uso))


def _controlla_duplicato(piano: Piano, risorsa: RisorsaAggiuntiva) -> None:
    """Two rows of the same fund, year and description would count the same money twice."""
    gemelle = RisorsaAggiuntiva.objects.filter(
        piano=piano,
        fonte_id=risorsa.fonte_id,
        anno=risorsa.anno,
        descrizione__iexact=risorsa.descrizione.strip(),
    ).exclude(pk=risorsa.pk)
    if gemelle.exists():
        descrizione = f" «{risorsa.descrizione.strip()}»" if risorsa.descrizione.strip() else ""
        raise ErroreDominio(
            f"Esiste già un'altra risorsa {risorsa.fonte.codice} {risorsa.anno}{descrizione} "
            "in questo piano: modificare quella invece di aggiungerne una seconda."
        )


@transaction.atomic
def _riga_salva(
    piano: Piano, riga: RigaDelPiano, anno: int, etichetta_anno: str, uso: str
) -> RigaDelPiano:
    """Create or update a row of the plan's resources (the instance comes from a validated form)."""
    piano = piano_blocca_per_modifica(piano)
    if riga.pk and riga.piano_id != piano.pk:
        raise ErroreDominio("La riga non appartiene a questo piano.")
    _controlla_anno_piano(piano, anno, etichetta_anno)
    _controlla_fonte_della_riga(piano, riga.fonte, uso)
    if isinstance(riga, RisorsaAggiuntiva):
        riga.descrizione = riga.descrizione.strip()
        _controlla_duplicato(piano, riga)
    riga.piano = piano
    riga.full_clean()
    riga.save()
    return riga


@transaction.atomic
def _riga_elimina(piano: Piano, riga: RigaDelPiano) -> None:
    piano_blocca_per_modifica(piano)
    type(riga).objects.filter(pk=riga.pk, piano=piano).delete()


@modifica_del_piano("Residuo o economia salvato")
def residuo_salva(
    *, piano: Piano, residuo: ResiduoEconomia, user: User | None = None
) -> ResiduoEconomia:
    return _riga_salva(piano, residuo, residuo.anno_impiego, "L'anno di impiego", UsoFonte.RESIDUO)


@modifica_del_piano("Residuo o economia eliminato")
def residuo_elimina(*, piano: Piano, residuo: ResiduoEconomia, user: User | None = None) -> None:
    _riga_elimina(piano, residuo)


@modifica_del_piano("Altra risorsa salvata")
def risorsa_aggiuntiva_salva(
    *, piano: Piano, risorsa: RisorsaAggiuntiva, user: User | None = None
) -> RisorsaAggiuntiva:
    return _riga_salva(piano, risorsa, risorsa.anno, "L'anno", UsoFonte.ALTRA_RISORSA)


@modifica_del_piano("Altra risorsa eliminata")
def risorsa_aggiuntiva_elimina(
    *, piano: Piano, risorsa: RisorsaAggiuntiva, user: User | None = None
) -> None:
    _riga_elimina(piano, risorsa)


@modifica_del_piano("Cofinanziamento comunale salvato")
def cofinanziamento_salva(
    *, piano: Piano, importi: dict[tuple[int, int], Decimal | None], revisione: int, user: User
) -> int:
    """Save the whole co-financing table: (comune id, anno) → amount, None clears the cell.

    ``revisione`` is the table revision the page showed; a stale one raises ConflittoModifica.
    """
    piano = piano_blocca_per_modifica(piano)
    anni = selectors.anni_del_piano(piano)
    comuni = set(Comune.objects.filter(ambito_id=piano.ambito_id).values_list("pk", flat=True))
    for comune_id, anno in importi:
        if comune_id not in comuni:
            raise ErroreDominio(
                f"Uno dei comuni non appartiene {denominazione_distretti(piano).forma('al')}."
            )
        if anno not in anni:
            raise ErroreDominio(f"L'anno {anno} non appartiene al piano.")
    nuova = revisione_avanza(
        proprietario=piano, tabella=TABELLA_COFINANZIAMENTO, attesa=revisione, user=user
    )
    da_togliere = [k for k, v in importi.items() if v is None]
    for comune_id, anno in da_togliere:
        Cofinanziamento.objects.filter(piano=piano, comune_id=comune_id, anno=anno).delete()
    Cofinanziamento.objects.bulk_create(
        [
            Cofinanziamento(piano=piano, comune_id=comune_id, anno=anno, importo=importo)
            for (comune_id, anno), importo in importi.items()
            if importo is not None
        ],
        update_conflicts=True,
        unique_fields=["piano", "comune", "anno"],
        update_fields=["importo"],
    )
    return nuova


@modifica_del_piano(
    "Cofinanziamento importato da foglio di calcolo", origine=Modifica.Origine.IMPORTAZIONE
)
def cofinanziamento_importa(
    *, piano: Piano, dataset: tablib.Dataset, revisione: int, user: User
) -> Anteprima:
    """Import the table from a spreadsheet, all rows or none, as a save from the page would.

    ``revisione`` is the one the preview was made at: an edit in between refuses the import.
    """
    piano = piano_blocca_per_modifica(piano)
    revisione_avanza(
        proprietario=piano, tabella=TABELLA_COFINANZIAMENTO, attesa=revisione, user=user
    )
    return importa(CofinanziamentoResource(piano), dataset, conferma=True)


# --- Annual update ------------------------------------------------------------------------------


# Field by field from the models (pianizona.copia): a new field carries over unless excluded here.
COPIA_RESIDUO = Copia(
    ResiduoEconomia, a_parte=frozenset({"piano"}), esclusi={"id": "una riga nuova"}
)
COPIA_RISORSA_AGGIUNTIVA = Copia(
    RisorsaAggiuntiva, a_parte=frozenset({"piano"}), esclusi={"id": "una riga nuova"}
)
COPIA_COFINANZIAMENTO = Copia(
    Cofinanziamento, a_parte=frozenset({"piano"}), esclusi={"id": "una riga nuova"}
)


@modifica_del_piano(
    "Risorse riprese dal piano precedente",
    origine=Modifica.Origine.SISTEMA,
    parametro="destinazione",
)
def risorse_copia_per_attuativo(
    *, origine: Piano, destinazione: Piano, user: User | None = None
) -> list[str]:
    """Carry the plan year's residui, other resources and co-financing into its annual update."""
    anno = destinazione.anno
    residui = ResiduoEconomia.objects.filter(piano=origine, anno_impiego=anno)
    altre = RisorsaAggiuntiva.objects.filter(piano=origine, anno=anno)
    quote = Cofinanziamento.objects.filter(piano=origine, anno=anno)
    ResiduoEconomia.objects.bulk_create(COPIA_RESIDUO.nuovo(r, piano=destinazione) for r in residui)
    RisorsaAggiuntiva.objects.bulk_create(
        COPIA_RISORSA_AGGIUNTIVA.nuovo(r, piano=destinazione) for r in altre
    )
    n_quote = len(
        Cofinanziamento.objects.bulk_create(
            COPIA_COFINANZIAMENTO.nuovo(c, piano=destinazione) for c in quote
        )
    )
    return [
        f"Ripresi dal {origine.titolo.lower()} per il {anno}: "
        f"{plurale(len(residui), 'residuo o economia', 'residui ed economie')}, "
        f"{plurale(len(altre), 'altra risorsa', 'altre risorse')}, "
        + plurale(
            n_quote, "quota di cofinanziamento comunale.", "quote di cofinanziamento comunale."
        )
    ]
