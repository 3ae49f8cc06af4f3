"""Catalogo degli interventi, schede intervento, allocazioni, parte narrativa del piano."""

from django.apps import AppConfig


class ProgrammazioneConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programmazione"
    verbose_name = "Programmazione"

    def ready(self) -> None:
        from pianizona import registry
        from pianizona.iter.istantanee import registra_tabelle

        from .istantanea import tabelle_programmazione

        registra_tabelle(tabelle_programmazione)

        from .api import registra as registra_api
        from .controlli import SEZIONI, controlli_programmazione
        from .demo import crea_dati_demo
        from .services import programmazione_copia_per_attuativo
        from .totali import totali_programmazione

        registra_api()  # catalogue and sheets endpoints, the allocations' open dataset
        registry.registra_controllo(controlli_programmazione, sezioni=SEZIONI)
        registry.registra_totali(totali_programmazione)
        registry.registra_precompilazione(programmazione_copia_per_attuativo)
        from .services_catalogo import catalogo_copia

        registry.registra_apertura_ciclo(
            lambda ciclo, origine: catalogo_copia(ciclo=ciclo, origine=origine)
        )
        registry.registra_parziale_piano("programmazione/pdf/_pulsante.html")
        registry.registra_demo(crea_dati_demo)  # after risorse's: it allocates risorse's budget
        from pianizona.lavori.tipi import registra_tipo

        from . import lavori

        registra_tipo(lavori.TIPO_PDF_PIANO, "PDF del piano", lavori.pdf_piano)
        registra_tipo(lavori.TIPO_PDF_CICLO, "PDF dei piani approvati del ciclo", lavori.pdf_ciclo)
        from .tasks import prepara_dopo_approvazione

        registry.registra_dopo_transizione(prepara_dopo_approvazione)
        registry.registra_pagina_ciclo(
            "PDF dei piani approvati",
            "Un archivio ZIP con il PDF di ogni piano approvato del ciclo, nella versione approvata.",
            "programmazione:pdf_ciclo_richiedi",
            90,
        )
        registry.registra_pagina_ciclo(
            "Catalogo degli interventi",
            "Le voci che {i} possono programmare, sulla griglia FNPS: a mano o da foglio "
            "di calcolo.",
            "programmazione:catalogo",
            20,
        )
        for titolo, descrizione, url_name, ordine in [
            (
                "Schede intervento",
                "I servizi e gli interventi del piano nelle tre sezioni, con gli importi per fondo e anno e il quadro di quanto resta da programmare.",
                "programmazione:schede",
                20,
            ),
            (
                "Parte narrativa",
                "Analisi del contesto, obiettivi e priorità, organizzazione, integrazione, concertazione, sistema informativo.",
                "programmazione:narrativa",
                21,
            ),
            (
                "Allocazioni: esporta e importa",
                "Tutti gli importi delle schede in un foglio di calcolo, da compilare e reimportare.",
                "programmazione:allocazioni_importa",
                22,
            ),
        ]:
            registry.registra_sezione_piano(titolo, descrizione, url_name, ordine)
