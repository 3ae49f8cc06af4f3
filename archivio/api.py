"""The third-sector organisations whose adhesion the ambito accepted, through the API.

Only what identifies the organisation and what it works on: the contact person, e-mail, address
and the signed form stay inside the platform.
"""

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers

from pianizona.accessi.tenancy import scope_queryset
from pianizona.api.base import VistaApi
from pianizona.api.filtri import FiltroId
from pianizona.models import AreaInterventoFnps, AreaUtenzaIstat

from .models import Adesione, FormaGiuridica


class AderenteSerializer(serializers.ModelSerializer):
    regione = serializers.IntegerField(source="ambito.regione_id")
    aree_intervento = serializers.SlugRelatedField(many=True, read_only=True, slug_field="codice")
    aree_utenza = serializers.SlugRelatedField(many=True, read_only=True, slug_field="codice")
    accettata_il = serializers.DateTimeField(source="decisa_il", allow_null=True)

    class Meta:
        model = Adesione
        fields = [
            "id",
            "ambito",
            "regione",
            "denominazione",
            "forma_giuridica",
            "codice_fiscale",
            "aree_intervento",
            "aree_utenza",
            "accettata_il",
        ]


class FiltriAderente(django_filters.FilterSet):
    ambito = FiltroId(field_name="ambito_id")
    regione = FiltroId(field_name="ambito__regione_id")
    forma_giuridica = django_filters.ChoiceFilter(choices=FormaGiuridica.choices)

    class Meta:
        model = Adesione
        fields = []


class AderenteViewSet(VistaApi):
    """Gli enti del Terzo settore aderenti all'Accordo di programma (adesioni accettate)."""

    serializer_class = AderenteSerializer
    filterset_class = FiltriAderente

    def get_queryset(self):
        return (
            scope_queryset(Adesione.objects.all(), self.request.user, "ambito")
            .filter(stato=Adesione.Stato.ACCETTATA)
            .select_related("ambito")
            .prefetch_related(
                Prefetch("aree_intervento", AreaInterventoFnps.objects.order_by("codice")),
                Prefetch("aree_utenza", AreaUtenzaIstat.objects.order_by("codice")),
            )
            .order_by("ambito__codice", "denominazione", "pk")
        )


def registra() -> None:
    from pianizona import registry

    registry.registra_api("aderenti", AderenteViewSet, "aderente")
