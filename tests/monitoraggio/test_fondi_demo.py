"""The fund-monitoring demo: reports with dated cumulative declarations for the approved plans."""

# ruff: noqa: F811 (the fixtures imported from fondi_dati are these tests' parameters)

import random
from datetime import date

from monitoraggio.fondi.demo import crea_dati_demo
from monitoraggio.models import Dichiarazione, Rendicontazione, TransizioneRendicontazione

from .fondi_dati import alloca, linee, oggi  # noqa: F401 (fixtures)


def _costruisci(cast, seme: int = 7) -> None:
    crea_dati_demo(cast.regione, [cast.ambito_a, cast.ambito_b], random.Random(seme), "small")


def test_the_demo_reports_the_approved_plans_years_with_cumulative_declarations(cast, linee, oggi):
    alloca(cast.piano_a.schede.get(numero=1), linee.fnps, 2026, "30000")
    _costruisci(cast)
    rendicontazioni = {r.anno: r for r in Rendicontazione.objects.filter(ambito=cast.ambito_a)}
    assert set(rendicontazioni) == {2025, 2026}
    assert rendicontazioni[2025].stato == Rendicontazione.Stato.ACCETTATA
    assert rendicontazioni[2026].stato == Rendicontazione.Stato.BOZZA
    assert list(
        TransizioneRendicontazione.objects.filter(
            rendicontazione=rendicontazioni[2025]
        ).values_list("azione", flat=True)
    ) == ["invio", "accettazione"]
    assert not Rendicontazione.objects.filter(ambito=cast.ambito_b).exists()  # nothing approved
    linee_2025 = {}
    for d in Dichiarazione.objects.filter(rendicontazione__anno=2025).order_by("data", "pk"):
        linee_2025.setdefault(
            (d.fonte_id, d.obiettivo_servizio_id, d.area_intervento_id), []
        ).append(d)
    assert len(linee_2025) == 3  # every programmed line of 2025
    for storia in linee_2025.values():
        assert [d.data for d in storia] == [date(2025, 6, 30), date(2025, 12, 15)]
        assert storia[0].impegnato <= storia[1].impegnato
        assert storia[0].liquidato <= storia[1].liquidato
        assert all(0 <= d.liquidato <= d.impegnato for d in storia)
    assert Dichiarazione.objects.filter(rendicontazione__anno=2026).get().data == oggi


def test_the_demo_is_deterministic_and_a_second_run_adds_nothing(cast, linee, oggi):
    _costruisci(cast)
    prima = list(Dichiarazione.objects.order_by("pk").values_list("impegnato", "liquidato"))
    _costruisci(cast)
    assert Dichiarazione.objects.count() == len(prima)
    Dichiarazione.objects.all().delete()
    TransizioneRendicontazione.objects.all().delete()
    Rendicontazione.objects.all().delete()
    _costruisci(cast)
    assert list(Dichiarazione.objects.order_by("pk").values_list("impegnato", "liquidato")) == prima
