"""The budget per fund × year through the API and as open data: many plans in six queries."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pianizona.api.base import VistaApi, piani_visibili
from pianizona.api.viste import FiltriPiano
from pianizona.models import Ciclo, FonteFinanziamento, Piano

from .models import Assegnazione, Cofinanziamento, ResiduoEconomia, RisorsaAggiuntiva
from .selectors import CODICE_COFINANZIAMENTO, anni_del_piano

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
COMPONENTI = ("trasferimenti", "residui", "altre_risorse", "cofinanziamento")


def budget_dei_piani(piani: list[Piano]) -> dict[int, list[dict]]:
    """{plan pk: rows (fund, year, each component and the total)}, as ``budget_del_piano`` sums them.

    Plans need ``ciclo`` loaded. Six queries whatever the number of plans.
    """
    if not piani:
        return {}
    anni = {p.pk: set(anni_del_piano(p)) for p in piani}
    celle: dict[int, dict[tuple[int, int], dict[str, Decimal]]] = defaultdict(dict)

    def aggiungi(piano_id: int, fonte_id: int, anno: int, componente: str, importo) -> None:
        if anno not in anni[piano_id]:
            return
        cella = celle[piano_id].setdefault((fonte_id, anno), dict.fromkeys(COMPONENTI, ZERO))
        cella[componente] += importo

    per_ambito_ciclo: dict[tuple[int, int], list[int]] = defaultdict(list)
    for p in piani:
        per_ambito_ciclo[(p.ambito_id, p.ciclo_id)].append(p.pk)
    ids = [p.pk for p in piani]
    trasferimenti = (
        Assegnazione.objects.filter(
            ambito_id__in={p.ambito_id for p in piani}, ciclo_id__in={p.ciclo_id for p in piani}
        )
        .values_list("ambito_id", "ciclo_id", "fonte_id", "anno")
        .annotate(totale=Sum("importo"))
        .order_by()
    )
    for ambito_id, ciclo_id, fonte_id, anno, totale in trasferimenti:
        for piano_id in per_ambito_ciclo.get((ambito_id, ciclo_id), []):
            aggiungi(piano_id, fonte_id, anno, "trasferimenti", totale)
    for modello, campo_anno, componente in (
        (ResiduoEconomia, "anno_impiego", "residui"),
        (RisorsaAggiuntiva, "anno", "altre_risorse"),
    ):
        righe = (
            modello.objects.filter(piano_id__in=ids)
            .values_list("piano_id", "fonte_id", campo_anno)
            .annotate(totale=Sum("importo"))
            .order_by()
        )
        for piano_id, fonte_id, anno, totale in righe:
            aggiungi(piano_id, fonte_id, anno, componente, totale)
    fonti = {f.pk: f for f in FonteFinanziamento.objects.all()}
    comuni = next((f for f in fonti.values() if f.codice == CODICE_COFINANZIAMENTO), None)
    if comuni is not None:  # as on the budget page: counted once the municipalities' fund exists
        righe = (
            Cofinanziamento.objects.filter(piano_id__in=ids)
            .values_list("piano_id", "anno")
            .annotate(totale=Sum("importo"))
            .order_by()
        )
        for piano_id, anno, totale in righe:
            aggiungi(piano_id, comuni.pk, anno, "cofinanziamento", totale)

    risultato: dict[int, list[dict]] = {}
    for piano_id in ids:
        voci = []
        for (fonte_id, anno), importi in celle[piano_id].items():
            fonte = fonti[fonte_id]
            riga = {k: v.quantize(CENT) for k, v in importi.items()}
            voci.append(
                {
                    "fonte": fonte.codice,
                    "fonte_nome": fonte.nome,
                    "livello": fonte.livello,
                    "anno": anno,
                    **riga,
                    "importo": sum(riga.values(), ZERO),
                    "_ordine": (fonte.ordine, fonte.codice, anno),
                }
            )
        voci.sort(key=lambda v: v.pop("_ordine"))
        risultato[piano_id] = voci
    return risultato


def _euro(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


class RigaBudgetSerializer(serializers.Serializer):
    fonte = serializers.CharField(help_text="Codice del fondo (FNPS, FNA, …).")
    fonte_nome = serializers.CharField()
    livello = serializers.ChoiceField(choices=FonteFinanziamento.Livello.choices)
    anno = serializers.IntegerField()
    trasferimenti = _euro()
    residui = _euro()
    altre_risorse = _euro()
    cofinanziamento = _euro()
    importo = _euro(help_text="Totale del fondo nell'anno.")


class BudgetListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        piani = list(data.all() if hasattr(data, "all") else data)
        self.child.context["budget"] = budget_dei_piani(piani)
        return super().to_representation(piani)


class BudgetPianoSerializer(serializers.ModelSerializer):
    piano = serializers.IntegerField(source="pk", read_only=True)
    ambito_codice = serializers.CharField(source="ambito.codice", read_only=True)
    righe = serializers.SerializerMethodField()
    totale = serializers.SerializerMethodField()

    class Meta:
        model = Piano
        fields = [
            "piano",
            "ambito",
            "ambito_codice",
            "ciclo",
            "tipo",
            "anno",
            "stato",
            "righe",
            "totale",
        ]
        list_serializer_class = BudgetListSerializer

    def _righe(self, piano: Piano) -> list[dict]:
        budget = self.context.get("budget")
        if budget is None or piano.pk not in budget:
            budget = budget_dei_piani([piano])
        righe = budget[piano.pk]
        anno = self.context.get("anno")
        return [r for r in righe if r["anno"] == anno] if anno else righe

    @extend_schema_field(RigaBudgetSerializer(many=True))
    def get_righe(self, piano: Piano) -> list[dict]:
        return RigaBudgetSerializer(self._righe(piano), many=True).data

    @extend_schema_field(_euro())
    def get_totale(self, piano: Piano) -> str:
        return str(sum((r["importo"] for r in self._righe(piano)), ZERO))


class BudgetViewSet(VistaApi):
    """Il budget di ogni piano per fondo × anno: trasferimenti, residui, altre risorse, cofinanziamento.

    Con ``anno`` restano i piani che coprono l'anno, e di ciascuno le sole righe di quell'anno.
    """

    serializer_class = BudgetPianoSerializer
    filterset_class = FiltriPiano

    def get_queryset(self):
        return (
            piani_visibili(self.request.user)
            .select_related("ambito", "ciclo")
            .order_by("ciclo_id", "ambito__codice", "tipo", "anno", "pk")
        )

    def get_serializer_context(self):
        contesto = super().get_serializer_context()
        anno = self.request.query_params.get("anno")
        contesto["anno"] = int(anno) if anno and anno.isdigit() else None
        return contesto


COLONNE_BUDGET = (
    ("ambito_codice", "Codice dell'ambito territoriale"),
    ("ambito", "Nome dell'ambito territoriale"),
    ("piano", "Identificativo del piano approvato"),
    ("tipo_piano", "triennale o attuativo (annuale)"),
    ("fonte", "Codice del fondo"),
    ("fonte_nome", "Nome del fondo"),
    ("livello", "Livello del fondo (statale, regionale, comunale, sanitaria, europea, …)"),
    ("anno", "Anno"),
    ("trasferimenti", "Trasferimenti della Regione (euro)"),
    ("residui", "Residui ed economie riprogrammati (euro)"),
    ("altre_risorse", "Altre risorse dell'ambito (euro)"),
    ("cofinanziamento", "Cofinanziamento dei comuni, totale dell'ambito (euro)"),
    ("importo", "Totale del fondo nell'anno (euro)"),
)


def dataset_budget(ciclo: Ciclo) -> list[dict]:
    """The budget of the cycle's approved plans, per ambito × fund × year."""
    piani = list(
        Piano.objects.filter(ciclo=ciclo, stato=Piano.Stato.APPROVATO)
        .select_related("ambito", "ciclo")
        .order_by("ambito__codice", "tipo", "anno")
    )
    budget = budget_dei_piani(piani)
    return [
        {
            "ambito_codice": p.ambito.codice,
            "ambito": p.ambito.nome,
            "piano": p.pk,
            "tipo_piano": p.tipo,
            **riga,
        }
        for p in piani
        for riga in budget[p.pk]
    ]


def registra() -> None:
    from pianizona import registry

    registry.registra_api("budget", BudgetViewSet, "budget")
    registry.registra_dataset_aperto(
        "budget-fondi",
        "Budget dei piani per fondo e anno",
        "Le risorse di ogni piano di zona approvato del ciclo, per fondo e anno: trasferimenti "
        "regionali, residui ed economie, altre risorse e cofinanziamento comunale (totale "
        "dell'ambito).",
        dataset_budget,
        colonne=COLONNE_BUDGET,
        ordine=10,
    )
