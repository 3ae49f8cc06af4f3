"""Demo data of fund monitoring: for the current cycle's approved plans, the 2025 report with two
dated cumulative declarations per line (most accepted by the Region, one still under review) and
the 2026 report in progress. Amounts are drawn from each line's programmed amount; not official.

Rows are written with bulk_create like the other phases' demos: the services check dates against
today and the roles of real users, while the demo writes a history with fixed dates.
"""

import random
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from pianizona.models import Ambito, Ciclo, Membership, Piano, Regione, Ruolo, User
from pianizona.money import CENT

from ..models import Dichiarazione, Rendicontazione, TransizioneRendicontazione
from ..programmato import programmato_per_linea

DOMINIO = "pianizona.demo"
# Small scale: reports for the first approved ambiti with programmed lines, not all of them.
AMBITI_SMALL = 3
Stato = Rendicontazione.Stato
Azione = TransizioneRendicontazione.Azione


def _quota(importo: Decimal, minimo: float, massimo: float, rng: random.Random) -> Decimal:
    return (importo * Decimal(str(rng.uniform(minimo, massimo)))).quantize(CENT, ROUND_DOWN)


def _utente_storico() -> User:
    """Who declared for ambiti without demo accounts (the core demo uses the same inactive user)."""
    return User.objects.get_or_create(
        email=f"storico@{DOMINIO}",
        defaults={
            "first_name": "Ufficio di Piano",
            "last_name": "(dati storici)",
            "is_active": False,
        },
    )[0]


def _piani_approvati(ciclo: Ciclo, ambiti: list[Ambito]) -> list[Piano]:
    return list(
        Piano.objects.filter(
            ciclo=ciclo,
            tipo=Piano.Tipo.TRIENNALE,
            stato=Piano.Stato.APPROVATO,
            ambito__in=ambiti,
        )
        .select_related("ambito")
        .order_by("ambito__codice")
    )


def _dichiarazioni(
    rendicontazione: Rendicontazione,
    righe: dict,
    date_e_quote: list[tuple[date, tuple[float, float], tuple[float, float]]],
    utente: User,
    rng: random.Random,
) -> list[Dichiarazione]:
    """Cumulative declarations per line: each date's amounts never fall below the previous ones."""
    nuove = []
    for linea, programmato in sorted(
        righe.items(), key=lambda x: (x[0].fonte_id, x[0].obiettivo_id, x[0].area_id)
    ):
        impegnato = liquidato = Decimal("0")
        for giorno, quota_imp, quota_liq in date_e_quote:
            impegnato = max(impegnato, _quota(programmato, *quota_imp, rng))
            liquidato = min(impegnato, max(liquidato, _quota(programmato, *quota_liq, rng)))
            nuove.append(
                Dichiarazione(
                    rendicontazione=rendicontazione,
                    fonte_id=linea.fonte_id,
                    obiettivo_servizio_id=linea.obiettivo_id,
                    area_intervento_id=linea.area_id,
                    data=giorno,
                    impegnato=impegnato,
                    liquidato=liquidato,
                    dichiarata_da=utente,
                )
            )
    return nuove


def crea_dati_demo(regione: Regione, ambiti: list[Ambito], rng: random.Random, scale: str) -> None:
    ciclo = Ciclo.objects.filter(regione=regione).order_by("-anno_inizio").first()
    funzionario = User.objects.filter(
        memberships__regione=regione, memberships__ruolo=Ruolo.FUNZIONARIO
    ).first()
    if ciclo is None or funzionario is None or ciclo.anno_inizio + 1 > ciclo.anno_fine:
        return
    proprio = random.Random(rng.randrange(1 << 30))  # the other phases' draws do not shift
    primo, secondo = ciclo.anno_inizio, ciclo.anno_inizio + 1
    piani = _piani_approvati(ciclo, ambiti)
    programmato = programmato_per_linea([p.ambito_id for p in piani], [primo, secondo])
    # Only plans with programmed lines have something to report (the small demo allocates only
    # the two fixed ambiti's plans, neither approved: there it finds none).
    con_linee = {linea.ambito_id for linea in programmato}
    piani = [p for p in piani if p.ambito_id in con_linee]
    if scale != "full":
        piani = piani[:AMBITI_SMALL]
    if not piani:
        return
    oggi = timezone.localdate()
    gia_fatte = set(
        Rendicontazione.objects.filter(ambito__in=[p.ambito_id for p in piani]).values_list(
            "ambito_id", "anno"
        )
    )
    responsabili = {
        m.ambito_id: m.user
        for m in Membership.objects.filter(
            ambito__in=[p.ambito_id for p in piani], ruolo=Ruolo.RESPONSABILE
        ).select_related("user")
    }
    storico = _utente_storico()
    dichiarazioni: list[Dichiarazione] = []
    transizioni: list[TransizioneRendicontazione] = []
    for indice, piano in enumerate(piani):
        rng_ambito = random.Random(f"{proprio.random()}-{piano.ambito.codice}")
        utente = responsabili.get(piano.ambito_id, storico)
        for anno in (primo, secondo):
            if (piano.ambito_id, anno) in gia_fatte or date(anno, 1, 31) > oggi:
                continue
            righe = {
                k: v
                for k, v in programmato.items()
                if k.ambito_id == piano.ambito_id and k.anno == anno
            }
            if not righe:
                continue
            if anno == primo:
                # The second ambito lags behind on payments: its 75% warning shows in the demo.
                lento = indice % 3 == 1
                quote = [
                    (date(anno, 6, 30), (0.40, 0.60), (0.15, 0.30)),
                    (date(anno, 12, 15), (0.85, 1.00), (0.50, 0.65) if lento else (0.78, 0.95)),
                ]
                stato = Stato.INVIATA if indice % 3 == 2 else Stato.ACCETTATA
            else:
                quote = [(min(date(anno, 6, 30), oggi), (0.30, 0.55), (0.10, 0.25))]
                stato = Stato.BOZZA
            quote = [q for q in quote if q[0] <= oggi]
            r = Rendicontazione.objects.create(
                ambito=piano.ambito, ciclo=ciclo, anno=anno, stato=stato
            )
            dichiarazioni += _dichiarazioni(r, righe, quote, utente, rng_ambito)
            if stato != Stato.BOZZA:
                transizioni.append(
                    TransizioneRendicontazione(
                        rendicontazione=r,
                        azione=Azione.INVIO,
                        da_stato=Stato.BOZZA,
                        a_stato=Stato.INVIATA,
                        utente=utente,
                    )
                )
            if stato == Stato.ACCETTATA:
                transizioni.append(
                    TransizioneRendicontazione(
                        rendicontazione=r,
                        azione=Azione.ACCETTAZIONE,
                        da_stato=Stato.INVIATA,
                        a_stato=Stato.ACCETTATA,
                        utente=funzionario,
                    )
                )
    Dichiarazione.objects.bulk_create(dichiarazioni, batch_size=2000)
    TransizioneRendicontazione.objects.bulk_create(transizioni, batch_size=2000)
