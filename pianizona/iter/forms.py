"""The forms of the plan's journey: a state change, a request for changes, the approval, the annual update."""

from allauth.mfa.models import Authenticator
from django import forms
from django.http import HttpRequest

from pianizona.accessi import blocchi
from pianizona.models import Ciclo, Piano, Regione, Transizione

from .commenti import scegliere_per_le_aperte


class TransizioneForm(forms.Form):
    """A state change: carries the state the page showed, so a stale page or a second click is caught."""

    stato_atteso = forms.ChoiceField(
        choices=Piano.Stato.choices,
        widget=forms.HiddenInput,
        error_messages={"required": "Richiesta incompleta: ricaricare la pagina."},
    )


class RichiestaIntegrazioniForm(TransizioneForm):
    commento = forms.CharField(
        label="Che cosa deve integrare o correggere l'Ufficio di Piano",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Scrivere all'Ufficio di Piano che cosa va corretto."},
    )


CONFERMA_APPROVAZIONE = "conferma-approvazione"


class ApprovazioneForm(TransizioneForm):
    commento = forms.CharField(
        label="Nota di approvazione (facoltativa)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    conferma = forms.CharField(
        label="Confermare con la password o con il codice dell'app di autenticazione",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Per approvare inserire la password o il codice."},
    )

    osservazioni = forms.ChoiceField(
        label="Le osservazioni ancora aperte",
        choices=[
            (Transizione.Osservazioni.CHIUSE, "Chiudi le osservazioni aperte"),
            (Transizione.Osservazioni.LASCIATE_APERTE, "Lasciale aperte"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    # The open remarks the page listed: one written since then stops the approval.
    osservazioni_viste = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, request: HttpRequest, aperte: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        self.aperte = aperte
        if aperte:
            campo = self.fields["osservazioni"]
            campo.required = True
            campo.error_messages = {"required": scegliere_per_le_aperte(len(aperte))}
        else:
            del self.fields["osservazioni"]
        self.initial.setdefault("osservazioni_viste", " ".join(map(str, aperte)))

    def clean_osservazioni_viste(self) -> list[int]:
        valore = self.cleaned_data["osservazioni_viste"].split()
        if not all(v.isdigit() for v in valore):
            raise forms.ValidationError("Richiesta incompleta: ricaricare la pagina.")
        return [int(v) for v in valore]

    def clean_conferma(self) -> str:
        """Throttled like the login: a six-digit code must not be guessable from an open session."""
        valore = self.cleaned_data["conferma"]
        chi = {"azione": CONFERMA_APPROVAZIONE, "identita": str(self.user.pk)}
        secondi = blocchi.attesa(self.request, **chi)
        if secondi:
            raise forms.ValidationError(
                "Troppe conferme non riuscite: il piano non è stato approvato. Riprovare tra "
                f"{blocchi.durata_leggibile(secondi)}."
            )
        if not identita_confermata(self.user, valore):
            blocchi.registra_fallimento(self.request, **chi)
            raise forms.ValidationError(
                "Password o codice non corretti: il piano non è stato approvato."
            )
        blocchi.azzera(self.request, **chi)
        return valore


def identita_confermata(user, valore: str) -> bool:
    """The officer re-proves who they are: their password, or a fresh code of their TOTP app."""
    if user.check_password(valore):
        return True
    codice = valore.strip().replace(" ", "")
    if not codice.isdigit():
        return False
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return totp is not None and totp.wrap().validate_code(codice)


class AttuativoForm(forms.Form):
    anno = forms.TypedChoiceField(
        label="Anno del piano attuativo",
        coerce=int,
        error_messages={
            "required": "Scegliere l'anno.",
            "invalid_choice": "Per l'anno scelto non si può avviare un piano attuativo.",
        },
    )

    def __init__(self, *args, anni: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anno"].choices = [(a, str(a)) for a in anni]


def _campo_anno(etichetta: str, quale: str, esempio: str) -> forms.IntegerField:
    """A cycle's year, with its messages naming which one (``quale``: «Il primo anno»)."""
    fuori = f"{quale} deve essere tra il 2000 e il 2100."
    return forms.IntegerField(
        label=etichetta,
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": f"Indicare {quale[0].lower()}{quale[1:]}.",
            "invalid": f"{quale} va scritto in cifre, {esempio}.",
            "min_value": fuori,
            "max_value": fuori,
        },
    )


class CicloForm(forms.Form):
    """A new cycle of the Region; ``origine`` offers only the Region's own earlier cycles."""

    nome = forms.CharField(
        label="Nome del ciclo",
        max_length=150,
        help_text="Es. «Piano sociale di zona 2025–2027».",
        error_messages={"required": "Indicare il nome del ciclo."},
    )
    tipo = forms.ChoiceField(
        label="Tipo",
        choices=Ciclo.Tipo.choices,
        initial=Ciclo.Tipo.TRIENNALE,
        error_messages={"required": "Scegliere se il ciclo è triennale o annuale."},
    )
    anno_inizio = _campo_anno("Primo anno", "Il primo anno", "es. 2025")
    anno_fine = _campo_anno("Ultimo anno", "L'ultimo anno", "es. 2027")
    origine = forms.ModelChoiceField(
        label="Copiare la configurazione dal ciclo",
        queryset=Ciclo.objects.none(),
        required=False,
        empty_label="Nessuno: partire da zero",
        help_text="Fonti attive, cofinanziamento minimo, vincoli e catalogo degli interventi.",
        error_messages={
            "invalid_choice": "Il ciclo da cui copiare non è tra i cicli di questa regione."
        },
    )

    def __init__(self, *args, regione: Regione, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origine"].queryset = Ciclo.objects.filter(regione=regione).order_by(
            "-anno_inizio"
        )
