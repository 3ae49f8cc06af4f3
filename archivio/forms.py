from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from pianizona.models import Ambito, AreaInterventoFnps, AreaUtenzaIstat, Piano, Regione
from pianizona.territorio.denominazioni import denominazione_distretti

from . import in_sospeso
from .adesioni import (
    CodiceFiscaleNonValido,
    codice_fiscale_normalizzato,
    ha_caratteri_di_controllo,
    messaggio_caratteri_di_controllo,
    modulo_verificato,
)
from .file_sicuri import FORMATI_AMMESSI, FileNonAmmesso, FileVerificato
from .models import Documento, FormaGiuridica
from .selectors import Filtri

ACCETTA_FILE = ".pdf,.p7m,.odt,.docx,.ods,.xlsx,.csv,.png,.jpg,.jpeg"
ERRORI_FILE = {
    "required": "Scegliere il file da caricare.",
    "empty": "Il file è vuoto.",
    "invalid": "Il file non è stato ricevuto: riprovare.",
}


class CampoFile(forms.FileField):
    """A file field whose help text ends with the size limit in force (read at each form)."""

    def __deepcopy__(self, memo):
        campo = super().__deepcopy__(memo)
        massimo = filesizeformat(settings.ARCHIVIO_DIMENSIONE_MASSIMA)
        campo.help_text = f"{self.help_text} Dimensione massima: {massimo}."
        return campo


def _file_field(label: str, aiuto: str, accetta: str = ACCETTA_FILE) -> forms.FileField:
    return CampoFile(
        label=label,
        help_text=aiuto,
        widget=forms.FileInput(attrs={"accept": accetta}),
        error_messages=ERRORI_FILE,
        allow_empty_file=True,  # file_sicuri refuses it with its own message
    )


class FiltroDocumentiForm(forms.Form):
    testo = forms.CharField(
        label="Cerca nel titolo, nella descrizione e nel protocollo", required=False, max_length=100
    )
    categoria = forms.ChoiceField(
        label="Categoria", required=False, choices=[("", "Tutte"), *Documento.Categoria.choices]
    )
    anno = forms.TypedChoiceField(label="Anno", required=False, coerce=int, empty_value=None)
    ambito = forms.ChoiceField(label="Ambito", required=False)

    def __init__(
        self,
        *args,
        anni: list[int],
        ambiti: list[Ambito] | None = None,
        regione: Regione | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["anno"].choices = [("", "Tutti"), *((a, str(a)) for a in anni)]
        if ambiti is None:
            del self.fields["ambito"]
        else:
            parola = denominazione_distretti(regione)
            self.fields["ambito"].label = parola.forma().capitalize()
            self.fields["ambito"].choices = [
                ("", parola.forma("Tutti i")),
                ("regione", "Solo documenti regionali"),
                *((str(a.pk), f"{a.codice} – {a.nome}") for a in ambiti),
            ]
        self._ambiti = {str(a.pk): a for a in ambiti or []}

    def filtri(self, eliminati: bool) -> Filtri:
        if not self.is_bound or not self.is_valid():
            return Filtri(eliminati=eliminati)
        dati = self.cleaned_data
        scelta = dati.get("ambito") or ""
        return Filtri(
            categoria=dati["categoria"],
            anno=dati["anno"],
            testo=dati["testo"].strip(),
            ambito=self._ambiti.get(scelta),
            solo_regionali=scelta == "regione",
            eliminati=eliminati,
        )


class DocumentoForm(forms.Form):
    titolo = forms.CharField(label="Titolo", max_length=200)
    categoria = forms.ChoiceField(label="Categoria", choices=Documento.Categoria.choices)
    anno = forms.IntegerField(label="Anno", min_value=2000, max_value=2100)
    descrizione = forms.CharField(
        label="Descrizione", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    numero_protocollo = forms.CharField(label="Numero di protocollo", required=False, max_length=50)
    data_protocollo = forms.DateField(
        label="Data di protocollo",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Inserire una data valida."},
    )
    piano = forms.ModelChoiceField(
        label="Piano di riferimento",
        queryset=Piano.objects.none(),
        required=False,
        empty_label="Nessuno",
    )
    file = _file_field(
        "File",
        f"Formati ammessi: {FORMATI_AMMESSI}. Il file viene controllato nel contenuto, non "
        "solo nell'estensione.",
    )

    def __init__(self, *args, ambito: Ambito | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anno"].initial = timezone.localdate().year
        self.fields["data_protocollo"].widget.attrs["max"] = timezone.localdate().isoformat()
        if ambito is None:
            del self.fields["piano"]
        else:
            self.fields["piano"].queryset = Piano.objects.filter(ambito=ambito).select_related(
                "ciclo"
            )

    def clean_data_protocollo(self):
        data = self.cleaned_data["data_protocollo"]
        if data and data > timezone.localdate():
            raise forms.ValidationError(
                f"La data di protocollo ({data:%d/%m/%Y}) è nel futuro: un atto si protocolla "
                "dopo averlo firmato."
            )
        return data

    def clean(self):
        dati = super().clean()
        if dati.get("data_protocollo") and not dati.get("numero_protocollo"):
            self.add_error("numero_protocollo", "Indica il numero di protocollo della data.")
        return dati


class VersioneForm(forms.Form):
    file = _file_field(
        "Nuovo file", f"Le versioni precedenti restano consultabili. Formati: {FORMATI_AMMESSI}."
    )


class EliminaForm(forms.Form):
    motivo = forms.CharField(
        label="Motivo dell'eliminazione",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Resta nello storico dell'archivio, con il nome di chi elimina e la data.",
        error_messages={"required": "Indica il motivo dell'eliminazione."},
    )


class UnaRiga:
    """A one-line field: control characters refused before the value is stripped.

    A trailing CR/LF would otherwise vanish in the strip and one in the middle would reach an
    e-mail's subject; both are refused alike, with the field's name.
    """

    def to_python(self, value):
        if isinstance(value, str) and ha_caratteri_di_controllo(value):
            raise forms.ValidationError(messaggio_caratteri_di_controllo(self.label))
        return super().to_python(value)


class RigaField(UnaRiga, forms.CharField):
    pass


class EmailRigaField(UnaRiga, forms.EmailField):
    pass


MODULO_SCADUTO = (
    "Il modulo firmato caricato in precedenza non è più disponibile (si conserva per due ore): "
    "allegarlo di nuovo."
)


class AdesioneForm(forms.Form):
    denominazione = RigaField(label="Denominazione dell'ente", max_length=200)
    forma_giuridica = forms.ChoiceField(
        label="Forma giuridica", choices=[("", "Scegliere…"), *FormaGiuridica.choices]
    )
    codice_fiscale = RigaField(
        label="Codice fiscale",
        max_length=20,
        help_text="11 cifre per un ente; 16 caratteri se l'ente non ha un codice fiscale proprio.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    indirizzo = RigaField(
        label="Sede legale (indirizzo completo)",
        max_length=250,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    referente = RigaField(
        label="Persona di riferimento",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailRigaField(
        label="E-mail della persona di riferimento",
        help_text="Riceverà la ricevuta con il numero della richiesta e l'esito.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Inserire un indirizzo e-mail valido."},
    )
    aree_intervento = forms.ModelMultipleChoiceField(
        label="Aree di intervento (FNPS)",
        queryset=AreaInterventoFnps.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    aree_utenza = forms.ModelMultipleChoiceField(
        label="Aree di utenza (ISTAT)",
        queryset=AreaUtenzaIstat.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attivita = forms.CharField(
        label="Breve descrizione delle attività",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    modulo = _file_field(
        "Modulo di adesione firmato",
        "PDF firmato digitalmente (anche .p7m) oppure scansione in PDF, PNG o JPEG del modulo "
        "firmato.",
        ".pdf,.p7m,.png,.jpg,.jpeg",
    )
    # The signed form kept from an earlier attempt (``in_sospeso``): a new file replaces it.
    modulo_in_sospeso = forms.CharField(widget=forms.HiddenInput, required=False)
    # An acknowledgement, not a consent: the data are processed for a public task (GDPR 6.1.e).
    privacy = forms.BooleanField(
        label="Dichiaro di aver letto l'informativa sul trattamento dei dati personali.",
        error_messages={
            "required": "Per inviare la richiesta occorre dichiarare di aver letto l'informativa."
        },
    )
    # Never shown to people: a bot that fills every field fills this one too.
    sito_web = forms.CharField(
        label="Lascia vuoto questo campo",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    inizio = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, ambito: Ambito, **kwargs):
        super().__init__(*args, **kwargs)
        self.ambito = ambito
        # A kept file stands in for a new one (``clean``).
        self.fields["modulo"].required = not self.data.get("modulo_in_sospeso")
        informativa = reverse(
            "archivio:adesione_informativa", args=[ambito.regione.codice_istat, ambito.codice]
        )
        self.fields["privacy"].help_text = format_html(
            '<a href="{}">Informativa sul trattamento dei dati personali</a> (art. 13 del '
            "Regolamento UE 2016/679): i dati servono a istruire la richiesta, compito di "
            "interesse pubblico dell'Ufficio di Piano.",
            informativa,
        )
        # Set by ``clean``: the fresh upload that passed its checks, or the kept one in use.
        self.modulo_nuovo: FileVerificato | None = None
        self.modulo_in_uso: in_sospeso.ModuloInSospeso | None = None

    def offri_modulo(self, modulo: in_sospeso.ModuloInSospeso | None) -> None:
        """Shown again with ``modulo`` kept (no new file needed), or with none."""
        self.data = self.data.copy()
        self.data["modulo_in_sospeso"] = modulo.gettone if modulo else ""
        self.fields["modulo"].required = modulo is None

    def clean_codice_fiscale(self) -> str:
        try:
            return codice_fiscale_normalizzato(self.cleaned_data["codice_fiscale"])
        except CodiceFiscaleNonValido as err:
            raise forms.ValidationError(str(err)) from err

    def clean_modulo(self):
        file = self.cleaned_data.get("modulo")
        if file:
            try:
                self.modulo_nuovo = modulo_verificato(file)
            except FileNonAmmesso as err:
                raise forms.ValidationError(str(err)) from err
        return file

    def clean(self):
        dati = super().clean()
        if not dati.get("aree_intervento") and not dati.get("aree_utenza"):
            self.add_error(
                "aree_intervento", "Indica almeno un'area di intervento o un'area di utenza."
            )
        if not dati.get("modulo") and "modulo" not in self.errors:
            gettone = dati.get("modulo_in_sospeso") or ""
            trattenuto = in_sospeso.modulo_recupera(gettone, self.ambito.pk) if gettone else None
            if trattenuto is None:
                self.add_error("modulo", MODULO_SCADUTO if gettone else ERRORI_FILE["required"])
            else:
                self.modulo_in_uso, dati["modulo"] = trattenuto
        return dati


class DecisioneForm(forms.Form):
    esito = forms.ChoiceField(
        label="Decisione",
        choices=[("accetta", "Accetta l'adesione"), ("respingi", "Respingi la richiesta")],
        widget=forms.RadioSelect,
        error_messages={"required": "Scegliere se accettare o respingere la richiesta."},
    )
    nota = forms.CharField(
        label="Nota per l'ente",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Viene inviata all'ente per e-mail. Obbligatoria se respingi la richiesta.",
    )

    def clean(self):
        dati = super().clean()
        if dati.get("esito") == "respingi" and not (dati.get("nota") or "").strip():
            self.add_error("nota", "Per respingere una richiesta indica il motivo nella nota.")
        return dati


class RevocaForm(forms.Form):
    motivo = forms.CharField(
        label="Motivo della revoca",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Viene inviato all'ente per e-mail.",
        error_messages={
            "required": "Indica il motivo della revoca: l'ente lo riceve per e-mail.",
            "max_length": "Il motivo non può superare i %(limit_value)d caratteri.",
        },
    )
