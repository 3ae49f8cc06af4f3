"""A cycle opened from an earlier one starts from its catalogue of interventions."""

import html

import pytest
from django.urls import reverse

from pianizona.models import Ciclo
from programmazione.models import VoceCatalogo

pytestmark = pytest.mark.django_db


def test_the_new_cycle_starts_from_the_earlier_catalogue(cast, client_for, catalogo):
    origine = cast.piano_a.ciclo
    client = client_for("funzionario")

    risposta = client.post(
        reverse("regione_cicli", args=[cast.regione.pk]),
        {
            "nome": "Piano sociale 2028–2030",
            "tipo": "triennale",
            "anno_inizio": "2028",
            "anno_fine": "2030",
            "origine": str(origine.pk),
        },
        follow=True,
    )

    nuovo = Ciclo.objects.get(nome="Piano sociale 2028–2030")
    voci = VoceCatalogo.objects.filter(ciclo=nuovo).order_by("codice")
    assert [(v.codice, v.nome) for v in voci] == [
        ("A1.01", "Segretariato sociale"),
        ("B2.01", "Assistenza domiciliare"),
        ("C3.01", "Centro diurno"),
        ("P1.01", "Progetto PNRR 1.1.1"),
    ]
    centro = voci.get(codice="C3.01")
    assert (centro.in_ambito, centro.in_comunale, centro.in_altre_risorse) == (True, False, False)
    assert "copiate le voci del catalogo degli interventi: 4." in html.unescape(
        risposta.content.decode()
    )
    assert VoceCatalogo.objects.filter(ciclo=origine).count() == 4
    pagina = client.get(reverse("programmazione:catalogo", args=[nuovo.pk]))
    assert "Segretariato sociale" in pagina.content.decode()


def test_a_cycle_opened_from_scratch_has_an_empty_catalogue(cast, client_for, catalogo):
    client_for("funzionario").post(
        reverse("regione_cicli", args=[cast.regione.pk]),
        {"nome": "Programma 2028", "tipo": "annuale", "anno_inizio": "2028", "anno_fine": "2028"},
    )

    assert not VoceCatalogo.objects.filter(ciclo__nome="Programma 2028").exists()
