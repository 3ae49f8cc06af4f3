"""The archive in the Django admin: readable, never edited there (files and hashes are evidence)."""

from django.contrib import admin

from .models import Adesione, Documento, InformativaAdesioni, VersioneDocumento


class SolaLettura(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VersioneInline(admin.TabularInline):
    model = VersioneDocumento
    extra = 0
    can_delete = False
    fields = [
        "numero",
        "nome_originale",
        "tipo",
        "dimensione",
        "sha256",
        "caricata_da",
        "caricata_il",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Documento)
class DocumentoAdmin(SolaLettura):
    list_display = ["titolo", "categoria", "anno", "ambito", "regione", "creato_il", "eliminato_il"]
    list_filter = ["categoria", "anno", "regione", ("eliminato_il", admin.EmptyFieldListFilter)]
    search_fields = ["titolo", "descrizione", "numero_protocollo"]
    list_select_related = ["ambito", "regione"]
    inlines = [VersioneInline]


@admin.register(Adesione)
class AdesioneAdmin(SolaLettura):
    list_display = [
        "ricevuta",
        "denominazione",
        "codice_fiscale",
        "ambito",
        "stato",
        "creata_il",
        "decisa_il",
    ]
    list_filter = ["stato", "forma_giuridica", "ambito__regione"]
    search_fields = ["ricevuta", "denominazione", "codice_fiscale", "email"]
    readonly_fields = ["ricevuta"]
    list_select_related = ["ambito"]
    exclude = ["modulo"]  # the file is downloaded through the permission-checked view only


@admin.register(InformativaAdesioni)
class InformativaAdesioniAdmin(admin.ModelAdmin):
    """The privacy notice's facts per ambito: the administrator writes them, the page shows them."""

    list_display = ["ambito", "titolare", "denominazione_titolare", "email_rpd", "aggiornata_il"]
    list_filter = ["titolare", "ambito__regione"]
    search_fields = ["ambito__nome", "ambito__codice", "denominazione_titolare"]
    list_select_related = ["ambito"]
    autocomplete_fields = ["ambito"]
    fieldsets = [
        (None, {"fields": ["ambito"]}),
        (
            "Titolare del trattamento",
            {
                "fields": [
                    "titolare",
                    "denominazione_titolare",
                    "indirizzo_titolare",
                    "pec_titolare",
                    "email_titolare",
                ]
            },
        ),
        ("Responsabile della protezione dei dati", {"fields": ["email_rpd", "pec_rpd"]}),
        ("Conservazione", {"fields": ["conservazione_anni"]}),
    ]
