"""Data never crosses Regions: the rules in the models, and the services that check them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pianizona.dominio import ErroreDominio, verifica_integrita
from pianizona.iter import workflow
from pianizona.models import Ambito, Comune, Piano

from ...factories import AmbitoFactory, ComuneFactory


def test_the_same_ambito_code_is_accepted_in_two_regions(cast, emilia):
    omonimo = Ambito(regione=emilia.regione, codice="BA01", nome="Distretto di Bazzano")
    omonimo.full_clean()
    omonimo.save()
    assert sorted(Ambito.objects.filter(codice="BA01").values_list("regione__nome", flat=True)) == [
        "Emilia-Romagna",
        "Puglia",
    ]


def test_an_ambito_code_is_unique_within_its_region(cast):
    doppione = Ambito(regione=cast.regione, codice="BA01", nome="Altro ambito")
    with pytest.raises(ValidationError, match="Esiste già un ambito con questo codice"):
        doppione.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        AmbitoFactory(regione=cast.regione, codice="BA01", nome="Altro ambito")


def test_a_service_cannot_move_an_ambito_to_another_region(cast, emilia):
    bari = Ambito.objects.get(pk=cast.ambito_a.pk)
    bari.regione = emilia.regione
    with pytest.raises(ErroreDominio, match="L'ambito BA01 non può passare a un'altra regione"):
        verifica_integrita(bari)
    assert Ambito.objects.get(pk=bari.pk).regione == cast.regione


def test_a_service_cannot_put_a_municipality_in_an_ambito_of_another_region(cast, emilia):
    bari = Comune.objects.get(nome="Bari")
    bari.ambito = emilia.ambito
    with pytest.raises(ErroreDominio) as errore:
        verifica_integrita(bari)
    assert str(errore.value) == (
        "Il comune Bari non può entrare nell'ambito BO01 (Distretto Città di Bologna): "
        "l'ambito è della regione Emilia-Romagna, il comune della regione Puglia. "
        "Un comune appartiene solo a un ambito della sua regione."
    )
    assert Comune.objects.get(nome="Bari").ambito == cast.ambito_a


def test_a_municipality_with_no_ambito_may_be_set_right_to_its_region(cast, emilia):
    sperduto = ComuneFactory(
        ambito=None, regione=cast.regione, codice_istat="099001", nome="Montecopiolo"
    )
    sperduto.regione = emilia.regione
    verifica_integrita(sperduto)
    sperduto.save()
    assert Comune.objects.get(nome="Montecopiolo").regione == emilia.regione


def test_a_service_cannot_give_an_ambito_a_capofila_of_another_region(cast, emilia):
    bari = Ambito.objects.get(pk=cast.ambito_a.pk)
    bari.comune_capofila = emilia.bologna
    with pytest.raises(ErroreDominio, match="Il comune capofila Bologna è della regione"):
        verifica_integrita(bari)
    assert Ambito.objects.get(pk=bari.pk).comune_capofila.nome == "Bari"


def test_the_annual_plan_is_not_started_in_a_cycle_of_another_region(cast, emilia):
    # Data written before the rule: Bari's triennial plan sits in Emilia-Romagna's cycle.
    Piano.objects.create(ambito=cast.ambito_a, ciclo=emilia.ciclo, stato=Piano.Stato.APPROVATO)
    piani_prima = Piano.objects.count()
    with pytest.raises(ErroreDominio) as errore:
        workflow.piano_attuativo_avvia(
            ambito=cast.ambito_a, ciclo=emilia.ciclo, anno=2026, user=cast.responsabile_a
        )
    assert (
        "è della regione Emilia-Romagna, l'ambito BA01 (Ambito di Bari) della regione Puglia"
        in (str(errore.value))
    )
    assert Piano.objects.count() == piani_prima
