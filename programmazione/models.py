"""Allocation of the budget to interventions: the Region's catalogue, the district's sheets, the narrative."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from pianizona.models import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    FonteFinanziamento,
    ObiettivoServizio,
    PrestazioneSiuss,
)
from pianizona.money import money_field


class Sezione(models.TextChoices):
    AMBITO = "ambito", "Servizi a valenza d'ambito"
    COMUNALE = "comunale", "Servizi a valenza comunale"
    ALTRE_RISORSE = "altre_risorse", "Interventi finanziati da altre risorse"


class VoceCatalogo(models.Model):
    """An intervention the Region allows in a cycle, placed on the FNPS grid."""

    ciclo = models.ForeignKey("pianizona.Ciclo", on_delete=models.CASCADE, related_name="catalogo")
    codice = models.CharField(max_length=20)
    nome = models.CharField(max_length=200)
    descrizione = models.TextField(blank=True)
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
    area_utenza = models.ForeignKey(
        AreaUtenzaIstat,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="area di utenza ISTAT",
    )
    leps = models.BooleanField(
        "LEPS", default=False, help_text="Livello essenziale delle prestazioni sociali."
    )
    in_ambito = models.BooleanField("ammessa nei servizi d'ambito", default=True)
    in_comunale = models.BooleanField("ammessa nei servizi comunali", default=True)
    in_altre_risorse = models.BooleanField(
        "ammessa negli interventi con altre risorse", default=True
    )
    prestazione_siuss = models.ForeignKey(
        PrestazioneSiuss,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="prestazione SIUSS",
    )

    class Meta:
        verbose_name = "voce del catalogo"
        verbose_name_plural = "catalogo degli interventi"
        ordering = ["ciclo", "codice"]
        constraints = [
            models.UniqueConstraint(
                fields=["ciclo", "codice"],
                name="voce_codice_unico_nel_ciclo",
                violation_error_message="Esiste già una voce con questo codice nel ciclo.",
            ),
            models.CheckConstraint(
                condition=Q(in_ambito=True) | Q(in_comunale=True) | Q(in_altre_risorse=True),
                name="voce_in_almeno_una_sezione",
                violation_error_message="La voce deve essere ammessa in almeno una sezione.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.codice} {self.nome}"

    def ammessa_in(self, sezione: str) -> bool:
        return {
            Sezione.AMBITO: self.in_ambito,
            Sezione.COMUNALE: self.in_comunale,
            Sezione.ALTRE_RISORSE: self.in_altre_risorse,
        }[sezione]


class SchedaIntervento(models.Model):
    """One intervention of a plan, with what it does and the money it gets per fund and year."""

    class Gestione(models.TextChoices):
        DIRETTA = "diretta", "Gestione diretta"
        APPALTO = "appalto", "Appalto"
        ACCREDITAMENTO = "accreditamento", "Accreditamento"
        CONVENZIONE = "convenzione", "Convenzione"
        COPROGETTAZIONE = "coprogettazione", "Co-progettazione"

    piano = models.ForeignKey("pianizona.Piano", on_delete=models.CASCADE, related_name="schede")
    sezione = models.CharField(max_length=20, choices=Sezione.choices)
    voce = models.ForeignKey(
        VoceCatalogo,
        on_delete=models.PROTECT,
        related_name="schede",
        verbose_name="voce del catalogo",
    )
    comune = models.ForeignKey(
        "pianizona.Comune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Solo per i servizi a valenza comunale.",
    )
    numero = models.PositiveIntegerField(help_text="Numero progressivo della scheda nel piano.")
    titolo = models.CharField(max_length=200)
    descrizione = models.TextField(blank=True)
    obiettivi = models.TextField(blank=True)
    aree_utenza = models.ManyToManyField(
        AreaUtenzaIstat, blank=True, related_name="+", verbose_name="aree di utenza destinatarie"
    )
    gestione = models.CharField("modalità di gestione", max_length=20, choices=Gestione.choices)
    soggetto_attuatore = models.CharField("soggetto attuatore", max_length=200, blank=True)
    risorse_strutturali = models.TextField("risorse strutturali", blank=True)
    integrazione_sociosanitaria = models.BooleanField("integrazione socio-sanitaria", default=False)
    azienda_sanitaria = models.CharField("ASL/AUSL coinvolta", max_length=200, blank=True)
    modalita_integrazione = models.TextField("modalità dell'integrazione", blank=True)
    in_continuita = models.BooleanField("in continuità con un intervento precedente", default=False)
    scheda_origine = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copie",
        help_text="La scheda da cui questa è stata copiata.",
    )
    creata_il = models.DateTimeField(auto_now_add=True)
    aggiornata_il = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "scheda intervento"
        verbose_name_plural = "schede intervento"
        ordering = ["piano", "sezione", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["piano", "numero"],
                name="scheda_numero_unico_nel_piano",
                violation_error_message="Esiste già una scheda con questo numero nel piano.",
            )
        ]

    def __str__(self) -> str:
        return f"Scheda {self.numero} – {self.titolo}"

    @property
    def codice(self) -> str:
        """How the sheet is named in spreadsheets and messages: S-1, S-2, …"""
        return f"S-{self.numero}"


class FiguraProfessionale(models.Model):
    """Human resources of a sheet: a professional profile and its full-time equivalents."""

    scheda = models.ForeignKey(SchedaIntervento, on_delete=models.CASCADE, related_name="figure")
    profilo = models.CharField("profilo professionale", max_length=120)
    fte = models.DecimalField("unità equivalenti a tempo pieno", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "figura professionale"
        verbose_name_plural = "figure professionali"
        ordering = ["scheda", "profilo"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0),
                name="figura_fte_positivo",
                violation_error_message="Le unità a tempo pieno devono essere maggiori di zero.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.profilo} ({self.fte} FTE)"


class BeneficiariPrevisti(models.Model):
    scheda = models.ForeignKey(
        SchedaIntervento, on_delete=models.CASCADE, related_name="beneficiari"
    )
    anno = models.PositiveSmallIntegerField()
    numero = models.PositiveIntegerField("beneficiari previsti")

    class Meta:
        verbose_name = "beneficiari previsti"
        verbose_name_plural = "beneficiari previsti"
        ordering = ["scheda", "anno"]
        constraints = [
            models.UniqueConstraint(fields=["scheda", "anno"], name="beneficiari_unici_per_anno")
        ]

    def __str__(self) -> str:
        return f"{self.anno}: {self.numero}"


class Allocazione(models.Model):
    """Money of one fund in one year given to a sheet."""

    scheda = models.ForeignKey(
        SchedaIntervento, on_delete=models.CASCADE, related_name="allocazioni"
    )
    fonte = models.ForeignKey(FonteFinanziamento, on_delete=models.PROTECT, related_name="+")
    anno = models.PositiveSmallIntegerField()
    importo = money_field("importo")

    class Meta:
        verbose_name = "allocazione"
        verbose_name_plural = "allocazioni"
        ordering = ["scheda", "fonte__ordine", "anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheda", "fonte", "anno"],
                name="allocazione_unica",
                violation_error_message="La scheda ha già un importo per questa fonte e quest'anno.",
            ),
            models.CheckConstraint(
                condition=Q(importo__gt=0),
                name="allocazione_positiva",
                violation_error_message="L'importo deve essere maggiore di zero.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheda.codice} {self.fonte.codice} {self.anno}"


class Narrativa(models.Model):
    """One chapter of the plan's written part, in Markdown; always shown through markdown_sicuro."""

    class Capitolo(models.TextChoices):
        CONTESTO = "contesto", "Analisi del contesto"
        OBIETTIVI = "obiettivi", "Obiettivi strategici e priorità"
        ORGANIZZAZIONE = "organizzazione", "Organizzazione"
        INTEGRAZIONE = "integrazione", "Integrazione tra i servizi"
        COLLABORAZIONE = "collaborazione", "Collaborazione tra servizi pubblici"
        CONCERTAZIONE = "concertazione", "Concertazione con l'azienda sanitaria"
        SISTEMA_INFORMATIVO = "sistema_informativo", "Sistema informativo"

    piano = models.ForeignKey("pianizona.Piano", on_delete=models.CASCADE, related_name="narrativa")
    capitolo = models.CharField(max_length=30, choices=Capitolo.choices)
    testo = models.TextField(blank=True)
    aggiornato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aggiornato_il = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "capitolo della parte narrativa"
        verbose_name_plural = "parte narrativa"
        ordering = ["piano", "capitolo"]
        constraints = [
            models.UniqueConstraint(fields=["piano", "capitolo"], name="narrativa_capitolo_unico")
        ]

    def __str__(self) -> str:
        return self.get_capitolo_display()
