"""The Region opens its cycles from its own pages, completes them with late ambiti and closes them."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from pianizona.iter import cicli
from pianizona.models import Ciclo, Piano, Ruolo
from tests.factories import (
    AmbitoFactory,
    CicloFactory,
    MembershipFactory,
    PianoFactory,
    RegioneFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def leggi(risposta) -> str:
    """The page as the user reads it (entities such as &#x27; decoded)."""
    return html.unescape(risposta.content.decode())


def apri(client: Client, regione, **dati):
    valori = {"nome": "Piano sociale 2028–2030", "tipo": "triennale"}
    valori |= {"anno_inizio": "2028", "anno_fine": "2030"} | dati
    return client.post(reverse("regione_cicli", args=[regione.pk]), valori, follow=True)


def apri_2028(cast, origine=None) -> cicli.EsitoApertura:
    """The service itself, as the officer of the cast's Region calls it."""
    return cicli.ciclo_apri(
        regione=cast.regione,
        nome="Piano 2028–2030",
        tipo="triennale",
        anno_inizio=2028,
        anno_fine=2030,
        origine=origine,
        user=cast.funzionario,
    )


@pytest.fixture
def funzionario(cast, client_for) -> Client:
    return client_for("funzionario")


@pytest.fixture
def altra_regione(db, settings):
    settings.PIANIZONA_MFA_OBBLIGATORIA = False  # the second factor is tested on its own
    regione = RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    ambito = AmbitoFactory(regione=regione, codice="ER01", nome="Distretto di Bologna")
    ciclo = CicloFactory(regione=regione, nome="Piano ER 2025–2027", anno_inizio=2025)
    PianoFactory(ambito=ambito, ciclo=ciclo)
    funzionario = UserFactory(email="funzionario.er@example.org")
    MembershipFactory(user=funzionario, ruolo=Ruolo.FUNZIONARIO, ambito=None, regione=regione)
    return regione, ciclo, funzionario


# --- opening ---------------------------------------------------------------------------------------


def test_opening_gives_every_ambito_of_the_region_a_draft_triennial_plan(
    cast, funzionario, altra_regione
):
    risposta = apri(funzionario, cast.regione)

    ciclo = Ciclo.objects.get(nome="Piano sociale 2028–2030")
    assert "Ciclo «Piano sociale 2028–2030» aperto: 2 piani in bozza creati." in leggi(risposta)
    piani = Piano.objects.filter(ciclo=ciclo)
    assert sorted(p.ambito.codice for p in piani) == ["BA01", "BA02"]
    assert {(p.tipo, p.stato, p.anno) for p in piani} == {("triennale", "bozza", None)}
    assert (
        "Ogni ambito territoriale sociale della regione ha il suo piano in questo ciclo."
        in leggi(risposta)
    )
    assert ciclo.regione == cast.regione and ciclo.tipo == Ciclo.Tipo.TRIENNALE


def test_opening_the_same_cycle_twice_creates_nothing_twice(cast, funzionario):
    apri(funzionario, cast.regione)
    risposta = apri(funzionario, cast.regione)

    assert "Il ciclo «Piano sociale 2028–2030» era già aperto." in leggi(risposta)
    assert Ciclo.objects.filter(regione=cast.regione).count() == 2
    assert Piano.objects.filter(ciclo__nome="Piano sociale 2028–2030").count() == 2


def test_an_annual_cycle_gives_every_ambito_the_years_annual_plan(cast, funzionario):
    apri(funzionario, cast.regione, nome="Programma 2028", tipo="annuale", anno_fine="2028")

    piani = Piano.objects.filter(ciclo__nome="Programma 2028")
    assert {(p.tipo, p.anno, p.stato) for p in piani} == {("attuativo", 2028, "bozza")}
    assert piani.count() == 2
    assert (
        "Piano attuativo 2028"
        in funzionario.get(reverse("ciclo_detail", args=[piani[0].ciclo_id])).text
    )


def test_an_ambito_added_later_gets_its_plan_from_the_cycle_page(cast, funzionario):
    ciclo = cast.piano_a.ciclo
    nuovo = AmbitoFactory(regione=cast.regione, codice="BA03", nome="Ambito di Molfetta")
    pagina = funzionario.get(reverse("ciclo_detail", args=[ciclo.pk]))
    assert "Ambito di Molfetta" in leggi(pagina)
    assert "Crea i piani in bozza mancanti" in leggi(pagina)

    risposta = funzionario.post(reverse("ciclo_piani_mancanti", args=[ciclo.pk]), follow=True)
    assert "Piani in bozza creati: 1." in leggi(risposta)
    assert Piano.objects.get(ciclo=ciclo, ambito=nuovo).stato == Piano.Stato.BOZZA

    di_nuovo = funzionario.post(reverse("ciclo_piani_mancanti", args=[ciclo.pk]), follow=True)
    assert "Ogni ambito ha già il suo piano: nessun piano creato." in leggi(di_nuovo)
    assert Piano.objects.filter(ciclo=ciclo).count() == 3


def test_the_regions_page_leads_to_its_cycles(cast, funzionario):
    pagina = funzionario.get(reverse("regione_detail", args=[cast.regione.pk]))
    assert reverse("regione_cicli", args=[cast.regione.pk]) in leggi(pagina)
    assert reverse("ciclo_detail", args=[cast.piano_a.ciclo_id]) in leggi(pagina)


def test_a_region_without_cycles_is_invited_to_open_the_first(funzionario):
    vuota = RegioneFactory(codice_istat="09", nome="Toscana")
    funzionario_toscana = UserFactory(email="funzionario.toscana@example.org")
    MembershipFactory(user=funzionario_toscana, ruolo=Ruolo.FUNZIONARIO, ambito=None, regione=vuota)
    client = Client()
    client.force_login(funzionario_toscana)

    pagina = client.get(reverse("regione_detail", args=[vuota.pk]))

    assert "aprire il primo ciclo" in leggi(pagina)
    assert (
        "La regione non ha ancora cicli di programmazione."
        in client.get(reverse("regione_cicli", args=[vuota.pk])).text
    )


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dati, messaggio",
    [
        (
            {"anno_inizio": "2030", "anno_fine": "2028"},
            "L'ultimo anno (2028) non può precedere il primo (2030).",
        ),
        (
            {"anno_fine": "2031"},
            "Un ciclo triennale dura tre anni: dal 2028 l'ultimo anno è il 2030.",
        ),
        ({"tipo": "annuale"}, "Un ciclo annuale dura un solo anno"),
        (
            {"nome": "Piano sociale 2025–2027"},
            "La regione ha già un ciclo di nome «Piano sociale 2025–2027».",
        ),
        (
            {"nome": "Altro nome", "anno_inizio": "2025", "anno_fine": "2027"},
            "Il periodo 2025–2027 è già del ciclo «Piano sociale 2025–2027».",
        ),
        ({"anno_inizio": "duemila"}, "Il primo anno va scritto in cifre, es. 2025."),
        ({"nome": "   "}, "Indicare il nome del ciclo."),
    ],
)
def test_bad_input_is_refused_in_italian_and_writes_nothing(cast, funzionario, dati, messaggio):
    prima = (Ciclo.objects.count(), Piano.objects.count())

    risposta = apri(funzionario, cast.regione, **dati)

    assert risposta.status_code == 400
    assert messaggio in leggi(risposta)
    assert "Il ciclo non è stato aperto: nulla è stato salvato." in leggi(risposta)
    assert (Ciclo.objects.count(), Piano.objects.count()) == prima


def test_a_source_cycle_of_another_region_is_refused_and_nothing_is_written(
    cast, funzionario, altra_regione
):
    _, ciclo_er, _ = altra_regione
    prima = (Ciclo.objects.count(), Piano.objects.count())

    risposta = apri(funzionario, cast.regione, origine=str(ciclo_er.pk))

    assert risposta.status_code == 400
    assert "Il ciclo da cui copiare non è tra i cicli di questa regione." in leggi(risposta)
    with pytest.raises(cicli.CicloNonValido, match="solo da un ciclo della stessa regione"):
        apri_2028(cast, origine=ciclo_er)
    assert (Ciclo.objects.count(), Piano.objects.count()) == prima


def test_a_failure_while_preparing_the_cycle_leaves_no_cycle_and_no_plan(cast, monkeypatch):
    from pianizona import registry

    def guasto(ciclo, origine):
        raise RuntimeError("guasto")

    monkeypatch.setattr(registry, "_aperture_ciclo", [*registry._aperture_ciclo, guasto])
    prima = (Ciclo.objects.count(), Piano.objects.count())
    with pytest.raises(RuntimeError):
        apri_2028(cast)
    assert (Ciclo.objects.count(), Piano.objects.count()) == prima


# --- who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nome, metodo",
    [
        ("regione_cicli", "get"),
        ("regione_cicli", "post"),
        ("ciclo_detail", "get"),
        ("ciclo_piani_mancanti", "post"),
        ("ciclo_chiusura", "post"),
    ],
)
def test_an_officer_of_another_region_finds_nothing(cast, altra_regione, nome, metodo):
    _, _, funzionario_er = altra_regione
    client = Client()
    client.force_login(funzionario_er)
    pk = cast.regione.pk if nome == "regione_cicli" else cast.piano_a.ciclo_id

    risposta = getattr(client, metodo)(reverse(nome, args=[pk]), {"conferma": "1"})

    assert risposta.status_code == 404
    assert Ciclo.objects.get(pk=cast.piano_a.ciclo_id).chiuso_il is None


@pytest.mark.parametrize("ruolo", ["operatore_a", "responsabile_a"])
def test_district_users_may_neither_see_nor_open_cycles(cast, client_for, ruolo):
    client = client_for(ruolo)
    assert client.get(reverse("regione_cicli", args=[cast.regione.pk])).status_code == 403
    assert apri(client, cast.regione).status_code == 403
    assert client.get(reverse("ciclo_detail", args=[cast.piano_a.ciclo_id])).status_code == 403
    assert not Ciclo.objects.filter(nome="Piano sociale 2028–2030").exists()


def test_the_administrator_sees_the_cycles_without_the_forms(cast, client_for):
    pagina = client_for("admin").get(reverse("regione_cicli", args=[cast.regione.pk]))
    assert "Piano sociale 2025–2027" in leggi(pagina)
    assert "Aprire un nuovo ciclo" not in leggi(pagina)


# --- closing -------------------------------------------------------------------------------------


def chiudi(client: Client, ciclo):
    return client.post(reverse("ciclo_chiusura", args=[ciclo.pk]), {"conferma": "1"}, follow=True)


def test_closing_asks_for_confirmation(cast, funzionario):
    risposta = funzionario.post(
        reverse("ciclo_chiusura", args=[cast.piano_a.ciclo_id]), follow=True
    )
    assert "Per chiudere il ciclo spuntare la conferma." in leggi(risposta)
    assert not Ciclo.objects.get(pk=cast.piano_a.ciclo_id).chiuso


def test_a_closed_cycle_says_so_and_its_plans_are_read_only(cast, funzionario, client_for):
    ciclo = cast.piano_a.ciclo
    risposta = chiudi(funzionario, ciclo)
    assert f"Ciclo «{ciclo.nome}» chiuso: i suoi piani sono ora in sola lettura." in leggi(risposta)
    assert "Chiudi il ciclo" not in leggi(risposta)

    responsabile = client_for("responsabile_a")
    pagina = responsabile.get(reverse("piano_detail", args=[cast.piano_a.pk]))
    assert "Piano in sola lettura" in leggi(pagina)
    assert f"Il ciclo «{ciclo.nome}» è chiuso" in leggi(pagina)
    cast.piano_a.refresh_from_db()
    assert not cast.piano_a.modificabile


def test_a_closed_cycle_refuses_the_submission_with_the_reason_on_the_page(
    cast, funzionario, client_for
):
    ciclo = cast.piano_a.ciclo
    chiudi(funzionario, ciclo)
    responsabile = client_for("responsabile_a")

    risposta = responsabile.post(
        reverse("piano_invio", args=[cast.piano_a.pk]), {"stato_atteso": "bozza"}
    )

    assert risposta.status_code == 400
    assert f"Il ciclo «{ciclo.nome}» è chiuso: i suoi piani sono in sola lettura" in leggi(risposta)
    assert "Invia il piano alla Regione" not in leggi(risposta)
    cast.piano_a.refresh_from_db()
    assert cast.piano_a.stato == Piano.Stato.BOZZA
    assert not cast.piano_a.versioni.exists()


def test_a_closed_cycle_refuses_the_districts_edits(cast, funzionario, client_for):
    from pianizona.dominio import PianoNonModificabile, piano_blocca_per_modifica

    chiudi(funzionario, cast.piano_a.ciclo)
    with pytest.raises(PianoNonModificabile, match="è chiuso: i suoi piani sono in sola lettura"):
        piano_blocca_per_modifica(cast.piano_a)
    pagina = client_for("operatore_a").get(reverse("risorse:residui", args=[cast.piano_a.pk]))
    assert "Sola lettura" in leggi(pagina)
    assert "è chiuso: i suoi piani sono in sola lettura" in leggi(pagina)


def test_a_closed_cycle_moves_no_plan_the_region_was_reviewing(cast, funzionario):
    chiudi(funzionario, cast.piano_b.ciclo)

    risposta = funzionario.post(
        reverse("piano_presa_in_carico", args=[cast.piano_b.pk]),
        {"stato_atteso": "inviato"},
        follow=True,
    )

    assert "è chiuso: i suoi piani sono in sola lettura" in leggi(risposta)
    cast.piano_b.refresh_from_db()
    assert cast.piano_b.stato == Piano.Stato.INVIATO
    assert not cast.piano_b.transizioni.exists()


def test_a_closed_cycle_starts_no_annual_update(cast, funzionario, client_for):
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.APPROVATO)
    chiudi(funzionario, cast.piano_a.ciclo)
    operatore = client_for("operatore_a")
    url = reverse("piano_attuativo_avvia", args=[cast.piano_a.pk])

    pagina = operatore.get(url)
    risposta = operatore.post(url, {"anno": "2026"})

    assert "Ciclo chiuso" in leggi(pagina)
    assert "Avvia il piano attuativo" not in leggi(pagina)
    assert risposta.status_code == 400
    assert "è chiuso: non si possono avviare nuovi piani." in leggi(risposta)
    assert not Piano.objects.filter(ciclo=cast.piano_a.ciclo, tipo="attuativo").exists()


def test_a_closed_cycle_gets_no_new_plans_and_closing_again_changes_nothing(cast, funzionario):
    ciclo = cast.piano_a.ciclo
    chiudi(funzionario, ciclo)
    chiuso_il = Ciclo.objects.get(pk=ciclo.pk).chiuso_il
    AmbitoFactory(regione=cast.regione, codice="BA03", nome="Ambito di Molfetta")

    risposta = funzionario.post(reverse("ciclo_piani_mancanti", args=[ciclo.pk]), follow=True)
    chiudi(funzionario, ciclo)

    assert f"Il ciclo «{ciclo.nome}» è chiuso: non si creano nuovi piani." in leggi(risposta)
    assert "Crea i piani in bozza mancanti" not in leggi(risposta)
    assert Piano.objects.filter(ciclo=ciclo).count() == 2
    assert Ciclo.objects.get(pk=ciclo.pk).chiuso_il == chiuso_il


# --- queries -------------------------------------------------------------------------------------


def test_the_cycles_page_runs_the_same_queries_however_many_cycles(
    cast, funzionario, assert_constant_queries
):
    def altri_cicli():
        for anno in (2028, 2031, 2034):
            ciclo = CicloFactory(regione=cast.regione, anno_inizio=anno)
            PianoFactory(ambito=cast.ambito_a, ciclo=ciclo)

    url = reverse("regione_cicli", args=[cast.regione.pk])
    assert_constant_queries(funzionario, url, 10, altri_cicli)


def test_the_cycle_page_runs_the_same_queries_however_many_ambiti(
    cast, funzionario, assert_constant_queries
):
    ciclo = cast.piano_a.ciclo

    def altri_ambiti():
        for n in range(3, 7):
            ambito = AmbitoFactory(regione=cast.regione, codice=f"BA0{n}", nome=f"Ambito {n}")
            if n % 2:
                PianoFactory(ambito=ambito, ciclo=ciclo)

    url = reverse("ciclo_detail", args=[ciclo.pk])
    assert_constant_queries(funzionario, url, 9, altri_ambiti)
