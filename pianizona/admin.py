from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    SetUnusablePasswordMixin,
    UserChangeForm,
)
from django.contrib.auth.models import Permission
from django.db.models import Count, Q, Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext, gettext_lazy
from import_export.admin import ImportExportModelAdmin
from import_export.forms import SelectableFieldsExportForm

from pianizona.accessi.services import user_email_vouch, users_invite
from pianizona.dominio import ErroreDominio
from pianizona.importazioni.resources import (
    FORMATI_ESPORTAZIONE,
    FORMATI_IMPORTAZIONE,
    AmbitoResource,
    ComuneResource,
    RisorsaFoglio,
    UserResource,
)
from pianizona.testo import plurale

from .models import (
    Ambito,
    AreaInterventoFnps,
    AreaUtenzaIstat,
    ChiamataApi,
    ChiaveApi,
    Ciclo,
    Commento,
    Comune,
    FonteFinanziamento,
    Job,
    MacroLivello,
    Membership,
    Modifica,
    ObiettivoServizio,
    Piano,
    PrestazioneSiuss,
    Regione,
    Transizione,
    User,
    Versione,
    VoceModifica,
)


class EsportazioneForm(SelectableFieldsExportForm):
    """The fields to export named by their Italian labels, not «First Name» from ``first_name``."""

    def _get_field_label(self, resource, field_name: str) -> str:
        if issubclass(resource, RisorsaFoglio):
            return resource().etichetta(field_name)
        return super()._get_field_label(resource, field_name)


class ImportaFoglioAdmin(ImportExportModelAdmin):
    """The admin's imports read files with the same reader as every other import page."""

    import_formats = FORMATI_IMPORTAZIONE
    export_formats = FORMATI_ESPORTAZIONE
    export_form_class = EsportazioneForm

    def get_export_filename(self, request, queryset, file_format) -> str:
        # The model's Italian plural, not its class name: «utenti-2026-12-07.xlsx», not «User-…».
        nome = slugify(self.model._meta.verbose_name_plural)
        return f"{nome}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ErroreDominio):
            form.add_error("import_file", f"Il file non può essere importato: {e}")
            return
        super().add_data_read_fail_error_to_form(form, e)


class ImportaTuttoONiente(ImportaFoglioAdmin):
    """The confirmation saves every row or none, like the preview promised.

    A row refused only then (the data changed since the preview) is shown again with its line,
    instead of being skipped while the others are saved.
    """

    def get_import_data_kwargs(self, **kwargs):
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        form = self.get_import_form_class(request)(
            self.get_import_formats(),
            self.get_import_resource_classes(request),
            initial=self.get_import_form_initial(request),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import"),  # the same title as the upload and preview pages
            "form": form,
            "result": result,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "import_error_display": self.import_error_display,
        }
        return TemplateResponse(request, [self.import_template_name], context)


class RegioneUtenteFilter(admin.SimpleListFilter):
    """Users of a Region: district staff through their ambito, officers through the Region itself."""

    title = "regione"
    parameter_name = "regione"

    def lookups(self, request, model_admin):
        return [(str(r.pk), r.nome) for r in Regione.objects.order_by("nome")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(
            pk__in=Membership.objects.filter(
                Q(ambito__regione_id=self.value()) | Q(regione_id=self.value())
            ).values("user_id")
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["ambito", "regione"]
    fields = ["ruolo", "ambito", "regione"]


class EmailUnicoMixin:
    """The address is the login: kept lowercase, as the import does, and unique whatever its case."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Esiste già un utente con questo indirizzo e-mail.")
        return email


class UtenteCreazioneForm(EmailUnicoMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["email"]
        field_classes: dict = {}


# Django names the default permissions in English when it creates them («Can add email address»).
AZIONI_PERMESSI = {
    "add": "Può aggiungere",
    "change": "Può modificare",
    "delete": "Può eliminare",
    "view": "Può vedere",
}


def etichetta_permesso(permesso: Permission) -> str:
    """«Account | indirizzo email | Può aggiungere indirizzi email», from the model's own names."""
    tipo = permesso.content_type
    modello = tipo.model_class()
    azione, _, resto = permesso.codename.partition("_")
    if modello is None or azione not in AZIONI_PERMESSI or resto != modello._meta.model_name:
        return str(permesso)  # a custom permission keeps the name its app wrote
    return f"{tipo} | {AZIONI_PERMESSI[azione]} {modello._meta.verbose_name_plural}"


class UtenteModificaForm(EmailUnicoMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        permessi = self.fields.get("user_permissions")
        if permessi is not None:
            permessi.label_from_instance = etichetta_permesso


class UtentePasswordForm(AdminPasswordChangeForm):
    # Django appends its warning to the help text untranslated: here it goes through the catalogue.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        gettext_lazy("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(ImportaTuttoONiente, DjangoUserAdmin):
    resource_classes = [UserResource]
    form = UtenteModificaForm
    add_form = UtenteCreazioneForm
    change_password_form = UtentePasswordForm
    inlines = [MembershipInline]
    ordering = ["email"]
    # Name and surname in one column: the list fits a 1366 px screen with the roles beside it.
    list_display = ["email", "nome", "ruoli", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "memberships__ruolo", RegioneUtenteFilter]
    search_fields = ["email", "first_name", "last_name"]
    actions = ["invia_invito"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Dati personali", {"fields": ("first_name", "last_name")}),
        (
            "Permessi",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Date", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("memberships__ambito", "memberships__regione")
        )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        user_email_vouch(user=obj)  # the administrator typed the address: it counts as verified

    @admin.display(description="Nome", ordering="last_name")
    def nome(self, user: User) -> str:
        return user.get_full_name() or "—"

    @admin.display(description="Ruoli")
    def ruoli(self, user: User) -> str:
        return "; ".join(str(m) for m in user.memberships.all()) or "—"

    @admin.action(description="Invia e-mail di invito (scelta della password)")
    def invia_invito(self, request, queryset):
        ids = list(queryset.filter(is_active=True).values_list("pk", flat=True))
        users_invite(user_ids=ids)
        self.message_user(
            request, f"Inviti in invio a {plurale(len(ids), 'utente', 'utenti')}.", messages.SUCCESS
        )
        # An inactive user gets no invitation: say who, rather than leave them out silently.
        esclusi = list(queryset.filter(is_active=False).values_list("email", flat=True))
        if esclusi:
            self.message_user(
                request,
                f"Nessun invito agli utenti non attivi: {', '.join(sorted(esclusi))}.",
                messages.WARNING,
            )


@admin.register(Regione)
class RegioneAdmin(admin.ModelAdmin):
    list_display = ["codice_istat", "nome", "denominazione_ambiti", "organo_approvazione"]
    search_fields = ["nome", "codice_istat"]


class ComuneInline(admin.TabularInline):
    model = Comune
    fields = ["codice_istat", "nome", "sigla_provincia", "popolazione"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ambito)
class AmbitoAdmin(ImportaTuttoONiente):
    resource_classes = [AmbitoResource]
    list_display = ["codice", "nome", "regione", "comune_capofila", "n_comuni", "popolazione"]
    list_filter = ["regione", "forma_associativa"]
    search_fields = ["codice", "nome"]
    autocomplete_fields = ["comune_capofila"]
    inlines = [ComuneInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("regione", "comune_capofila")
            .annotate(_n_comuni=Count("comuni"), _popolazione=Sum("comuni__popolazione"))
        )

    @admin.display(description="Comuni", ordering="_n_comuni")
    def n_comuni(self, ambito: Ambito) -> int:
        return ambito._n_comuni

    @admin.display(description="Popolazione", ordering="_popolazione")
    def popolazione(self, ambito: Ambito) -> int:
        return ambito._popolazione or 0


@admin.register(Comune)
class ComuneAdmin(ImportaTuttoONiente):
    resource_classes = [ComuneResource]
    list_display = [
        "codice_istat",
        "nome",
        "sigla_provincia",
        "regione",
        "popolazione",
        "popolazione_anno",
        "ambito",
        "soppresso",
    ]
    list_filter = ["soppresso", "regione", "sigla_provincia"]
    search_fields = ["nome", "codice_istat"]
    list_select_related = ["regione", "ambito"]
    autocomplete_fields = ["ambito", "confluito_in"]


@admin.register(Ciclo)
class CicloAdmin(admin.ModelAdmin):
    list_display = ["nome", "regione", "anno_inizio", "anno_fine"]
    list_filter = ["regione"]


@admin.register(Piano)
class PianoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "ambito", "ciclo", "tipo", "anno", "stato"]
    list_filter = ["ciclo", "tipo", "stato"]
    search_fields = ["ambito__nome", "ambito__codice"]
    list_select_related = ["ambito", "ciclo"]
    # The state moves only through the workflow, never by hand in the admin.
    readonly_fields = ["stato"]


@admin.register(MacroLivello, AreaInterventoFnps, AreaUtenzaIstat, PrestazioneSiuss)
class CodificaAdmin(admin.ModelAdmin):
    list_display = ["codice", "nome"]
    search_fields = ["codice", "nome"]


@admin.register(ObiettivoServizio)
class ObiettivoServizioAdmin(admin.ModelAdmin):
    list_display = ["codice", "nome", "macro_livello"]
    list_select_related = ["macro_livello"]


@admin.register(FonteFinanziamento)
class FonteFinanziamentoAdmin(admin.ModelAdmin):
    list_display = ["codice", "nome", "livello", "sezione", "regione"]
    list_filter = ["livello", "sezione", "regione"]
    list_select_related = ["regione"]


class SolaLetturaAdmin(admin.ModelAdmin):
    """Records written by the application's services, shown but not editable here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RegistroAdmin(SolaLetturaAdmin):
    """The plan's record (state changes, versions, history): never edited nor deleted."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Transizione)
class TransizioneAdmin(RegistroAdmin):
    list_display = ["piano", "azione", "da_stato", "a_stato", "utente", "eseguita_il"]
    list_filter = ["azione", "a_stato"]
    list_select_related = ["piano__ambito", "piano__ciclo", "utente"]
    search_fields = ["piano__ambito__codice", "piano__ambito__nome", "utente__email"]
    date_hierarchy = "eseguita_il"


@admin.register(Versione)
class VersioneAdmin(RegistroAdmin):
    list_display = ["piano", "numero", "creata_da", "creata_il", "impronta"]
    list_select_related = ["piano__ambito", "piano__ciclo", "creata_da"]
    search_fields = ["piano__ambito__codice", "piano__ambito__nome", "impronta"]
    exclude = ["contenuto"]  # read on the plan's version page, not as raw JSON


class VoceModificaInline(admin.TabularInline):
    model = VoceModifica
    fields = ["tabella", "riga", "campo", "tipo", "prima", "dopo"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Modifica)
class ModificaAdmin(RegistroAdmin):
    list_display = ["piano", "operazione", "origine", "utente", "eseguita_il"]
    list_filter = ["origine"]
    list_select_related = ["piano__ambito", "piano__ciclo", "utente"]
    search_fields = ["piano__ambito__codice", "operazione", "utente__email"]
    date_hierarchy = "eseguita_il"
    inlines = [VoceModificaInline]


@admin.register(Commento)
class CommentoAdmin(SolaLetturaAdmin):
    list_display = ["piano", "sezione", "autore", "creato_il", "risolto_il"]
    list_select_related = ["piano__ambito", "piano__ciclo", "autore"]
    search_fields = ["piano__ambito__codice", "testo", "autore__email"]


@admin.register(Job)
class JobAdmin(SolaLetturaAdmin):
    list_display = ["tipo", "utente", "piano", "stato", "progresso", "creato_il", "completato_il"]
    list_filter = ["tipo", "stato"]
    list_select_related = ["utente", "piano__ambito", "piano__ciclo"]
    search_fields = ["utente__email", "errore"]


class ChiaveApiForm(forms.ModelForm):
    class Meta:
        model = ChiaveApi
        fields = ["nome", "regione", "ambiti", "limite_al_minuto"]

    def clean(self):
        dati = super().clean()
        regione, ambiti = dati.get("regione"), dati.get("ambiti")
        if regione and ambiti:
            raise forms.ValidationError("Indicare una regione oppure degli ambiti, non entrambi.")
        if not regione and not ambiti:
            raise forms.ValidationError(
                "Indicare il perimetro della chiave: una regione o almeno un ambito."
            )
        return dati


@admin.register(ChiaveApi)
class ChiaveApiAdmin(admin.ModelAdmin):
    """Keys for external systems: the clear key is shown once, at creation; only its hash is kept."""

    form = ChiaveApiForm
    list_display = [
        "nome",
        "prefisso",
        "regione",
        "limite_al_minuto",
        "creata_il",
        "ultima_chiamata_il",
        "revocata_il",
    ]
    list_filter = ["regione", ("revocata_il", admin.EmptyFieldListFilter)]
    list_select_related = ["regione"]
    search_fields = ["nome", "prefisso"]
    autocomplete_fields = ["regione", "ambiti"]
    readonly_fields = ["prefisso", "creata_il", "creata_da", "ultima_chiamata_il", "revocata_il"]
    actions = ["revoca"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            token, obj.prefisso, obj.impronta = ChiaveApi.genera()
            obj.creata_da = request.user
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                f"Chiave API per «{obj.nome}»: {token} — copiarla ora e consegnarla al sistema "
                "esterno: non sarà più mostrata (è conservata solo la sua impronta).",
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Revoca le chiavi selezionate")
    def revoca(self, request, queryset) -> None:
        revocate = queryset.filter(revocata_il__isnull=True).update(revocata_il=timezone.now())
        messages.success(request, f"Chiavi revocate: {revocate}.")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a key is revoked, never deleted: its calls stay attributed


@admin.register(ChiamataApi)
class ChiamataApiAdmin(RegistroAdmin):
    list_display = ["eseguita_il", "chiave", "utente", "metodo", "percorso", "stato", "durata_ms"]
    list_filter = ["stato", "metodo", "chiave"]
    list_select_related = ["chiave", "utente"]
    search_fields = ["percorso", "chiave__nome", "chiave__prefisso", "utente__email"]
    date_hierarchy = "eseguita_il"
