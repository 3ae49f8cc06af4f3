from django.urls import reverse

from pianizona import commenti
from pianizona.models import Piano, Transizione

from ..factories import AmbitoFactory, ComuneFactory, MembershipFactory, PianoFactory, UserFactory


def test_a_district_user_lands_on_its_ambito(cast, client_for):
    response = client_for("operatore_a").get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("ambito_detail", args=[cast.ambito_a.pk])


def test_the_regional_officer_lands_on_the_regional_overview(cast, client_for):
    response = client_for("funzionario").get(reverse("home"))
    assert response["Location"] == reverse("regione_detail", args=[cast.regione.pk])


def test_an_administrator_without_roles_sees_the_admin_entry_point(cast, client_for):
    response = client_for("admin").get(reverse("home"))
    assert response.status_code == 200
    assert reverse("admin:index") in response.content.decode()


def test_a_user_without_roles_is_told_to_ask_for_one(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "non ha ancora un ruolo" in response.content.decode()


def test_the_ambito_page_shows_its_plans_municipalities_and_population(cast, client_for):
    html = (
        client_for("operatore_a")
        .get(reverse("ambito_detail", args=[cast.ambito_a.pk]))
        .content.decode()
    )
    assert "Piano triennale 2025–2027" in html
    assert "Bozza" in html
    assert "Valenzano" in html
    assert "333.980" in html  # 315.933 + 18.047 with Italian separators
    assert "Altamura" not in html


def test_the_plan_page_tells_whether_it_can_still_be_edited(cast, client_for):
    html = (
        client_for("operatore_a")
        .get(reverse("piano_detail", args=[cast.piano_a.pk]))
        .content.decode()
    )
    assert "modificabile dall'Ufficio di Piano" in html
    cast.piano_a.stato = Piano.Stato.APPROVATO
    cast.piano_a.save()
    html = (
        client_for("operatore_a")
        .get(reverse("piano_detail", args=[cast.piano_a.pk]))
        .content.decode()
    )
    assert "non sono più modificabili" in html


def test_the_regional_overview_lists_every_ambito_with_its_plan_state(cast, client_for):
    html = (
        client_for("funzionario")
        .get(reverse("regione_detail", args=[cast.regione.pk]))
        .content.decode()
    )
    assert "Ambito di Bari" in html and "Ambito di Altamura" in html
    assert "Bozza: 1" in html and "Inviato: 1" in html


def test_the_regional_overview_filters_by_cycle(cast, client_for):
    vecchio = PianoFactory(
        ambito=cast.ambito_a,
        ciclo__regione=cast.regione,
        ciclo__anno_inizio=2022,
        ciclo__anno_fine=2024,
    )
    url = reverse("regione_detail", args=[cast.regione.pk])
    html = client_for("funzionario").get(url, {"ciclo": vecchio.ciclo_id}).content.decode()
    assert "Piano triennale 2022–2024" in html
    assert "Piano triennale 2025–2027" not in html
    assert client_for("funzionario").get(url, {"ciclo": "non-un-numero"}).status_code == 200


def test_switching_context_changes_the_home(cast, client):
    user = UserFactory()
    MembershipFactory(user=user, ambito=cast.ambito_a, ruolo="operatore")
    seconda = MembershipFactory(user=user, ambito=cast.ambito_b, ruolo="responsabile")
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse(
        "ambito_detail", args=[cast.ambito_a.pk]
    )
    client.post(reverse("contesto_switch"), {"membership": seconda.pk})
    assert client.get(reverse("home"))["Location"] == reverse(
        "ambito_detail", args=[cast.ambito_b.pk]
    )


def test_nobody_can_switch_to_someone_elses_role(cast, client_for):
    altrui = cast.operatore_b.memberships.get()
    client = client_for("operatore_a")
    response = client.post(reverse("contesto_switch"), {"membership": altrui.pk}, follow=True)
    assert "non è tra i tuoi ruoli" in response.content.decode()
    assert client.get(reverse("home"))["Location"] == reverse(
        "ambito_detail", args=[cast.ambito_a.pk]
    )


def test_the_switch_refuses_get(client_for, cast):
    assert client_for("operatore_a").get(reverse("contesto_switch")).status_code == 405


def test_the_header_offers_the_switcher_only_to_users_with_several_roles(cast, client):
    user = UserFactory()
    MembershipFactory(user=user, ambito=cast.ambito_a, ruolo="operatore")
    MembershipFactory(user=user, ambito=cast.ambito_b, ruolo="responsabile")
    client.force_login(user)
    html = client.get(reverse("ambito_detail", args=[cast.ambito_a.pk])).content.decode()
    assert 'for="id_membership_header"' in html and "Ambito di Altamura – Responsabile" in html


def _piani_attuativi(piano) -> None:
    for anno in piano.ciclo.anni:
        PianoFactory(ambito=piano.ambito, ciclo=piano.ciclo, tipo="attuativo", anno=anno)


def test_the_ambito_page_has_a_constant_number_of_queries(
    cast, client_for, assert_constant_queries
):
    def grow():
        ComuneFactory.create_batch(20, ambito=cast.ambito_a)
        _piani_attuativi(cast.piano_a)

    url = reverse("ambito_detail", args=[cast.ambito_a.pk])
    assert_constant_queries(client_for("operatore_a"), url, 9, grow)


def test_the_regional_overview_has_a_constant_number_of_queries(
    cast, client_for, assert_constant_queries
):
    def grow():
        for ambito in AmbitoFactory.create_batch(10, regione=cast.regione):
            ComuneFactory(ambito=ambito)
            PianoFactory(ambito=ambito, ciclo=cast.piano_a.ciclo)

    url = reverse("regione_detail", args=[cast.regione.pk])
    assert_constant_queries(client_for("funzionario"), url, 10, grow)


def test_the_plan_page_has_a_constant_number_of_queries(cast, client_for, assert_constant_queries):
    url = reverse("piano_detail", args=[cast.piano_a.pk])

    def cresci():
        _piani_attuativi(cast.piano_a)
        Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.IN_ISTRUTTORIA)
        for testo in ("Integrare il contesto.", "Rivedere le schede."):
            commenti.commento_crea(
                piano=cast.piano_a, user=cast.funzionario, sezione="generale", testo=testo
            )
        Transizione.objects.create(
            piano=cast.piano_a,
            azione=Transizione.Azione.RICHIESTA_INTEGRAZIONI,
            da_stato=Piano.Stato.IN_ISTRUTTORIA,
            a_stato=Piano.Stato.RICHIESTA_INTEGRAZIONI,
            utente=cast.funzionario,
            commento="Integrare.",
        )
        Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.RICHIESTA_INTEGRAZIONI)

    # Plan, its links, the last state change, last version, open remarks: whatever their number.
    assert_constant_queries(client_for("operatore_a"), url, 11, cresci)


def test_a_form_sent_without_its_csrf_token_gets_our_italian_page(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.operatore_a)
    risposta = client.post(reverse("contesto_switch"), {"contesto": "x"})
    assert risposta.status_code == 403
    assert "Richiesta non valida" in risposta.content.decode()
    assert "CSRF" not in risposta.content.decode()


def test_error_pages_are_in_italian(cast, client_for):
    client = client_for("operatore_b")
    assert (
        "Pagina non trovata"
        in client.get(reverse("piano_detail", args=[cast.piano_a.pk])).content.decode()
    )
    assert (
        "Accesso non consentito"
        in client.get(reverse("regione_detail", args=[cast.regione.pk])).content.decode()
    )
