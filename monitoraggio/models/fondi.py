"""Fund monitoring: what an ambito committed and paid of each fund and year, declared over time."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from pianizona.models import AreaInterventoFnps, FonteFinanziamento, ObiettivoServizio
from pianizona.money import money_field


class Rendicontazione(models.Model):
    """An ambito's yearly report on the funds of one year, submitted to the Region."""

    class Stato(models.TextChoices):
        BOZZA = "bozza", "In compilazione"
        INVIATA = "inviata", "Inviata alla Regione"
        RESTITUITA = "restituita", "Restituita per integrazioni"
        ACCETTATA = "accettata", "Accettata"

    STATI_MODIFICABILI = (Stato.BOZZA, Stato.RESTITUITA)
    # What the Region has received: the figures the 75% rule and the indicators count.
    STATI_RENDICONTATI = (Stato.INVIATA, Stato.ACCETTATA)

    ambito = models.ForeignKey(
        "pianizona.Ambito", on_delete=models.PROTECT, related_name="rendicontazioni"
    )
    ciclo = models.ForeignKey(
        "pianizona.Ciclo", on_delete=models.PROTECT, related_name="rendicontazioni"
    )
    anno = models.PositiveSmallIntegerField("anno delle risorse")
    stato = models.CharField(max_length=20, choices=Stato.choices, default=Stato.BOZZA)
    creata_il = models.DateTimeField(auto_now_add=True)
    aggiornata_il = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "rendicontazione"
        verbose_name_plural = "rendicontazioni"
        ordering = ["ambito", "-anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambito", "anno"],
                name="rendicontazione_unica_per_anno",
                violation_error_message="L'ambito ha già una rendicontazione per quest'anno.",
            )
        ]
        indexes = [models.Index(fields=["ciclo", "anno", "stato"])]

    def __str__(self) -> str:
        return f"Rendicontazione {self.anno} – {self.ambito}"

    @property
    def modificabile(self) -> bool:
        return self.stato in self.STATI_MODIFICABILI


class TransizioneRendicontazione(models.Model):
    """One move of a report (submitted, sent back, accepted): who, when, why."""

    class Azione(models.TextChoices):
        INVIO = "invio", "Invio alla Regione"
        RESTITUZIONE = "restituzione", "Restituzione per integrazioni"
        ACCETTAZIONE = "accettazione", "Accettazione"

    rendicontazione = models.ForeignKey(
        Rendicontazione, on_delete=models.CASCADE, related_name="transizioni"
    )
    azione = models.CharField(max_length=20, choices=Azione.choices)
    da_stato = models.CharField(max_length=20, choices=Rendicontazione.Stato.choices)
    a_stato = models.CharField(max_length=20, choices=Rendicontazione.Stato.choices)
    utente = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    commento = models.TextField(blank=True)
    eseguita_il = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "passaggio della rendicontazione"
        verbose_name_plural = "passaggi delle rendicontazioni"
        ordering = ["rendicontazione", "eseguita_il", "pk"]

    def __str__(self) -> str:
        return f"{self.get_azione_display()} – {self.eseguita_il:%d/%m/%Y %H:%M}"


class Dichiarazione(models.Model):
    """Committed and paid amounts of one line (fund × service objective × area), cumulative at a date.

    Append-only: the line's current figures are its latest declaration; the earlier ones are
    its history.
    """

    rendicontazione = models.ForeignKey(
        Rendicontazione, on_delete=models.CASCADE, related_name="dichiarazioni"
    )
    fonte = models.ForeignKey(FonteFinanziamento, on_delete=models.PROTECT, related_name="+")
    obiettivo_servizio = models.ForeignKey(
        ObiettivoServizio,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="obiettivo di servizio FNPS",
    )
    area_intervento = models.ForeignKey(
        AreaInterventoFnps,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="area di intervento FNPS",
    )
    data = models.DateField("data di riferimento")
    impegnato = money_field("impegnato")
    liquidato = money_field("liquidato")
    rettifica = models.BooleanField(
        default=False, help_text="Corregge in diminuzione una dichiarazione precedente."
    )
    motivazione_rettifica = models.TextField("motivazione della rettifica", blank=True)
    giustificazione = models.TextField(
        "giustificazione dell'eccedenza",
        blank=True,
        help_text="Obbligatoria se l'impegnato supera il programmato.",
    )
    dichiarata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dichiarata_il = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dichiarazione di spesa"
        verbose_name_plural = "dichiarazioni di spesa"
        ordering = ["rendicontazione", "fonte", "obiettivo_servizio", "area_intervento", "data"]
        constraints = [
            models.CheckConstraint(
                condition=Q(impegnato__gte=0) & Q(liquidato__gte=0),
                name="dichiarazione_importi_non_negativi",
                violation_error_message="Gli importi non possono essere negativi.",
            ),
            models.CheckConstraint(
                condition=Q(liquidato__lte=F("impegnato")),
                name="dichiarazione_liquidato_entro_impegnato",
                violation_error_message="Il liquidato non può superare l'impegnato.",
            ),
            models.CheckConstraint(
                condition=Q(rettifica=False) | ~Q(motivazione_rettifica=""),
                name="dichiarazione_rettifica_motivata",
                violation_error_message="Una rettifica deve indicare la motivazione.",
            ),
        ]
        indexes = [
            models.Index(
                fields=[
                    "rendicontazione",
                    "fonte",
                    "obiettivo_servizio",
                    "area_intervento",
                    "-data",
                ]
            )
        ]

    def __str__(self) -> str:
        return f"{self.fonte.codice} {self.obiettivo_servizio.codice} al {self.data:%d/%m/%Y}"
