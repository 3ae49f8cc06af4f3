"""The core's endpoints: regions, ambiti with their municipalities, cycles, plans and versions."""

import django_filters
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from pianizona.accessi.tenancy import ambiti_for_user
from pianizona.models import Ambito, Ciclo, Comune, Piano, Transizione, Versione

from . import serializers as s
from .base import VistaApi, cicli_visibili, piani_visibili, regioni_visibili, vede_bozze
from .filtri import FiltroAnno, FiltroId, filtro_stato_piano


class FiltriAmbito(django_filters.FilterSet):
    regione = FiltroId(field_name="regione_id")
    codice = django_filters.CharFilter(field_name="codice", max_length=20)

    class Meta:
        model = Ambito
        fields = []


class FiltriCiclo(django_filters.FilterSet):
    regione = FiltroId(field_name="regione_id")
    anno = FiltroAnno(method="filtra_anno", help_text="Cicli che comprendono l'anno.")

    class Meta:
        model = Ciclo
        fields = []

    def filtra_anno(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(anno_inizio__lte=value, anno_fine__gte=value)


class FiltriPiano(django_filters.FilterSet):
    ciclo = FiltroId(field_name="ciclo_id")
    ambito = FiltroId(field_name="ambito_id")
    regione = FiltroId(field_name="ambito__regione_id")
    stato = filtro_stato_piano()
    tipo = django_filters.ChoiceFilter(choices=Piano.Tipo.choices)
    anno = FiltroAnno(method="filtra_anno", help_text="Piani che coprono l'anno.")

    class Meta:
        model = Piano
        fields = []

    def filtra_anno(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(
            Q(anno=value)
            | Q(anno__isnull=True, ciclo__anno_inizio__lte=value, ciclo__anno_fine__gte=value)
        )


class RegioneViewSet(VistaApi):
    """Le regioni del perimetro del chiamante."""

    serializer_class = s.RegioneSerializer

    def get_queryset(self):
        return regioni_visibili(self.request.user).order_by("codice_istat")


class AmbitoViewSet(VistaApi):
    """Gli ambiti territoriali, con i comuni e la popolazione."""

    serializer_class = s.AmbitoSerializer
    filterset_class = FiltriAmbito

    def get_queryset(self):
        return (
            ambiti_for_user(self.request.user)
            .prefetch_related(Prefetch("comuni", Comune.objects.order_by("nome")))
            .order_by("codice")
        )


class CicloViewSet(VistaApi):
    """I cicli di programmazione delle regioni del perimetro."""

    serializer_class = s.CicloSerializer
    filterset_class = FiltriCiclo

    def get_queryset(self):
        return cicli_visibili(self.request.user).order_by("regione_id", "-anno_inizio", "pk")


def _approvazioni() -> QuerySet:
    return Transizione.objects.filter(
        versione_id=OuterRef("pk"), azione=Transizione.Azione.APPROVAZIONE
    )


class PianoViewSet(VistaApi):
    """I piani: approvati per le chiavi API, anche in bozza per gli utenti dell'ambito."""

    serializer_class = s.PianoSerializer
    filterset_class = FiltriPiano

    def get_queryset(self):
        return (
            piani_visibili(self.request.user)
            .select_related("ambito", "ciclo")
            .annotate(
                approvato_il=Max(
                    "transizioni__eseguita_il",
                    filter=Q(transizioni__azione=Transizione.Azione.APPROVAZIONE),
                )
            )
            .order_by("ciclo_id", "ambito__codice", "tipo", "anno", "pk")
        )

    @extend_schema(
        responses=s.VersioneSerializer(many=True),
        summary="Versioni del piano",
        description="Numero, data e impronta SHA-256 di ogni versione inviata; le chiavi API "
        "vedono solo le versioni approvate.",
    )
    @action(detail=True, pagination_class=None, filterset_class=None)
    def versioni(self, request, pk=None):
        piano = self.get_object()
        versioni = Versione.objects.filter(piano=piano).annotate(approvata=Exists(_approvazioni()))
        if not vede_bozze(request.user):
            versioni = versioni.filter(approvata=True)
        righe = versioni.order_by("numero").defer("contenuto")
        return Response(s.VersioneSerializer(righe, many=True).data)
