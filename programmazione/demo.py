"""Demo data of the allocation phase: the Region's catalogue on the FNPS grid and, for the current
cycle's triennial plans, intervention sheets whose allocations stay within every fund-year budget
and meet the cycle's earmarks. Amounts and names are realistic, not official.

Rows are written with bulk_create: demo plans are in every state, so the services (which require
an editable plan) cannot be used, and the full scale writes tens of thousands of rows.
"""

import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from pianizona.models import (
    Ambito,
    AreaInterventoFnps,
    AreaUtenzaIstat,
    Ciclo,
    Comune,
    ObiettivoServizio,
    Piano,
    PrestazioneSiuss,
    Regione,
)
from pianizona.money import CENT
from pianizona.testo import plurale
from risorse.models import Vincolo
from risorse.selectors import ZERO, TabellaImporti, budget_del_piano

from .models import (
    Allocazione,
    BeneficiariPrevisti,
    FiguraProfessionale,
    Narrativa,
    SchedaIntervento,
    Sezione,
    VoceCatalogo,
)
from .selectors import allocato_del_piano, fonti_per_sezioni

# Sheets of each demo plan, per section (about sixty in all).
SCHEDE_PER_SEZIONE = {Sezione.AMBITO: 28, Sezione.COMUNALE: 20, Sezione.ALTRE_RISORSE: 12}
BATCH = 2000

AS = "Assistente sociale"
ED = "Educatore professionale socio-pedagogico"
OSS = "Operatore socio-sanitario"
PSI = "Psicologo"
MED = "Mediatore interculturale"
AMM = "Istruttore amministrativo"
AUT = "Autista accompagnatore"
ANI = "Animatore sociale"
TUT = "Tutor per l'inclusione lavorativa"
LEG = "Consulente legale"


@dataclass(frozen=True)
class Voce:
    codice: str
    nome: str
    obiettivo: str  # FNPS service objective; the macro-level follows
    area: int  # FNPS intervention area
    utenza: str  # ISTAT user area
    leps: bool
    sezioni: str  # a = d'ambito, c = comunale, r = altre risorse
    siuss: str | None
    profili: tuple[str, ...]
    descrizione: str
    fonte: str | None = None  # the only fund of an "altre risorse" entry (PNRR, PON…)

    @property
    def sociosanitaria(self) -> bool:
        return self.area == 2 or self.codice in {"A.1.02", "A.2.02", "C.1.09"}


# Codes: letter = FNPS macro-level (A–E; P = PNRR, R = other regional and European measures),
# middle digit = service objective within it, then a progressive number.
# fmt: off
CATALOGO = [
    Voce("A.1.01", "Segretariato sociale", "1.1", 3, "MULBEN", True, "ac", None, (AS, AMM),
         "Informazione, orientamento e accompagnamento ai servizi sociali e socio-sanitari."),
    Voce("A.1.02", "Porta unica di accesso (PUA) socio-sanitaria", "1.1", 2, "MULBEN", True, "a",
         None, (AS, AMM),
         "Accesso unico integrato con il distretto socio-sanitario alle prestazioni socio-sanitarie."),
    Voce("A.1.03", "Sportello per l'integrazione dei cittadini stranieri", "1.1", 3, "IMMNOM",
         False, "ac", None, (MED, AS),
         "Orientamento, mediazione linguistico-culturale e accompagnamento ai servizi."),
    Voce("A.2.01", "Servizio sociale professionale", "1.2", 3, "MULBEN", True, "ac", None,
         (AS, PSI), "Valutazione del bisogno, progetto personalizzato e presa in carico."),
    Voce("A.2.02", "Équipe multidisciplinare e valutazione multidimensionale (UVM)", "1.2", 2,
         "DIS", True, "a", None, (AS, PSI),
         "Valutazione integrata con l'ASL e progetto di vita individualizzato."),
    Voce("A.2.03", "Équipe integrata per la tutela dei minori (abuso e maltrattamento)", "1.2",
         1, "FAM", False, "a", None, (AS, PSI, ED),
         "Presa in carico di minori vittime di abuso, maltrattamento e violenza assistita."),
    Voce("A.3.01", "Pronto intervento sociale", "1.3", 3, "POV", True, "a", None, (AS, ED),
         "Risposta alle emergenze sociali h24, in raccordo con forze dell'ordine e pronto soccorso."),
    Voce("B.1.01", "Servizio di assistenza domiciliare (SAD) per anziani", "2.1", 2, "ELD", True,
         "ac", "A2.07", (OSS, AS),
         "Aiuto alla persona e nella cura della casa per anziani soli o con limitata autonomia."),
    Voce("B.1.02", "Assistenza domiciliare integrata (ADI) – componente sociale", "2.1", 2, "ELD",
         True, "a", "A2.08", (OSS, AS),
         "Prestazioni socio-assistenziali integrate con le cure domiciliari dell'ASL."),
    Voce("B.1.03", "Assistenza domiciliare per persone con disabilità", "2.1", 2, "DIS", False,
         "ac", "A2.07", (OSS, ED),
         "Sostegno a domicilio per l'autonomia personale e la vita di relazione."),
    Voce("B.1.04", "Assistenza educativa domiciliare per minori e famiglie (ADE)", "2.1", 1,
         "FAM", False, "ac", "A2.02", (ED, AS),
         "Interventi educativi a domicilio a sostegno delle funzioni genitoriali."),
    Voce("B.1.05", "Assegni di cura per persone non autosufficienti", "2.1", 2, "DIS", False, "a",
         "A1.11", (AS, AMM),
         "Contributi per l'assistenza a domicilio di persone con disabilità gravissima."),
    Voce("B.2.01", "Trasporto sociale", "2.2", 2, "DIS", False, "ac", None, (AUT,),
         "Accompagnamento a centri diurni, scuole e luoghi di cura per chi non si muove da solo."),
    Voce("B.2.02", "Mensa sociale e pasti a domicilio", "2.2", 3, "POV", False, "ac", "A2.01",
         (OSS, AMM), "Pasti caldi in mensa o consegnati a casa a persone in difficoltà."),
    Voce("C.1.01", "Centro diurno per anziani", "3.1", 2, "ELD", False, "ac", "A3.01", (ANI, OSS),
         "Attività di socializzazione, animazione e cura nelle ore diurne."),
    Voce("C.1.02", "Centro diurno socio-educativo e riabilitativo per persone con disabilità",
         "3.1", 2, "DIS", False, "ac", "A3.01", (ED, OSS),
         "Attività educative, riabilitative e di socializzazione per adulti con disabilità."),
    Voce("C.1.03", "Centro socio-educativo diurno per minori", "3.1", 1, "FAM", False, "ac",
         "A3.01", (ED, PSI), "Sostegno scolastico, attività educative e ricreative pomeridiane."),
    Voce("C.1.04", "Ludoteca e servizi integrativi per la prima infanzia", "3.1", 1, "FAM", False,
         "ac", "A2.10", (ED, ANI), "Spazi di gioco e socializzazione per bambini e genitori."),
    Voce("C.1.05", "Centro per la famiglia e mediazione familiare", "3.1", 1, "FAM", False, "a",
         None, (PSI, AS), "Consulenza, mediazione dei conflitti e sostegno alla genitorialità."),
    Voce("C.1.06", "Affidamento familiare di minori", "3.1", 1, "FAM", False, "ac", None,
         (AS, PSI), "Promozione dell'affido, formazione e sostegno delle famiglie affidatarie."),
    Voce("C.1.07", "Centro antiviolenza", "3.1", 1, "FAM", False, "a", None, (PSI, LEG),
         "Ascolto, consulenza legale e psicologica, percorsi di uscita dalla violenza."),
    Voce("C.1.08", "Educativa di strada e centri di aggregazione giovanile", "3.1", 1, "FAM",
         False, "ac", "A2.02", (ED, ANI),
         "Prevenzione del disagio giovanile nei luoghi di ritrovo e nei centri di aggregazione."),
    Voce("C.1.09", "Prevenzione delle dipendenze e riduzione del danno", "3.1", 3, "ADD", False,
         "a", None, (ED, PSI), "Unità di strada e interventi di prevenzione con il SerD."),
    Voce("C.1.10", "Centro servizi per il contrasto alla povertà", "3.1", 3, "POV", True, "ar",
         None, (AS, ED),
         "Servizi di bassa soglia, orientamento e presa in carico di persone in povertà estrema."),
    Voce("D.1.01", "Comunità educativa per minori", "4.1", 1, "FAM", False, "ac", "A3.02",
         (ED, PSI), "Accoglienza residenziale di minori allontanati dalla famiglia."),
    Voce("D.1.02", "Gruppo appartamento per persone con disabilità («Dopo di noi»)", "4.1", 2,
         "DIS", False, "a", "A3.02", (OSS, ED),
         "Soluzioni abitative per l'autonomia di persone con disabilità grave prive di sostegno."),
    Voce("D.1.03", "Residenze per anziani – integrazione delle rette", "4.1", 2, "ELD", False,
         "ac", "A1.14", (AS, AMM),
         "Quota sociale delle rette di RSA e RSSA per anziani non autosufficienti."),
    Voce("D.1.04", "Casa rifugio per donne vittime di violenza e i loro figli", "4.1", 1, "FAM",
         False, "a", "A3.02", (PSI, ED), "Accoglienza protetta a indirizzo segreto."),
    Voce("D.1.05", "Accoglienza notturna per persone senza dimora", "4.1", 3, "POV", False, "ac",
         "A3.02", (ED, OSS), "Posti letto, igiene e orientamento per chi vive in strada."),
    Voce("D.1.06", "Housing first e housing led", "4.1", 3, "POV", False, "ar", None, (AS, ED),
         "Casa come primo passo e accompagnamento sociale per persone senza dimora."),
    Voce("E.1.01", "Tirocini di inclusione e percorsi di inserimento lavorativo", "5.1", 3, "POV",
         False, "acr", "A2.09", (AS, TUT),
         "Tirocini, orientamento e accompagnamento al lavoro di persone fragili."),
    Voce("E.1.02", "Percorsi per la vita indipendente delle persone con disabilità", "5.1", 2,
         "DIS", False, "a", "A1.11", (AS, ED),
         "Assistenza personale autogestita e progetti di autonomia abitativa."),
    Voce("E.2.01", "Contributi economici a integrazione del reddito", "5.2", 3, "POV", False,
         "acr", "A1.04", (AS, AMM), "Sostegni economici temporanei nel progetto personalizzato."),
    Voce("E.2.02", "Contributi per l'alloggio e prevenzione degli sfratti", "5.2", 3, "POV",
         False, "ac", "A1.05", (AS, AMM), "Contributi per canoni e morosità incolpevole."),
    Voce("E.2.03", "Integrazione delle rette di asili nido e servizi per la prima infanzia",
         "5.2", 1, "FAM", False, "c", "A1.07", (AMM,),
         "Riduzione delle rette per le famiglie a basso reddito."),
    Voce("P.1.01", "PNRR M5C2 1.1.1 – Sostegno alle capacità genitoriali (P.I.P.P.I.)", "1.2", 1,
         "FAM", True, "r", "A2.02", (AS, ED, PSI),
         "Programma di intervento per la prevenzione dell'istituzionalizzazione.", "PNRR"),
    Voce("P.1.02", "PNRR M5C2 1.1.2 – Autonomia degli anziani non autosufficienti", "4.1", 2,
         "ELD", False, "r", None, (OSS, AS),
         "Riconversione di strutture in appartamenti protetti con servizi a domicilio.", "PNRR"),
    Voce("P.1.03", "PNRR M5C2 1.1.3 – Servizi domiciliari per le dimissioni anticipate", "2.1",
         2, "ELD", True, "r", "A2.07", (OSS, AS),
         "Assistenza a domicilio che anticipa e sostiene la dimissione ospedaliera.", "PNRR"),
    Voce("P.2.01", "PNRR M5C2 1.2 – Percorsi di autonomia per persone con disabilità", "5.1", 2,
         "DIS", False, "r", None, (ED, AS),
         "Abitazione, formazione digitale e lavoro per l'autonomia.", "PNRR"),
    Voce("P.3.01", "PNRR M5C2 1.3.1 – Housing first", "4.1", 3, "POV", False, "r", None,
         (AS, ED), "Appartamenti per persone senza dimora con accompagnamento.", "PNRR"),
    Voce("P.3.02", "PNRR M5C2 1.3.2 – Stazioni di posta", "1.1", 3, "POV", True, "r", None,
         (AS, ED, MED), "Centri servizi per la residenza fittizia e la presa in carico.", "PNRR"),
    Voce("R.1.01", "PON Inclusione – servizi per i beneficiari dell'Assegno di inclusione", "1.2",
         3, "POV", True, "r", None, (AS, AMM),
         "Rafforzamento dei servizi sociali per la presa in carico dei nuclei beneficiari.", "PON"),
    Voce("R.2.01", "Reddito di Dignità – progetti di sussidiarietà e tirocini", "5.2", 3, "POV",
         False, "r", "A1.04", (AS, TUT),
         "Misura regionale di inclusione attiva con indennità economica.", "RED"),
    Voce("R.3.01", "Buoni servizio per minori, anziani e persone con disabilità", "5.2", 1, "FAM",
         False, "r", "A1.15", (AMM,),
         "Titoli di acquisto di servizi presso strutture autorizzate.", "BS"),
]
# fmt: on
PER_CODICE = {v.codice: v for v in CATALOGO}
SIGLE_SEZIONI = {"a": "in_ambito", "c": "in_comunale", "r": "in_altre_risorse"}

AZIENDE_SANITARIE = {
    "BA": "ASL Bari",
    "BT": "ASL BAT",
    "BR": "ASL Brindisi",
    "FG": "ASL Foggia",
    "LE": "ASL Lecce",
    "TA": "ASL Taranto",
}
ENTI_GESTORI = [
    "Cooperativa sociale Il Melograno",
    "Cooperativa sociale Itaca",
    "Consorzio di cooperative sociali Metropoli",
    "Cooperativa sociale Occupazione e Solidarietà",
    "Associazione di volontariato Il Sorriso",
    "Fondazione Casa della Carità",
    "ASP Istituto di assistenza Romanelli",
]
GESTIONI = [
    (SchedaIntervento.Gestione.APPALTO, 4),
    (SchedaIntervento.Gestione.DIRETTA, 3),
    (SchedaIntervento.Gestione.ACCREDITAMENTO, 2),
    (SchedaIntervento.Gestione.COPROGETTAZIONE, 2),
    (SchedaIntervento.Gestione.CONVENZIONE, 1),
]
OBIETTIVI = {
    "1": "Garantire un accesso unitario e tempestivo ai servizi e la presa in carico.",
    "2": "Favorire la permanenza a domicilio e ritardare l'istituzionalizzazione.",
    "3": "Offrire servizi territoriali diffusi di socializzazione e sostegno.",
    "4": "Assicurare accoglienza residenziale di qualità alle persone più fragili.",
    "5": "Sostenere il reddito e i percorsi di inclusione sociale e lavorativa.",
}
# Funds that mostly go to one FNPS area (the weight it gets there): the demo looks like a plan.
PREFERENZE_FONTI = {"FNA": 2, "FPOV": 3, "FPF": 1, "RED": 3}


# --- Catalogue ---------------------------------------------------------------------------------


def _crea_catalogo(ciclo: Ciclo) -> list[VoceCatalogo]:
    obiettivi = dict(ObiettivoServizio.objects.values_list("codice", "pk"))
    aree = dict(AreaInterventoFnps.objects.values_list("codice", "pk"))
    utenze = dict(AreaUtenzaIstat.objects.values_list("codice", "pk"))
    siuss = dict(PrestazioneSiuss.objects.values_list("codice", "pk"))
    VoceCatalogo.objects.bulk_create(
        [
            VoceCatalogo(
                ciclo=ciclo,
                codice=v.codice,
                nome=v.nome,
                descrizione=v.descrizione,
                obiettivo_servizio_id=obiettivi[v.obiettivo],
                area_intervento_id=aree[v.area],
                area_utenza_id=utenze[v.utenza],
                leps=v.leps,
                prestazione_siuss_id=siuss.get(v.siuss) if v.siuss else None,
                **{campo: sigla in v.sezioni for sigla, campo in SIGLE_SEZIONI.items()},
            )
            for v in CATALOGO
        ],
        update_conflicts=True,
        unique_fields=["ciclo", "codice"],
        update_fields=[
            "nome",
            "descrizione",
            "obiettivo_servizio",
            "area_intervento",
            "area_utenza",
            "leps",
            "prestazione_siuss",
            *SIGLE_SEZIONI.values(),
        ],
    )
    return list(VoceCatalogo.objects.filter(ciclo=ciclo, codice__in=PER_CODICE).order_by("codice"))


# --- Sheets ------------------------------------------------------------------------------------


@dataclass
class _Piano:
    """What is written for one plan, before the sheets have ids."""

    piano: Piano
    budget: TabellaImporti
    rng: random.Random
    schede: list[SchedaIntervento] = field(default_factory=list)
    voci: list[VoceCatalogo] = field(default_factory=list)
    pesi: list[float] = field(default_factory=list)  # each intervention's size, to split money

    def fonti_con_budget(self) -> set[str]:
        return {
            f.codice
            for f in self.budget.fonti
            if any(self.budget.importo(f, a) > 0 for a in self.budget.anni)
        }


def _scegli_voci(
    voci: list[VoceCatalogo],
    sezione: str,
    quante: int,
    fonti_con_budget: set[str],
    rng: random.Random,
) -> list[VoceCatalogo]:
    """``quante`` entries allowed in ``sezione``, all different while there are enough."""
    ammesse = [
        v
        for v in voci
        if v.ammessa_in(sezione)
        and (PER_CODICE[v.codice].fonte is None or PER_CODICE[v.codice].fonte in fonti_con_budget)
    ]
    rng.shuffle(ammesse)
    scelte = ammesse[:quante]
    while len(scelte) < quante:
        scelte.append(rng.choice(ammesse))
    return scelte


def _scheda(
    piano: Piano,
    voce: VoceCatalogo,
    sezione: str,
    numero: int,
    comune: Comune | None,
    ripetizione: int,
    rng: random.Random,
) -> SchedaIntervento:
    dati = PER_CODICE[voce.codice]
    ambito = piano.ambito
    titolo = voce.nome + (f" – {comune.nome}" if comune else "")
    if ripetizione > 1:
        titolo += f" (progetto {ripetizione})"
    gestione = rng.choices([g for g, _ in GESTIONI], weights=[p for _, p in GESTIONI])[0]
    if gestione == SchedaIntervento.Gestione.DIRETTA:
        attuatore = f"Comune di {comune.nome}" if comune else f"{ambito.nome} – Ufficio di Piano"
    else:
        attuatore = rng.choice(ENTI_GESTORI)
    integrata = dati.sociosanitaria
    dove = f"nel comune di {comune.nome}" if comune else f"in tutti i comuni dell'{ambito.nome}"
    return SchedaIntervento(
        piano=piano,
        sezione=sezione,
        voce=voce,
        comune=comune,
        numero=numero,
        titolo=titolo[:200],
        descrizione=f"{dati.descrizione} Il servizio è attivo {dove}.",
        obiettivi=OBIETTIVI[dati.obiettivo[0]],
        gestione=gestione,
        soggetto_attuatore=attuatore,
        risorse_strutturali=rng.choice(
            [
                "Sede messa a disposizione dal comune capofila.",
                "Locali comunali in comodato d'uso, automezzo attrezzato.",
                "Struttura autorizzata al funzionamento dell'ente gestore.",
                "Sportelli presso i servizi sociali dei comuni dell'ambito.",
            ]
        ),
        integrazione_sociosanitaria=integrata,
        azienda_sanitaria=AZIENDE_SANITARIE.get(ambito.codice[:2], "") if integrata else "",
        modalita_integrazione=(
            "Valutazione in unità di valutazione multidimensionale e progetto individualizzato "
            "condiviso con il distretto socio-sanitario."
            if integrata
            else ""
        ),
        in_continuita=rng.random() < 0.6,
    )


def _schede_del_piano(lavoro: _Piano, voci: list[VoceCatalogo], comuni: list[Comune]) -> None:
    piano, rng, fonti_con_budget = lavoro.piano, lavoro.rng, lavoro.fonti_con_budget()
    numero = 0
    for sezione, quante in SCHEDE_PER_SEZIONE.items():
        ripetizioni: dict[tuple[int, int | None], int] = {}
        for i, voce in enumerate(_scegli_voci(voci, sezione, quante, fonti_con_budget, rng)):
            comune = comuni[i % len(comuni)] if sezione == Sezione.COMUNALE else None
            chiave = (voce.pk, comune.pk if comune else None)
            ripetizioni[chiave] = ripetizioni.get(chiave, 0) + 1
            numero += 1
            lavoro.schede.append(
                _scheda(piano, voce, sezione, numero, comune, ripetizioni[chiave], rng)
            )
            lavoro.voci.append(voce)
            lavoro.pesi.append(rng.choice([0.5, 1, 1, 1.5, 2, 3, 4]))


def _dettagli(lavoro: _Piano) -> tuple[list, list, list]:
    """Professional profiles, expected beneficiaries and user areas of the plan's sheets."""
    anni, rng = lavoro.piano.ciclo.anni, lavoro.rng
    figure, beneficiari, aree = [], [], []
    for scheda, voce in zip(lavoro.schede, lavoro.voci, strict=True):
        profili = PER_CODICE[voce.codice].profili
        for profilo in profili[: rng.randint(1, min(3, len(profili)))]:
            fte = Decimal(rng.choice(["0.50", "1.00", "1.00", "1.50", "2.00", "3.00"]))
            figure.append(FiguraProfessionale(scheda=scheda, profilo=profilo, fte=fte))
        base = rng.randint(8, 250)
        for i, anno in enumerate(anni):
            numero = round(base * (1 + 0.05 * i) * rng.uniform(0.9, 1.1))
            beneficiari.append(BeneficiariPrevisti(scheda=scheda, anno=anno, numero=numero))
        aree.append(
            SchedaIntervento.aree_utenza.through(
                schedaintervento_id=scheda.pk, areautenzaistat_id=voce.area_utenza_id
            )
        )
    return figure, beneficiari, aree


# --- Allocations -------------------------------------------------------------------------------


def _ripartisci(totale: Decimal, indici: list[int], pesi: list[float]) -> dict[int, Decimal]:
    """``totale`` split by weight, rounded down to the cent: the parts never exceed it."""
    somma = sum(pesi[i] for i in indici)
    parti = {}
    for i in indici:
        parte = (totale * Decimal(pesi[i]) / Decimal(somma)).quantize(CENT, rounding=ROUND_DOWN)
        if parte > 0:
            parti[i] = parte
    return parti


def _allocazioni(
    lavoro: _Piano, vincoli: dict[int, list[tuple[int, Decimal]]]
) -> list[Allocazione]:
    """70–95% of every fund-year budget, each fund on the sheets of the sections it may serve;
    an earmarked area gets a few points more than its minimum."""
    piano, budget, rng = lavoro.piano, lavoro.budget, lavoro.rng
    per_sezione = fonti_per_sezioni(piano)
    ordinarie = {f.pk for f in per_sezione[Sezione.AMBITO]}
    altre = {f.pk for f in per_sezione[Sezione.ALTRE_RISORSE]}
    codici = {f.pk: f.codice for f in budget.fonti}
    allocazioni = []
    for (fonte_id, anno), disponibile in sorted(budget.celle.items()):
        if disponibile <= 0 or fonte_id not in ordinarie | altre:
            continue
        codice = codici[fonte_id]
        idonee = [
            i
            for i, (scheda, voce) in enumerate(zip(lavoro.schede, lavoro.voci, strict=True))
            if (scheda.sezione == Sezione.ALTRE_RISORSE) == (fonte_id in altre)
            and PER_CODICE[voce.codice].fonte in (None, codice)
        ]
        if not idonee:
            continue
        area_preferita = PREFERENZE_FONTI.get(codice)
        pesi = [
            p * rng.uniform(0.6, 1.4) * (4 if PER_CODICE[v.codice].area == area_preferita else 1)
            for p, v in zip(lavoro.pesi, lavoro.voci, strict=True)
        ]
        da_allocare = disponibile * Decimal(str(round(rng.uniform(0.70, 0.95), 3)))
        parti: dict[int, Decimal] = {}
        vincolate: set[int] = set()
        for area_id, minimo in vincoli.get(fonte_id, []):
            nell_area = [i for i in idonee if lavoro.voci[i].area_intervento_id == area_id]
            quota = minimo / 100 + Decimal(str(round(rng.uniform(0.04, 0.10), 3)))
            parti |= _ripartisci(disponibile * quota, nell_area, pesi)
            vincolate |= set(nell_area)
        resto = da_allocare - sum(parti.values(), Decimal(0))
        libere = [i for i in idonee if i not in vincolate]
        if resto > 0 and libere:
            parti |= _ripartisci(resto, libere, pesi)
        allocazioni += [
            Allocazione(scheda=lavoro.schede[i], fonte_id=fonte_id, anno=anno, importo=importo)
            for i, importo in parti.items()
        ]
    return allocazioni


def _riporta_nel_budget(piani: list[Piano]) -> None:
    """Bring an over-allocated fund-year of an earlier run back to 90% of its budget."""
    for piano in piani:
        budget = budget_del_piano(piano).tabella.celle
        allocato = allocato_del_piano(piano)
        fattori = {
            chiave: budget.get(chiave, ZERO) * Decimal("0.9") / totale
            for chiave, totale in allocato.items()
            if totale > budget.get(chiave, ZERO)
        }
        if not fattori:
            continue
        righe = [
            a
            for a in Allocazione.objects.filter(scheda__piano=piano)
            if (a.fonte_id, a.anno) in fattori
        ]
        for a in righe:
            a.importo = (a.importo * fattori[(a.fonte_id, a.anno)]).quantize(
                CENT, rounding=ROUND_DOWN
            )
        Allocazione.objects.filter(pk__in=[a.pk for a in righe if a.importo <= 0]).delete()
        Allocazione.objects.bulk_update([a for a in righe if a.importo > 0], ["importo"])


# --- Entry point -------------------------------------------------------------------------------


TESTI_NARRATIVA = {
    "contesto": "L'ambito di {ambito} conta {abitanti} abitanti in {comuni}. "
    "Crescono gli anziani soli e le famiglie con minori in povertà relativa; la domanda di "
    "assistenza domiciliare supera l'offerta attuale.\n\n- invecchiamento della popolazione\n"
    "- fragilità economica delle famiglie\n- dispersione scolastica nelle aree interne",
    "obiettivi": "### Priorità del triennio\n\n1. Consolidare il **Pronto intervento sociale** e la "
    "Porta unica di accesso.\n2. Ampliare l'assistenza domiciliare integrata.\n3. Rafforzare i "
    "percorsi di inclusione per i beneficiari di misure di contrasto alla povertà.",
    "organizzazione": "L'Ufficio di Piano opera presso il comune capofila con un responsabile, "
    "due istruttori amministrativi e un'équipe di assistenti sociali dell'ambito.",
    "integrazione": "I servizi sociali e sanitari condividono la *Porta unica di accesso* e "
    "l'Unità di valutazione multidimensionale.",
    "collaborazione": "Protocolli con i centri per l'impiego, le scuole e il tribunale per i "
    "minorenni regolano la presa in carico congiunta.",
    "concertazione": "Il piano è stato concertato con il distretto socio-sanitario dell'ASL in "
    "tre incontri del tavolo tecnico e nella Conferenza dei servizi.",
    "sistema_informativo": "La cartella sociale informatizzata alimenta i flussi SIUSS verso "
    "l'INPS e gli indicatori del monitoraggio regionale.",
}


def _narrativa(piani: list[Piano]) -> None:
    """The seven chapters for the demo plans; chapters someone already wrote are left alone."""
    popolazione: dict[int, tuple[int, int]] = {}
    for comune in Comune.objects.filter(ambito__in=[p.ambito_id for p in piani]):
        abitanti, numero = popolazione.get(comune.ambito_id, (0, 0))
        popolazione[comune.ambito_id] = (abitanti + comune.popolazione, numero + 1)
    Narrativa.objects.bulk_create(
        [
            Narrativa(
                piano=piano,
                capitolo=capitolo,
                testo=testo.format(
                    ambito=piano.ambito.nome.removeprefix("Ambito di "),
                    abitanti=f"{popolazione[piano.ambito_id][0]:,}".replace(",", "."),
                    comuni=plurale(popolazione[piano.ambito_id][1], "comune", "comuni"),
                ),
            )
            for piano in piani
            for capitolo, testo in TESTI_NARRATIVA.items()
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


def _primo_approvato(ciclo: Ciclo, ambiti: list[Ambito]) -> list[Ambito]:
    """The small demo's approved ambito with a full plan: what monitoring and indicators read."""
    approvato = (
        Piano.objects.filter(
            ciclo=ciclo, tipo=Piano.Tipo.TRIENNALE, stato=Piano.Stato.APPROVATO, ambito__in=ambiti
        )
        .order_by("ambito__codice")
        .select_related("ambito")
        .first()
    )
    return [approvato.ambito] if approvato else []


def crea_dati_demo(regione: Regione, ambiti: list[Ambito], rng: random.Random, scale: str) -> None:
    ciclo = Ciclo.objects.filter(regione=regione).order_by("-anno_inizio").first()
    if ciclo is None:
        return
    voci = _crea_catalogo(ciclo)
    seme = rng.randrange(1 << 30)  # each plan gets its own generator: plans do not shift others
    con_schede = ambiti if scale == "full" else ambiti[:2] + _primo_approvato(ciclo, ambiti[2:])
    piani = Piano.objects.filter(ciclo=ciclo, tipo=Piano.Tipo.TRIENNALE, ambito__in=con_schede)
    _narrativa(list(piani.select_related("ambito")))
    gia_fatti = set(
        SchedaIntervento.objects.filter(piano__in=piani).values_list("piano_id", flat=True)
    )  # a re-run leaves the sheets already written alone…
    # …but the co-financing the risorse demo rewrites may have shrunk under them.
    _riporta_nel_budget([p for p in piani.select_related("ciclo") if p.pk in gia_fatti])
    piani = [
        p
        for p in piani.select_related("ciclo", "ambito").order_by("ambito__codice")
        if p.pk not in gia_fatti
    ]
    if not piani:
        return
    comuni: dict[int, list[Comune]] = {}
    for comune in Comune.objects.filter(ambito__in=[p.ambito_id for p in piani]).order_by(
        "-popolazione", "codice_istat"
    ):
        comuni.setdefault(comune.ambito_id, []).append(comune)
    vincoli: dict[int, list[tuple[int, Decimal]]] = {}
    for v in Vincolo.objects.filter(ciclo=ciclo):
        vincoli.setdefault(v.fonte_id, []).append((v.area_id, v.percentuale_minima))

    lavori = [
        _Piano(p, budget_del_piano(p).tabella, random.Random(f"{seme}:{p.ambito.codice}"))
        for p in piani
    ]
    for lavoro in lavori:
        _schede_del_piano(lavoro, voci, comuni[lavoro.piano.ambito_id])
    SchedaIntervento.objects.bulk_create(
        [s for lavoro in lavori for s in lavoro.schede], batch_size=BATCH
    )
    figure, beneficiari, aree, allocazioni = [], [], [], []
    for lavoro in lavori:
        f, b, a = _dettagli(lavoro)
        figure += f
        beneficiari += b
        aree += a
        allocazioni += _allocazioni(lavoro, vincoli)
    FiguraProfessionale.objects.bulk_create(figure, batch_size=BATCH)
    BeneficiariPrevisti.objects.bulk_create(beneficiari, batch_size=BATCH)
    SchedaIntervento.aree_utenza.through.objects.bulk_create(aree, batch_size=BATCH)
    Allocazione.objects.bulk_create(allocazioni, batch_size=BATCH)
