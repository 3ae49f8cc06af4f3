from django.core.exceptions import ValidationError
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
    codice = models.CharField(max_length=20, help_text="Unico nella regione (es. BA01).")
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
                fields=["regione", "codice"],
                name="ambito_codice_unico_per_regione",
                violation_error_message="Esiste già un ambito con questo codice nella regione.",
            ),
            models.UniqueConstraint(
                fields=["regione", "nome"],
                name="ambito_nome_unico_per_regione",
                violation_error_message="Esiste già un ambito con questo nome nella regione.",
            ),
        ]

    def __str__(self) -> str:
        return self.nome

    def clean(self) -> None:
        errori = {}
        if self.pk and self.regione_id:
            regione_salvata = (
                Ambito.objects.filter(pk=self.pk).values_list("regione_id", flat=True).first()
            )
            if regione_salvata is not None and regione_salvata != self.regione_id:
                # Its plans, municipalities and users would follow it into another Region.
                errori["regione"] = (
                    f"L'ambito {self.codice} non può passare a un'altra regione: i suoi piani, "
                    "comuni e utenti restano nella regione in cui è nato. Per un'altra regione "
                    "creare un nuovo ambito."
                )
        capofila = self.comune_capofila
        if capofila is not None and self.regione_id and capofila.regione_id != self.regione_id:
            errori["comune_capofila"] = (
                f"Il comune capofila {capofila.nome} è della regione {capofila.regione}: deve "
                f"appartenere alla regione dell'ambito {self.codice}."
            )
        if errori:
            raise ValidationError(errori)


class Comune(models.Model):
    codice_istat = models.CharField("codice ISTAT", max_length=6, unique=True)
    nome = models.CharField(max_length=100)
    regione = models.ForeignKey(Regione, on_delete=models.PROTECT, related_name="comuni")
    provincia = models.CharField(max_length=60)
    sigla_provincia = models.CharField("sigla provincia", max_length=2)
    codice_catastale = models.CharField("codice catastale", max_length=4, blank=True)
    popolazione = models.PositiveIntegerField(
        "popolazione residente", help_text="Residenti secondo ISTAT nell'anno indicato."
    )
    popolazione_anno = models.PositiveSmallIntegerField(
        "anno della popolazione", null=True, blank=True
    )
    # Age bands are unknown (null), not zero, where ISTAT's file has no breakdown.
    eta_0_17 = models.PositiveIntegerField("residenti 0-17 anni", null=True, blank=True)
    eta_65_piu = models.PositiveIntegerField("residenti 65 anni e più", null=True, blank=True)
    eta_75_piu = models.PositiveIntegerField("residenti 75 anni e più", null=True, blank=True)
    soppresso = models.BooleanField(
        default=False, help_text="Non più nell'elenco ISTAT: fuso, incorporato o trasferito."
    )
    confluito_in = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessori",
        verbose_name="confluito in",
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

    def clean(self) -> None:
        errori = {}
        salvato = (
            Comune.objects.filter(pk=self.pk).select_related("ambito").first() if self.pk else None
        )
        if salvato and salvato.ambito and self.regione_id != salvato.regione_id:
            # It would take its residents, and its ambito's share of the funds, with it.
            errori["regione"] = (
                f"Il comune {self.nome} fa parte dell'ambito {salvato.ambito.codice} "
                f"({salvato.ambito.nome}): non può passare a un'altra regione."
            )
        ambito = self.ambito
        if ambito is not None and self.regione_id and ambito.regione_id != self.regione_id:
            errori["ambito"] = (
                f"Il comune {self.nome} non può entrare nell'ambito {ambito.codice} "
                f"({ambito.nome}): l'ambito è della regione {ambito.regione}, il comune della "
                f"regione {self.regione}. Un comune appartiene solo a un ambito della sua regione."
            )
        elif ambito is not None and self.soppresso:
            errori["ambito"] = f"Il comune {self.nome} è soppresso: non può entrare in un ambito."
        if errori:
            raise ValidationError(errori)
