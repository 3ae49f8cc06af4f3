"""Import/export (django-import-export) of territories and users, with row-level Italian errors,
and the base every resource of the project builds on."""

from decimal import Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.resources import Diff
from import_export.results import Result
from import_export.widgets import ForeignKeyWidget

from pianizona import esportazioni
from pianizona.accessi.services import user_email_vouch
from pianizona.dominio import ErroreDominio
from pianizona.importazioni.foglio import (
    ZIP_MAGIC,
    FoglioNormalizzato,
    chiave_intestazione,
    codice_numerico,
    leggi_celle,
    mostra_cella,
    normalizza,
    si_no,
)
from pianizona.models import Ambito, Comune, Membership, Regione, Ruolo, User
from pianizona.money import euro_da_cella, numero_da_cella, parse_euro


class CodiceWidget(ForeignKeyWidget):
    """A foreign key written as a code; an unknown code is a row error, not a crash.

    ``cifre``: a numeric code (ISTAT) a spreadsheet may have written as a number, ``8`` for ``08``.
    """

    def __init__(self, model, field: str, etichetta: str, cifre: int | None = None):
        super().__init__(model, field=field)
        self.etichetta = etichetta
        self.cifre = cifre

    def clean(self, value, row=None, **kwargs):
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            return None
        codice = codice_numerico(value, self.cifre) if self.cifre else mostra_cella(value)
        try:
            return super().clean(codice, row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(f"{self.etichetta} «{codice}» inesistente.") from exc


class CodiceIstatWidget(resources.widgets.Widget):
    """An ISTAT code kept as text: ``37006`` typed as a number is ``037006``."""

    def __init__(self, cifre: int):
        super().__init__()
        self.cifre = cifre

    def clean(self, value, row=None, **kwargs):
        return codice_numerico(value, self.cifre)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class EuroWidget(resources.widgets.Widget):
    """Amounts in a spreadsheet: numbers, or text as Italians write it (``1.234,56``)."""

    def clean(self, value, row=None, **kwargs):
        return euro_da_cella(value)

    def render(self, value, obj=None, **kwargs):
        return value  # a number: Excel shows it with the reader's own separators


class QuantitaWidget(resources.widgets.Widget):
    """A non-negative quantity (residents, users…): a number, or text with Italian separators."""

    def clean(self, value, row=None, **kwargs):
        return numero_da_cella(value)

    def render(self, value, obj=None, **kwargs):
        return value


class AnnoWidget(resources.widgets.Widget):
    """A year that must be one of ``anni``."""

    def __init__(self, anni: list[int]):
        super().__init__()
        self.anni = anni

    def clean(self, value, row=None, **kwargs):
        testo = mostra_cella(value)
        if not testo:
            raise ValueError("Indicare l'anno.")
        if not testo.isdigit():
            raise ValueError(f"Anno «{testo}» non valido.")
        anno = int(testo)
        if anno not in self.anni:
            ammessi = ", ".join(str(a) for a in self.anni)
            raise ValueError(f"L'anno {anno} non è tra quelli ammessi ({ammessi}).")
        return anno

    def render(self, value, obj=None, **kwargs):
        return value


class InteroWidget(resources.widgets.Widget):
    """A whole number as a spreadsheet holds it: ``1500``, ``1500.0``, or ``1.500`` typed the
    Italian way (import-export's own widget reads ``1.500`` as 1 and ``12,5`` as 12)."""

    def clean(self, value, row=None, **kwargs):
        testo = mostra_cella(value)
        if not testo:
            return None
        try:
            numero = Decimal(testo) if isinstance(value, int | float) else parse_euro(testo)
        except (ValidationError, InvalidOperation) as exc:
            raise ValueError(f"Valore «{testo}» non valido: indicare un numero intero.") from exc
        if not numero.is_finite() or numero != numero.to_integral_value():
            raise ValueError(f"Valore «{testo}» non valido: indicare un numero intero.")
        if abs(numero) >= 10**15:
            raise ValueError(f"Valore «{testo}» troppo grande.")
        return int(numero)

    def render(self, value, obj=None, **kwargs):
        return value


class SiNoWidget(resources.widgets.Widget):
    """sì/no, vero/falso, x, 1/0, TRUE/FALSE; an empty cell is ``vuoto``; anything else an error."""

    def __init__(self, vuoto: bool | None = False, **kwargs):
        super().__init__(**kwargs)
        self.vuoto = vuoto

    def clean(self, value, row=None, **kwargs):
        valore = si_no(value, vuoto=self.vuoto)
        if valore is None:
            raise ValueError("Indicare sì o no.")
        return valore

    def render(self, value, obj=None, **kwargs):
        return "sì" if value else "no"


# --- The base of every resource: one reader, Excel's row numbers, Italian labels -----------------


class _DiffRicordato(Diff):
    """import-export's diff, kept on the resource so the preview can show old → new values."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        resource._diff = self


class RisultatoFoglio(Result):
    """import-export's result numbered as the spreadsheet's rows (``righe[i]`` for row i+1)."""

    righe: list[int] = []

    def row_errors(self):
        return [(self.numero(i + 1), r.errors) for i, r in enumerate(self.rows) if r.errors]

    def numero(self, indice: int) -> int:
        return self.righe[indice - 1] if 0 < indice <= len(self.righe) else indice


class RisorsaFoglio(resources.ModelResource):
    """A ModelResource that reads every file through ``pianizona.importazioni.foglio``.

    ``etichette``: the Italian label of a column (the admin's preview shows it, and a file may use
    it as a header); ``alias``: other headers accepted for a column.
    """

    etichette: dict[str, str] = {}
    alias: dict[str, list[str]] = {}

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "BooleanField": "widget_si_no",
        "NullBooleanField": "widget_si_no",
        **dict.fromkeys(
            [
                "IntegerField",
                "PositiveIntegerField",
                "BigIntegerField",
                "PositiveBigIntegerField",
                "PositiveSmallIntegerField",
                "SmallIntegerField",
            ],
            InteroWidget,
        ),
    }

    @classmethod
    def widget_si_no(cls, campo):
        # An empty cell keeps the model's default (a new user is active), never a silent «no».
        return partial(SiNoWidget, vuoto=campo.default if campo.has_default() else None)

    def colonne_accettate(self) -> dict[str, str]:
        """Header key (``chiave_intestazione``) → column name, our own names first."""
        nomi = [f.column_name for f in self.fields.values() if f.column_name]
        colonne = {chiave_intestazione(n): n for n in nomi}
        for nome in nomi:
            for alias in [self.etichetta(nome), f"codice {nome}", *self.alias.get(nome, [])]:
                colonne.setdefault(chiave_intestazione(alias), nome)
        return colonne

    def etichetta(self, colonna: str) -> str:
        if colonna in self.etichette:
            return self.etichette[colonna]
        campo = self.fields.get(colonna)
        modello = getattr(self._meta, "model", None)
        attributo = campo.attribute if campo else colonna
        try:
            nome = str(modello._meta.get_field(attributo).verbose_name)
        except Exception:  # not a model field (a readonly column, a computed one)
            nome = colonna.replace("_", " ")
        return nome[:1].upper() + nome[1:]

    def normalizza(self, dataset) -> FoglioNormalizzato:
        return normalizza(dataset, self.colonne_accettate())

    def get_result_class(self):
        return RisultatoFoglio

    def get_diff_class(self):
        return _DiffRicordato

    def before_import(self, dataset, **kwargs):
        foglio = self.normalizza(dataset)
        if foglio is not dataset:  # the admin's dataset: rewritten in place, import-export reads it
            dataset.wipe()
            dataset.headers = foglio.headers
            for riga in foglio:
                dataset.append(riga)
        self._foglio = foglio
        super().before_import(dataset, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        diff = getattr(self, "_diff", None)
        if diff is not None:
            row_result.prima_dopo = (diff.left, diff.right)
            self._diff = None
        super().after_import_row(row, row_result, **kwargs)

    def import_data_inner(self, dataset, *args, **kwargs):
        self._foglio = None
        result = super().import_data_inner(dataset, *args, **kwargs)
        foglio = self._foglio
        if foglio is not None:
            result.righe = foglio.righe
            result.saltate = foglio.saltate
        for riga in result.invalid_rows:
            riga.number = result.numero(riga.number)
            riga.error_dict = {
                self._colonna(campo, foglio): messaggi
                for campo, messaggi in riga.error_dict.items()
            }
        for riga in result.error_rows:
            riga.number = result.numero(riga.number)
        result.diff_headers = [self.etichetta(c) for c in self.get_diff_headers()]
        return result

    def _colonna(self, campo: str, foglio: FoglioNormalizzato | None) -> str:
        """The column an error is about, as the file's header names it (never an attribute)."""
        if campo == NON_FIELD_ERRORS:
            return campo
        colonna = next(
            (f.column_name for f in self.fields.values() if campo in (f.attribute, f.column_name)),
            campo,
        )
        return foglio.intestazione_originale(colonna) if foglio is not None else colonna


class _LettoDalFoglio:
    """An admin import format read by the one reader (``foglio.leggi_celle``), by content."""

    def create_dataset(self, in_stream):
        contenuto = in_stream if isinstance(in_stream, bytes) else in_stream.encode()
        limite = settings.PIANIZONA_IMPORT_MAX_BYTES  # the same cap as the import pages
        if len(contenuto) > limite:
            raise ErroreDominio(f"Il file supera la dimensione massima di {limite // 1024**2} MB.")
        return leggi_celle(contenuto)

    def is_binary(self):
        return True  # the reader decodes a CSV itself (UTF-8, Windows-1252, Latin-1)

    def get_read_mode(self):
        return "rb"


class CsvFoglio(_LettoDalFoglio, base_formats.CSV):
    pass


class XlsxFoglio(_LettoDalFoglio, base_formats.XLSX):
    def create_dataset(self, in_stream):
        if not bytes(in_stream[:4]).startswith(ZIP_MAGIC):
            raise ValueError("not an xlsx file")  # the admin says: not in the chosen format
        return super().create_dataset(in_stream)


FORMATI_IMPORTAZIONE = [CsvFoglio, XlsxFoglio]


# The admin's exports neutralise formulas with the platform's one helper: the library's own
# IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=" and turns every number into text.
class CsvEsportato(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(esportazioni.dataset_neutralizzato(dataset), **kwargs)


class XlsxEsportato(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        return esportazioni.xlsx(dataset)


FORMATI_ESPORTAZIONE = [CsvEsportato, XlsxEsportato, base_formats.JSON]


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
        regione = codice_numerico((row or {}).get("regione") or "", 2)
        # One of another Region is returned so that Comune.clean() refuses it, naming both.
        return next((a for a in candidati if a.regione.codice_istat == regione), candidati[0])


class ComuneResource(RisorsaFoglio):
    codice_istat = fields.Field("codice_istat", "codice_istat", CodiceIstatWidget(6))
    regione = fields.Field(
        "regione",
        "regione",
        CodiceWidget(Regione, "codice_istat", "Regione con codice ISTAT", cifre=2),
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


class AmbitoResource(RisorsaFoglio):
    regione = fields.Field(
        "regione",
        "regione",
        CodiceWidget(Regione, "codice_istat", "Regione con codice ISTAT", cifre=2),
    )
    comune_capofila = fields.Field(
        "comune_capofila",
        "comune_capofila",
        CodiceWidget(Comune, "codice_istat", "Comune con codice ISTAT", cifre=6),
    )
    etichette = {"codice": "Codice ambito", "comune_capofila": "Comune capofila"}

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
            codice = codice_numerico(territorio.upper().removeprefix("R"), 2)  # R8 is R08
            regione = Regione.objects.filter(codice_istat=codice).first()
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


class UserResource(RisorsaFoglio):
    """Users with their roles in one column: ``operatore@R16/BA01; funzionario@R16``."""

    ruoli = fields.Field(attribute="ruoli_import", column_name="ruoli", widget=RuoliWidget())
    etichette = {
        "email": "E-mail",
        "first_name": "Nome",
        "last_name": "Cognome",
        "is_active": "Attivo",
        "ruoli": "Ruoli",
    }

    class Meta:
        model = User
        import_id_fields = ["email"]
        fields = ["email", "first_name", "last_name", "is_active", "ruoli"]
        export_order = fields
        clean_model_instances = True

    def get_export_headers(self, selected_fields=None) -> list[str]:
        # The file says «Nome», «Cognome», not «first_name»: the import reads the labels back.
        return [self.etichetta(c) for c in super().get_export_headers(selected_fields)]

    def dehydrate_ruoli(self, user: User) -> str:
        # During an import the roles read from the file, so the preview shows old → new roles.
        ruoli = getattr(user, "ruoli_import", None)
        return formatta_ruoli(ruoli_di(user) if ruoli is None else ruoli)

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
