"""The preliminary phase: what a district has before allocating anything.

The Region configures each cycle (active funds, co-financing rule, earmarks) and transfers money to
the ambiti (``Assegnazione``); the district acknowledges it, adds residui/economie, municipal
co-financing and other resources. The budget is derived from these, never stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from pianizona.models import AreaInterventoFnps, FonteFinanziamento
from pianizona.money import money_field


class FonteCiclo(models.Model):
    """A fund source active in a cycle, and the plan section where it counts."""

    ciclo = models.ForeignKey("pianizona.Ciclo", on_delete=models.CASCADE, related_name="fonti")
    fonte = models.ForeignKey(FonteFinanziamento, on_delete=models.PROTECT, related_name="+")
    sezione = models.CharField(max_length=20, choices=FonteFinanziamento.Sezione.choices)

    class Meta:
        verbose_name = "fonte attiva nel ciclo"
        verbose_name_plural = "fonti attive nel ciclo"
        ordering = ["ciclo", "fonte__ordine"]
        constraints = [
            models.UniqueConstraint(
                fields=["ciclo", "fonte"],
                name="fonte_ciclo_unica",
                violation_error_message="La fonte è già attiva in questo ciclo.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fonte} ({self.get_sezione_display()})"


class RegolaCiclo(models.Model):
    """Rules the Region sets for a cycle: for now the minimum municipal co-financing."""

    ciclo = models.OneToOneField("pianizona.Ciclo", on_delete=models.CASCADE, related_name="regola")
    cofinanziamento_minimo = money_field(
        "cofinanziamento minimo per abitante",
        help_text="Euro per abitante per anno che ogni comune deve almeno cofinanziare.",
        default=0,
    )

    class Meta:
        verbose_name = "regola del ciclo"
        verbose_name_plural = "regole del ciclo"

    def __str__(self) -> str:
        return f"Regole {self.ciclo}"


class Vincolo(models.Model):
    """An earmark: at least ``percentuale_minima`` of a fund goes to an FNPS intervention area."""

    ciclo = models.ForeignKey("pianizona.Ciclo", on_delete=models.CASCADE, related_name="vincoli")
    fonte = models.ForeignKey(FonteFinanziamento, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        AreaInterventoFnps, on_delete=models.PROTECT, related_name="+", verbose_name="area FNPS"
    )
    percentuale_minima = models.DecimalField("percentuale minima", max_digits=5, decimal_places=2)
    descrizione = models.CharField(max_length=250, blank=True)

    class Meta:
        verbose_name = "vincolo di destinazione"
        verbose_name_plural = "vincoli di destinazione"
        ordering = ["ciclo", "fonte__ordine", "area__codice"]
        constraints = [
            models.UniqueConstraint(
                fields=["ciclo", "fonte", "area"],
                name="vincolo_unico",
                violation_error_message="Esiste già un vincolo per questa fonte e quest'area.",
            ),
            models.CheckConstraint(
                condition=Q(percentuale_minima__gt=0, percentuale_minima__lte=100),
                name="vincolo_percentuale_valida",
                violation_error_message="La percentuale deve essere tra 0 e 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fonte.codice}: almeno {self.percentuale_minima}% a {self.area}"


class CriterioRiparto(models.Model):
    """A per-ambito quantity the Region loads to weigh a distribution (e.g. residents under 18)."""

    regione = models.ForeignKey("pianizona.Regione", on_delete=models.CASCADE, related_name="+")
    codice = models.SlugField(max_length=30)
    nome = models.CharField(max_length=150)
    fonte_dato = models.CharField("fonte del dato", max_length=250, blank=True)

    class Meta:
        verbose_name = "criterio di riparto"
        verbose_name_plural = "criteri di riparto"
        ordering = ["regione", "nome"]
        constraints = [
            models.UniqueConstraint(
                fields=["regione", "codice"],
                name="criterio_codice_unico",
                violation_error_message="Esiste già un criterio con questo codice.",
            )
        ]

    def __str__(self) -> str:
        return self.nome


class ValoreCriterio(models.Model):
    criterio = models.ForeignKey(CriterioRiparto, on_delete=models.CASCADE, related_name="valori")
    ambito = models.ForeignKey("pianizona.Ambito", on_delete=models.CASCADE, related_name="+")
    valore = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "valore del criterio"
        verbose_name_plural = "valori del criterio"
        constraints = [
            models.UniqueConstraint(fields=["criterio", "ambito"], name="valore_criterio_unico"),
            models.CheckConstraint(condition=Q(valore__gte=0), name="valore_criterio_non_negativo"),
        ]

    def __str__(self) -> str:
        return f"{self.criterio}: {self.valore}"


class Riparto(models.Model):
    """A distribution of a fund's yearly total across the ambiti, with the criteria used."""

    ciclo = models.ForeignKey("pianizona.Ciclo", on_delete=models.PROTECT, related_name="riparti")
    fonte = models.ForeignKey(FonteFinanziamento, on_delete=models.PROTECT, related_name="+")
    anno = models.PositiveSmallIntegerField()
    totale = money_field("totale da ripartire")
    # [{"codice": "popolazione", "nome": "Popolazione residente", "peso": "70"}, ...]
    criteri = models.JSONField()
    # {"BA01": "123456.78", ...}: the amounts computed, kept even if assignments are edited later.
    risultato = models.JSONField()
    creato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    creato_il = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "riparto"
        verbose_name_plural = "riparti"
        ordering = ["-creato_il"]

    def __str__(self) -> str:
        return f"Riparto {self.fonte.codice} {self.anno}"


class Assegnazione(models.Model):
    """A transfer from the Region to an ambito, per fund and year, within a cycle."""

    ciclo = models.ForeignKey(
        "pianizona.Ciclo", on_delete=models.PROTECT, related_name="assegnazioni"
    )
    ambito = models.ForeignKey(
        "pianizona.Ambito", on_delete=models.PROTECT, related_name="assegnazioni"
    )
    fonte = models.ForeignKey(FonteFinanziamento, on_delete=models.PROTECT, related_name="+")
    anno = models.PositiveSmallIntegerField()
    importo = money_field("importo")
    riparto = models.ForeignKey(
        Riparto, on_delete=models.SET_NULL, null=True, blank=True, related_name="assegnazioni"
    )
    aggiornata_il = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "assegnazione"
        verbose_name_plural = "assegnazioni"
        ordering = ["ciclo", "ambito", "fonte__ordine", "anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["ciclo", "ambito", "fonte", "anno"],
                name="assegnazione_unica",
                violation_error_message="Esiste già un'assegnazione per questo ambito, fonte e anno.",
            ),
            models.CheckConstraint(
                condition=Q(importo__gte=0),
                name="assegnazione_non_negativa",
                violation_error_message="L'importo non può essere negativo.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ambito.codice} {self.fonte.codice} {self.anno}"


class Recepimento(models.Model):
    """The district's acknowledgement of the transfers as they stood at that moment."""

    piano = models.ForeignKey(
        "pianizona.Piano", on_delete=models.CASCADE, related_name="recepimenti"
    )
    recepito_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recepito_il = models.DateTimeField(auto_now_add=True)
    # {"FNPS-2025": "123456.78", ...}: what was acknowledged, to tell whether it still holds.
    importi = models.JSONField()

    class Meta:
        verbose_name = "recepimento"
        verbose_name_plural = "recepimenti"
        ordering = ["-recepito_il"]

    def __str__(self) -> str:
        return f"Recepimento {self.piano} del {self.recepito_il:%d/%m/%Y}"


class Segnalazione(models.Model):
    """A discrepancy the district flags on its transfers, answered by the Region."""

    piano = models.ForeignKey(
        "pianizona.Piano", on_delete=models.CASCADE, related_name="segnalazioni"
    )
    fonte = models.ForeignKey(
        FonteFinanziamento, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anno = models.PositiveSmallIntegerField(null=True, blank=True)
    nota = models.TextField()
    creata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    creata_il = models.DateTimeField(auto_now_add=True)
    risposta = models.TextField(blank=True)
    chiusa_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chiusa_il = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "segnalazione di discrepanza"
        verbose_name_plural = "segnalazioni di discrepanza"
        ordering = ["-creata_il"]

    def __str__(self) -> str:
        return f"Segnalazione {self.piano.ambito.codice} del {self.creata_il:%d/%m/%Y}"

    @property
    def aperta(self) -> bool:
        return self.chiusa_il is None


class ResiduoEconomia(models.Model):
    """Money left from earlier cycles, reprogrammed in this plan."""

    class Tipo(models.TextChoices):
        RESIDUO = "residuo", "Residuo"
        ECONOMIA = "economia", "Economia"

    class Stato(models.TextChoices):
        STIMATO = "stimato", "Stimato"
        CONFERMATO = "confermato", "Confermato"

    piano = models.ForeignKey("pianizona.Piano", on_delete=models.CASCADE, related_name="residui")
    fonte = models.ForeignKey(
        FonteFinanziamento,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="fondo di provenienza",
    )
    anno_origine = models.PositiveSmallIntegerField("anno di provenienza")
    anno_impiego = models.PositiveSmallIntegerField(
        "anno di impiego", help_text="Anno del piano in cui la somma viene riprogrammata."
    )
    tipo = models.CharField(max_length=10, choices=Tipo.choices)
    importo = money_field("importo")
    stato = models.CharField(max_length=12, choices=Stato.choices, default=Stato.STIMATO)
    nota = models.TextField(blank=True)

    class Meta:
        verbose_name = "residuo o economia"
        verbose_name_plural = "residui ed economie"
        ordering = ["piano", "fonte__ordine", "anno_origine"]
        constraints = [
            models.CheckConstraint(
                condition=Q(importo__gt=0),
                name="residuo_positivo",
                violation_error_message="L'importo deve essere maggiore di zero.",
            ),
            models.CheckConstraint(
                condition=Q(anno_origine__lt=models.F("anno_impiego")),
                name="residuo_da_anno_precedente",
                violation_error_message="L'anno di provenienza deve precedere l'anno di impiego.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.fonte.codice} {self.anno_origine}"


class Cofinanziamento(models.Model):
    """What a municipality of the ambito puts in, per year of the plan."""

    piano = models.ForeignKey(
        "pianizona.Piano", on_delete=models.CASCADE, related_name="cofinanziamenti"
    )
    comune = models.ForeignKey("pianizona.Comune", on_delete=models.PROTECT, related_name="+")
    anno = models.PositiveSmallIntegerField()
    importo = money_field("importo")

    class Meta:
        verbose_name = "cofinanziamento comunale"
        verbose_name_plural = "cofinanziamenti comunali"
        ordering = ["piano", "comune__nome", "anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "comune", "anno"], name="cofinanziamento_unico"
            ),
            models.CheckConstraint(
                condition=Q(importo__gte=0),
                name="cofinanziamento_non_negativo",
                violation_error_message="L'importo non può essere negativo.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comune} {self.anno}"


class RisorsaAggiuntiva(models.Model):
    """Resources the district itself brings in beyond the transfers (ASL share, PNRR, PON, …)."""

    piano = models.ForeignKey(
        "pianizona.Piano", on_delete=models.CASCADE, related_name="risorse_aggiuntive"
    )
    fonte = models.ForeignKey(FonteFinanziamento, on_delete=models.PROTECT, related_name="+")
    anno = models.PositiveSmallIntegerField()
    importo = money_field("importo")
    descrizione = models.CharField(max_length=250, blank=True)

    class Meta:
        verbose_name = "altra risorsa"
        verbose_name_plural = "altre risorse"
        ordering = ["piano", "fonte__ordine", "anno"]
        constraints = [
            models.CheckConstraint(
                condition=Q(importo__gt=0),
                name="risorsa_aggiuntiva_positiva",
                violation_error_message="L'importo deve essere maggiore di zero.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fonte.codice} {self.anno}"
