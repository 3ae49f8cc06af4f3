"""A Region names its districts and its approval body; every page, e-mail and PDF follows."""

import html
import io

import pytest
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from pianizona.demo import seed_demo
from pianizona.dominio import ErroreDominio
from pianizona.iter.notifiche import notifica_transizione_invia
from pianizona.models import Ambito, Piano, Regione, Transizione
from pianizona.territorio.denominazioni import DISTRETTI, ORGANI, con_denominazione
from pianizona.territorio.services import regione_imposta_denominazioni
from programmazione import stampa

# How each name reads in a district's own name and after «del».
NOMI = {
    "ambito": ("Ambito di Bari", "dell'ambito territoriale sociale", "dell'Ambito di Bari"),
    "distretto": ("Distretto di Parma", "del distretto", "del Distretto di Parma"),
    "zona_sociale": ("Zona sociale Pisana", "della zona sociale", "della Zona sociale Pisana"),
    "zona_distretto": (
        "Zona-distretto Fiorentina",
        "della zona-distretto",
        "della Zona-distretto Fiorentina",
    ),
}
ORGANO = {
    "ambito": "coordinamento",
    "distretto": "comitato",
    "zona_sociale": "assemblea",
    "zona_distretto": "conferenza",
}


def leggi(risposta) -> str:
    return html.unescape(risposta.content.decode())


@pytest.fixture(params=list(NOMI))
def denominata(request, cast):
    """Region R names its districts one of the four ways; ambito A is named accordingly."""
    chiave = request.param
    Regione.objects.filter(pk=cast.regione.pk).update(
        denominazione_ambiti=chiave, organo_approvazione=ORGANO[chiave]
    )
    Ambito.objects.filter(pk=cast.ambito_a.pk).update(nome=NOMI[chiave][0])
    return chiave


def test_each_name_has_its_articles_and_plural():
    assert [DISTRETTI[k].forma("del") for k in NOMI] == [NOMI[k][1] for k in NOMI]
    assert [DISTRETTI[k].forma("I") for k in NOMI] == [
        "Gli ambiti territoriali sociali",
        "I distretti",
        "Le zone sociali",
        "Le zone-distretto",
    ]
    assert [DISTRETTI[k].forma("un") for k in NOMI] == [
        "un ambito territoriale sociale",
        "un distretto",
        "una zona sociale",
        "una zona-distretto",
    ]
    assert [ORGANI[k].forma("dal") for k in ORGANO.values()] == [
        "dal Coordinamento istituzionale",
        "dal Comitato di distretto",
        "dall'Assemblea dei sindaci",
        "dalla Conferenza dei servizi",
    ]


def test_a_registered_text_gets_the_regions_words_and_keeps_other_braces():
    zona = Regione(denominazione_ambiti="zona_sociale")
    assert (
        con_denominazione("Cruscotto {del}, {Tutti i}, per {} e {x}", zona)
        == "Cruscotto della zona sociale, Tutte le zone sociali, per zona sociale e {x}"
    )


def test_the_service_refuses_a_name_outside_the_set_in_italian(cast):
    with pytest.raises(ErroreDominio, match="Denominazione dei distretti non prevista: «contea»"):
        regione_imposta_denominazioni(
            regione=cast.regione, denominazione_ambiti="contea", organo_approvazione="comitato"
        )
    with pytest.raises(ErroreDominio, match="Organo di approvazione non previsto: «giunta»"):
        regione_imposta_denominazioni(
            regione=cast.regione, denominazione_ambiti="distretto", organo_approvazione="giunta"
        )
    regione = Regione.objects.get(pk=cast.regione.pk)
    assert (regione.denominazione_ambiti, regione.organo_approvazione) == (
        "ambito",
        "coordinamento",
    )


def test_an_unknown_article_is_refused_in_italian():
    with pytest.raises(ValueError, match="Forma sconosciuta: «della»"):
        DISTRETTI["distretto"].forma("della")


@pytest.mark.parametrize(
    "numero, atteso", [(0, "0 comuni"), (1, "1 comune"), (2, "2 comuni"), (1234, "1.234 comuni")]
)
def test_a_count_of_municipalities_agrees_with_its_number(numero, atteso):
    modello = Template('{% load pianizona %}{{ n|plurale:"comune,comuni" }}')
    assert modello.render(Context({"n": numero})) == atteso


def test_the_ambito_page_says_1_comune_and_2_comuni(cast, client_for):
    url_a = reverse("ambito_detail", args=[cast.ambito_a.pk])
    url_b = reverse("ambito_detail", args=[cast.ambito_b.pk])
    assert "in 2 comuni" in leggi(client_for("funzionario").get(url_a))
    pagina_b = leggi(client_for("funzionario").get(url_b))
    assert "in 1 comune<" in pagina_b and "1 comuni" not in pagina_b


def test_the_ambito_page_uses_the_regions_name_with_its_articles(cast, client_for, denominata):
    nome, del_, _ = NOMI[denominata]
    pagina = leggi(client_for("operatore_a").get(reverse("ambito_detail", args=[cast.ambito_a.pk])))
    assert f"<h1>{nome}</h1>" in pagina
    assert f"{DISTRETTI[denominata].singolare.capitalize()} BA01" in pagina
    assert f"Comuni {del_}" in pagina
    assert "dell'Distretto" not in pagina and "dell'Zona" not in pagina


def test_the_pages_the_phase_apps_add_speak_the_regions_words(cast, client_for, denominata):
    _nome, del_, _ = NOMI[denominata]
    ambito = leggi(client_for("operatore_a").get(reverse("ambito_detail", args=[cast.ambito_a.pk])))
    assert f"Cruscotto {del_}</a>" in ambito
    regione = leggi(
        client_for("funzionario").get(reverse("regione_detail", args=[cast.regione.pk]))
    )
    assert f"Assegnazioni {DISTRETTI[denominata].forma('ai')}</a>" in regione
    assert "{" not in ambito.split("<main", 1)[-1].split("<script", 1)[0]


def test_the_plan_page_names_the_district_and_its_approval_body(cast, client_for, denominata):
    pagina = leggi(client_for("operatore_a").get(reverse("piano_detail", args=[cast.piano_a.pk])))
    assert f"({DISTRETTI[denominata].singolare} BA01)" in pagina
    organo = ORGANI[ORGANO[denominata]]
    assert f'Approvazione locale</dt><dd class="col-sm-9">{organo.singolare}' in pagina
    assert f"dopo l'approvazione {organo.forma('del')}" in pagina


def test_the_transition_email_names_the_district_with_its_article(cast, denominata, mailoutbox):
    transizione = Transizione.objects.create(
        piano=cast.piano_a,
        azione=Transizione.Azione.RICHIESTA_INTEGRAZIONI,
        da_stato=Piano.Stato.INVIATO,
        a_stato=Piano.Stato.RICHIESTA_INTEGRAZIONI,
        utente=cast.funzionario,
    )
    assert notifica_transizione_invia(Transizione.objects.get(pk=transizione.pk)) > 0
    corpo = mailoutbox[0].body
    assert f"il {cast.piano_a.titolo} {NOMI[denominata][2]} (" in corpo
    assert "dell'Distretto" not in corpo and "dell'Zona" not in corpo


def test_the_plan_pdf_names_the_district_and_its_approval_body(cast, denominata):
    piano = Piano.objects.select_related("ambito__regione", "ciclo").get(pk=cast.piano_a.pk)
    copertina = PdfReader(io.BytesIO(stampa.pdf_del_piano(piano))).pages[0].extract_text()
    copertina = " ".join(copertina.split())
    nome = NOMI[denominata][0]
    assert f"{DISTRETTI[denominata].singolare.capitalize()} {nome} (BA01)" in copertina
    assert f"Approvazione locale {ORGANI[ORGANO[denominata]].singolare}" in copertina


@pytest.mark.django_db
def test_the_demo_region_keeps_the_ambito_territoriale_sociale_wording(client):
    seed_demo(scale="small")
    puglia = Regione.objects.get(nome="Puglia")
    assert puglia.get_denominazione_ambiti_display() == "Ambito territoriale sociale"
    assert puglia.get_organo_approvazione_display() == "Coordinamento istituzionale"
    ambito = Ambito.objects.get(codice="BA01")
    client.force_login(ambito.memberships.filter(user__is_active=True).first().user)
    pagina = leggi(client.get(reverse("ambito_detail", args=[ambito.pk])))
    assert "Ambito territoriale sociale BA01" in pagina
    assert "Comuni dell'ambito territoriale sociale" in pagina
