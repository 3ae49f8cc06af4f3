from allauth.account import forms as allauth_forms
from allauth.mfa.models import Authenticator
from django import forms

from .models import Piano
from .tenancy import accessi_for_user


class ContestoForm(forms.Form):
    """The header switcher: choose the ambito or region to work in."""

    membership = forms.TypedChoiceField(
        label="Contesto di lavoro",
        coerce=int,
        error_messages={
            "required": "Scegliere un contesto.",
            "invalid_choice": "Il contesto scelto non è tra i tuoi ruoli.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (m.pk, f"{m.territorio} – {m.get_ruolo_display()}")
            for m in accessi_for_user(user).memberships
        ]


class LoginForm(allauth_forms.LoginForm):
    """allauth's login form with our labels; the reset link is on the page, not in the help text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Indirizzo e-mail"
        self.fields["password"].help_text = ""


class FoglioForm(forms.Form):
    """The upload of a spreadsheet to import (read by pianizona.importazione.leggi_foglio)."""

    file = forms.FileField(
        label="File da importare (.xlsx o .csv)",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={
            "required": "Scegliere il file da importare.",
            "empty": "Il file è vuoto.",
            "invalid": "Il file non è stato ricevuto: riprovare.",
        },
    )

    def __init__(self, *args, aiuto: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = aiuto


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


class ApprovazioneForm(TransizioneForm):
    commento = forms.CharField(
        label="Nota di approvazione (facoltativa)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    conferma = forms.CharField(
        label="Conferma con la tua password o con il codice dell'app di autenticazione",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Per approvare inserire la password o il codice."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_conferma(self) -> str:
        valore = self.cleaned_data["conferma"]
        if not identita_confermata(self.user, valore):
            raise forms.ValidationError(
                "Password o codice non corretti: il piano non è stato approvato."
            )
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
