from django.urls import reverse


def test_the_plan_page_leads_to_every_resources_section(cast, client_for):
    html = (
        client_for("operatore_a")
        .get(reverse("piano_detail", args=[cast.piano_a.pk]))
        .content.decode()
    )
    for nome in ("riepilogo", "residui", "cofinanziamento", "altre_risorse", "budget"):
        assert f'href="{reverse(f"risorse:{nome}", args=[cast.piano_a.pk])}"' in html


def test_the_regional_overview_leads_to_the_cycles_pages(cast, client_for):
    html = (
        client_for("funzionario")
        .get(reverse("regione_detail", args=[cast.regione.pk]))
        .content.decode()
    )
    ciclo = cast.piano_a.ciclo
    for nome in ("configurazione", "assegnazioni", "riparto", "criteri", "segnalazioni"):
        assert f'href="{reverse(f"risorse:{nome}", args=[ciclo.pk])}"' in html


def test_the_side_menu_marks_the_current_page_for_screen_readers(cast, client_for):
    url = reverse("risorse:budget", args=[cast.piano_a.pk])
    html = client_for("operatore_a").get(url).content.decode()
    assert (
        f'<a class="list-item active" href="{url}" aria-current="page"><span>Budget triennale</span>'
        in html
    )
    altra = reverse("risorse:residui", args=[cast.piano_a.pk])
    assert f'<a class="list-item" href="{altra}"><span>Residui ed economie</span>' in html
