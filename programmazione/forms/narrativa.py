"""The form of one chapter of the plan's narrative: Markdown text and the revision it was read at."""

from django import forms

LUNGHEZZA_MASSIMA = 50_000  # characters of one chapter: a long chapter, never a pasted book


class NarrativaForm(forms.Form):
    testo = forms.CharField(
        label="Testo del capitolo",
        required=False,
        strip=True,
        max_length=LUNGHEZZA_MASSIMA,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
        help_text=(
            "Si scrive in Markdown: la guida qui sopra mostra come. Un capitolo lasciato vuoto "
            "appare come «Da scrivere»."
        ),
        error_messages={
            "max_length": "Il capitolo può contenere al massimo %(limit_value)s caratteri "
            "(ora ne ha %(show_value)s)."
        },
    )
    revisione = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AnteprimaForm(forms.Form):
    """What the live preview reads: the text only; a text too long is not converted."""

    testo = forms.CharField(required=False, strip=True, max_length=LUNGHEZZA_MASSIMA)
