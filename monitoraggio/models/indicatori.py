"""Indicators: the region's catalogue, values per ambito (or for the region) and year, their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Indicatore(models.Model):
    """One indicator of a region's catalogue, either computed from the data or entered by hand."""

    class Livello(models.TextChoices):
        AMBITO = "ambito", "Di ambito"
        REGIONALE = "regionale", "Regionale"

    class Unita(models.TextChoices):
        EURO = "euro", "€"
        EURO_ABITANTE = "euro_abitante", "€ per abitante"
        PERCENTUALE = "percentuale", "%"
        NUMERO = "numero", "numero"
        NUMERO_DIECIMILA = "numero_10000", "per 10.000 abitanti"

    class Direzione(models.TextChoices):
        CRESCENTE = "crescente", "Più alto è meglio"
        DECRESCENTE = "decrescente", "Più basso è meglio"

    class Tipo(models.TextChoices):
        CALCOLATO = "calcolato", "Calcolato"
        INSERITO = "inserito", "Inserito dall'ambito"

    regione = models.ForeignKey(
        "pianizona.Regione", on_delete=models.CASCADE, related_name="indicatori"
    )
    codice = models.CharField(max_length=30)
    nome = models.CharField(max_length=250)
    descrizione = models.TextField(blank=True)
    livello = models.CharField(max_length=20, choices=Livello.choices, default=Livello.AMBITO)
    unita = models.CharField("unità di misura", max_length=20, choices=Unita.choices)
    direzione = models.CharField(max_length=20, choices=Direzione.choices)
    target = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    tipo = models.CharField(max_length=20, choices=Tipo.choices)
    formula = models.CharField(
        max_length=60,
        blank=True,
        help_text="Per gli indicatori calcolati: il nome di una formula registrata in monitoraggio.",
    )
    area_utenza = models.ForeignKey(
        "pianizona.AreaUtenzaIstat",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Per le formule per area di utenza.",
    )
    ordine = models.PositiveSmallIntegerField(default=0)
    attivo = models.BooleanField(default=True)

    class Meta:
        verbose_name = "indicatore"
        verbose_name_plural = "indicatori"
        ordering = ["regione", "ordine", "codice"]
        constraints = [
            models.UniqueConstraint(
                fields=["regione", "codice"],
                name="indicatore_codice_unico_nella_regione",
                violation_error_message="Esiste già un indicatore con questo codice.",
            ),
            models.CheckConstraint(
                condition=Q(tipo="inserito", formula="") | (Q(tipo="calcolato") & ~Q(formula="")),
                name="indicatore_formula_solo_se_calcolato",
                violation_error_message="Solo un indicatore calcolato ha una formula, e deve averla.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.codice} {self.nome}"


class ValoreIndicatore(models.Model):
    """The current value of an indicator for an ambito (None: the whole region) and year."""

    indicatore = models.ForeignKey(Indicatore, on_delete=models.CASCADE, related_name="valori")
    ambito = models.ForeignKey(
        "pianizona.Ambito", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    anno = models.PositiveSmallIntegerField()
    valore = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    nota = models.TextField(blank=True)
    aggiornato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aggiornato_il = models.DateTimeField()

    class Meta:
        verbose_name = "valore di un indicatore"
        verbose_name_plural = "valori degli indicatori"
        ordering = ["indicatore", "ambito", "anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicatore", "ambito", "anno"],
                condition=Q(ambito__isnull=False),
                name="valore_unico_per_ambito_e_anno",
            ),
            models.UniqueConstraint(
                fields=["indicatore", "anno"],
                condition=Q(ambito__isnull=True),
                name="valore_regionale_unico_per_anno",
            ),
        ]
        indexes = [models.Index(fields=["ambito", "anno"])]

    def __str__(self) -> str:
        return f"{self.indicatore.codice} {self.anno}: {self.valore}"


class StoricoValoreIndicatore(models.Model):
    """Every value an indicator took, kept when it changes: by a recalculation or by hand."""

    class Origine(models.TextChoices):
        CALCOLO = "calcolo", "Ricalcolo"
        INSERIMENTO = "inserimento", "Inserimento manuale"

    indicatore = models.ForeignKey(Indicatore, on_delete=models.CASCADE, related_name="storico")
    ambito = models.ForeignKey(
        "pianizona.Ambito", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    anno = models.PositiveSmallIntegerField()
    valore = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    origine = models.CharField(max_length=20, choices=Origine.choices)
    nota = models.TextField(blank=True)
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    job = models.ForeignKey(
        "pianizona.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registrato_il = models.DateTimeField()

    class Meta:
        verbose_name = "valore storico di un indicatore"
        verbose_name_plural = "storico dei valori degli indicatori"
        ordering = ["indicatore", "ambito", "anno", "-registrato_il"]
        indexes = [models.Index(fields=["indicatore", "ambito", "anno", "-registrato_il"])]

    def __str__(self) -> str:
        return (
            f"{self.indicatore.codice} {self.anno}: {self.valore} ({self.registrato_il:%d/%m/%Y})"
        )
