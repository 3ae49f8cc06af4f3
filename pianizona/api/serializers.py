"""The core's resources as JSON: stable ids, ISO dates, no personal data."""

from rest_framework import serializers

from pianizona.models import Ambito, Ciclo, Comune, Piano, Regione, Versione


class RegioneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Regione
        fields = ["id", "codice_istat", "nome"]


class ComuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comune
        fields = ["id", "codice_istat", "nome", "provincia", "sigla_provincia", "popolazione"]


class AmbitoSerializer(serializers.ModelSerializer):
    comuni = ComuneSerializer(many=True, read_only=True)
    popolazione = serializers.SerializerMethodField()

    class Meta:
        model = Ambito
        fields = [
            "id",
            "codice",
            "nome",
            "regione",
            "forma_associativa",
            "comune_capofila",
            "popolazione",
            "comuni",
        ]

    def get_popolazione(self, ambito: Ambito) -> int:
        return sum(c.popolazione for c in ambito.comuni.all())


class CicloSerializer(serializers.ModelSerializer):
    anni = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Ciclo
        fields = ["id", "regione", "nome", "anno_inizio", "anno_fine", "anni"]


class PianoSerializer(serializers.ModelSerializer):
    ambito_codice = serializers.CharField(source="ambito.codice", read_only=True)
    titolo = serializers.CharField(read_only=True)
    anni = serializers.SerializerMethodField()
    approvato_il = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Piano
        fields = [
            "id",
            "ambito",
            "ambito_codice",
            "ciclo",
            "tipo",
            "anno",
            "anni",
            "titolo",
            "stato",
            "creato_il",
            "aggiornato_il",
            "approvato_il",
        ]

    def get_anni(self, piano: Piano) -> list[int]:
        return [piano.anno] if piano.anno else piano.ciclo.anni


class VersioneSerializer(serializers.ModelSerializer):
    stato = serializers.SerializerMethodField()

    class Meta:
        model = Versione
        fields = ["id", "numero", "creata_il", "impronta", "stato"]

    def get_stato(self, versione: Versione) -> str:
        """``approvata`` (la Regione l'ha approvata) o ``inviata`` (in attesa dell'esame)."""
        return "approvata" if versione.approvata else "inviata"
