from django.db import models
from django.db.models import Q


class Regione(models.Model):
    # A fixed set of names, so every article and plural is known (pianizona/territorio/denominazioni.py).
    class DenominazioneAmbiti(models.TextChoices):
        AMBITO = "ambito", "Ambito territoriale sociale"
        DISTRETTO = "distretto", "Distretto"
        ZONA_SOCIALE = "zona_sociale", "Zona sociale"
        ZONA_DISTRETTO = "zona_distretto", "Zona-distretto"

    class OrganoApprovazione(models.TextChoices):
        COORDINAMENTO = "coordinamento", "Coordinamento istituzionale"
        COMITATO = "comitato", "Comitato di distretto"
        ASSEMBLEA = "assemblea", "Assemblea dei sindaci"
        CONFERENZA = "conferenza", "Conferenza dei servizi"

    codice_istat = models.CharField("codice ISTAT", max_length=2, unique=True)
    nome = models.CharField(max_length=100, unique=True)
    denominazione_ambiti = models.CharField(
        "denominazione dei distretti",
        max_length=20,
        choices=DenominazioneAmbiti.choices,
        default=DenominazioneAmbiti.AMBITO,
        help_text="Come la Regione chiama i suoi distretti sociali, in ogni pagina e documento.",
    )
    organo_approvazione = models.CharField(
        "organo di approvazione locale",
        max_length=20,
        choices=OrganoApprovazione.choices,
        default=OrganoApprovazione.COORDINAMENTO,
        help_text="L'organo che approva il piano nel distretto, prima dell'invio alla Regione.",
    )

    class Meta:
        verbose_name = "regione"
        verbose_name_plural = "regioni"
        ordering = ["codice_istat"]

    def __str__(self) -> str:
        return self.nome


class Ambito(models.Model):
    """An Ambito territoriale sociale (a district): the tenant every plan belongs to."""

    class FormaAssociativa(models.TextChoices):
        CONVENZIONE = "convenzione", "Convenzione tra comuni (art. 30 TUEL)"
        UNIONE = "unione", "Unione di comuni"
        CONSORZIO = "consorzio", "Consorzio (art. 31 TUEL)"
        AZIENDA = "azienda", "Azienda speciale consortile / ASP"
        DELEGA_ASL = "delega_asl", "Delega all'Azienda sanitaria"

    regione = models.ForeignKey(Regione, on_delete=models.PROTECT, related_name="ambiti")
    codice = models.CharField(max_length=20, unique=True)
    nome = models.CharField(max_length=150)
    comune_capofila = models.ForeignKey(
        "Comune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="comune capofila",
    )
    forma_associativa = models.CharField(
        "forma associativa",
        max_length=20,
        choices=FormaAssociativa.choices,
        default=FormaAssociativa.CONVENZIONE,
    )

    class Meta:
        verbose_name = "ambito territoriale"
        verbose_name_plural = "ambiti territoriali"
        ordering = ["codice"]
        constraints = [
            models.UniqueConstraint(
                fields=["regione", "nome"],
                name="ambito_nome_unico_per_regione",
                violation_error_message="Esiste già un ambito con questo nome nella regione.",
            )
        ]

    def __str__(self) -> str:
        return self.nome


class Comune(models.Model):
    codice_istat = models.CharField("codice ISTAT", max_length=6, unique=True)
    nome = models.CharField(max_length=100)
    regione = models.ForeignKey(Regione, on_delete=models.PROTECT, related_name="comuni")
    provincia = models.CharField(max_length=60)
    sigla_provincia = models.CharField("sigla provincia", max_length=2)
    codice_catastale = models.CharField("codice catastale", max_length=4, blank=True)
    popolazione = models.PositiveIntegerField(
        "popolazione residente", help_text="Popolazione legale (censimento ISTAT 2011)."
    )
    ambito = models.ForeignKey(
        Ambito, on_delete=models.SET_NULL, null=True, blank=True, related_name="comuni"
    )

    class Meta:
        verbose_name = "comune"
        verbose_name_plural = "comuni"
        ordering = ["nome"]
        indexes = [models.Index(fields=["ambito", "nome"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(codice_istat__regex=r"^[0-9]{6}$"),
                name="comune_codice_istat_6_cifre",
                violation_error_message="Il codice ISTAT è di 6 cifre.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nome} ({self.sigla_provincia})"
