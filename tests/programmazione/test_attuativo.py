"""The annual update starts as a copy of the approved triennial plan: every field, every row."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pianizona import registry
from pianizona.iter import workflow
from pianizona.models import Comune, Piano
from pianizona.revisioni import revisione_corrente
from programmazione import services
from programmazione.models import Narrativa, SchedaIntervento, Sezione
from risorse import services as risorse_services
from risorse.models import Cofinanziamento, ResiduoEconomia, RisorsaAggiuntiva
from risorse.selectors import anni_del_piano

pytestmark = pytest.mark.django_db

Stato = Piano.Stato


@pytest.fixture
def senza_controlli(monkeypatch):
    """The plan is approved as it is: the checks have their own tests."""
    monkeypatch.setattr(registry, "_controlli", [])


def _scheda_completa(cast, catalogo, budget, riferimenti) -> SchedaIntervento:
    """A triennial sheet with every field away from its default, as a district fills it."""
    piano = cast.piano_a
    scheda = services.scheda_salva(
        piano=piano,
        scheda=SchedaIntervento(
            sezione=Sezione.AMBITO,
            voce=catalogo.domiciliare,
            titolo="Assistenza domiciliare integrata",
            descrizione="Prestazioni a domicilio per anziani non autosufficienti.",
            obiettivi="Ridurre i ricoveri impropri.",
            gestione=SchedaIntervento.Gestione.ACCREDITAMENTO,
            soggetto_attuatore="Cooperativa Aurora",
            risorse_strutturali="Sede del distretto, due automezzi.",
            integrazione_sociosanitaria=True,
            azienda_sanitaria="ASL Bari",
            modalita_integrazione="Unità di valutazione multidimensionale congiunta.",
            in_continuita=True,
        ),
        aree_utenza=[riferimenti.anziani, riferimenti.famiglia],
        user=cast.operatore_a,
    )
    services.figure_salva(
        piano=piano,
        scheda=scheda,
        figure=[("Assistente sociale", Decimal("1.50")), ("OSS", Decimal("4.00"))],
    )
    services.beneficiari_salva(piano=piano, scheda=scheda, numeri={2025: 120, 2026: 130, 2027: 140})
    fnps = budget["FNPS"]
    services.allocazioni_salva(
        piano=piano,
        scheda=scheda,
        importi={(fnps.pk, 2025): Decimal("60000.00"), (fnps.pk, 2026): Decimal("65000.00")},
        revisione=revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI),
        user=cast.operatore_a,
    )
    return scheda


@pytest.fixture
def triennale(cast, catalogo, budget, riferimenti, senza_controlli) -> SchedaIntervento:
    """Ambito A's triennial plan, filled in every part and approved by the Region."""
    piano = cast.piano_a
    scheda = _scheda_completa(cast, catalogo, budget, riferimenti)
    bari = Comune.objects.get(nome="Bari")
    comunale = services.scheda_salva(
        piano=piano,
        scheda=SchedaIntervento(
            sezione=Sezione.COMUNALE,
            voce=catalogo.segretariato,
            comune=bari,
            titolo="Sportello sociale di Bari",
            gestione=SchedaIntervento.Gestione.DIRETTA,
        ),
    )
    services.beneficiari_salva(piano=piano, scheda=comunale, numeri={2025: 900})
    for capitolo, testo in [("contesto", "Un territorio che invecchia."), ("obiettivi", "Casa.")]:
        services.narrativa_salva(
            piano=piano,
            capitolo=capitolo,
            testo=testo,
            revisione=revisione_corrente(piano, f"{services.TABELLA_NARRATIVA}:{capitolo}"),
            user=cast.operatore_a,
        )
    risorse_services.residuo_salva(
        piano=piano,
        residuo=ResiduoEconomia(
            fonte=budget["FNPS"],
            anno_origine=2023,
            anno_impiego=2025,
            tipo=ResiduoEconomia.Tipo.ECONOMIA,
            importo=Decimal("1500.00"),
            stato=ResiduoEconomia.Stato.CONFERMATO,
            nota="Economie del centro diurno.",
        ),
    )
    risorse_services.cofinanziamento_salva(
        piano=piano,
        importi={(bari.pk, 2025): Decimal("12000.00"), (bari.pk, 2026): Decimal("13000.00")},
        revisione=revisione_corrente(piano, risorse_services.TABELLA_COFINANZIAMENTO),
        user=cast.operatore_a,
    )
    workflow.piano_invia(piano=piano, user=cast.responsabile_a, stato_atteso=Stato.BOZZA)
    workflow.piano_prendi_in_carico(piano=piano, user=cast.funzionario, stato_atteso=Stato.INVIATO)
    workflow.piano_approva(piano=piano, user=cast.funzionario, stato_atteso=Stato.IN_ISTRUTTORIA)
    return scheda


def _avvia(cast, anno: int = 2025) -> Piano:
    return workflow.piano_attuativo_avvia(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, anno=anno, user=cast.operatore_a
    ).piano


def _copia_di(scheda: SchedaIntervento, piano: Piano) -> SchedaIntervento:
    return SchedaIntervento.objects.get(piano=piano, scheda_origine=scheda)


def test_an_untouched_annual_plan_shows_no_change_in_the_standard_comparison(
    cast, client_for, triennale
):
    client = client_for("responsabile_a")
    risposta = client.post(
        reverse("piano_attuativo_avvia", args=[cast.piano_a.pk]), {"anno": "2025"}, follow=True
    )
    annuale = Piano.objects.get(ambito=cast.ambito_a, tipo=Piano.Tipo.ATTUATIVO, anno=2025)
    assert "Piano attuativo 2025 avviato" in risposta.content.decode()

    html = client.get(reverse("piano_confronto_standard", args=[annuale.pk])).content.decode()
    assert "Schede intervento:" in html
    assert "0 aggiunte, 0 rimosse, 0 modificate, 2 invariate." in html
    assert "Modificata" not in html and "Modificato" not in html


@pytest.mark.parametrize("campo", [c for c in services.COPIA_SCHEDA.copiati if c != "aree_utenza"])
def test_every_field_of_a_sheet_carries_over(cast, triennale, campo):
    predefinito = SchedaIntervento._meta.get_field(campo).get_default()
    # the triennial sheet where the field holds a value (the municipality: the municipal sheet)
    scheda = next(
        (
            s
            for s in SchedaIntervento.objects.filter(piano=cast.piano_a)
            if getattr(s, campo) not in (predefinito, "", None)
        ),
        None,
    )
    assert scheda is not None, f"dare a «{campo}» un valore in una scheda del piano di prova"
    assert getattr(_copia_di(scheda, _avvia(cast)), campo) == getattr(scheda, campo)


def test_the_target_user_areas_carry_over(cast, triennale, riferimenti):
    copia = _copia_di(triennale, _avvia(cast))
    assert set(copia.aree_utenza.all()) == {riferimenti.anziani, riferimenti.famiglia}


def test_the_professional_figures_carry_over(cast, triennale):
    copia = _copia_di(triennale, _avvia(cast))
    assert list(copia.figure.values_list("profilo", "fte")) == [
        ("Assistente sociale", Decimal("1.50")),
        ("OSS", Decimal("4.00")),
    ]


def test_the_expected_beneficiaries_of_the_plans_year_carry_over(cast, triennale):
    copia = _copia_di(triennale, _avvia(cast, 2026))
    assert dict(copia.beneficiari.values_list("anno", "numero")) == {2026: 130}


def test_the_allocations_of_the_plans_year_carry_over(cast, triennale):
    copia = _copia_di(triennale, _avvia(cast, 2026))
    assert list(copia.allocazioni.values_list("fonte__codice", "anno", "importo")) == [
        ("FNPS", 2026, Decimal("65000.00"))
    ]


def test_the_narrative_carries_over(cast, triennale):
    annuale = _avvia(cast)
    assert dict(Narrativa.objects.filter(piano=annuale).values_list("capitolo", "testo")) == {
        "contesto": "Un territorio che invecchia.",
        "obiettivi": "Casa.",
    }


def test_residui_other_resources_and_co_financing_of_the_year_carry_over(cast, triennale):
    annuale = _avvia(cast)
    assert list(
        ResiduoEconomia.objects.filter(piano=annuale).values_list(
            "fonte__codice", "anno_origine", "anno_impiego", "tipo", "importo", "stato", "nota"
        )
    ) == [
        (
            "FNPS",
            2023,
            2025,
            "economia",
            Decimal("1500.00"),
            "confermato",
            "Economie del centro diurno.",
        )
    ]
    assert list(
        RisorsaAggiuntiva.objects.filter(piano=annuale).values_list(
            "fonte__codice", "anno", "importo", "descrizione"
        )
    ) == [("PNRR", 2025, Decimal("200000.00"), "M5C2 1.1")]
    assert list(
        Cofinanziamento.objects.filter(piano=annuale).values_list("comune__nome", "anno", "importo")
    ) == [("Bari", 2025, Decimal("12000.00"))]
    assert anni_del_piano(annuale) == [2025]


def test_a_change_of_this_years_beneficiaries_is_what_the_comparison_reports(
    cast, client_for, triennale
):
    annuale = _avvia(cast)
    services.beneficiari_salva(
        piano=annuale, scheda=_copia_di(triennale, annuale), numeri={2025: 150}
    )
    html = (
        client_for("responsabile_a")
        .get(reverse("piano_confronto_standard", args=[annuale.pk]))
        .content.decode()
    )
    assert "0 aggiunte, 0 rimosse, 1 modificata, 1 invariata." in html
    assert "Beneficiari previsti" in html


# --- An annual plan is about its own year ------------------------------------------------------


def test_an_annual_plans_page_and_list_show_its_year_not_the_triennium(cast, client_for, triennale):
    annuale = _avvia(cast, 2026)
    client = client_for("operatore_a")
    pagina = client.get(reverse("piano_detail", args=[annuale.pk])).content.decode()
    assert "<h1>Piano attuativo 2026</h1>" in pagina
    assert "2026 (ciclo 2025–2027)" in pagina
    elenco = client.get(reverse("ambito_detail", args=[cast.ambito_a.pk])).content.decode()
    assert "Piano attuativo 2026" in elenco and "Piano triennale 2025–2027" in elenco


def test_an_annual_plans_pdf_cover_names_its_year(cast, triennale):
    from programmazione import stampa

    from .test_pdf import pagine

    copertina = pagine(stampa.pdf_del_piano(_avvia(cast, 2026)))[0]
    assert "Anno 2026" in copertina
    assert "Piano attuativo annuale 2026" in copertina
    assert "Periodo 2025–2027" not in copertina
    triennale_copertina = pagine(stampa.pdf_del_piano(cast.piano_a))[0]
    assert "Periodo 2025–2027" in triennale_copertina


def test_the_annual_update_offers_only_this_year_and_later_ones_without_a_plan(
    cast, client_for, triennale, monkeypatch
):
    monkeypatch.setattr(workflow, "anno_corrente", lambda: 2026)
    client = client_for("responsabile_a")
    url = reverse("piano_attuativo_avvia", args=[cast.piano_a.pk])
    pagina = client.get(url).content.decode()
    assert '<option value="2026"' in pagina and '<option value="2027"' in pagina
    assert '<option value="2025"' not in pagina

    risposta = client.post(url, {"anno": "2025"})
    assert risposta.status_code == 400
    assert "Per l&#x27;anno scelto non si può avviare" in risposta.content.decode()
    with pytest.raises(workflow.TransizioneNonConsentita, match="Il 2025 è già trascorso"):
        _avvia(cast, 2025)

    client.post(url, {"anno": "2026"})
    pagina = client.get(url).content.decode()
    assert '<option value="2026"' not in pagina and '<option value="2027"' in pagina
    assert not Piano.objects.filter(ambito=cast.ambito_a, anno=2025).exists()
