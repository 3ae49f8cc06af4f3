"""What the load users visit, read once from the database: URLs by page type, per ambito and region.

The locustfile does not import Django (locust runs under gevent): it reads this as JSON. Every
URL comes from ``reverse`` on the drill's URL conf, so a renamed route breaks here, not silently.
"""

from django.urls import reverse

from pianizona.demo import CODICE_PUGLIA, DEMO_PASSWORD, DOMINIO
from pianizona.models import Piano, Regione
from programmazione.models import SchedaIntervento

SCHEDE_PER_AMBITO = 8  # the sheets a district user opens and edits, among its plan's sixty


def _pagine_piano(piano: Piano) -> dict[str, str]:
    pk = piano.pk
    return {
        "ambito": reverse("ambito_detail", args=[piano.ambito_id]),
        "piano": reverse("piano_detail", args=[pk]),
        "budget": reverse("risorse:budget", args=[pk]),
        "riepilogo risorse": reverse("risorse:riepilogo", args=[pk]),
        "schede": reverse("programmazione:schede", args=[pk]),
        "pannello": reverse("programmazione:pannello", args=[pk]),
        "invio: controlli": reverse("piano_invio", args=[pk]),
        "versioni": reverse("piano_versioni", args=[pk]),
        "cronologia": reverse("piano_cronologia", args=[pk]),
    }


def bersagli() -> dict:
    """The current cycle's triennial plans of Puglia, editable ones first (they get users first)."""
    regione = Regione.objects.get(codice_istat=CODICE_PUGLIA)
    ciclo = regione.cicli.order_by("-anno_inizio").first()
    piani = sorted(
        Piano.objects.filter(ciclo=ciclo, tipo=Piano.Tipo.TRIENNALE).select_related("ambito"),
        key=lambda p: (not p.modificabile, p.ambito.codice),
    )
    ambiti = []
    for piano in piani:
        codice = piano.ambito.codice.lower()
        schede = SchedaIntervento.objects.filter(piano=piano).order_by("numero")
        ambiti.append(
            {
                "codice": piano.ambito.codice,
                "modificabile": piano.modificabile,
                "utenti": [f"responsabile.{codice}@{DOMINIO}", f"operatore.{codice}@{DOMINIO}"],
                "pagine": _pagine_piano(piano),
                "schede": [
                    reverse("programmazione:scheda_modifica", args=[piano.pk, pk])
                    for pk in schede.values_list("pk", flat=True)[:SCHEDE_PER_AMBITO]
                ],
                "pdf": reverse("programmazione:pdf_richiedi", args=[piano.pk]),
                "recepimento": reverse("risorse:recepimento", args=[piano.pk]),
            }
        )
    return {
        "password": DEMO_PASSWORD,
        "login": reverse("account_login"),
        "home": reverse("home"),
        "nudo": reverse("carico_nudo"),
        "ambiti": ambiti,
        "funzionario": {
            "utente": f"funzionario@{DOMINIO}",
            "pagine": {
                "regione": reverse("regione_detail", args=[regione.pk]),
                "regione: piani": reverse("regione_piani", args=[regione.pk]),
                "cruscotto": reverse("monitoraggio:cruscotto_regione", args=[regione.pk]),
                "assegnazioni": reverse("risorse:assegnazioni", args=[ciclo.pk]),
                "riparto": reverse("risorse:riparto", args=[ciclo.pk]),
                "catalogo": reverse("programmazione:catalogo", args=[ciclo.pk]),
            },
            "piani": [reverse("piano_detail", args=[p.pk]) for p in piani],
        },
    }
