"""Monitoring in the Django admin: read-only, because every change goes through the services."""

from django.contrib import admin

from pianizona.admin import SolaLetturaAdmin

from .models import (
    Dichiarazione,
    Indicatore,
    Rendicontazione,
    StoricoValoreIndicatore,
    TransizioneRendicontazione,
    ValoreIndicatore,
)

# -- fondi --


@admin.register(Rendicontazione)
class RendicontazioneAdmin(SolaLetturaAdmin):
    list_display = ["ambito", "anno", "stato", "ciclo", "aggiornata_il"]
    list_filter = ["stato", "anno"]
    list_select_related = ["ambito", "ciclo"]
    search_fields = ["ambito__codice", "ambito__nome"]


@admin.register(TransizioneRendicontazione)
class TransizioneRendicontazioneAdmin(SolaLetturaAdmin):
    list_display = ["rendicontazione", "azione", "da_stato", "a_stato", "utente", "eseguita_il"]
    list_filter = ["azione", "a_stato"]
    list_select_related = ["rendicontazione__ambito", "utente"]
    search_fields = ["rendicontazione__ambito__codice", "utente__email"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the report's record is never deleted


@admin.register(Dichiarazione)
class DichiarazioneAdmin(SolaLetturaAdmin):
    list_display = [
        "rendicontazione",
        "fonte",
        "obiettivo_servizio",
        "area_intervento",
        "data",
        "impegnato",
        "liquidato",
        "rettifica",
        "dichiarata_da",
    ]
    list_filter = ["fonte", "rettifica", "rendicontazione__anno"]
    list_select_related = [
        "rendicontazione__ambito",
        "fonte",
        "obiettivo_servizio",
        "area_intervento",
        "dichiarata_da",
    ]
    search_fields = ["rendicontazione__ambito__codice", "obiettivo_servizio__codice"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # append-only: a wrong declaration is corrected by a newer one


# -- indicatori --


@admin.register(Indicatore)
class IndicatoreAdmin(admin.ModelAdmin):
    """The catalogue is the one thing edited here: administrators manage each region's indicators."""

    list_display = ["codice", "nome", "regione", "livello", "tipo", "unita", "target", "attivo"]
    list_filter = ["regione", "livello", "tipo", "attivo"]
    list_select_related = ["regione"]
    search_fields = ["codice", "nome"]
    ordering = ["regione", "ordine", "codice"]


@admin.register(ValoreIndicatore)
class ValoreIndicatoreAdmin(SolaLetturaAdmin):
    list_display = ["indicatore", "ambito", "anno", "valore", "aggiornato_il"]
    list_filter = ["anno", "indicatore__regione"]
    list_select_related = ["indicatore", "ambito"]
    search_fields = ["indicatore__codice", "ambito__codice"]


@admin.register(StoricoValoreIndicatore)
class StoricoValoreIndicatoreAdmin(SolaLetturaAdmin):
    list_display = ["indicatore", "ambito", "anno", "valore", "origine", "utente", "registrato_il"]
    list_filter = ["origine", "anno"]
    list_select_related = ["indicatore", "ambito", "utente"]
    search_fields = ["indicatore__codice", "ambito__codice"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the history is never rewritten
