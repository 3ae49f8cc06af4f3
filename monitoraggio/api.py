"""Fund declarations and indicator values through the API, and the monitoring totals as open data."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

import django_filters
from django.db.models import Max, Q, Sum
from rest_framework import serializers

from pianizona.accessi.tenancy import scope_queryset
from pianizona.api.base import VistaApi, regioni_visibili, vede_bozze
from pianizona.api.filtri import FiltroAnno, FiltroCodice, FiltroId
from pianizona.models import Ambito, Ciclo, FonteFinanziamento

from .models import (
    Dichiarazione,
    Indicatore,
    Rendicontazione,
    TransizioneRendicontazione,
    ValoreIndicatore,
)
from .programmato import programmato_per_linea, ultime_dichiarazioni

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class DichiarazioneSerializer(serializers.ModelSerializer):
    ambito = serializers.IntegerField(source="rendicontazione.ambito_id")
    ciclo = serializers.IntegerField(source="rendicontazione.ciclo_id")
    anno = serializers.IntegerField(source="rendicontazione.anno")
    stato_rendicontazione = serializers.ChoiceField(
        source="rendicontazione.stato", choices=Rendicontazione.Stato.choices
    )
    fonte = serializers.CharField(source="fonte.codice")
    obiettivo_servizio = serializers.CharField(source="obiettivo_servizio.codice")
    area_intervento = serializers.IntegerField(source="area_intervento.codice")

    class Meta:
        model = Dichiarazione
        fields = [
            "id",
            "rendicontazione",
            "stato_rendicontazione",
            "ambito",
            "ciclo",
            "anno",
            "fonte",
            "obiettivo_servizio",
            "area_intervento",
            "data",
            "impegnato",
            "liquidato",
            "rettifica",
            "dichiarata_il",
        ]


class FiltriDichiarazione(django_filters.FilterSet):
    ciclo = FiltroId(field_name="rendicontazione__ciclo_id")
    ambito = FiltroId(field_name="rendicontazione__ambito_id")
    anno = FiltroAnno(field_name="rendicontazione__anno")
    stato = django_filters.ChoiceFilter(
        field_name="rendicontazione__stato", choices=Rendicontazione.Stato.choices
    )
    fonte = FiltroCodice(field_name="fonte__codice")

    class Meta:
        model = Dichiarazione
        fields = []


class DichiarazioneViewSet(VistaApi):
    """Impegnato e liquidato di ogni linea (fondo × obiettivo di servizio × area), all'ultima
    dichiarazione; le chiavi API vedono solo le rendicontazioni accettate dalla Regione."""

    serializer_class = DichiarazioneSerializer
    filterset_class = FiltriDichiarazione

    def get_queryset(self):
        user = self.request.user
        dichiarazioni = scope_queryset(ultime_dichiarazioni(), user, "rendicontazione__ambito")
        if not vede_bozze(user):
            dichiarazioni = dichiarazioni.filter(
                rendicontazione__stato=Rendicontazione.Stato.ACCETTATA
            )
        return dichiarazioni.select_related(
            "rendicontazione", "fonte", "obiettivo_servizio", "area_intervento"
        ).order_by(
            "rendicontazione__ambito_id",
            "rendicontazione__anno",
            "fonte__ordine",
            "obiettivo_servizio__codice",
            "area_intervento__codice",
            "pk",
        )


class ValoreIndicatoreSerializer(serializers.ModelSerializer):
    indicatore = serializers.CharField(source="indicatore.codice")
    indicatore_nome = serializers.CharField(source="indicatore.nome")
    livello = serializers.ChoiceField(
        source="indicatore.livello", choices=Indicatore.Livello.choices
    )
    unita = serializers.ChoiceField(source="indicatore.unita", choices=Indicatore.Unita.choices)
    direzione = serializers.ChoiceField(
        source="indicatore.direzione", choices=Indicatore.Direzione.choices
    )
    target = serializers.DecimalField(
        source="indicatore.target", max_digits=18, decimal_places=4, allow_null=True
    )
    regione = serializers.IntegerField(source="indicatore.regione_id")

    class Meta:
        model = ValoreIndicatore
        fields = [
            "id",
            "indicatore",
            "indicatore_nome",
            "livello",
            "unita",
            "direzione",
            "target",
            "regione",
            "ambito",
            "anno",
            "valore",
            "aggiornato_il",
        ]


class FiltriValore(django_filters.FilterSet):
    ambito = FiltroId(field_name="ambito_id")
    regione = FiltroId(field_name="indicatore__regione_id")
    anno = FiltroAnno()
    indicatore = FiltroCodice(field_name="indicatore__codice")
    livello = django_filters.ChoiceFilter(
        field_name="indicatore__livello", choices=Indicatore.Livello.choices
    )

    class Meta:
        model = ValoreIndicatore
        fields = []


class ValoreIndicatoreViewSet(VistaApi):
    """I valori degli indicatori per ambito e anno, e quelli regionali (ambito nullo)."""

    serializer_class = ValoreIndicatoreSerializer
    filterset_class = FiltriValore

    def get_queryset(self):
        user = self.request.user
        di_ambito = scope_queryset(ValoreIndicatore.objects.all(), user, "ambito").filter(
            ambito__isnull=False
        )
        regionali = Q(
            ambito__isnull=True, indicatore__regione__in=regioni_visibili(user).values("pk")
        )
        return (
            ValoreIndicatore.objects.filter(Q(pk__in=di_ambito.values("pk")) | regionali)
            .filter(indicatore__attivo=True)
            .select_related("indicatore")
            .order_by(
                "indicatore__regione_id",
                "indicatore__ordine",
                "indicatore__codice",
                "ambito_id",
                "anno",
                "pk",
            )
        )


COLONNE_MONITORAGGIO = (
    ("ambito_codice", "Codice dell'ambito territoriale"),
    ("ambito", "Nome dell'ambito territoriale"),
    ("fonte", "Codice del fondo"),
    ("anno", "Anno delle risorse"),
    ("programmato", "Programmato nel piano approvato di riferimento (euro)"),
    ("impegnato", "Impegnato all'ultima dichiarazione (euro)"),
    ("liquidato", "Liquidato all'ultima dichiarazione (euro)"),
)


def dataset_monitoraggio(ciclo: Ciclo) -> list[dict]:
    """Per ambito × fund × year of the cycle: programmed (approved plans), committed and paid
    (latest declarations of the reports the Region accepted)."""
    ambiti = {a.pk: a for a in Ambito.objects.filter(regione_id=ciclo.regione_id)}
    celle: dict[tuple[int, int, int], dict[str, Decimal]] = defaultdict(
        lambda: {"programmato": ZERO, "impegnato": ZERO, "liquidato": ZERO}
    )
    for linea, importo in programmato_per_linea(ambiti, ciclo.anni).items():
        celle[(linea.ambito_id, linea.fonte_id, linea.anno)]["programmato"] += importo
    dichiarato = (
        ultime_dichiarazioni(
            Q(
                rendicontazione__ciclo=ciclo,
                rendicontazione__stato=Rendicontazione.Stato.ACCETTATA,
            )
        )
        .values_list("rendicontazione__ambito_id", "fonte_id", "rendicontazione__anno")
        .annotate(impegnato=Sum("impegnato"), liquidato=Sum("liquidato"))
        .order_by()
    )
    for ambito_id, fonte_id, anno, impegnato, liquidato in dichiarato:
        cella = celle[(ambito_id, fonte_id, anno)]
        cella["impegnato"] += impegnato
        cella["liquidato"] += liquidato
    fonti = {f.pk: f for f in FonteFinanziamento.objects.filter(pk__in={k[1] for k in celle})}
    righe = [
        {
            "ambito_codice": ambiti[ambito_id].codice,
            "ambito": ambiti[ambito_id].nome,
            "fonte": fonti[fonte_id].codice,
            "anno": anno,
            **{k: v.quantize(CENT) for k, v in importi.items()},
        }
        for (ambito_id, fonte_id, anno), importi in celle.items()
        if ambito_id in ambiti
    ]
    ordine = {f.codice: (f.ordine, f.codice) for f in fonti.values()}
    return sorted(righe, key=lambda r: (r["ambito_codice"], ordine[r["fonte"]], r["anno"]))


def monitoraggio_modificato(ciclo: Ciclo) -> datetime | None:
    """The latest acceptance of a report of the cycle."""
    return TransizioneRendicontazione.objects.filter(
        rendicontazione__ciclo=ciclo, azione=TransizioneRendicontazione.Azione.ACCETTAZIONE
    ).aggregate(ultima=Max("eseguita_il"))["ultima"]


def registra() -> None:
    from pianizona import registry

    registry.registra_api("dichiarazioni", DichiarazioneViewSet, "dichiarazione")
    registry.registra_api("valori-indicatori", ValoreIndicatoreViewSet, "valore-indicatore")
    registry.registra_dataset_aperto(
        "monitoraggio-fondi",
        "Monitoraggio della spesa per fondo e anno",
        "Per ogni ambito, fondo e anno del ciclo: il programmato nei piani approvati, "
        "l'impegnato e il liquidato dichiarati nelle rendicontazioni accettate dalla Regione.",
        dataset_monitoraggio,
        colonne=COLONNE_MONITORAGGIO,
        ordine=30,
        modificato=monitoraggio_modificato,
    )
