"""Access for external systems: API keys scoped to a region or to ambiti, and the log of calls."""

import hashlib
import secrets

from django.db import models
from django.utils import timezone

PREFISSO_TOKEN = "pz_"


def impronta_token(token: str) -> str:
    """What is stored of a key: its SHA-256 (the token is random, 256 bits: no salt needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ChiaveApi(models.Model):
    """A key an administrator gives to an external system: read-only, within its scope."""

    nome = models.CharField("sistema esterno", max_length=150)
    prefisso = models.CharField(
        max_length=16,
        unique=True,
        editable=False,
        help_text="L'inizio della chiave, per riconoscerla: la chiave intera non è conservata.",
    )
    impronta = models.CharField("impronta SHA-256", max_length=64, unique=True, editable=False)
    regione = models.ForeignKey(
        "pianizona.Regione",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chiavi_api",
        help_text="Tutti gli ambiti della regione. In alternativa, scegliere gli ambiti.",
    )
    ambiti = models.ManyToManyField(
        "pianizona.Ambito",
        blank=True,
        related_name="chiavi_api",
        help_text="Solo questi ambiti (se non è indicata una regione).",
    )
    limite_al_minuto = models.PositiveIntegerField("limite di richieste al minuto", default=60)
    creata_il = models.DateTimeField(default=timezone.now, editable=False)
    creata_da = models.ForeignKey(
        "pianizona.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    revocata_il = models.DateTimeField(null=True, blank=True, editable=False)
    ultima_chiamata_il = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "chiave API"
        verbose_name_plural = "chiavi API"
        ordering = ["nome", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(limite_al_minuto__gte=1),
                name="chiave_api_limite_positivo",
                violation_error_message="Il limite deve essere di almeno una richiesta al minuto.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nome} ({self.prefisso}…)"

    @property
    def attiva(self) -> bool:
        return self.revocata_il is None

    @classmethod
    def genera(cls) -> tuple[str, str, str]:
        """A new clear token, with its prefix and digest (only the last two are stored)."""
        token = PREFISSO_TOKEN + secrets.token_urlsafe(32)
        return token, token[: len(PREFISSO_TOKEN) + 8], impronta_token(token)


class ChiamataApi(models.Model):
    """One call to the API: who (key or user), what, the outcome and how long it took."""

    chiave = models.ForeignKey(
        ChiaveApi, on_delete=models.SET_NULL, null=True, blank=True, related_name="chiamate"
    )
    utente = models.ForeignKey(
        "pianizona.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    metodo = models.CharField(max_length=10)
    percorso = models.CharField(max_length=500)
    stato = models.PositiveSmallIntegerField("codice HTTP")
    durata_ms = models.PositiveIntegerField("durata (ms)")
    eseguita_il = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "chiamata API"
        verbose_name_plural = "registro delle chiamate API"
        ordering = ["-eseguita_il", "-pk"]
        indexes = [
            models.Index(fields=["-eseguita_il"]),
            models.Index(fields=["chiave", "-eseguita_il"]),
        ]

    def __str__(self) -> str:
        return f"{self.metodo} {self.percorso} → {self.stato}"
