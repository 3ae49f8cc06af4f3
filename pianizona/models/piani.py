from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class Ciclo(models.Model):
    """A programming cycle of a region, e.g. the triennium 2025–2027."""

    class Tipo(models.TextChoices):
        TRIENNALE = "triennale", "Triennale"
        ANNUALE = "annuale", "Annuale"

    regione = models.ForeignKey("pianizona.Regione", on_delete=models.PROTECT, related_name="cicli")
    nome = models.CharField(max_length=150)
    anno_inizio = models.PositiveSmallIntegerField("primo anno")
    anno_fine = models.PositiveSmallIntegerField("ultimo anno")
    tipo = models.CharField(max_length=20, choices=Tipo.choices, default=Tipo.TRIENNALE)
    # Set when the Region closes the cycle: its plans are read-only from then on.
    chiuso_il = models.DateTimeField("chiuso il", null=True, blank=True)

    class Meta:
        verbose_name = "ciclo di programmazione"
        verbose_name_plural = "cicli di programmazione"
        ordering = ["regione", "-anno_inizio"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anno_fine__gte=models.F("anno_inizio")),
                name="ciclo_anni_ordinati",
                violation_error_message="L'ultimo anno non può precedere il primo.",
            ),
            models.UniqueConstraint(
                fields=["regione", "anno_inizio", "anno_fine"], name="ciclo_unico_per_periodo"
            ),
        ]

    def __str__(self) -> str:
        return self.nome

    @property
    def anni(self) -> list[int]:
        return list(range(self.anno_inizio, self.anno_fine + 1))

    @property
    def periodo(self) -> str:
        if self.anno_inizio == self.anno_fine:
            return str(self.anno_inizio)
        return f"{self.anno_inizio}–{self.anno_fine}"

    @property
    def chiuso(self) -> bool:
        return self.chiuso_il is not None

    @property
    def tipo_piano(self) -> str:
        """The plan every ambito gets when the cycle opens: triennial, or the year's annual plan."""
        return Piano.Tipo.ATTUATIVO if self.tipo == self.Tipo.ANNUALE else Piano.Tipo.TRIENNALE

    def clean(self) -> None:
        if self.anno_inizio and self.anno_fine and self.anno_fine < self.anno_inizio:
            raise ValidationError({"anno_fine": "L'ultimo anno non può precedere il primo."})


class Piano(models.Model):
    """A plan of one ambito in one cycle: the aggregate every phase app hangs from."""

    class Tipo(models.TextChoices):
        TRIENNALE = "triennale", "Piano triennale"
        ATTUATIVO = "attuativo", "Piano attuativo annuale"

    class Stato(models.TextChoices):
        BOZZA = "bozza", "Bozza"
        INVIATO = "inviato", "Inviato"
        IN_ISTRUTTORIA = "in_istruttoria", "In istruttoria"
        RICHIESTA_INTEGRAZIONI = "richiesta_integrazioni", "Richiesta integrazioni"
        APPROVATO = "approvato", "Approvato"

    STATI_MODIFICABILI = (Stato.BOZZA, Stato.RICHIESTA_INTEGRAZIONI)

    ambito = models.ForeignKey("pianizona.Ambito", on_delete=models.PROTECT, related_name="piani")
    ciclo = models.ForeignKey(Ciclo, on_delete=models.PROTECT, related_name="piani")
    tipo = models.CharField(max_length=20, choices=Tipo.choices, default=Tipo.TRIENNALE)
    anno = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Solo per il piano attuativo annuale."
    )
    stato = models.CharField(max_length=30, choices=Stato.choices, default=Stato.BOZZA)
    creato_il = models.DateTimeField(auto_now_add=True)
    aggiornato_il = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "piano di zona"
        verbose_name_plural = "piani di zona"
        ordering = ["ambito", "ciclo", "tipo", "anno"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(tipo="triennale", anno__isnull=True) | Q(tipo="attuativo", anno__isnull=False)
                ),
                name="piano_anno_solo_se_attuativo",
                violation_error_message="Solo il piano attuativo ha un anno di riferimento, e deve averlo.",
            ),
            models.UniqueConstraint(
                fields=["ambito", "ciclo"],
                condition=Q(tipo="triennale"),
                name="piano_un_triennale_per_ciclo",
                violation_error_message="L'ambito ha già un piano triennale in questo ciclo.",
            ),
            models.UniqueConstraint(
                fields=["ambito", "ciclo", "anno"],
                condition=Q(tipo="attuativo"),
                name="piano_un_attuativo_per_anno",
                violation_error_message="L'ambito ha già un piano attuativo per questo anno.",
            ),
        ]
        indexes = [models.Index(fields=["ciclo", "stato"])]

    def __str__(self) -> str:
        return f"{self.titolo} – {self.ambito}"

    @property
    def periodo(self) -> str:
        """The years the plan programmes: an annual plan its own, not its cycle's."""
        return str(self.anno) if self.anno else self.ciclo.periodo

    @property
    def titolo(self) -> str:
        if self.tipo == self.Tipo.ATTUATIVO:
            return f"Piano attuativo {self.anno}"
        return f"Piano triennale {self.periodo}"

    @property
    def modificabile(self) -> bool:
        return self.stato in self.STATI_MODIFICABILI and not self.ciclo.chiuso

    @property
    def motivo_sola_lettura(self) -> str:
        """Why the plan cannot be changed, in Italian; empty when it can."""
        if self.ciclo.chiuso:
            return (
                f"Il ciclo «{self.ciclo.nome}» è chiuso: i suoi piani sono in sola lettura, "
                "non si possono più modificare né inviare."
            )
        if self.stato not in self.STATI_MODIFICABILI:
            return (
                f"Il piano è «{self.get_stato_display().lower()}»: si può modificare solo in "
                "bozza o quando la Regione chiede integrazioni."
            )
        return ""

    def clean(self) -> None:
        if self.ambito_id and self.ciclo_id and self.ambito.regione_id != self.ciclo.regione_id:
            # Else the district would plan against another Region's catalogue and funds.
            raise ValidationError(
                {
                    "ciclo": f"Il ciclo «{self.ciclo}» è della regione {self.ciclo.regione}, "
                    f"l'ambito {self.ambito.codice} ({self.ambito.nome}) della regione "
                    f"{self.ambito.regione}: un piano sta solo in un ciclo della regione del suo "
                    "ambito."
                }
            )
        if self.tipo == self.Tipo.TRIENNALE and self.anno is not None:
            raise ValidationError({"anno": "Il piano triennale non ha un anno di riferimento."})
        if self.tipo == self.Tipo.ATTUATIVO:
            if self.anno is None:
                raise ValidationError({"anno": "Indicare l'anno del piano attuativo."})
            if self.ciclo_id and self.anno not in self.ciclo.anni:
                raise ValidationError(
                    {"anno": f"L'anno deve cadere nel ciclo {self.ciclo.periodo}."}
                )
