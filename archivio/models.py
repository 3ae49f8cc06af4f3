"""The shared archive (documents with versions) and the adhesions to an ambito's Accordo di programma."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


def percorso_versione(versione: "VersioneDocumento", nome: str) -> str:
    # The stored name is ours: a random id and the extension of the detected type, never the user's.
    return f"archivio/documenti/{uuid.uuid4().hex}{_estensione(nome)}"


def percorso_modulo_adesione(adesione: "Adesione", nome: str) -> str:
    return f"archivio/adesioni/{uuid.uuid4().hex}{_estensione(nome)}"


def _estensione(nome: str) -> str:
    _, punto, estensione = nome.rpartition(".")
    return f".{estensione}" if punto and estensione.isalnum() and len(estensione) <= 5 else ""


class Documento(models.Model):
    """An official document or working material: an ambito's, or the Region's for every ambito."""

    class Categoria(models.TextChoices):
        DELIBERA = "delibera", "Delibera di approvazione"
        ACCORDO = "accordo", "Accordo di programma"
        VERBALE = "verbale", "Verbale della conferenza dei servizi"
        RELAZIONE = "relazione", "Relazione"
        REGOLAMENTO = "regolamento", "Regolamento"
        MODULISTICA = "modulistica", "Modulistica"
        ALTRO = "altro", "Altro"

    regione = models.ForeignKey(
        "pianizona.Regione", on_delete=models.PROTECT, related_name="documenti"
    )
    ambito = models.ForeignKey(
        "pianizona.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documenti",
        help_text="Vuoto per un documento regionale, visibile a tutti gli ambiti della regione.",
    )
    piano = models.ForeignKey(
        "pianizona.Piano",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documenti",
        verbose_name="piano di riferimento",
    )
    categoria = models.CharField(max_length=20, choices=Categoria.choices)
    anno = models.PositiveSmallIntegerField()
    titolo = models.CharField(max_length=200)
    descrizione = models.TextField(blank=True)
    numero_protocollo = models.CharField("numero di protocollo", max_length=50, blank=True)
    data_protocollo = models.DateField("data di protocollo", null=True, blank=True)
    creato_da = models.ForeignKey(
        "pianizona.User", on_delete=models.PROTECT, related_name="documenti_creati"
    )
    creato_il = models.DateTimeField(default=timezone.now)
    eliminato_il = models.DateTimeField(null=True, blank=True)
    eliminato_da = models.ForeignKey(
        "pianizona.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documenti_eliminati",
    )
    motivo_eliminazione = models.TextField("motivo dell'eliminazione", blank=True)

    class Meta:
        verbose_name = "documento"
        verbose_name_plural = "documenti"
        ordering = ["-anno", "-creato_il", "-pk"]
        indexes = [
            models.Index(fields=["ambito", "anno"]),
            models.Index(fields=["regione", "anno"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(eliminato_il__isnull=True) | ~Q(motivo_eliminazione=""),
                name="documento_eliminato_con_motivo",
            ),
        ]

    def __str__(self) -> str:
        return self.titolo

    @property
    def regionale(self) -> bool:
        return self.ambito_id is None

    @property
    def eliminato(self) -> bool:
        return self.eliminato_il is not None

    @property
    def protocollo(self) -> str:
        if not self.numero_protocollo:
            return ""
        data = f" del {self.data_protocollo:%d/%m/%Y}" if self.data_protocollo else ""
        return f"n. {self.numero_protocollo}{data}"


class VersioneDocumento(models.Model):
    """One uploaded file of a document; a new upload adds a version and keeps the earlier ones."""

    documento = models.ForeignKey(Documento, on_delete=models.CASCADE, related_name="versioni")
    numero = models.PositiveIntegerField()
    file = models.FileField(upload_to=percorso_versione, max_length=200)
    nome_originale = models.CharField(
        "nome del file",
        max_length=200,
        help_text="Il nome indicato da chi l'ha caricato, ripulito.",
    )
    dimensione = models.PositiveBigIntegerField("dimensione in byte")
    sha256 = models.CharField("impronta SHA-256", max_length=64)
    content_type = models.CharField("tipo di file", max_length=120)
    tipo = models.CharField("formato", max_length=60)
    caricata_da = models.ForeignKey(
        "pianizona.User", on_delete=models.PROTECT, related_name="versioni_documenti"
    )
    caricata_il = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "versione di un documento"
        verbose_name_plural = "versioni dei documenti"
        ordering = ["documento", "-numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["documento", "numero"], name="versione_documento_numero_unico"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.documento} – versione {self.numero}"


class FormaGiuridica(models.TextChoices):
    """The kinds of Ente del Terzo settore (D.Lgs. 117/2017)."""

    ODV = "odv", "Organizzazione di volontariato (ODV)"
    APS = "aps", "Associazione di promozione sociale (APS)"
    COOPERATIVA = "cooperativa", "Cooperativa sociale"
    IMPRESA = "impresa", "Impresa sociale"
    FONDAZIONE = "fondazione", "Fondazione"
    RELIGIOSO = "religioso", "Ente religioso civilmente riconosciuto"
    ALTRO = "altro", "Altro ente del Terzo settore"


class Adesione(models.Model):
    """A third-sector organisation's request to join the ambito's Accordo di programma."""

    class Stato(models.TextChoices):
        IN_ATTESA = "in_attesa", "In attesa di decisione"
        ACCETTATA = "accettata", "Accettata"
        RESPINTA = "respinta", "Respinta"
        REVOCATA = "revocata", "Revocata"

    ambito = models.ForeignKey(
        "pianizona.Ambito", on_delete=models.PROTECT, related_name="adesioni"
    )
    denominazione = models.CharField("denominazione dell'ente", max_length=200)
    forma_giuridica = models.CharField(
        "forma giuridica", max_length=20, choices=FormaGiuridica.choices
    )
    codice_fiscale = models.CharField("codice fiscale", max_length=16)
    indirizzo = models.CharField("sede legale", max_length=250)
    referente = models.CharField("persona di riferimento", max_length=150)
    email = models.EmailField("e-mail")
    aree_intervento = models.ManyToManyField(
        "pianizona.AreaInterventoFnps",
        blank=True,
        related_name="adesioni",
        verbose_name="aree di intervento FNPS",
    )
    aree_utenza = models.ManyToManyField(
        "pianizona.AreaUtenzaIstat",
        blank=True,
        related_name="adesioni",
        verbose_name="aree di utenza ISTAT",
    )
    attivita = models.TextField("attività svolte")
    modulo = models.FileField(
        "modulo di adesione firmato", upload_to=percorso_modulo_adesione, max_length=200
    )
    modulo_nome = models.CharField("nome del modulo", max_length=200)
    modulo_sha256 = models.CharField("impronta SHA-256 del modulo", max_length=64)
    modulo_content_type = models.CharField(max_length=120)
    stato = models.CharField(max_length=20, choices=Stato.choices, default=Stato.IN_ATTESA)
    nota = models.TextField("nota della decisione", blank=True)
    decisa_da = models.ForeignKey(
        "pianizona.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adesioni_decise",
    )
    decisa_il = models.DateTimeField(null=True, blank=True)
    # A revoked adherent stays listed in the versions frozen before this moment, not after.
    revocata_il = models.DateTimeField(null=True, blank=True)
    revocata_da = models.ForeignKey(
        "pianizona.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adesioni_revocate",
    )
    motivo_revoca = models.TextField("motivo della revoca", blank=True)
    creata_il = models.DateTimeField(default=timezone.now)
    # A keyed hash of the sender's address: enough to spot abuse, not a personal datum in clear.
    ip_impronta = models.CharField(max_length=64, blank=True)
    # The receipt: a number per ambito and year, like a protocol's, given on the first save.
    ricevuta_anno = models.PositiveSmallIntegerField("anno della ricevuta", editable=False)
    ricevuta_progressivo = models.PositiveIntegerField("progressivo nell'anno", editable=False)
    ricevuta = models.CharField("numero di ricevuta", max_length=40, editable=False)

    class Meta:
        verbose_name = "adesione all'Accordo di programma"
        verbose_name_plural = "adesioni all'Accordo di programma"
        ordering = ["-creata_il", "-pk"]
        indexes = [models.Index(fields=["ambito", "stato"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(revocata_il__isnull=True) | ~Q(motivo_revoca=""),
                name="adesione_revocata_con_motivo",
            ),
            models.UniqueConstraint(
                fields=["ambito", "ricevuta_anno", "ricevuta_progressivo"],
                name="adesione_ricevuta_unica_per_ambito_e_anno",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.denominazione} ({self.codice_fiscale})"

    def save(self, *args, **kwargs) -> None:
        if not self.ricevuta:
            self.assegna_ricevuta()
        super().save(*args, **kwargs)

    def assegna_ricevuta(self) -> None:
        """The next number of the ambito's year: ``ADE-BA01-2026-000123``.

        Two requests at once get different numbers when the caller holds a lock on the ambito
        (``adesioni.adesione_crea`` does); the unique constraint refuses a duplicate otherwise.
        """
        anno = timezone.localtime(self.creata_il).year
        ultimo = Adesione.objects.filter(ambito_id=self.ambito_id, ricevuta_anno=anno).aggregate(
            m=models.Max("ricevuta_progressivo")
        )["m"]
        self.ricevuta_anno = anno
        self.ricevuta_progressivo = (ultimo or 0) + 1
        self.ricevuta = numero_ricevuta(self.ambito.codice, anno, self.ricevuta_progressivo)


def numero_ricevuta(codice_ambito: str, anno: int, progressivo: int) -> str:
    return f"ADE-{codice_ambito}-{anno}-{progressivo:06d}"


class InformativaAdesioni(models.Model):
    """Who answers for the data of the ambito's adhesion requests: the privacy notice's facts.

    Without this row the notice names the ente capofila from the ambito's own data.
    """

    class Titolare(models.TextChoices):
        CAPOFILA = "capofila", "Ente capofila dell'ambito"
        REGIONE = "regione", "Regione"

    ambito = models.OneToOneField(
        "pianizona.Ambito", on_delete=models.CASCADE, related_name="informativa_adesioni"
    )
    titolare = models.CharField(
        "titolare del trattamento",
        max_length=20,
        choices=Titolare.choices,
        default=Titolare.CAPOFILA,
        help_text="Chi decide sulle adesioni e ne tratta i dati.",
    )
    denominazione_titolare = models.CharField(
        "denominazione del titolare",
        max_length=200,
        blank=True,
        help_text=(
            "Vuoto: «Comune di …» (il comune capofila) per l'ente capofila, «Regione …» per la "
            "Regione. Da indicare per un'unione, un consorzio o un'azienda."
        ),
    )
    indirizzo_titolare = models.CharField("sede del titolare", max_length=250, blank=True)
    pec_titolare = models.EmailField("PEC del titolare", blank=True)
    email_titolare = models.EmailField("e-mail dell'Ufficio di Piano", blank=True)
    email_rpd = models.EmailField(
        "e-mail del Responsabile della protezione dei dati (RPD/DPO)", blank=True
    )
    pec_rpd = models.EmailField("PEC del Responsabile della protezione dei dati", blank=True)
    conservazione_anni = models.PositiveSmallIntegerField(
        "anni di conservazione",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=(
            "Dalla conclusione dell'adesione (rigetto, revoca o fine dell'Accordo), secondo il "
            "piano di conservazione dell'ente."
        ),
    )
    aggiornata_il = models.DateTimeField("aggiornata il", auto_now=True)

    class Meta:
        verbose_name = "informativa sulle adesioni"
        verbose_name_plural = "informative sulle adesioni"

    def __str__(self) -> str:
        return f"Informativa sulle adesioni – {self.ambito}"
