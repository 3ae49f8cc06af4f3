"""The forms of access: the login and the choice of the context one works in."""

from allauth.account import forms as allauth_forms
from django import forms

from .tenancy import accessi_for_user


class ContestoForm(forms.Form):
    """The header switcher: choose the ambito or region to work in."""

    membership = forms.TypedChoiceField(
        label="Contesto di lavoro",
        coerce=int,
        error_messages={
            "required": "Scegliere un contesto.",
            "invalid_choice": "Il contesto scelto non è tra i ruoli assegnati.",
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
