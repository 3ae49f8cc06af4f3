"""Monitoraggio dei fondi, indicatori e loro ricalcolo, cruscotti, esportazione SIOSS."""

from django.apps import AppConfig


class MonitoraggioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoraggio"
    verbose_name = "Monitoraggio"

    def ready(self) -> None:
        # Each subject registers its pages, jobs, hooks and demo data here, one block each.
        # -- fondi --
        from pianizona import registry

        from .fondi.demo import crea_dati_demo as demo_fondi

        registry.registra_pagina_ambito(
            "Monitoraggio dei fondi",
            "Programmato, impegnato e liquidato per anno; dichiarazioni e rendicontazione alla Regione.",
            "monitoraggio:fondi_ambito",
            40,
        )
        registry.registra_pagina_ciclo(
            "Rendicontazioni dei fondi",
            "Stato delle rendicontazioni {dei}, spesa dichiarata e regola del 75% FNPS.",
            "monitoraggio:fondi_ciclo",
            40,
        )
        registry.registra_demo(demo_fondi)  # after programmazione's: it declares on its plans
        from .fondi.selectors import rendicontazioni_da_verificare

        registry.registra_voce_menu_ambito("Monitoraggio", "monitoraggio:fondi_ambito", 40)
        registry.registra_voce_menu_regione("Rendicontazioni", "monitoraggio:fondi_regione", 40)
        registry.registra_da_istruire(rendicontazioni_da_verificare)
        # -- indicatori --
        from pianizona import registry as registro_indicatori
        from pianizona.lavori.tipi import registra_tipo

        from .fondi.services import registra_dopo_rendicontazione
        from .indicatori import lavori as lavori_indicatori
        from .indicatori.demo import crea_dati_demo as demo_indicatori

        registra_tipo(
            lavori_indicatori.TIPO_RICALCOLO,
            "Ricalcolo degli indicatori",
            lavori_indicatori.ricalcolo_indicatori,
        )
        registro_indicatori.registra_dopo_transizione(lavori_indicatori.dopo_transizione)
        registra_dopo_rendicontazione(lavori_indicatori.dopo_rendicontazione)
        registro_indicatori.registra_pagina_ambito(
            "Indicatori",
            "Spesa per abitante, quote FNPS e LEPS, avanzamento della spesa e dati comunicati "
            "{dal}, rispetto ai target e alla media regionale.",
            "monitoraggio:indicatori_ambito",
            50,
        )
        registro_indicatori.registra_pagina_ciclo(
            "Indicatori",
            "Il catalogo degli indicatori con i target, i valori regionali e il ricalcolo per "
            "{tutti i}.",
            "monitoraggio:indicatori_catalogo",
            50,
        )
        registro_indicatori.registra_demo(demo_indicatori)  # after fondi's: reads its reports
        from .indicatori.services import indicatori_per_nuovo_ciclo

        registro_indicatori.registra_apertura_ciclo(
            lambda ciclo, origine: indicatori_per_nuovo_ciclo(ciclo=ciclo, origine=origine)
        )
        # -- cruscotti e SIOSS --
        from pianizona import registry as registro_cruscotti

        registro_cruscotti.registra_pagina_ciclo(
            "Cruscotto regionale",
            "Spesa per fondo, area e macro-livello, {plurale} per abitante, monitoraggio e indicatori.",
            "monitoraggio:cruscotto_ciclo",
            60,
        )
        registro_cruscotti.registra_pagina_ambito(
            "Cruscotto {del}",
            "Programmato per abitante, liquidato e indicatori negli anni, rispetto alla regione.",
            "monitoraggio:cruscotto_ambito",
            60,
        )
        registro_cruscotti.registra_pagina_ambito(
            "Esportazione SIOSS",
            "Servizi offerti per anno con programmato, fonti e spesa, in CSV ed Excel.",
            "monitoraggio:sioss",
            70,
        )
        # -- api --
        from .api import registra as registra_api

        registra_api()  # declarations and indicator values endpoints, monitoring open dataset
