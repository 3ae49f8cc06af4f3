"""Import/export (django-import-export) of territories and users, with row-level Italian errors."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from pianizona.accessi.services import user_email_vouch
from pianizona.models import Ambito, Comune, Membership, Regione, Ruolo, User
from pianizona.money import CENT, MAX_DIGITS, euro_da_cella, parse_euro


class CodiceWidget(ForeignKeyWidget):
    """A foreign key written as a code; an unknown code is a row error, not a crash."""

    def __init__(self, model, field: str, etichetta: str):
        super().__init__(model, field=field)
        self.etichetta = etichetta

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(str(value).strip(), row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(f"{self.etichetta} «{value}» inesistente.") from exc


class EuroWidget(resources.widgets.Widget):
    """Amounts in a spreadsheet: numbers, or text as Italians write it (``1.234,56``)."""

    def clean(self, value, row=None, **kwargs):
        return euro_da_cella(value)

    def render(self, value, obj=None, **kwargs):
        return value  # a number: Excel shows it with the reader's own separators


class QuantitaWidget(resources.widgets.Widget):
    """A non-negative quantity (residents, users…): a number, or text with Italian separators."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError("Valore mancante.")
        try:
            numero = (
                Decimal(str(value)) if isinstance(value, int | float) else parse_euro(str(value))
            )
        except (ValidationError, InvalidOperation) as exc:
            raise ValueError(f"Valore «{value}» non valido: indicare un numero.") from exc
        if not numero.is_finite():
            raise ValueError(f"Valore «{value}» non valido: indicare un numero.")
        if numero < 0:
            raise ValueError("Il valore non può essere negativo.")
        if numero >= Decimal(10) ** (MAX_DIGITS - 2):  # quantize would raise on 1e300
            raise ValueError("Valore troppo grande.")
        return numero.quantize(CENT)

    def render(self, value, obj=None, **kwargs):
        return value


class AnnoWidget(resources.widgets.Widget):
    """A year that must be one of ``anni``."""

    def __init__(self, anni: list[int]):
        super().__init__()
        self.anni = anni

    def clean(self, value, row=None, **kwargs):
        try:
            anno = int(float(str(value).strip()))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"Anno «{value}» non valido.") from exc
        if anno not in self.anni:
            ammessi = ", ".join(str(a) for a in self.anni)
            raise ValueError(f"L'anno {anno} non è tra quelli ammessi ({ammessi}).")
        return anno

    def render(self, value, obj=None, **kwargs):
        return value


class AmbitoDelComuneWidget(CodiceWidget):
    """An ambito code, unique only within a Region: the one of the row's Region first."""

    def __init__(self):
        super().__init__(Ambito, "codice", "Ambito")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        candidati = list(Ambito.objects.filter(codice=str(value).strip()).select_related("regione"))
        if not candidati:
            raise ValueError(f"Ambito «{value}» inesistente.")
        regione = str((row or {}).get("regione") or "").strip()
        # One of another Region is returned so that Comune.clean() refuses it, naming both.
        return next((a for a in candidati if a.regione.codice_istat == regione), candidati[0])


class ComuneResource(resources.ModelResource):
    regione = fields.Field(
        "regione", "regione", CodiceWidget(Regione, "codice_istat", "Regione con codice ISTAT")
    )
    ambito = fields.Field("ambito", "ambito", AmbitoDelComuneWidget())

    class Meta:
        model = Comune
        import_id_fields = ["codice_istat"]
        fields = [
            "codice_istat",
            "nome",
            "regione",
            "provincia",
            "sigla_provincia",
            "codice_catastale",
            "popolazione",
            "ambito",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = True


class AmbitoResource(resources.ModelResource):
    regione = fields.Field(
        "regione", "regione", CodiceWidget(Regione, "codice_istat", "Regione con codice ISTAT")
    )
    comune_capofila = fields.Field(
        "comune_capofila",
        "comune_capofila",
        CodiceWidget(Comune, "codice_istat", "Comune con codice ISTAT"),
    )

    class Meta:
        model = Ambito
        # A code is unique only within its Region: BA01 of another Region is another ambito.
        import_id_fields = ["regione", "codice"]
        fields = ["codice", "nome", "regione", "comune_capofila", "forma_associativa"]
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # an unknown Region: its own field reports it on the row


RuoloImportato = tuple[str, Ambito | None, Regione | None]


def ruoli_di(user: User) -> list[RuoloImportato]:
    return [(m.ruolo, m.ambito, m.regione) for m in user.memberships.all()]


def formatta_ruoli(ruoli: list[RuoloImportato]) -> str:
    """``[("operatore", <BA01>, None), ("funzionario", None, <Puglia>)]`` → ``operatore@R16/BA01; funzionario@R16``.

    Ambiti are written with their Region, since a code is unique only within a Region.
    """
    return "; ".join(
        f"{ruolo}@R{ambito.regione.codice_istat}/{ambito.codice}"
        if ambito
        else f"{ruolo}@R{regione.codice_istat}"
        for ruolo, ambito, regione in ruoli
    )


def _ambito_da_codice(territorio: str) -> Ambito:
    """``R16/BA01`` (Region and code) or ``BA01`` when no other Region uses that code."""
    regione, _, codice = territorio.rpartition("/")
    ambiti = Ambito.objects.filter(codice=codice.strip()).select_related("regione")
    if regione:
        ambiti = ambiti.filter(regione__codice_istat=regione.strip().removeprefix("R"))
    trovati = list(ambiti.order_by("regione__codice_istat")[:10])
    if not trovati:
        raise ValueError(f"Ambito «{territorio}» inesistente.")
    if len(trovati) > 1:
        regioni = ", ".join(f"R{a.regione.codice_istat} ({a.regione})" for a in trovati)
        raise ValueError(
            f"Il codice d'ambito «{codice}» esiste in più regioni ({regioni}): indicare anche "
            f"la regione, ad esempio R{trovati[0].regione.codice_istat}/{codice}."
        )
    return trovati[0]


def leggi_ruoli(testo: str) -> list[RuoloImportato]:
    """``"responsabile@R16/BA01; operatore@BA02; funzionario@R16"`` → roles.

    Regions are written R + ISTAT code; an ambito as R16/BA01, or as BA01 alone when no other
    Region has an ambito with that code.
    """
    ruoli = []
    validi = ", ".join(Ruolo.values)
    for parte in filter(None, (p.strip() for p in (testo or "").split(";"))):
        ruolo, _, territorio = parte.partition("@")
        ruolo, territorio = ruolo.strip().lower(), territorio.strip()
        if ruolo not in Ruolo.values:
            raise ValueError(f"Ruolo «{ruolo}» sconosciuto (ammessi: {validi}).")
        if not territorio:
            raise ValueError(f"Indicare l'ambito o la regione del ruolo «{parte}».")
        if ruolo == Ruolo.FUNZIONARIO:
            regione = Regione.objects.filter(codice_istat=territorio.removeprefix("R")).first()
            if regione is None:
                raise ValueError(
                    f"Regione «{territorio}» inesistente (scrivere R e il codice ISTAT)."
                )
            ruoli.append((ruolo, None, regione))
        else:
            ruoli.append((ruolo, _ambito_da_codice(territorio), None))
    return ruoli


class RuoliWidget(resources.widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return leggi_ruoli(value or "")

    def render(self, value, obj=None, **kwargs):
        return formatta_ruoli(value) if value is not None else ""


class UserResource(resources.ModelResource):
    """Users with their roles in one column: ``operatore@R16/BA01; funzionario@R16``."""

    ruoli = fields.Field(attribute="ruoli_import", column_name="ruoli", widget=RuoliWidget())

    class Meta:
        model = User
        import_id_fields = ["email"]
        fields = ["email", "first_name", "last_name", "is_active", "ruoli"]
        export_order = fields
        clean_model_instances = True

    def dehydrate_ruoli(self, user: User) -> str:
        return formatta_ruoli(ruoli_di(user))

    def get_instance(self, instance_loader, row):
        user = super().get_instance(instance_loader, row)
        if user is not None:
            user.ruoli_import = ruoli_di(user)  # the "before" side of the preview
        return user

    def get_export_queryset(self, request=None):
        return User.objects.prefetch_related("memberships__ambito__regione", "memberships__regione")

    def init_instance(self, row=None):
        user = super().init_instance(row)
        user.set_unusable_password()  # new users choose their own through the invitation e-mail
        user.ruoli_import = []
        return user

    def before_import_row(self, row, **kwargs):
        if row.get("email"):
            row["email"] = str(row["email"]).strip().lower()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name == "ruoli":
            instance.ruoli_import = field.clean(row, **kwargs)
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run") or not hasattr(instance, "ruoli_import"):
            return
        with transaction.atomic():
            user_email_vouch(user=instance)  # the administrator's spreadsheet vouches for it
            Membership.objects.filter(user=instance).delete()
            Membership.objects.bulk_create(
                Membership(user=instance, ruolo=r, ambito=a, regione=g)
                for r, a, g in instance.ruoli_import
            )
