"""Review remarks: the officer comments on the plan's sections, the district replies, the officer
resolves; everyone concerned is told by e-mail."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pianizona.dominio import ErroreDominio
from pianizona.iter import commenti
from pianizona.models import Commento, Piano, Ruolo, User, Versione
from tests.factories import MembershipFactory, PianoFactory, UserFactory

pytestmark = pytest.mark.django_db

Stato = Piano.Stato
SEZIONE_BUDGET = "risorse:budget"  # registered by the risorse app as «Budget»


def in_stato(piano: Piano, stato: str) -> Piano:
    Piano.objects.filter(pk=piano.pk).update(stato=stato)
    piano.refresh_from_db()
    return piano


def versione(piano: Piano, numero: int, user) -> Versione:
    return Versione.objects.create(
        piano=piano, numero=numero, creata_da=user, contenuto={}, impronta="0" * 64
    )


def osserva(cast, testo: str = "Manca il cronoprogramma.", sezione: str = "generale") -> Commento:
    return commenti.commento_crea(
        piano=cast.piano_a, user=cast.funzionario, sezione=sezione, testo=testo
    )


@pytest.fixture
def istruttoria(cast) -> Piano:
    return in_stato(cast.piano_a, Stato.IN_ISTRUTTORIA)


def url(nome: str, piano: Piano, commento: Commento | None = None) -> str:
    kwargs = {"piano_pk": piano.pk}
    if commento is not None:
        kwargs["pk"] = commento.pk
    return reverse(nome, kwargs=kwargs)


# --- writing a remark -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "stato", [Stato.INVIATO, Stato.IN_ISTRUTTORIA, Stato.RICHIESTA_INTEGRAZIONI]
)
def test_an_officer_writes_a_remark_on_a_section_while_the_plan_is_under_review(cast, stato):
    in_stato(cast.piano_a, stato)
    versione(cast.piano_a, 1, cast.responsabile_a)
    ultima = versione(cast.piano_a, 2, cast.responsabile_a)
    commento = osserva(cast, "  Il budget 2026 non torna.  ", sezione=SEZIONE_BUDGET)
    assert commento.piano == cast.piano_a and commento.autore == cast.funzionario
    assert commento.sezione == SEZIONE_BUDGET and commento.testo == "Il budget 2026 non torna."
    assert commento.versione == ultima
    assert commento.aperto


def test_a_remark_before_any_submitted_version_refers_to_none(cast, istruttoria):
    assert osserva(cast).versione is None


@pytest.mark.parametrize("stato", [Stato.BOZZA, Stato.APPROVATO])
def test_it_refuses_a_remark_on_a_plan_not_under_review(cast, stato):
    in_stato(cast.piano_a, stato)
    with pytest.raises(ErroreDominio, match="le osservazioni si scrivono mentre la Regione"):
        osserva(cast)
    assert not Commento.objects.exists()


@pytest.mark.parametrize("ruolo", ["operatore_a", "responsabile_a", "operatore_b", "admin"])
def test_only_a_regional_officer_writes_a_remark(cast, istruttoria, ruolo):
    with pytest.raises(ErroreDominio, match="Solo un funzionario regionale"):
        commenti.commento_crea(
            piano=istruttoria, user=cast.user(ruolo), sezione="generale", testo="Una nota."
        )
    assert not Commento.objects.exists()


@pytest.mark.parametrize("testo", ["", "   \n  "])
def test_it_refuses_an_empty_remark(cast, istruttoria, testo):
    with pytest.raises(ErroreDominio, match="Scrivere il testo dell'osservazione"):
        osserva(cast, testo)
    assert not Commento.objects.exists()


def test_it_refuses_a_remark_on_an_unknown_section(cast, istruttoria):
    with pytest.raises(ErroreDominio, match="Sezione del piano sconosciuta"):
        osserva(cast, sezione="bilancio_segreto")
    assert not Commento.objects.exists()


def test_the_sections_are_the_whole_plan_then_those_the_phase_apps_register():
    sezioni = commenti.sezioni()
    assert next(iter(sezioni.items())) == ("generale", "Piano nel complesso")
    assert sezioni[SEZIONE_BUDGET] == "Budget"
    assert sezioni["programmazione:narrativa"] == "Parte narrativa"
    assert commenti.titolo_sezione("sezione:dismessa") == "sezione:dismessa"


# --- replies --------------------------------------------------------------------------------


@pytest.mark.parametrize("ruolo", ["operatore_a", "responsabile_a", "funzionario"])
def test_the_district_and_the_officer_reply_to_an_open_remark(cast, istruttoria, ruolo):
    radice = osserva(cast)
    risposta = commenti.commento_rispondi(
        commento=radice, user=cast.user(ruolo), testo=" Allegato il cronoprogramma. "
    )
    assert risposta.risposta_a == radice and risposta.sezione == radice.sezione
    assert risposta.testo == "Allegato il cronoprogramma."
    assert not risposta.aperto and Commento.objects.get(pk=radice.pk).aperto


def test_a_reply_to_a_reply_joins_the_remarks_thread(cast, istruttoria):
    radice = osserva(cast)
    prima = commenti.commento_rispondi(commento=radice, user=cast.operatore_a, testo="Fatto.")
    seconda = commenti.commento_rispondi(commento=prima, user=cast.funzionario, testo="Dove?")
    assert seconda.risposta_a == radice
    assert list(radice.risposte.order_by("pk")) == [prima, seconda]


@pytest.mark.parametrize("stato", [Stato.BOZZA, Stato.INVIATO, Stato.RICHIESTA_INTEGRAZIONI])
def test_replies_are_accepted_until_the_plan_is_approved(cast, istruttoria, stato):
    radice = osserva(cast)
    in_stato(cast.piano_a, stato)
    commenti.commento_rispondi(commento=radice, user=cast.operatore_a, testo="Corretto.")
    in_stato(cast.piano_a, Stato.APPROVATO)
    with pytest.raises(ErroreDominio, match="Il piano è approvato"):
        commenti.commento_rispondi(commento=radice, user=cast.operatore_a, testo="Ancora.")
    assert radice.risposte.count() == 1


def test_it_refuses_a_reply_to_a_resolved_remark(cast, istruttoria):
    radice = osserva(cast)
    commenti.commento_risolvi(commento=radice, user=cast.funzionario)
    with pytest.raises(ErroreDominio, match="già risolta"):
        commenti.commento_rispondi(commento=radice, user=cast.responsabile_a, testo="Ma…")
    assert not radice.risposte.exists()


@pytest.mark.parametrize("ruolo", ["operatore_b", "admin"])
def test_neither_another_ambito_nor_the_administrator_replies(cast, istruttoria, ruolo):
    radice = osserva(cast)
    with pytest.raises(ErroreDominio, match="Solo l'Ufficio di Piano dell'ambito"):
        commenti.commento_rispondi(commento=radice, user=cast.user(ruolo), testo="Intrusione.")
    assert not radice.risposte.exists()


def test_it_refuses_an_empty_reply(cast, istruttoria):
    radice = osserva(cast)
    with pytest.raises(ErroreDominio, match="Scrivere il testo della risposta"):
        commenti.commento_rispondi(commento=radice, user=cast.operatore_a, testo="  ")


# --- resolving and reopening ----------------------------------------------------------------


def test_the_officer_resolves_a_remark_and_resolving_it_again_changes_nothing(cast, istruttoria):
    radice = osserva(cast)
    risolta = commenti.commento_risolvi(commento=radice, user=cast.funzionario)
    assert risolta.risolto_da == cast.funzionario and not risolta.aperto
    quando = risolta.risolto_il
    di_nuovo = commenti.commento_risolvi(commento=radice, user=cast.funzionario)
    assert di_nuovo.risolto_il == quando
    assert Commento.objects.get(pk=radice.pk).risolto_il == quando


def test_resolving_through_a_reply_resolves_its_remark(cast, istruttoria):
    radice = osserva(cast)
    risposta = commenti.commento_rispondi(commento=radice, user=cast.operatore_a, testo="Fatto.")
    assert commenti.commento_risolvi(commento=risposta, user=cast.funzionario) == radice
    assert not Commento.objects.get(pk=radice.pk).aperto


def test_the_officer_reopens_a_resolved_remark_and_reopening_it_again_changes_nothing(
    cast, istruttoria
):
    radice = osserva(cast)
    commenti.commento_risolvi(commento=radice, user=cast.funzionario)
    riaperta = commenti.commento_riapri(commento=radice, user=cast.funzionario)
    assert riaperta.aperto and riaperta.risolto_da is None
    assert commenti.commento_riapri(commento=radice, user=cast.funzionario).aperto
    assert Commento.objects.get(pk=radice.pk).aperto


@pytest.mark.parametrize("ruolo", ["operatore_a", "responsabile_a", "admin"])
def test_the_district_cannot_close_or_reopen_the_regions_remark(cast, istruttoria, ruolo):
    radice = osserva(cast)
    with pytest.raises(ErroreDominio, match="Solo un funzionario regionale"):
        commenti.commento_risolvi(commento=radice, user=cast.user(ruolo))
    assert Commento.objects.get(pk=radice.pk).aperto
    commenti.commento_risolvi(commento=radice, user=cast.funzionario)
    with pytest.raises(ErroreDominio, match="Solo un funzionario regionale"):
        commenti.commento_riapri(commento=radice, user=cast.user(ruolo))
    assert not Commento.objects.get(pk=radice.pk).aperto


def test_an_approved_plans_remarks_may_be_resolved_but_not_reopened(cast, istruttoria):
    prima, seconda = osserva(cast, "Uno."), osserva(cast, "Due.")
    commenti.commento_risolvi(commento=prima, user=cast.funzionario)
    in_stato(cast.piano_a, Stato.APPROVATO)
    commenti.commento_risolvi(commento=seconda, user=cast.funzionario)
    with pytest.raises(ErroreDominio, match="non si riaprono"):
        commenti.commento_riapri(commento=prima, user=cast.funzionario)
    assert not Commento.objects.filter(risolto_il__isnull=True).exists()


# --- double submission ----------------------------------------------------------------------


def test_the_same_remark_sent_twice_at_once_is_written_once(cast, istruttoria):
    prima = osserva(cast, "Manca il cronoprogramma.")
    seconda = osserva(cast, "Manca il cronoprogramma.  ")
    assert prima == seconda and Commento.objects.count() == 1
    osserva(cast, "Manca il cronoprogramma.", sezione=SEZIONE_BUDGET)  # elsewhere: a new one
    osserva(cast, "Manca anche il budget.")  # another text: a new one
    assert Commento.objects.count() == 3


def test_the_same_text_some_time_later_is_a_new_remark(cast, istruttoria):
    prima = osserva(cast)
    Commento.objects.filter(pk=prima.pk).update(creato_il=timezone.now() - timedelta(minutes=1))
    assert osserva(cast) != prima
    assert Commento.objects.count() == 2


def test_the_same_reply_sent_twice_at_once_is_written_once(cast, istruttoria):
    radice = osserva(cast)
    prima = commenti.commento_rispondi(commento=radice, user=cast.operatore_a, testo="Fatto.")
    seconda = commenti.commento_rispondi(commento=prima, user=cast.operatore_a, testo="Fatto.")
    assert prima == seconda and radice.risposte.count() == 1
    commenti.commento_rispondi(commento=radice, user=cast.responsabile_a, testo="Fatto.")
    assert radice.risposte.count() == 2  # a colleague saying the same is not a double click


# --- notifications --------------------------------------------------------------------------


def test_a_new_remark_is_emailed_in_italian_to_the_ufficio_di_piano_with_a_link(
    cast, istruttoria, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://pianizona.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        commento = osserva(cast, "Il cronoprogramma manca del tutto.")
    assert sorted(m.to[0] for m in mailoutbox) == [
        cast.operatore_a.email,
        cast.responsabile_a.email,
    ]
    messaggio = mailoutbox[0]
    assert messaggio.subject == (
        "[Piani di Zona] Piano triennale 2025–2027 – Ambito di Bari: nuova osservazione"
    )
    assert "c'è una nuova osservazione di" in messaggio.body
    assert "Il cronoprogramma manca del tutto." in messaggio.body
    link = (
        f"https://pianizona.example.org{url('piano_commenti', cast.piano_a)}#commento-{commento.pk}"
    )
    assert f"Per leggerla e rispondere: {link}" in messaggio.body


def test_a_district_reply_is_emailed_to_the_officer_who_wrote_the_remark(
    cast, istruttoria, mailoutbox, django_capture_on_commit_callbacks
):
    radice = osserva(cast)
    with django_capture_on_commit_callbacks(execute=True):
        commenti.commento_rispondi(commento=radice, user=cast.operatore_a, testo="Allegato.")
    assert [m.to for m in mailoutbox] == [[cast.funzionario.email]]
    assert mailoutbox[0].subject.endswith(
        "Piano triennale 2025–2027 – Ambito di Bari: nuova risposta"
    )
    assert "Allegato." in mailoutbox[0].body
    assert f"{url('piano_commenti', cast.piano_a)}#commento-{radice.pk}" in mailoutbox[0].body


def test_a_district_reply_whose_officer_has_left_goes_to_the_regions_active_officers(
    cast, istruttoria, mailoutbox, django_capture_on_commit_callbacks
):
    radice = osserva(cast)
    collega = UserFactory(email="collega@example.org")
    MembershipFactory(user=collega, ruolo=Ruolo.FUNZIONARIO, ambito=None, regione=cast.regione)
    User.objects.filter(pk=cast.funzionario.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        commenti.commento_rispondi(commento=radice, user=cast.operatore_a, testo="Allegato.")
    assert [m.to for m in mailoutbox] == [[collega.email]]


def test_an_officers_reply_is_emailed_to_the_ufficio_di_piano(
    cast, istruttoria, mailoutbox, django_capture_on_commit_callbacks
):
    radice = osserva(cast)
    with django_capture_on_commit_callbacks(execute=True):
        commenti.commento_rispondi(commento=radice, user=cast.funzionario, testo="Precisazione.")
    assert sorted(m.to[0] for m in mailoutbox) == [
        cast.operatore_a.email,
        cast.responsabile_a.email,
    ]


def test_a_double_click_a_refusal_or_a_resolution_sends_no_email(
    cast, istruttoria, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        radice = osserva(cast)
    assert len(mailoutbox) == 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        osserva(cast)  # the same again
        with pytest.raises(ErroreDominio):
            osserva(cast, "   ")
        commenti.commento_risolvi(commento=radice, user=cast.funzionario)
    assert callbacks == [] and len(mailoutbox) == 2


# --- selectors ------------------------------------------------------------------------------


def test_the_remarks_come_by_section_in_the_plans_order_open_first_with_their_replies(
    cast, istruttoria, django_assert_num_queries
):
    chiusa = osserva(cast, "Già sistemato.", sezione=SEZIONE_BUDGET)
    commenti.commento_risolvi(commento=chiusa, user=cast.funzionario)
    aperta = osserva(cast, "Il 2027 è vuoto.", sezione=SEZIONE_BUDGET)
    generale = osserva(cast, "In generale: bene.")
    risposte = [
        commenti.commento_rispondi(commento=generale, user=u, testo=t)
        for u, t in [(cast.operatore_a, "Grazie."), (cast.funzionario, "Prego.")]
    ]
    vecchia = Commento.objects.create(
        piano=istruttoria, sezione="sezione:dismessa", autore=cast.funzionario, testo="Vecchia."
    )
    Commento.objects.create(
        piano=cast.piano_b, sezione="generale", autore=cast.funzionario, testo="Altro piano."
    )
    with django_assert_num_queries(2):
        gruppi = commenti.commenti_del_piano(istruttoria)
        assert [(g.chiave, g.titolo, g.aperti) for g in gruppi] == [
            ("generale", "Piano nel complesso", 1),
            (SEZIONE_BUDGET, "Budget", 1),
            ("sezione:dismessa", "sezione:dismessa", 1),
        ]
        assert [g.commenti for g in gruppi] == [[generale], [aperta, chiusa], [vecchia]]
        assert gruppi[0].commenti[0].elenco_risposte == risposte
        assert [r.autore for r in gruppi[0].commenti[0].elenco_risposte] == [
            cast.operatore_a,
            cast.funzionario,
        ]
    assert gruppi[0].url is None and gruppi[2].url is None
    assert gruppi[1].url == reverse(SEZIONE_BUDGET, args=[istruttoria.pk])


def test_the_open_remarks_list_names_the_section_and_counts_replies_in_one_query(
    cast, istruttoria, django_assert_num_queries
):
    budget = osserva(cast, "Il 2027 è vuoto.", sezione=SEZIONE_BUDGET)
    generale = osserva(cast, "In generale: bene.")
    commenti.commento_rispondi(commento=budget, user=cast.operatore_a, testo="Lo riempiamo.")
    commenti.commento_risolvi(commento=osserva(cast, "Risolta."), user=cast.funzionario)
    with django_assert_num_queries(1):
        aperti = commenti.commenti_aperti(istruttoria)
        assert [(c, c.titolo_sezione, c.n_risposte) for c in aperti] == [
            (generale, "Piano nel complesso", 0),
            (budget, "Budget", 1),
        ]
        assert aperti[0].autore == cast.funzionario


def test_open_remarks_are_counted_for_many_plans_in_one_query(
    cast, istruttoria, django_assert_num_queries
):
    osserva(cast, "Uno.")
    commenti.commento_rispondi(commento=osserva(cast, "Due."), user=cast.operatore_a, testo="Ok.")
    commenti.commento_risolvi(commento=osserva(cast, "Tre."), user=cast.funzionario)
    senza = PianoFactory(
        ambito=cast.ambito_b, ciclo=cast.piano_a.ciclo, tipo="attuativo", anno=2026
    )
    with django_assert_num_queries(1):
        conteggi = commenti.conteggio_aperti([istruttoria.pk, cast.piano_b.pk, senza.pk])
    assert conteggi == {istruttoria.pk: 2, cast.piano_b.pk: 0, senza.pk: 0}
    with django_assert_num_queries(0):
        assert commenti.conteggio_aperti([]) == {}


def test_the_plan_pages_partial_lists_the_open_remarks_with_links(cast, istruttoria):
    budget = osserva(cast, "Il 2027 è vuoto.", sezione=SEZIONE_BUDGET)
    html = render_to_string(
        "pianizona/commenti/_aperti.html",
        {"commenti_aperti": commenti.commenti_aperti(istruttoria), "piano": istruttoria},
    )
    assert "Osservazioni aperte (1)" in html
    assert f'href="{url("piano_commenti", istruttoria)}#commento-{budget.pk}">Budget</a>' in html
    assert "Il 2027 è vuoto." in html and "nessuna risposta" in html
    assert f'href="{url("piano_commenti", istruttoria)}">Tutte le osservazioni' in html
    vuoto = render_to_string(
        "pianizona/commenti/_aperti.html", {"commenti_aperti": [], "piano": istruttoria}
    )
    assert "Nessuna osservazione aperta" in vuoto


# --- the page -------------------------------------------------------------------------------


def test_the_page_shows_each_remark_with_status_author_date_version_and_replies(
    cast, istruttoria, client_for
):
    versione(istruttoria, 1, cast.responsabile_a)
    aperta = osserva(cast, "Il 2027 è vuoto.\nControllare.", sezione=SEZIONE_BUDGET)
    commenti.commento_rispondi(commento=aperta, user=cast.operatore_a, testo="Lo riempiamo.")
    chiusa = osserva(cast, "Titolo sbagliato.")
    commenti.commento_risolvi(commento=chiusa, user=cast.funzionario)
    html = client_for("operatore_a").get(url("piano_commenti", istruttoria)).content.decode()
    assert "<h1>Osservazioni della Regione</h1>" in html
    assert "1 osservazione aperta su 2." in html
    assert f'id="commento-{aperta.pk}"' in html and f'id="commento-{chiusa.pk}"' in html
    assert (
        '<span class="visually-hidden">Stato: </span><span class="badge bg-warning">Aperta</span>'
        in html
    )
    assert '<span class="badge bg-success">Risolta</span>' in html
    assert "Il 2027 è vuoto.<br>Controllare." in html
    assert "riferita alla versione 1 del piano" in html
    assert f"Osservazione di {cast.funzionario.get_full_name()}" in html
    assert f"<strong>{cast.operatore_a.get_full_name()}</strong>" in html
    assert "Lo riempiamo." in html
    assert f"Risolta da {cast.funzionario.get_full_name()} il" in html
    assert html.index(">Piano nel complesso</h2>") < html.index(">Budget</h2>")


def test_the_page_links_back_to_the_plan_and_to_each_section(cast, istruttoria, client_for):
    osserva(cast, "Il 2027 è vuoto.", sezione=SEZIONE_BUDGET)
    html = client_for("funzionario").get(url("piano_commenti", istruttoria)).content.decode()
    assert f'href="{reverse("piano_detail", args=[istruttoria.pk])}"' in html
    for sezione in commenti.registry.sezioni_piano():
        assert (
            f'<a href="{reverse(sezione.url_name, args=[istruttoria.pk])}">{sezione.titolo}</a>'
            in html
        )
    assert "(1 osservazione aperta)" in html


def test_the_district_sees_reply_forms_but_neither_the_new_remark_form_nor_resolve_buttons(
    cast, istruttoria, client_for
):
    aperta = osserva(cast, "Aperta.")
    commenti.commento_risolvi(commento=osserva(cast, "Chiusa."), user=cast.funzionario)
    html = client_for("responsabile_a").get(url("piano_commenti", istruttoria)).content.decode()
    assert html.count('action="' + url("piano_commento_rispondi", istruttoria, aperta)) == 1
    assert html.count("Rispondi<span") == 1  # none under the resolved remark
    assert f'for="id_risposta_{aperta.pk}_testo"' in html
    assert "Nuova osservazione" not in html and "Segna come risolta" not in html
    assert "Riapri" not in html


def test_the_officer_sees_every_form_and_the_administrator_none(cast, istruttoria, client_for):
    osserva(cast, "Aperta.")
    commenti.commento_risolvi(commento=osserva(cast, "Chiusa."), user=cast.funzionario)
    html = client_for("funzionario").get(url("piano_commenti", istruttoria)).content.decode()
    assert "Nuova osservazione" in html and 'for="id_sezione"' in html
    assert '<option value="risorse:budget">Budget</option>' in html
    assert "Segna come risolta<span" in html and "Riapri<span" in html
    assert "Rispondi<span" in html
    admin = client_for("admin").get(url("piano_commenti", istruttoria)).content.decode()
    assert "Aperta." in admin and "Chiusa." in admin
    assert '<form method="post" action="/piani' not in admin


def test_a_section_can_be_chosen_in_advance_through_the_address(cast, istruttoria, client_for):
    html = (
        client_for("funzionario")
        .get(url("piano_commenti", istruttoria) + "?sezione=risorse:budget")
        .content.decode()
    )
    assert '<option value="risorse:budget" selected>Budget</option>' in html


def test_outside_review_the_officer_is_told_when_remarks_can_be_written(cast, client_for):
    html = client_for("funzionario").get(url("piano_commenti", cast.piano_a)).content.decode()
    assert "Nessuna osservazione sul piano." in html
    assert "le nuove osservazioni si scrivono quando il piano è inviato" in html
    assert 'action="' + url("piano_commento_crea", cast.piano_a) not in html


def test_the_page_runs_the_same_queries_whatever_the_number_of_remarks(
    cast, istruttoria, client_for, assert_constant_queries
):
    versione(istruttoria, 1, cast.responsabile_a)
    osserva(cast, "Prima.")

    def altre():
        for i in range(6):
            radice = osserva(cast, f"Osservazione {i}.", sezione=SEZIONE_BUDGET)
            commenti.commento_rispondi(commento=radice, user=cast.operatore_a, testo=f"Sì {i}.")
            commenti.commento_rispondi(commento=radice, user=cast.funzionario, testo=f"Ok {i}.")
            if i % 2:
                commenti.commento_risolvi(commento=radice, user=cast.funzionario)
        Commento.objects.create(
            piano=istruttoria, sezione="sezione:dismessa", autore=cast.funzionario, testo="Old."
        )

    for ruolo in ("funzionario", "operatore_a"):
        client = client_for(ruolo)
        assert_constant_queries(client, url("piano_commenti", istruttoria), 9, altre)
        Commento.objects.all().delete()
        osserva(cast, "Prima.")


def test_the_officer_writes_a_remark_and_comes_back_to_it(
    cast, istruttoria, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for("funzionario")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("piano_commento_crea", istruttoria),
            {"sezione": SEZIONE_BUDGET, "testo": "Il 2027 è vuoto."},
        )
    commento = Commento.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url('piano_commenti', istruttoria)}#commento-{commento.pk}"
    assert commento.sezione == SEZIONE_BUDGET and commento.autore == cast.funzionario
    assert len(mailoutbox) == 2
    html = client.get(response["Location"]).content.decode()
    assert "Osservazione inviata all&#x27;Ufficio di Piano." in html
    assert "Il 2027 è vuoto." in html


def test_a_double_click_on_send_writes_one_remark(cast, istruttoria, client_for):
    client = client_for("funzionario")
    dati = {"sezione": "generale", "testo": "Una sola volta."}
    primo = client.post(url("piano_commento_crea", istruttoria), dati)
    secondo = client.post(url("piano_commento_crea", istruttoria), dati)
    assert primo.status_code == secondo.status_code == 302
    assert primo["Location"] == secondo["Location"]
    assert Commento.objects.count() == 1


def test_an_empty_or_too_long_remark_comes_back_with_the_error_and_the_text(
    cast, istruttoria, client_for
):
    client = client_for("funzionario")
    vuota = client.post(
        url("piano_commento_crea", istruttoria), {"sezione": "generale", "testo": " "}
    )
    assert vuota.status_code == 200
    assert "Scrivere il testo." in vuota.content.decode()
    lunga = client.post(
        url("piano_commento_crea", istruttoria), {"sezione": "generale", "testo": "x" * 5001}
    )
    html = lunga.content.decode()
    assert "al massimo 5000 caratteri (ora ne ha 5001)" in html
    assert "x" * 5001 + "</textarea>" in html
    sconosciuta = client.post(
        url("piano_commento_crea", istruttoria), {"sezione": "bilancio", "testo": "Nota."}
    )
    assert "Scegliere una sezione dall&#x27;elenco." in sconosciuta.content.decode()
    assert not Commento.objects.exists()


def test_a_remark_on_a_plan_in_draft_is_refused_with_the_reason_and_the_text_kept(cast, client_for):
    response = client_for("funzionario").post(
        url("piano_commento_crea", cast.piano_a), {"sezione": "generale", "testo": "Presto."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Il piano è «bozza»: le osservazioni si scrivono mentre la Regione" in html
    assert not Commento.objects.exists()


def test_the_district_replies_from_the_page(cast, istruttoria, client_for):
    radice = osserva(cast)
    client = client_for("operatore_a")
    response = client.post(
        url("piano_commento_rispondi", istruttoria, radice), {"testo": "Ecco il cronoprogramma."}
    )
    risposta = Commento.objects.get(risposta_a=radice)
    assert response["Location"] == f"{url('piano_commenti', istruttoria)}#commento-{risposta.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "Risposta inviata." in html and "Ecco il cronoprogramma." in html


def test_a_reply_to_a_resolved_remark_is_refused_with_the_reason(cast, istruttoria, client_for):
    radice = osserva(cast)
    commenti.commento_risolvi(commento=radice, user=cast.funzionario)
    response = client_for("operatore_a").post(
        url("piano_commento_rispondi", istruttoria, radice), {"testo": "Troppo tardi."}
    )
    assert response.status_code == 200
    assert "L&#x27;osservazione è già risolta" in response.content.decode()
    assert not radice.risposte.exists()


def test_an_empty_reply_comes_back_under_its_remark(cast, istruttoria, client_for):
    radice = osserva(cast)
    response = client_for("operatore_a").post(
        url("piano_commento_rispondi", istruttoria, radice), {"testo": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_risposta_{radice.pk}_testo_errori"' in html


def test_the_officer_resolves_and_reopens_from_the_page(cast, istruttoria, client_for):
    radice = osserva(cast)
    client = client_for("funzionario")
    risolta = client.post(url("piano_commento_risolvi", istruttoria, radice), follow=True)
    assert "Osservazione segnata come risolta." in risolta.content.decode()
    assert not Commento.objects.get(pk=radice.pk).aperto
    riaperta = client.post(url("piano_commento_riapri", istruttoria, radice), follow=True)
    assert "Osservazione riaperta." in riaperta.content.decode()
    assert Commento.objects.get(pk=radice.pk).aperto


def test_reopening_on_an_approved_plan_shows_the_reason(cast, istruttoria, client_for):
    radice = osserva(cast)
    commenti.commento_risolvi(commento=radice, user=cast.funzionario)
    in_stato(istruttoria, Stato.APPROVATO)
    response = client_for("funzionario").post(
        url("piano_commento_riapri", istruttoria, radice), follow=True
    )
    assert response.status_code == 200
    assert "Il piano è approvato: le sue osservazioni non si riaprono." in response.content.decode()


def test_the_district_and_the_administrator_may_not_write_or_resolve(cast, istruttoria, client_for):
    radice = osserva(cast)
    for ruolo in ("operatore_a", "responsabile_a", "admin"):
        client = client_for(ruolo)
        dati = {"sezione": "generale", "testo": "Nota."}
        assert client.post(url("piano_commento_crea", istruttoria), dati).status_code == 403
        assert client.post(url("piano_commento_risolvi", istruttoria, radice)).status_code == 403
        assert client.post(url("piano_commento_riapri", istruttoria, radice)).status_code == 403
    risposta = client_for("admin").post(
        url("piano_commento_rispondi", istruttoria, radice), {"testo": "Nota."}
    )
    assert risposta.status_code == 403
    assert Commento.objects.count() == 1 and Commento.objects.get().aperto


def test_another_ambito_finds_nothing(cast, istruttoria, client_for):
    radice = osserva(cast)
    client = client_for("operatore_b")
    assert client.get(url("piano_commenti", istruttoria)).status_code == 404
    risposta = client.post(url("piano_commento_rispondi", istruttoria, radice), {"testo": "x"})
    assert risposta.status_code == 404


def test_a_remark_of_another_plan_is_not_found_through_this_plans_address(
    cast, istruttoria, client_for
):
    altrui = Commento.objects.create(
        piano=cast.piano_b, sezione="generale", autore=cast.funzionario, testo="Altro piano."
    )
    client = client_for("funzionario")
    assert client.post(url("piano_commento_risolvi", istruttoria, altrui)).status_code == 404
    risposta = client.post(url("piano_commento_rispondi", istruttoria, altrui), {"testo": "x"})
    assert risposta.status_code == 404
    assert Commento.objects.get(pk=altrui.pk).aperto


def test_the_write_addresses_answer_only_post(cast, istruttoria, client_for):
    radice = osserva(cast)
    client = client_for("funzionario")
    assert client.get(url("piano_commento_crea", istruttoria)).status_code == 405
    for nome in ("piano_commento_rispondi", "piano_commento_risolvi", "piano_commento_riapri"):
        assert client.get(url(nome, istruttoria, radice)).status_code == 405
