"""The allocation phase's demo: a catalogue on the FNPS grid and plans that pass their checks."""

import pytest
from django.db.models import Count

from pianizona.demo import seed_demo
from pianizona.models import Ambito, Piano
from programmazione import selectors
from programmazione.controlli import controlli_programmazione
from programmazione.models import (
    Allocazione,
    BeneficiariPrevisti,
    FiguraProfessionale,
    SchedaIntervento,
    Sezione,
    VoceCatalogo,
)

pytestmark = pytest.mark.django_db

MODELLI = [VoceCatalogo, SchedaIntervento, Allocazione, FiguraProfessionale, BeneficiariPrevisti]


def _piani_con_schede() -> list[Piano]:
    return list(
        Piano.objects.filter(schede__isnull=False).distinct().select_related("ciclo", "ambito")
    )


def _esiti(piano: Piano) -> list[str]:
    """What the submission would refuse: over-allocations, broken earmarks, misplaced sheets."""
    return [esito.messaggio for esito in controlli_programmazione(piano) if esito.bloccante]


def _sheets_are_where_they_belong(piano: Piano) -> None:
    fonti = {
        sezione: {f.pk for f in selectors.fonti_per_sezione(piano, sezione)}
        for sezione in Sezione.values
    }
    for scheda in selectors.schede_del_piano(piano):
        assert scheda.voce.ciclo_id == piano.ciclo_id
        assert scheda.voce.ammessa_in(scheda.sezione), scheda
        if scheda.sezione == Sezione.COMUNALE:
            assert scheda.comune.ambito_id == piano.ambito_id
        else:
            assert scheda.comune is None
        assert {a.fonte_id for a in scheda.allocazioni.all()} <= fonti[scheda.sezione], scheda


def test_the_demo_catalogue_has_about_forty_entries_on_the_fnps_grid():
    seed_demo(scale="small")
    corrente = Piano.objects.filter(ciclo__anno_inizio=2025).first().ciclo
    voci = list(
        VoceCatalogo.objects.filter(ciclo=corrente).select_related(
            "obiettivo_servizio__macro_livello", "area_intervento"
        )
    )
    assert 40 <= len(voci) <= 45
    assert not VoceCatalogo.objects.exclude(ciclo=corrente).exists()  # the current cycle only
    assert {v.obiettivo_servizio.macro_livello.codice for v in voci} == {1, 2, 3, 4, 5}
    assert len({v.obiettivo_servizio.codice for v in voci}) == 9  # every service objective
    assert {v.area_intervento.codice for v in voci} == {1, 2, 3}
    assert any(v.leps for v in voci) and not all(v.leps for v in voci)
    assert sum(1 for v in voci if v.prestazione_siuss_id) >= 20
    pnrr = [v for v in voci if v.nome.startswith("PNRR")]
    assert pnrr and all(v.in_altre_risorse and not v.in_ambito and not v.in_comunale for v in pnrr)


def test_the_small_demo_writes_sheets_for_the_first_two_ambiti_and_one_approved_plan():
    seed_demo(scale="small")
    piani = _piani_con_schede()
    assert sorted(p.ambito.codice for p in piani)[:2] == ["BA01", "BA02"]
    assert [p.stato for p in piani if p.ambito.codice not in ("BA01", "BA02")] == [
        Piano.Stato.APPROVATO
    ]
    assert all(p.tipo == Piano.Tipo.TRIENNALE and p.ciclo.anno_inizio == 2025 for p in piani)
    bozza = next(p for p in piani if p.ambito.codice == "BA01")
    assert bozza.stato == Piano.Stato.BOZZA
    per_sezione = dict(
        SchedaIntervento.objects.filter(piano=bozza).values_list("sezione").annotate(n=Count("id"))
    )
    assert set(per_sezione) == set(Sezione.values) and sum(per_sezione.values()) == 60
    comunali = SchedaIntervento.objects.filter(piano=bozza, sezione=Sezione.COMUNALE)
    assert comunali.values("comune").distinct().count() == bozza.ambito.comuni.count()
    scheda = SchedaIntervento.objects.filter(piano=bozza).first()
    assert scheda.figure.exists() and scheda.beneficiari.count() == 3
    assert scheda.aree_utenza.get() == scheda.voce.area_utenza
    assert Allocazione.objects.filter(scheda__piano=bozza).count() > 900
    for piano in piani:
        _sheets_are_where_they_belong(piano)


def test_the_demo_plans_stay_within_every_budget_and_meet_the_earmarks():
    seed_demo(scale="small")
    for piano in _piani_con_schede():
        assert _esiti(piano) == []
        quadro = selectors.quadro_allocazioni(piano)
        assert quadro.totale_allocato > quadro.totale_budget * 7 / 10  # there is a plan to check
        assert selectors.stato_vincoli(piano, quadro)  # the FNPS earmark applies, and holds


def test_rerunning_the_demo_duplicates_nothing_and_the_plans_still_pass():
    seed_demo(scale="small")
    conteggi = [m.objects.count() for m in MODELLI]
    seed_demo(scale="small")
    assert [m.objects.count() for m in MODELLI] == conteggi
    assert all(_esiti(p) == [] for p in _piani_con_schede())


def test_the_full_demo_gives_every_plan_sixty_sheets_within_budget():
    seed_demo(scale="full")
    piani = _piani_con_schede()
    assert len(piani) == Ambito.objects.count() == 45
    assert SchedaIntervento.objects.count() == 45 * 60
    assert Allocazione.objects.count() > 40_000
    for piano in piani:
        assert _esiti(piano) == [], piano
