"""Monitoring in the Django admin: read-only, because every change goes through the services."""

from django.contrib import admin

from pianizona.admin import SolaLetturaAdmin

from .models import Dichiarazione, Rendicontazione, TransizioneRendicontazione

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
