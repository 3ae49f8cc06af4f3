"""Demo data of the preliminary phase: cycle configuration, transfers by riparto, co-financing,
residui and other resources, acknowledgements. Amounts are realistic for Puglia, not official.
"""

import random
from decimal import Decimal

from pianizona.models import (
    AreaInterventoFnps,
    Ciclo,
    Comune,
    FonteFinanziamento,
    Piano,
    Regione,
    User,
)

from . import services
from .models import (
    Cofinanziamento,
    FonteCiclo,
    Recepimento,
    RegolaCiclo,
    ResiduoEconomia,
    Riparto,
    RisorsaAggiuntiva,
    Vincolo,
)
from .selectors import assegnazioni_del_piano, impronta_assegnazioni

# Yearly regional totals to distribute (€), per fund transferred by the Region.
TOTALI_REGIONALI = {
    "FNPS": Decimal("27364012.00"),
    "FPOV": Decimal("38646645.38"),
    "FNA": Decimal("57540000.00"),
    "FPF": Decimal("1250000.00"),
    "FGSA": Decimal("18000000.00"),
    "RED": Decimal("12500000.00"),
}
ALTRE_FONTI = ["COM", "ASL", "PNRR", "PON", "BS", "ALT"]
MINIMO_PER_ABITANTE = Decimal("6.00")


def _configura(ciclo: Ciclo) -> None:
    fonti = {f.codice: f for f in FonteFinanziamento.objects.all()}
    for codice in [*TOTALI_REGIONALI, *ALTRE_FONTI]:
        if codice in fonti:
            FonteCiclo.objects.update_or_create(
                ciclo=ciclo, fonte=fonti[codice], defaults={"sezione": fonti[codice].sezione}
            )
    RegolaCiclo.objects.update_or_create(
        ciclo=ciclo, defaults={"cofinanziamento_minimo": MINIMO_PER_ABITANTE}
    )
    area_minori = AreaInterventoFnps.objects.get(codice=1)
    Vincolo.objects.update_or_create(
        ciclo=ciclo,
        fonte=fonti["FNPS"],
        area=area_minori,
        defaults={
            "percentuale_minima": Decimal("50.00"),
            "descrizione": "Decreto di riparto FNPS: almeno il 50% a infanzia, adolescenza e famiglie",
        },
    )


def _trasferimenti(ciclo: Ciclo, funzionario: User) -> None:
    fonti = {f.codice: f for f in FonteFinanziamento.objects.filter(codice__in=TOTALI_REGIONALI)}
    fatti = set(Riparto.objects.filter(ciclo=ciclo).values_list("fonte__codice", "anno"))
    for indice, anno in enumerate(ciclo.anni):
        for codice, totale in TOTALI_REGIONALI.items():
            if (codice, anno) in fatti:
                continue
            pesi = {"popolazione": Decimal(100)}
            if codice in ("FNPS", "FPF"):
                # Minors straight from ISTAT's residents by age, a built-in criterion.
                pesi = {"popolazione": Decimal(70), "eta_0_17": Decimal(30)}
            crescita = Decimal(1) + Decimal("0.02") * indice
            services.riparto_applica(
                ciclo=ciclo,
                fonte=fonti[codice],
                anno=anno,
                totale=(totale * crescita).quantize(Decimal("0.01")),
                pesi=pesi,
                user=funzionario,
            )


def _dati_del_piano(piano: Piano, rng: random.Random, minimo: Decimal) -> None:
    """Co-financing, residui and other resources written directly: demo plans are in every state."""
    anni = [piano.anno] if piano.anno else piano.ciclo.anni
    comuni = list(Comune.objects.filter(ambito_id=piano.ambito_id))
    Cofinanziamento.objects.bulk_create(
        [
            Cofinanziamento(
                piano=piano,
                comune=comune,
                anno=anno,
                # about one municipality in eight stays below the minimum
                importo=(
                    minimo
                    * comune.popolazione
                    * Decimal(rng.choice([0.8, 1, 1.05, 1.1, 1.2, 1.3, 1.5, 2]))
                ).quantize(Decimal("0.01")),
            )
            for comune in comuni
            for anno in anni
        ],
        update_conflicts=True,
        unique_fields=["piano", "comune", "anno"],
        update_fields=["importo"],
    )
    fonti = {
        f.codice: f
        for f in FonteFinanziamento.objects.filter(codice__in=["FNPS", "FNA", "ASL", "PNRR"])
    }
    if not ResiduoEconomia.objects.filter(piano=piano).exists():
        ResiduoEconomia.objects.create(
            piano=piano,
            fonte=fonti["FNPS"],
            anno_origine=anni[0] - 1,
            anno_impiego=anni[0],
            tipo=ResiduoEconomia.Tipo.ECONOMIA,
            importo=Decimal(rng.randrange(5_000, 80_000)),
            stato=ResiduoEconomia.Stato.CONFERMATO,
            nota="Economie di gara del servizio di assistenza domiciliare",
        )
        ResiduoEconomia.objects.create(
            piano=piano,
            fonte=fonti["FNA"],
            anno_origine=anni[0] - 2,
            anno_impiego=anni[0],
            tipo=ResiduoEconomia.Tipo.RESIDUO,
            importo=Decimal(rng.randrange(10_000, 120_000)),
            stato=ResiduoEconomia.Stato.STIMATO,
        )
    if not RisorsaAggiuntiva.objects.filter(piano=piano).exists():
        for anno in anni:
            RisorsaAggiuntiva.objects.create(
                piano=piano,
                fonte=fonti["ASL"],
                anno=anno,
                importo=Decimal(rng.randrange(50_000, 400_000)),
                descrizione="Quota sanitaria per l'integrazione socio-sanitaria (ADI, PUA)",
            )
        RisorsaAggiuntiva.objects.create(
            piano=piano,
            fonte=fonti["PNRR"],
            anno=anni[0],
            importo=Decimal("211500.00"),
            descrizione="PNRR M5C2 Inv. 1.2 – percorsi di autonomia per persone con disabilità",
        )


def crea_dati_demo(regione: Regione, ambiti, rng: random.Random, scale: str) -> None:
    ciclo = Ciclo.objects.filter(regione=regione).order_by("-anno_inizio").first()
    funzionario = User.objects.filter(
        memberships__regione=regione, memberships__ruolo="funzionario"
    ).first()
    if ciclo is None or funzionario is None:
        return
    _configura(ciclo)
    _trasferimenti(ciclo, funzionario)
    piani = list(
        Piano.objects.filter(ciclo=ciclo)
        .select_related("ciclo", "ambito")
        .order_by("ambito__codice", "anno")
    )
    base = rng.random()
    for piano in piani:
        # One generator per plan, seeded by the run's: a re-run draws the same amounts for it.
        proprio = random.Random(f"{base}-{piano.ambito.codice}-{piano.tipo}-{piano.anno}")
        _dati_del_piano(piano, proprio, MINIMO_PER_ABITANTE)
        # Plans past the draft acknowledged their transfers; drafts are left to the demo user.
        if (
            piano.stato != Piano.Stato.BOZZA
            and not Recepimento.objects.filter(piano=piano).exists()
        ):
            Recepimento.objects.create(
                piano=piano,
                recepito_da=funzionario,
                importi=impronta_assegnazioni(assegnazioni_del_piano(piano)),
            )
