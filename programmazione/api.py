"""Intervention sheets with their allocations and the Region's catalogue, through the API and as open data."""

from decimal import Decimal

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pianizona.api.base import VistaApi, cicli_visibili, piani_visibili
from pianizona.api.filtri import FiltroAnno, FiltroCodice, FiltroId, filtro_stato_piano
from pianizona.models import AreaUtenzaIstat, Ciclo, Piano

from .models import Allocazione, BeneficiariPrevisti, SchedaIntervento, Sezione, VoceCatalogo


class VoceCatalogoSerializer(serializers.ModelSerializer):
    obiettivo_servizio = serializers.CharField(source="obiettivo_servizio.codice")
    macro_livello = serializers.IntegerField(source="obiettivo_servizio.macro_livello.codice")
    area_intervento = serializers.IntegerField(source="area_intervento.codice")
    area_utenza = serializers.CharField(source="area_utenza.codice")
    prestazione_siuss = serializers.CharField(
        source="prestazione_siuss.codice", allow_null=True, default=None
    )

    class Meta:
        model = VoceCatalogo
        fields = [
            "id",
            "ciclo",
            "codice",
            "nome",
            "descrizione",
            "obiettivo_servizio",
            "macro_livello",
            "area_intervento",
            "area_utenza",
            "leps",
            "in_ambito",
            "in_comunale",
            "in_altre_risorse",
            "prestazione_siuss",
        ]


class FiltriCatalogo(django_filters.FilterSet):
    ciclo = FiltroId(field_name="ciclo_id")
    area_intervento = FiltroId(
        field_name="area_intervento__codice", help_text="Area FNPS (1, 2, 3)."
    )
    leps = django_filters.BooleanFilter()
    codice = FiltroCodice()

    class Meta:
        model = VoceCatalogo
        fields = []


class CatalogoViewSet(VistaApi):
    """Il catalogo degli interventi di ogni ciclo, sulla griglia FNPS."""

    serializer_class = VoceCatalogoSerializer
    filterset_class = FiltriCatalogo

    def get_queryset(self):
        return (
            VoceCatalogo.objects.filter(ciclo__in=cicli_visibili(self.request.user))
            .select_related(
                "obiettivo_servizio__macro_livello",
                "area_intervento",
                "area_utenza",
                "prestazione_siuss",
            )
            .order_by("ciclo_id", "codice", "pk")
        )


class AllocazioneSerializer(serializers.ModelSerializer):
    fonte = serializers.CharField(source="fonte.codice")

    class Meta:
        model = Allocazione
        fields = ["fonte", "anno", "importo"]


class BeneficiariSerializer(serializers.ModelSerializer):
    class Meta:
        model = BeneficiariPrevisti
        fields = ["anno", "numero"]


class SchedaSerializer(serializers.ModelSerializer):
    ambito = serializers.IntegerField(source="piano.ambito_id")
    ciclo = serializers.IntegerField(source="piano.ciclo_id")
    codice = serializers.CharField(read_only=True)
    voce = serializers.CharField(source="voce.codice")
    voce_nome = serializers.CharField(source="voce.nome")
    obiettivo_servizio = serializers.CharField(source="voce.obiettivo_servizio.codice")
    area_intervento = serializers.IntegerField(source="voce.area_intervento.codice")
    leps = serializers.BooleanField(source="voce.leps")
    aree_utenza = serializers.SlugRelatedField(many=True, read_only=True, slug_field="codice")
    allocazioni = AllocazioneSerializer(many=True, read_only=True)
    beneficiari = BeneficiariSerializer(many=True, read_only=True)
    totale = serializers.SerializerMethodField()

    class Meta:
        model = SchedaIntervento
        fields = [
            "id",
            "piano",
            "ambito",
            "ciclo",
            "sezione",
            "numero",
            "codice",
            "titolo",
            "descrizione",
            "obiettivi",
            "voce",
            "voce_nome",
            "obiettivo_servizio",
            "area_intervento",
            "leps",
            "comune",
            "aree_utenza",
            "gestione",
            "soggetto_attuatore",
            "integrazione_sociosanitaria",
            "in_continuita",
            "allocazioni",
            "beneficiari",
            "totale",
            "aggiornata_il",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_totale(self, scheda: SchedaIntervento) -> str:
        return str(sum((a.importo for a in scheda.allocazioni.all()), 0))


class FiltriScheda(django_filters.FilterSet):
    ciclo = FiltroId(field_name="piano__ciclo_id")
    ambito = FiltroId(field_name="piano__ambito_id")
    piano = FiltroId(field_name="piano_id")
    stato = filtro_stato_piano(field_name="piano__stato")
    sezione = django_filters.ChoiceFilter(choices=Sezione.choices)
    voce = FiltroCodice(field_name="voce__codice")
    anno = FiltroAnno(method="filtra_anno", help_text="Schede con importi nell'anno.")

    class Meta:
        model = SchedaIntervento
        fields = []

    def filtra_anno(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(
            Exists(Allocazione.objects.filter(scheda_id=OuterRef("pk"), anno=value))
        )


class SchedaViewSet(VistaApi):
    """Le schede intervento dei piani, con gli importi per fondo e anno."""

    serializer_class = SchedaSerializer
    filterset_class = FiltriScheda

    def get_queryset(self):
        return (
            SchedaIntervento.objects.filter(piano__in=piani_visibili(self.request.user))
            .select_related("piano", "voce__obiettivo_servizio", "voce__area_intervento")
            .prefetch_related(
                Prefetch("allocazioni", Allocazione.objects.select_related("fonte")),
                Prefetch("aree_utenza", AreaUtenzaIstat.objects.order_by("codice")),
                "beneficiari",
            )
            .order_by("piano_id", "sezione", "numero")
        )


CENT = Decimal("0.01")

COLONNE_ALLOCAZIONI = (
    ("ambito_codice", "Codice dell'ambito territoriale"),
    ("ambito", "Nome dell'ambito territoriale"),
    ("piano", "Identificativo del piano approvato"),
    ("tipo_piano", "triennale o attuativo (annuale)"),
    ("sezione", "Sezione del piano"),
    ("voce", "Codice della voce del catalogo regionale"),
    ("voce_nome", "Nome della voce del catalogo"),
    ("area_intervento", "Codice dell'area di intervento FNPS (1, 2, 3)"),
    ("area_intervento_nome", "Area di intervento FNPS"),
    ("fonte", "Codice del fondo"),
    ("anno", "Anno"),
    ("importo", "Importo allocato (euro)"),
)


def dataset_allocazioni(ciclo: Ciclo) -> list[dict]:
    """Allocations of the cycle's approved plans, summed per catalogue entry, area, fund and year."""
    righe = (
        Allocazione.objects.filter(
            scheda__piano__ciclo=ciclo, scheda__piano__stato=Piano.Stato.APPROVATO
        )
        .values(
            "scheda__piano__ambito__codice",
            "scheda__piano__ambito__nome",
            "scheda__piano_id",
            "scheda__piano__tipo",
            "scheda__sezione",
            "scheda__voce__codice",
            "scheda__voce__nome",
            "scheda__voce__area_intervento__codice",
            "scheda__voce__area_intervento__nome",
            "fonte__codice",
            "fonte__ordine",
            "anno",
        )
        .annotate(importo=Sum("importo"))
        .order_by(
            "scheda__piano__ambito__codice",
            "scheda__piano_id",
            "scheda__sezione",
            "scheda__voce__codice",
            "fonte__ordine",
            "fonte__codice",
            "anno",
        )
    )
    return [
        {
            "ambito_codice": r["scheda__piano__ambito__codice"],
            "ambito": r["scheda__piano__ambito__nome"],
            "piano": r["scheda__piano_id"],
            "tipo_piano": r["scheda__piano__tipo"],
            "sezione": r["scheda__sezione"],
            "voce": r["scheda__voce__codice"],
            "voce_nome": r["scheda__voce__nome"],
            "area_intervento": r["scheda__voce__area_intervento__codice"],
            "area_intervento_nome": r["scheda__voce__area_intervento__nome"],
            "fonte": r["fonte__codice"],
            "anno": r["anno"],
            "importo": r["importo"].quantize(CENT),
        }
        for r in righe
    ]


def registra() -> None:
    from pianizona import registry

    registry.registra_api("catalogo", CatalogoViewSet, "catalogo")
    registry.registra_api("schede", SchedaViewSet, "scheda")
    registry.registra_dataset_aperto(
        "allocazioni-voci",
        "Allocazioni per voce del catalogo e area FNPS",
        "Gli importi programmati nei piani di zona approvati del ciclo, sommati per ambito, "
        "sezione, voce del catalogo regionale, area di intervento FNPS, fondo e anno.",
        dataset_allocazioni,
        colonne=COLONNE_ALLOCAZIONI,
        ordine=20,
    )
