"""The allocation grid, its service and its spreadsheet never take the residui aggregate (RES):
residui count in the budget of their fund of origin, RES has no budget of its own."""

import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pianizona.dominio import ErroreDominio
from pianizona.models import FonteFinanziamento
from pianizona.revisioni import revisione_corrente
from programmazione import services
from programmazione.models import Allocazione, Sezione
from risorse.models import FonteCiclo
from risorse.selectors import budget_del_piano

from .test_schede import nuova_scheda

pytestmark = pytest.mark.django_db

RIFIUTO_RES = (
    "La fonte «RES» non può essere usata negli importi delle schede: "
    "residui ed economie si programmano sul fondo di provenienza."
)


@pytest.fixture
def res(cast, budget) -> FonteFinanziamento:
    """The residui aggregate, activated by the Region in both sections of the cycle's funds."""
    fonte = FonteFinanziamento.objects.create(
        codice="RES", nome="Residui ed economie dei cicli precedenti", livello="mista",
        sezione="ordinarie", ordine=10,
    )  # fmt: skip
    FonteCiclo.objects.create(ciclo=cast.piano_a.ciclo, fonte=fonte, sezione="ordinarie")
    return fonte


def test_the_allocation_grid_offers_the_funds_with_a_budget_never_res(
    cast, catalogo, budget, res, client_for
):
    client = client_for("operatore_a")
    for sezione, attese in [
        (Sezione.AMBITO, ["FNPS", "FNA", "FGSA"]),
        (Sezione.ALTRE_RISORSE, ["PNRR"]),
    ]:
        indirizzo = reverse(
            "programmazione:scheda_crea", kwargs={"piano_pk": cast.piano_a.pk, "sezione": sezione}
        )
        pagina = html.unescape(client.get(indirizzo).content.decode())
        righe = [
            c for c in ["FNPS", "FNA", "FGSA", "COM", "ASL", "PNRR", "RES"] if f"{c} 2025" in pagina
        ]
        assert righe == attese, sezione
        assert f'name="importo_{res.pk}_2025"' not in pagina


def test_an_allocation_on_res_is_refused_and_nothing_moves(cast, catalogo, budget, res):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    prima = budget_del_piano(cast.piano_a).tabella.celle
    with pytest.raises(ErroreDominio) as errore:
        services.allocazioni_salva(
            piano=cast.piano_a,
            scheda=scheda,
            importi={(res.pk, 2025): Decimal("10")},
            revisione=revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI),
            user=None,
        )
    assert str(errore.value) == RIFIUTO_RES
    assert not Allocazione.objects.exists()
    assert budget_del_piano(cast.piano_a).tabella.celle == prima


def test_an_import_row_on_res_is_refused_with_its_line_and_nothing_is_saved(
    cast, catalogo, budget, res, client_for
):
    nuova_scheda(cast.piano_a, catalogo.segretariato)
    testo = (
        "scheda;sezione;voce;titolo;comune;fonte;anno;importo\n"
        "S-1;;;;;FNPS;2025;100\n"
        "S-1;;;;;RES;2025;100\n"
    )
    client = client_for("operatore_a")
    indirizzo = reverse("programmazione:allocazioni_importa", kwargs={"piano_pk": cast.piano_a.pk})
    file = SimpleUploadedFile("a.csv", testo.encode(), content_type="text/csv")
    assert client.post(indirizzo, {"file": file}).status_code == 302
    pagina = html.unescape(client.get(indirizzo).content.decode())
    assert f'<td class="num">3</td><td>fonte: {RIFIUTO_RES}' in pagina
    client.post(indirizzo, {"azione": "conferma"})
    assert not Allocazione.objects.exists()
