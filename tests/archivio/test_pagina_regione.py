"""The Region's page links to the regional archive, for those who may open it."""

from django.urls import reverse

from pianizona.models import Regione

from .utili import documento_di


def test_the_regional_officer_finds_the_archive_on_the_region_s_page(cast, client_for):
    documento_di(cast, titolo="Linee guida regionali")
    client = client_for("funzionario")
    pagina = client.get(reverse("regione_detail", args=[cast.regione.pk]))
    url = reverse("archivio:documenti_regione", args=[cast.regione.pk])
    assert pagina.status_code == 200
    assert f'href="{url}"' in pagina.content.decode()
    assert "Archivio regionale" in pagina.content.decode()
    archivio = client.get(url)
    assert archivio.status_code == 200 and "Linee guida regionali" in archivio.content.decode()


def test_the_administrator_sees_the_link_and_may_follow_it(cast, client_for):
    client = client_for("admin")
    url = reverse("archivio:documenti_regione", args=[cast.regione.pk])
    pagina = client.get(reverse("regione_detail", args=[cast.regione.pk]))
    assert f'href="{url}"' in pagina.content.decode()
    assert client.get(url).status_code == 200


def test_district_users_neither_see_the_region_s_page_nor_the_link(cast, client_for):
    url = reverse("archivio:documenti_regione", args=[cast.regione.pk])
    for ruolo in ("operatore_a", "responsabile_a"):
        client = client_for(ruolo)
        assert client.get(reverse("regione_detail", args=[cast.regione.pk])).status_code == 403
        assert client.get(url).status_code == 403
        ambito = client.get(reverse("ambito_detail", args=[cast.ambito_a.pk])).content.decode()
        assert f'href="{url}"' not in ambito


def test_the_regional_archive_filters_by_district_in_the_region_s_words(cast, client_for):
    Regione.objects.filter(pk=cast.regione.pk).update(denominazione_ambiti="zona_sociale")
    url = reverse("archivio:documenti_regione", args=[cast.regione.pk])
    pagina = client_for("funzionario").get(url).content.decode()
    assert ">Zona sociale</label>" in pagina
    assert '<option value="" selected>Tutte le zone sociali</option>' in pagina
