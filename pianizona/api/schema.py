"""The OpenAPI schema: every operation documents its JSON error responses."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErroreSerializer(serializers.Serializer):
    errore = serializers.CharField(help_text="Il messaggio, in italiano.")
    dettagli = serializers.JSONField(
        allow_null=True, help_text="Dettagli strutturati (es. i parametri non validi)."
    )

    class Meta:
        ref_name = "Errore"


ERRORI = {
    "400": "Parametri non validi o non riconosciuti.",
    "401": "Chiave mancante, non valida o revocata.",
    "403": "Operazione non consentita.",
    "404": "Risorsa non trovata o fuori dal perimetro del chiamante.",
    "405": "Metodo non consentito.",
    "429": "Limite di richieste al minuto superato.",
}


class SchemaApi(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        risposte = super()._get_response_bodies(direction)
        for codice, descrizione in ERRORI.items():
            if codice not in risposte:
                risposta = self._get_response_for_code(ErroreSerializer, codice)
                risposta["description"] = descrizione
                risposte[codice] = risposta
        return risposte
