"""The upload of a spreadsheet, shared by every import page."""

from django import forms


class FoglioForm(forms.Form):
    """The upload of a spreadsheet to import (read by pianizona.importazioni.services.leggi_foglio)."""

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
