from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, Sum
from import_export.admin import ImportExportModelAdmin

from .models import (
    Ambito,
    AreaInterventoFnps,
    AreaUtenzaIstat,
    Ciclo,
    Comune,
    FonteFinanziamento,
    MacroLivello,
    Membership,
    ObiettivoServizio,
    Piano,
    PrestazioneSiuss,
    Regione,
    User,
)
from .resources import AmbitoResource, ComuneResource, UserResource
from .services import users_invite


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["ambito", "regione"]
    fields = ["ruolo", "ambito", "regione"]


@admin.register(User)
class UserAdmin(ImportExportModelAdmin, DjangoUserAdmin):
    resource_classes = [UserResource]
    inlines = [MembershipInline]
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "ruoli", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "memberships__ruolo", "memberships__ambito__regione"]
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

    @admin.display(description="Ruoli")
    def ruoli(self, user: User) -> str:
        return "; ".join(str(m) for m in user.memberships.all()) or "—"

    @admin.action(description="Invia e-mail di invito (scelta della password)")
    def invia_invito(self, request, queryset):
        ids = list(queryset.filter(is_active=True).values_list("pk", flat=True))
        users_invite(user_ids=ids)
        self.message_user(request, f"Inviti in invio a {len(ids)} utenti.", messages.SUCCESS)


@admin.register(Regione)
class RegioneAdmin(admin.ModelAdmin):
    list_display = ["codice_istat", "nome"]
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
class AmbitoAdmin(ImportExportModelAdmin):
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
class ComuneAdmin(ImportExportModelAdmin):
    resource_classes = [ComuneResource]
    list_display = ["codice_istat", "nome", "sigla_provincia", "regione", "popolazione", "ambito"]
    list_filter = ["regione", "sigla_provincia"]
    search_fields = ["nome", "codice_istat"]
    list_select_related = ["regione", "ambito"]
    autocomplete_fields = ["ambito"]


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
    list_display = ["codice", "nome", "livello", "sezione"]
    list_filter = ["livello", "sezione"]
