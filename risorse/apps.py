"""Fase preliminare: fondi, assegnazioni, residui ed economie, cofinanziamento, budget triennale."""

from django.apps import AppConfig


class RisorseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "risorse"
    verbose_name = "Risorse"

    def ready(self) -> None:
        from pianizona import registry
        from pianizona.iter.istantanee import registra_tabelle

        from .istantanea import tabelle_budget, tabelle_risorse

        registra_tabelle(tabelle_risorse)
        registra_tabelle(tabelle_budget, derivate=True)

        from . import services
        from .api import registra as registra_api
        from .controlli import SEZIONI, controlli_risorse
        from .demo import crea_dati_demo
        from .totali import totali_risorse

        registra_api()  # the budget endpoint and its open dataset
        registry.registra_demo(crea_dati_demo)
        registry.registra_controllo(controlli_risorse, sezioni=SEZIONI)
        registry.registra_totali(totali_risorse)
        from .selectors import segnalazioni_da_rispondere

        registry.registra_da_istruire(segnalazioni_da_rispondere)
        registry.registra_apertura_ciclo(
            lambda ciclo, origine: services.ciclo_copia_configurazione(ciclo=ciclo, origine=origine)
        )
        registry.registra_precompilazione(
            lambda origine, destinazione, user: services.risorse_copia_per_attuativo(
                origine=origine, destinazione=destinazione, user=user
            )
        )
        for titolo, descrizione, url_name, ordine in [
            (
                "Trasferimenti e recepimento",
                "Le assegnazioni della Regione per fondo e anno: presa d'atto ed eventuali discrepanze.",
                "risorse:riepilogo",
                10,
            ),
            (
                "Residui ed economie",
                "Somme dei cicli precedenti riprogrammate nel piano.",
                "risorse:residui",
                11,
            ),
            (
                "Cofinanziamento comunale",
                "La quota di ogni comune {del}, per anno, confrontata con il minimo regionale.",
                "risorse:cofinanziamento",
                12,
            ),
            (
                "Altre risorse",
                "Quota sanitaria, PNRR, PON e altre fonti portate {dal}.",
                "risorse:altre_risorse",
                13,
            ),
            (
                "Budget",
                "Il quadro delle risorse per fonte, anno e livello, calcolato dalle sezioni precedenti.",
                "risorse:budget",
                14,
            ),
        ]:
            registry.registra_sezione_piano(titolo, descrizione, url_name, ordine)
        for titolo, descrizione, url_name, ordine in [
            (
                "Configurazione del ciclo",
                "Fonti attive, cofinanziamento minimo, vincoli di destinazione.",
                "risorse:configurazione",
                10,
            ),
            (
                "Assegnazioni {ai}",
                "I trasferimenti per fondo e anno: a mano o da foglio di calcolo.",
                "risorse:assegnazioni",
                11,
            ),
            (
                "Calcolo del riparto",
                "Ripartire il totale di un fondo tra {i} secondo criteri e pesi.",
                "risorse:riparto",
                12,
            ),
            (
                "Criteri di riparto",
                "Le grandezze per {} usate nei riparti (es. minori, over 65).",
                "risorse:criteri",
                13,
            ),
            (
                "Segnalazioni {dei}",
                "Le discrepanze segnalate dagli Uffici di Piano, con le risposte.",
                "risorse:segnalazioni",
                14,
            ),
        ]:
            registry.registra_pagina_ciclo(titolo, descrizione, url_name, ordine)
