"""The preliminary phase in the Django admin: for administrators' inspection and support.

Day-to-day editing happens in the application, where the services enforce the rules.
"""

from django.contrib import admin

from pianizona.admin import SolaLetturaAdmin

from .models import (
    Assegnazione,
    Cofinanziamento,
    CriterioRiparto,
    FonteCiclo,
    Recepimento,
    RegolaCiclo,
    ResiduoEconomia,
    Riparto,
    RisorsaAggiuntiva,
    Segnalazione,
    Vincolo,
)


@admin.register(FonteCiclo)
class FonteCicloAdmin(admin.ModelAdmin):
    list_display = ["ciclo", "fonte", "sezione"]
    list_filter = ["ciclo", "sezione"]
    list_select_related = ["ciclo", "fonte"]


@admin.register(RegolaCiclo)
class RegolaCicloAdmin(admin.ModelAdmin):
    list_display = ["ciclo", "cofinanziamento_minimo"]
    list_select_related = ["ciclo"]


@admin.register(Vincolo)
class VincoloAdmin(admin.ModelAdmin):
    list_display = ["ciclo", "fonte", "area", "percentuale_minima"]
    list_filter = ["ciclo"]
    list_select_related = ["ciclo", "fonte", "area"]


@admin.register(CriterioRiparto)
class CriterioRipartoAdmin(admin.ModelAdmin):
    list_display = ["nome", "codice", "regione"]
    list_filter = ["regione"]


@admin.register(Riparto)
class RipartoAdmin(SolaLetturaAdmin):
    list_display = ["ciclo", "fonte", "anno", "totale", "creato_da", "creato_il"]
    list_filter = ["ciclo", "fonte", "anno"]
    list_select_related = ["ciclo", "fonte", "creato_da"]


@admin.register(Assegnazione)
class AssegnazioneAdmin(SolaLetturaAdmin):
    list_display = ["ambito", "fonte", "anno", "importo", "riparto", "aggiornata_il"]
    list_filter = ["ciclo", "fonte", "anno"]
    search_fields = ["ambito__codice", "ambito__nome"]
    list_select_related = ["ambito", "fonte", "riparto__fonte"]


@admin.register(Recepimento)
class RecepimentoAdmin(SolaLetturaAdmin):
    list_display = ["piano", "recepito_da", "recepito_il"]
    list_select_related = ["piano__ambito", "piano__ciclo", "recepito_da"]


@admin.register(Segnalazione)
class SegnalazioneAdmin(SolaLetturaAdmin):
    list_display = ["piano", "fonte", "anno", "creata_da", "creata_il", "chiusa_il"]
    list_filter = ["chiusa_il"]
    list_select_related = ["piano__ambito", "piano__ciclo", "fonte", "creata_da"]


@admin.register(ResiduoEconomia)
class ResiduoEconomiaAdmin(SolaLetturaAdmin):
    list_display = ["piano", "fonte", "tipo", "anno_origine", "anno_impiego", "importo", "stato"]
    list_filter = ["tipo", "stato", "fonte"]
    list_select_related = ["piano__ambito", "piano__ciclo", "fonte"]


@admin.register(Cofinanziamento)
class CofinanziamentoAdmin(SolaLetturaAdmin):
    list_display = ["piano", "comune", "anno", "importo"]
    list_filter = ["anno"]
    search_fields = ["comune__nome", "piano__ambito__codice"]
    list_select_related = ["piano__ambito", "piano__ciclo", "comune"]


@admin.register(RisorsaAggiuntiva)
class RisorsaAggiuntivaAdmin(SolaLetturaAdmin):
    list_display = ["piano", "fonte", "anno", "importo"]
    list_filter = ["fonte", "anno"]
    list_select_related = ["piano__ambito", "piano__ciclo", "fonte"]
