"""A Region's first cycle brings the standard indicator catalogue; later cycles keep the Region's own."""

import html
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from monitoraggio.models import Indicatore
from pianizona.models import Ciclo, Ruolo
from tests.factories import AmbitoFactory, MembershipFactory, RegioneFactory, UserFactory
from tests.monitoraggio.indicatori_dati import aree_utenza

pytestmark = pytest.mark.django_db

N_STANDARD = 20  # rows of monitoraggio/indicatori/catalogo.csv


@pytest.fixture
def toscana(db, settings):
    """A Region with one ambito, one officer and nothing else yet."""
    settings.PIANIZONA_MFA_OBBLIGATORIA = False  # the second factor is tested on its own
    regione = RegioneFactory(codice_istat="09", nome="Toscana")
    AmbitoFactory(regione=regione, codice="TO01", nome="Zona Firenze")
    funzionario = UserFactory(email="funzionario.toscana@example.org")
    MembershipFactory(user=funzionario, ruolo=Ruolo.FUNZIONARIO, ambito=None, regione=regione)
    client = Client()
    client.force_login(funzionario)
    return regione, client


def apri(client: Client, regione, nome: str, anno: int) -> str:
    risposta = client.post(
        reverse("regione_cicli", args=[regione.pk]),
        {"nome": nome, "tipo": "annuale", "anno_inizio": anno, "anno_fine": anno},
        follow=True,
    )
    assert risposta.status_code == 200
    return html.unescape(risposta.content.decode())


def test_a_regions_first_cycle_brings_the_standard_indicator_catalogue(toscana):
    regione, client = toscana
    aree_utenza()

    pagina = apri(client, regione, "Programma 2026", 2026)

    assert Indicatore.objects.filter(regione=regione).count() == N_STANDARD
    assert f"Caricato il catalogo standard degli indicatori: {N_STANDARD} indicatori." in pagina
    ciclo = Ciclo.objects.get(regione=regione)
    catalogo = client.get(reverse("monitoraggio:indicatori_catalogo", args=[ciclo.pk]))
    assert "Spesa sociale programmata per abitante" in catalogo.content.decode()


def test_a_later_cycle_keeps_the_regions_own_catalogue_and_targets(toscana):
    regione, client = toscana
    aree_utenza()
    apri(client, regione, "Programma 2026", 2026)
    Indicatore.objects.filter(regione=regione, codice="SPS01").update(target=Decimal("150"))
    Indicatore.objects.filter(regione=regione, codice="SPS02").delete()

    pagina = apri(client, regione, "Programma 2027", 2027)

    assert Indicatore.objects.filter(regione=regione).count() == N_STANDARD - 1
    assert Indicatore.objects.get(regione=regione, codice="SPS01").target == Decimal("150")
    assert "catalogo standard degli indicatori" not in pagina


def test_without_the_reference_areas_the_cycle_opens_and_says_why_there_are_no_indicators(
    toscana,
):
    regione, client = toscana

    pagina = apri(client, regione, "Programma 2026", 2026)

    assert Ciclo.objects.filter(regione=regione).count() == 1
    assert not Indicatore.objects.filter(regione=regione).exists()
    assert "Il catalogo standard degli indicatori non è stato caricato:" in pagina
    assert "eseguire manage.py load_reference" in pagina
