"""The plan's journey: the Region's cycles, its page, state changes, versions, remarks, comparison, history, the Region's table."""

from django.urls import path

from .views import cicli, commenti, confronto, cronologia, panoramica, piano, workflow

urlpatterns = [
    path("piani/<int:pk>/", piano.piano_detail, name="piano_detail"),
    # State changes and the frozen versions they leave.
    path("piani/<int:pk>/invio/", workflow.piano_invio, name="piano_invio"),
    path(
        "piani/<int:pk>/presa-in-carico/",
        workflow.piano_presa_in_carico,
        name="piano_presa_in_carico",
    ),
    path(
        "piani/<int:pk>/richiesta-integrazioni/",
        workflow.piano_richiesta_integrazioni,
        name="piano_richiesta_integrazioni",
    ),
    path("piani/<int:pk>/approvazione/", workflow.piano_approvazione, name="piano_approvazione"),
    path("piani/<int:pk>/versioni/", workflow.piano_versioni, name="piano_versioni"),
    path("piani/<int:pk>/versioni/<int:numero>/", workflow.piano_versione, name="piano_versione"),
    path(
        "piani/<int:pk>/aggiornamento-annuale/",
        workflow.piano_attuativo_avvia,
        name="piano_attuativo_avvia",
    ),
    # Comparison between versions.
    path("piani/<int:pk>/confronto/", confronto.piano_confronto, name="piano_confronto"),
    path(
        "piani/<int:pk>/confronto/standard/",
        confronto.piano_confronto_standard,
        name="piano_confronto_standard",
    ),
    path(
        "piani/<int:pk>/confronto/excel/",
        confronto.piano_confronto_xlsx,
        name="piano_confronto_xlsx",
    ),
    # The Region's remarks and the district's replies.
    path("piani/<int:piano_pk>/osservazioni/", commenti.piano_commenti, name="piano_commenti"),
    path(
        "piani/<int:piano_pk>/osservazioni/nuova/",
        commenti.piano_commento_crea,
        name="piano_commento_crea",
    ),
    path(
        "piani/<int:piano_pk>/osservazioni/<int:pk>/risposta/",
        commenti.piano_commento_rispondi,
        name="piano_commento_rispondi",
    ),
    path(
        "piani/<int:piano_pk>/osservazioni/<int:pk>/risolvi/",
        commenti.piano_commento_risolvi,
        name="piano_commento_risolvi",
    ),
    path(
        "piani/<int:piano_pk>/osservazioni/<int:pk>/riapri/",
        commenti.piano_commento_riapri,
        name="piano_commento_riapri",
    ),
    # Change history.
    path("piani/<int:pk>/cronologia/", cronologia.piano_cronologia, name="piano_cronologia"),
    path(
        "piani/<int:pk>/cronologia/esporta/",
        cronologia.piano_cronologia_esporta,
        name="piano_cronologia_esporta",
    ),
    # The Region's cycles: opening, the plans of late ambiti, closing.
    path("regioni/<int:pk>/cicli/", cicli.regione_cicli, name="regione_cicli"),
    path("cicli/<int:pk>/", cicli.ciclo_detail, name="ciclo_detail"),
    path(
        "cicli/<int:pk>/piani-mancanti/",
        cicli.ciclo_piani_mancanti,
        name="ciclo_piani_mancanti",
    ),
    path("cicli/<int:pk>/chiusura/", cicli.ciclo_chiusura, name="ciclo_chiusura"),
    # The Region's table of its ambiti's plans.
    path("regioni/<int:pk>/piani/", panoramica.regione_piani, name="regione_piani"),
    path(
        "regioni/<int:pk>/piani/esporta/",
        panoramica.regione_piani_esporta,
        name="regione_piani_esporta",
    ),
]
