"""A cycle opened from an earlier one takes its configuration: funds, co-financing minimum, earmarks."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from pianizona.models import AreaInterventoFnps, Ciclo
from risorse.models import CriterioRiparto, FonteCiclo, RegolaCiclo, Vincolo

pytestmark = pytest.mark.django_db


def apri_da(client, regione, origine) -> str:
    risposta = client.post(
        reverse("regione_cicli", args=[regione.pk]),
        {
            "nome": "Piano sociale 2028–2030",
            "tipo": "triennale",
            "anno_inizio": "2028",
            "anno_fine": "2030",
            "origine": str(origine.pk) if origine else "",
        },
        follow=True,
    )
    assert risposta.status_code == 200
    return html.unescape(risposta.content.decode())


def nuovo() -> Ciclo:
    return Ciclo.objects.get(nome="Piano sociale 2028–2030")


def test_the_new_cycle_takes_the_active_funds_of_the_earlier_one(
    cast, client_for, ciclo_configurato, fonti
):
    FonteCiclo.objects.create(ciclo=ciclo_configurato, fonte=fonti["PNRR"], sezione="altre_risorse")

    pagina = apri_da(client_for("funzionario"), cast.regione, ciclo_configurato)

    attive = {(f.fonte.codice, f.sezione) for f in FonteCiclo.objects.filter(ciclo=nuovo())}
    assert attive == {
        ("FNPS", "ordinarie"),
        ("FNA", "ordinarie"),
        ("FGSA", "ordinarie"),
        ("PNRR", "altre_risorse"),
    }
    assert "fonti attive 4" in pagina
    # the earlier cycle keeps its own
    assert FonteCiclo.objects.filter(ciclo=ciclo_configurato).count() == 4


def test_the_new_cycle_takes_the_co_financing_minimum_of_the_earlier_one(
    cast, client_for, ciclo_configurato
):
    pagina = apri_da(client_for("funzionario"), cast.regione, ciclo_configurato)

    assert RegolaCiclo.objects.get(ciclo=nuovo()).cofinanziamento_minimo == Decimal("2.00")
    assert "cofinanziamento minimo 2,00\xa0€ per abitante" in pagina


def test_the_new_cycle_takes_the_earmarks_of_the_earlier_one(
    cast, client_for, ciclo_configurato, fonti
):
    area = AreaInterventoFnps.objects.create(codice=1, nome="Infanzia e famiglia")
    Vincolo.objects.create(
        ciclo=ciclo_configurato,
        fonte=fonti["FNPS"],
        area=area,
        percentuale_minima=Decimal("50"),
        descrizione="Almeno metà del FNPS a infanzia e famiglia",
    )

    pagina = apri_da(client_for("funzionario"), cast.regione, ciclo_configurato)

    vincolo = Vincolo.objects.get(ciclo=nuovo())
    assert (vincolo.fonte, vincolo.area, vincolo.percentuale_minima) == (
        fonti["FNPS"],
        area,
        Decimal("50.00"),
    )
    assert vincolo.descrizione == "Almeno metà del FNPS a infanzia e famiglia"
    assert "vincoli di destinazione 1" in pagina
    configurazione = client_for("funzionario").get(
        reverse("risorse:configurazione", args=[nuovo().pk])
    )
    assert "Almeno metà del FNPS a infanzia e famiglia" in configurazione.content.decode()
    assert "Nessun vincolo di destinazione." not in configurazione.content.decode()


def test_the_regions_allocation_criteria_serve_the_new_cycle_too(
    cast, client_for, ciclo_configurato
):
    CriterioRiparto.objects.create(regione=cast.regione, codice="minori", nome="Minori 0-17")

    apri_da(client_for("funzionario"), cast.regione, ciclo_configurato)

    criteri = client_for("funzionario").get(reverse("risorse:criteri", args=[nuovo().pk]))
    assert "Minori 0-17" in criteri.content.decode()


def test_a_cycle_opened_from_scratch_has_no_configuration(cast, client_for, ciclo_configurato):
    apri_da(client_for("funzionario"), cast.regione, None)

    assert not FonteCiclo.objects.filter(ciclo=nuovo()).exists()
    assert not RegolaCiclo.objects.filter(ciclo=nuovo()).exists()
    assert not Vincolo.objects.filter(ciclo=nuovo()).exists()
