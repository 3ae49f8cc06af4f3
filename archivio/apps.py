"""Archivio documentale condiviso e adesioni all'Accordo di programma."""

from django.apps import AppConfig


class ArchivioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archivio"
    verbose_name = "Archivio"

    def ready(self) -> None:
        from pianizona import registry

        from .demo import crea_dati_demo
        from .stampa import sezione_aderenti

        registry.registra_pagina_ambito(
            "Archivio documenti",
            "Delibere, accordi, verbali e modulistica {del} e della Regione, con le versioni.",
            "archivio:documenti",
            60,
        )
        registry.registra_pagina_ambito(
            "Adesioni all'Accordo di programma",
            "Le richieste degli enti del Terzo settore: in attesa, accettate, respinte.",
            "archivio:adesioni",
            61,
        )
        # Same right as the region's page (PANORAMICA_REGIONALE): who sees the link may open it.
        registry.registra_pagina_regione(
            "Archivio regionale",
            "I documenti della Regione e di {tutti i}: delibere, accordi, verbali, modulistica.",
            "archivio:documenti_regione",
            60,
        )
        registry.registra_voce_menu_ambito("Archivio", "archivio:documenti", 60)
        registry.registra_voce_menu_regione("Archivio", "archivio:documenti_regione", 60)
        registry.registra_sezione_piano(
            "Enti aderenti",
            "Gli enti del Terzo settore che hanno aderito all'Accordo di programma {del}.",
            "archivio:aderenti_piano",
            90,
        )
        registry.registra_sezione_pdf(sezione_aderenti)
        registry.registra_demo(crea_dati_demo)
        from .api import registra as registra_api

        registra_api()  # the accepted adherents' endpoint
