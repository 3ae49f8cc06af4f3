from decimal import Decimal

from pianizona.models import Comune
from pianizona.registry import esegui_controlli
from risorse import services
from risorse.controlli import controlli_risorse


def test_a_plan_without_recepimento_or_with_municipalities_below_the_minimum_is_blocked(
    cast, fonti, ciclo_configurato
):
    esiti = {e.codice: e for e in controlli_risorse(cast.piano_a)}
    assert esiti["recepimento_mancante"].bloccante
    valenzano = Comune.objects.get(nome="Valenzano")
    messaggio = esiti[f"cofinanziamento_minimo:{valenzano.codice_istat}:2025"].messaggio
    assert messaggio == (
        "Valenzano, 2025: cofinanziamento di 0,00\u00a0€ (0,00\u00a0€ per abitante), sotto il minimo "
        "regionale di 2,00\u00a0€ per abitante; mancano 36.094,00\u00a0€."
    )


def test_the_checks_pass_once_acknowledged_and_cofinanced(cast, fonti, ciclo_configurato):
    services.assegnazioni_salva(
        ciclo=ciclo_configurato,
        fonte=fonti["FNPS"],
        anno=2025,
        importi={cast.ambito_a.pk: Decimal("10.00")},
        revisione=0,
        user=None,
    )
    services.recepimento_registra(piano=cast.piano_a, user=cast.operatore_a)
    importi = {
        (c.pk, anno): Decimal(2 * c.popolazione)
        for c in Comune.objects.filter(ambito=cast.ambito_a)
        for anno in (2025, 2026, 2027)
    }
    services.cofinanziamento_salva(
        piano=cast.piano_a, importi=importi, revisione=0, user=cast.operatore_a
    )
    assert controlli_risorse(cast.piano_a) == []
    assert all(
        e.codice.startswith(("sovra", "vincolo", "scheda", "narrativa", "da_programmare"))
        for e in esegui_controlli(cast.piano_a)
    )
