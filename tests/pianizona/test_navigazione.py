"""Navigation to the user's work: the header menu per role, the officer's «Da istruire», the profile.

The menu is read as a user meets it: the links of the «Navigazione principale» landmark, their
text, target and aria-current.
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from monitoraggio.models import Rendicontazione
from pianizona.accessi.tenancy import accessi_for_user, membership_attiva
from pianizona.models import Ciclo, Commento, Piano, Ruolo
from pianizona.templatetags.navigazione import voci_menu
from risorse.models import Segnalazione
from tests.collegamenti import links
from tests.conftest import query_count
from tests.factories import (
    AmbitoFactory,
    CicloFactory,
    MembershipFactory,
    PianoFactory,
    UserFactory,
)


def menu(client, url: str) -> dict[str, tuple[str, str | None]]:
    response = client.get(url)
    assert response.status_code == 200
    return {testo: (href, corrente) for testo, href, corrente in links(response.content.decode())}


# -- the header menu, per role ---------------------------------------------------------------


def test_a_district_user_reaches_their_plan_monitoring_and_archive_from_the_menu(cast, client_for):
    a = cast.ambito_a.pk
    voci = menu(client_for("operatore_a"), reverse("ambito_detail", args=[a]))

    assert list(voci) == [
        "Home",
        "Il mio ambito territoriale sociale",
        "Piano triennale 2025–2027",
        "Monitoraggio",
        "Archivio",
        "Il mio profilo",
    ]
    assert voci["Il mio ambito territoriale sociale"] == (f"/ambiti/{a}/", "page")
    assert voci["Piano triennale 2025–2027"] == (f"/piani/{cast.piano_a.pk}/", None)
    assert voci["Monitoraggio"] == (reverse("monitoraggio:fondi_ambito", args=[a]), None)
    assert voci["Archivio"] == (reverse("archivio:documenti", args=[a]), None)
    assert voci["Il mio profilo"] == ("/profilo/", None)


def test_the_menu_links_only_the_users_own_ambito(cast, client_for):
    voci = menu(client_for("operatore_b"), reverse("ambito_detail", args=[cast.ambito_b.pk]))

    hrefs = [href for href, _ in voci.values()]
    assert f"/piani/{cast.piano_b.pk}/" in hrefs
    assert reverse("monitoraggio:fondi_ambito", args=[cast.ambito_b.pk]) in hrefs
    assert not any(
        f"/ambiti/{cast.ambito_a.pk}/" in h or f"/piani/{cast.piano_a.pk}/" in h for h in hrefs
    )


def test_the_plan_entry_is_current_on_the_plan_and_on_its_sections(cast, client_for):
    client = client_for("responsabile_a")
    titolo = "Piano triennale 2025–2027"

    assert menu(client, f"/piani/{cast.piano_a.pk}/")[titolo][1] == "page"
    assert menu(client, f"/piani/{cast.piano_a.pk}/versioni/")[titolo][1] == "true"
    monitoraggio = reverse("monitoraggio:fondi_ambito", args=[cast.ambito_a.pk])
    voci = menu(client, monitoraggio)
    assert voci["Monitoraggio"][1] == "page"
    assert voci[titolo][1] is None
    assert voci["Il mio ambito territoriale sociale"][1] is None


def test_the_current_plan_is_the_latest_of_the_open_cycle(cast, client_for):
    url = reverse("ambito_detail", args=[cast.ambito_a.pk])
    attuativo = PianoFactory(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2026
    )
    voci = menu(client_for("operatore_a"), url)
    assert voci["Piano attuativo 2026"] == (f"/piani/{attuativo.pk}/", None)
    assert "Piano triennale 2025–2027" not in voci

    # A closed cycle's plans are no one's current work; a newer open cycle's plan is.
    Ciclo.objects.filter(pk=cast.piano_a.ciclo_id).update(chiuso_il=timezone.now())
    assert not any(t.startswith("Piano ") for t in menu(client_for("operatore_a"), url))
    nuovo = PianoFactory(
        ambito=cast.ambito_a,
        ciclo=CicloFactory(
            regione=cast.regione, nome="2028-2030", anno_inizio=2028, anno_fine=2030
        ),
    )
    assert menu(client_for("operatore_a"), url)["Piano triennale 2028–2030"][0] == (
        f"/piani/{nuovo.pk}/"
    )


def test_the_menu_follows_the_role_chosen_in_the_header(cast, client_for):
    MembershipFactory(user=cast.operatore_a, ruolo=Ruolo.RESPONSABILE, ambito=cast.ambito_b)
    client = client_for("operatore_a")
    altro = cast.operatore_a.memberships.get(ambito=cast.ambito_b)
    client.post(reverse("contesto_switch"), {"membership": altro.pk})

    voci = menu(client, reverse("ambito_detail", args=[cast.ambito_b.pk]))
    assert voci["Piano triennale 2025–2027"][0] == f"/piani/{cast.piano_b.pk}/"
    assert voci["Archivio"][0] == reverse("archivio:documenti", args=[cast.ambito_b.pk])


def test_the_regional_officer_reaches_the_regions_plans_reports_and_archive(cast, client_for):
    r = cast.regione.pk
    voci = menu(client_for("funzionario"), reverse("regione_piani", args=[r]))

    assert list(voci) == [
        "Home",
        "Panoramica regionale",
        "Piani della Regione",
        "Rendicontazioni",
        "Archivio",
        "Il mio profilo",
    ]
    assert voci["Piani della Regione"] == (f"/regioni/{r}/piani/", "page")
    assert voci["Rendicontazioni"] == (reverse("monitoraggio:fondi_regione", args=[r]), None)
    assert voci["Archivio"] == (reverse("archivio:documenti_regione", args=[r]), None)
    assert not any(href.startswith(("/ambiti/", "/piani/")) for href, _ in voci.values())


def test_the_administrator_gets_the_admin_entry(cast, client_for):
    voci = menu(client_for("admin"), reverse("profilo"))
    assert voci["Amministrazione"] == ("/admin/", None)
    assert voci["Il mio profilo"] == ("/profilo/", "page")


def test_an_anonymous_visitor_sees_no_menu(cast, client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert links(response.content.decode()) == []
    assert "Navigazione principale" not in response.content.decode()


def test_the_menu_costs_no_query_beyond_the_memberships(cast, rf, django_assert_num_queries):
    request = rf.get("/")
    request.user = cast.operatore_a
    request.session = {}
    with django_assert_num_queries(1):  # the memberships, with the current plan
        accessi_for_user(cast.operatore_a)
    with django_assert_num_queries(0):
        voci = voci_menu(cast.operatore_a, membership_attiva(request))
    assert [v.testo for v in voci][2] == "Piano triennale 2025–2027"


# -- the officer's home: «Da istruire» --------------------------------------------------------


def _da_istruire(client, cast) -> dict[str, str]:
    """The counts of the «Da istruire» block: link text → target."""
    response = client.get(reverse("regione_detail", args=[cast.regione.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('id="titolo-da-istruire"') < html.index("Stato dei piani")  # first
    blocco = html[
        html.index('id="da-istruire"') : html.index("</section>", html.index('id="da-istruire"'))
    ]
    return {testo: href for testo, href, _ in links(f'<div aria-label="x">{blocco}</div>', "x")}


def _rendicontazione(ambito, ciclo, anno: int = 2025) -> Rendicontazione:
    return Rendicontazione.objects.create(
        ambito=ambito, ciclo=ciclo, anno=anno, stato=Rendicontazione.Stato.INVIATA
    )


def test_the_officer_home_opens_with_what_waits_for_the_region(cast, client_for):
    ciclo = cast.piano_a.ciclo
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.IN_ISTRUTTORIA)
    Commento.objects.create(
        piano=cast.piano_a,
        sezione="generale",
        autore=cast.funzionario,
        testo="Manca il capitolo 3.",
    )
    Segnalazione.objects.create(
        piano=cast.piano_b, creata_da=cast.operatore_b, nota="Importo FNPS diverso dal decreto."
    )
    _rendicontazione(cast.ambito_a, ciclo)

    voci = _da_istruire(client_for("funzionario"), cast)

    piani = reverse("regione_piani", args=[cast.regione.pk])
    assert voci == {
        f"1 Piani inviati da prendere in carico Ciclo {ciclo.nome}": f"{piani}?ciclo={ciclo.pk}&stato=inviato",
        f"1 Piani in istruttoria da concludere Ciclo {ciclo.nome}": f"{piani}?ciclo={ciclo.pk}&stato=in_istruttoria",
        f"1 Osservazioni aperte nell'istruttoria Ciclo {ciclo.nome}": f"{piani}?ciclo={ciclo.pk}&osservazioni=aperte",
        "1 Rendicontazioni inviate da verificare Risorse 2025": reverse(
            "monitoraggio:fondi_regione", args=[cast.regione.pk]
        )
        + "?anno=2025&stato=inviata",
        f"1 Segnalazioni sui trasferimenti da chiudere Ciclo {ciclo.nome}": reverse(
            "risorse:segnalazioni", kwargs={"ciclo_pk": ciclo.pk}
        ),
    }


def test_nothing_waiting_reads_zero_and_a_closed_cycle_waits_for_nothing(cast, client_for):
    Piano.objects.filter(pk=cast.piano_b.pk).update(stato=Piano.Stato.BOZZA)
    voci = _da_istruire(client_for("funzionario"), cast)
    assert all(testo.startswith("0 ") for testo in voci)
    assert any("Rendicontazioni inviate da verificare" in t for t in voci)

    Piano.objects.filter(pk=cast.piano_b.pk).update(stato=Piano.Stato.INVIATO)
    Ciclo.objects.filter(pk=cast.piano_b.ciclo_id).update(chiuso_il=timezone.now())
    voci = _da_istruire(client_for("funzionario"), cast)
    assert not any("Piani inviati" in t for t in voci)


def test_each_count_opens_the_list_of_exactly_those_plans(cast, client_for):
    Commento.objects.create(
        piano=cast.piano_a, sezione="generale", autore=cast.funzionario, testo="Da rivedere."
    )
    client = client_for("funzionario")
    voci = _da_istruire(client, cast)
    osservazioni = next(h for t, h in voci.items() if "Osservazioni aperte" in t)
    inviati = next(h for t, h in voci.items() if "Piani inviati" in t)

    html = client.get(osservazioni).content.decode()
    assert "1 piano del ciclo" in html and "Ambito di Bari" in html
    assert "Ambito di Altamura" not in html  # its plan has no open remark
    html = client.get(inviati).content.decode()
    assert "1 piano del ciclo" in html and "Ambito di Altamura" in html
    assert "Ambito di Bari" not in html


def test_the_officer_home_runs_the_same_queries_for_one_plan_or_many(
    cast, client_for, assert_constant_queries
):
    ciclo = cast.piano_a.ciclo

    def cresci():
        altro = CicloFactory(
            regione=cast.regione, nome="2028-2030", anno_inizio=2028, anno_fine=2030
        )
        for i, ambito in enumerate(AmbitoFactory.create_batch(8, regione=cast.regione)):
            stato = [Piano.Stato.INVIATO, Piano.Stato.IN_ISTRUTTORIA][i % 2]
            for c in (ciclo, altro):
                piano = PianoFactory(ambito=ambito, ciclo=c, stato=stato)
                Commento.objects.create(
                    piano=piano, sezione="generale", autore=cast.funzionario, testo="Nota."
                )
                Segnalazione.objects.create(
                    piano=piano, creata_da=cast.funzionario, nota="Diverso."
                )
            _rendicontazione(ambito, ciclo, 2025 + i % 2)

    url = reverse("regione_detail", args=[cast.regione.pk])
    client = client_for("funzionario")
    assert_constant_queries(client, url, query_count(client, url), cresci)
    testi = " | ".join(_da_istruire(client, cast))
    assert f"5 Piani inviati da prendere in carico Ciclo {ciclo.nome}" in testi  # B and 4 new
    assert "4 Piani in istruttoria da concludere Ciclo 2028-2030" in testi
    assert "4 Rendicontazioni inviate da verificare Risorse 2026" in testi


# -- «Il mio profilo» ---------------------------------------------------------------------------


def test_the_user_name_in_the_header_opens_the_profile(cast, client_for):
    html = (
        client_for("operatore_a")
        .get(reverse("ambito_detail", args=[cast.ambito_a.pk]))
        .content.decode()
    )
    assert 'href="/profilo/">' in html.replace(' aria-current="page"', "")
    assert reverse("account_email") not in html


def test_the_profile_shows_the_account_roles_and_the_way_to_its_security(cast, client_for):
    utente = UserFactory(email="mario.rossi@example.org", first_name="Mario", last_name="Rossi")
    MembershipFactory(user=utente, ruolo=Ruolo.OPERATORE, ambito=cast.ambito_a)
    MembershipFactory(user=utente, ruolo=Ruolo.RESPONSABILE, ambito=cast.ambito_b)
    client = client_for("anonimo")
    client.force_login(utente)  # a login records itself as the last one: set it afterwards
    ultimo = timezone.make_aware(datetime(2025, 3, 4, 9, 30))
    type(utente).objects.filter(pk=utente.pk).update(last_login=ultimo)

    html = client.get(reverse("profilo")).content.decode()

    assert "<h1>Il mio profilo</h1>" in html
    assert "Mario Rossi" in html and "mario.rossi@example.org" in html
    assert "Ambito di Bari" in html and "Operatore dell&#x27;Ufficio di Piano" in html
    assert "Ambito di Altamura" in html and "Responsabile dell&#x27;Ufficio di Piano" in html
    assert "Puglia" in html
    assert "Il ruolo in uso si cambia dal selettore «Contesto» in alto." in html
    assert '<time datetime="2025-03-04T09:30:00+01:00">4 ' in html and "2025, 09:30</time>" in html
    assert "Non attiva" in html  # no second factor yet
    profilo = {t: h for t, h, _ in links(html, "Navigazione principale")}
    assert profilo["Il mio profilo"] == "/profilo/"
    for testo, url in [
        ("Cambia la password", reverse("account_change_password")),
        ("Sicurezza dell'account", reverse("mfa_index")),
    ]:
        assert f'<a href="{url}">{testo}</a>' in html
    assert f'action="{reverse("account_logout")}"' in html and "Esci dalla piattaforma" in html


def test_an_officers_profile_names_the_region(cast, client_for):
    html = client_for("funzionario").get(reverse("profilo")).content.decode()
    assert "Regione Puglia" in html and "Funzionario regionale" in html
    assert "Il ruolo in uso si cambia" not in html  # one role only: nothing to switch


def test_the_profile_offers_no_way_to_change_the_login_email(cast, client_for):
    html = client_for("operatore_a").get(reverse("profilo")).content.decode()
    assert 'name="email"' not in html
    assert reverse("account_email") not in html
    assert "gestiti dall'amministratore della piattaforma" in html


def test_a_wrong_remarks_filter_is_said_and_ignored(cast, client_for):
    url = reverse("regione_piani", args=[cast.regione.pk]) + "?osservazioni=tutte-e-nessuna"
    response = client_for("funzionario").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Scelta sulle osservazioni sconosciuta." in html
    assert "Ambito di Bari" in html and "Ambito di Altamura" in html  # not filtered
