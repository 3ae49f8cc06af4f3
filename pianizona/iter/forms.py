"""The forms of the plan's journey: a state change, a request for changes, the approval, the annual update."""

from allauth.mfa.models import Authenticator
from django import forms

from pianizona.models import Piano


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
